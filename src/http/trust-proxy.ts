import net from 'node:net';

/**
 * Which hops in front of the server may say who the client is (X-Forwarded-For, -Proto, -Host), as
 * Fastify's `trustProxy` takes it: false (none: the socket's address is the client), true (any: only
 * for a server no one can reach but through its proxy), a hop count, or the proxies' addresses.
 */
export type TrustProxy = boolean | number | string[];

// proxy-addr's names for address ranges, accepted beside literal addresses.
const NAMED_RANGES = new Set(['loopback', 'linklocal', 'uniquelocal']);

function isAddressOrRange(entry: string): boolean {
  if (NAMED_RANGES.has(entry)) return true;
  const slash = entry.indexOf('/');
  if (slash === -1) return net.isIP(entry) !== 0;
  const family = net.isIP(entry.slice(0, slash));
  const prefix = entry.slice(slash + 1);
  if (family === 0 || !/^\d{1,3}$/.test(prefix)) return false;
  return Number(prefix) <= (family === 4 ? 32 : 128);
}

/**
 * Reads TASKGATE_TRUST_PROXY: `true`/`false`, a hop count (`1`: the one proxy in front of us), or a
 * comma-separated list of proxy addresses and CIDR ranges (`10.0.0.0/8, 192.168.1.5`, also
 * `loopback`, `linklocal`, `uniquelocal`). Returns null for anything else, so a typo stops the server
 * rather than silently trusting every client's X-Forwarded-For.
 */
export function parseTrustProxy(raw: string | undefined): TrustProxy | null {
  const value = raw?.trim().toLowerCase() ?? '';
  if (value === '' || value === 'false') return false;
  if (value === 'true') return true;
  if (/^\d{1,2}$/.test(value)) return Number(value) === 0 ? false : Number(value);
  const entries = value.split(',').map((entry) => entry.trim());
  return entries.every(isAddressOrRange) ? entries : null;
}

/** The setting as Fastify's `trustProxy` takes it (its types know no hop count: it becomes a function). */
export function fastifyTrustProxy(setting: TrustProxy): boolean | string[] | ((address: string, hop: number) => boolean) {
  if (typeof setting !== 'number') return setting;
  return (_address, hop) => hop < setting;
}
