import { Resolver as DnsResolver } from 'node:dns/promises';
import net from 'node:net';
import type { AppError } from '../errors/app-error.js';
import { invalidField } from '../errors/validation.js';

// Destinations a webhook must never reach unless private targets are allowed: this host, the private
// networks around it, link-local (cloud metadata at 169.254.169.254 and fd00:ec2::254), and addresses
// that are not unicast at all. IPv4-mapped IPv6 (::ffff:a.b.c.d) is checked against the IPv4 ranges.
const FORBIDDEN_V4: ReadonlyArray<[string, number]> = [
  ['0.0.0.0', 8], // "this network"; 0.0.0.0 reaches the local host
  ['10.0.0.0', 8],
  ['100.64.0.0', 10], // carrier-grade NAT (also Alibaba Cloud metadata)
  ['127.0.0.0', 8],
  ['169.254.0.0', 16],
  ['172.16.0.0', 12],
  ['192.0.0.0', 24],
  ['192.0.2.0', 24],
  ['192.88.99.0', 24],
  ['192.168.0.0', 16],
  ['198.18.0.0', 15],
  ['198.51.100.0', 24],
  ['203.0.113.0', 24],
  ['224.0.0.0', 4], // multicast
  ['240.0.0.0', 4], // reserved and broadcast
];
const FORBIDDEN_V6: ReadonlyArray<[string, number]> = [
  ['::', 96], // unspecified, loopback and IPv4-compatible addresses
  ['::ffff:0:0:0', 96], // IPv4-translated addresses (SIIT) embed an IPv4 address
  ['64:ff9b::', 96], // NAT64 translations of IPv4 addresses
  ['64:ff9b:1::', 48],
  ['100::', 64], // discard
  ['2001::', 32], // Teredo tunnels embed an IPv4 address
  ['2001:db8::', 32],
  ['2002::', 16], // 6to4 tunnels embed an IPv4 address
  ['fc00::', 7], // unique local (includes fd00:ec2::254)
  ['fe80::', 10],
  ['fec0::', 10],
  ['ff00::', 8],
];

const FORBIDDEN = new net.BlockList();
for (const [address, prefix] of FORBIDDEN_V4) FORBIDDEN.addSubnet(address, prefix, 'ipv4');
for (const [address, prefix] of FORBIDDEN_V6) FORBIDDEN.addSubnet(address, prefix, 'ipv6');

/** True for an address a webhook may not reach (anything that is not a plain IP address counts too). */
export function isForbiddenAddress(address: string): boolean {
  const family = net.isIP(address);
  if (family === 0) return true;
  return FORBIDDEN.check(address, family === 4 ? 'ipv4' : 'ipv6');
}

export interface ResolvedAddress {
  address: string;
  family: 4 | 6;
}

export type Resolver = (hostname: string) => Promise<ResolvedAddress[]>;

/** Per query try; tries per name server. A silent server costs at most their product per server. */
const DNS_TIMEOUT_MS = 2000;
const DNS_TRIES = 2;
/** The longest a webhook creation or change waits for DNS. */
const CREATION_DNS_TIMEOUT_MS = 5000;

const LOOPBACK: readonly ResolvedAddress[] = [
  { address: '127.0.0.1', family: 4 },
  { address: '::1', family: 6 },
];

/** `localhost` and the names under it are this host by definition (RFC 6761): no DNS server is asked. */
function isLocalhost(hostname: string): boolean {
  const name = hostname.toLowerCase().replace(/\.$/, '');
  return name === 'localhost' || name.endsWith('.localhost');
}

/**
 * Looks names up with c-ares (A and AAAA records), not dns.lookup: getaddrinfo runs on libuv's thread
 * pool, which password hashing (scrypt) shares, so a stalling DNS server could hold every thread and
 * stall sign-ins with it. `servers` replaces the system's name servers (tests).
 */
export function dnsResolver(options: { servers?: string[]; timeoutMs?: number; tries?: number } = {}): Resolver {
  const dns = new DnsResolver({ timeout: options.timeoutMs ?? DNS_TIMEOUT_MS, tries: options.tries ?? DNS_TRIES });
  if (options.servers) dns.setServers(options.servers);
  return async (hostname) => {
    if (isLocalhost(hostname)) return [...LOOPBACK];
    const [v4, v6] = await Promise.allSettled([dns.resolve4(hostname), dns.resolve6(hostname)]);
    const found: ResolvedAddress[] = [
      ...(v4.status === 'fulfilled' ? v4.value.map((address) => ({ address, family: 4 as const })) : []),
      ...(v6.status === 'fulfilled' ? v6.value.map((address) => ({ address, family: 6 as const })) : []),
    ];
    if (found.length === 0 && v4.status === 'rejected') throw v4.reason;
    return found;
  };
}

export const systemResolver: Resolver = dnsResolver();

/** The URL's host without the brackets an IPv6 literal carries. */
export function hostOf(url: URL): string {
  return url.hostname.replace(/^\[(.*)\]$/, '$1');
}

export class UnsafeDestinationError extends Error {}

/** DNS took longer than its deadline: the host the caller gave is all the message names. */
class SlowDnsError extends UnsafeDestinationError {}

/**
 * Resolves a host and checks every address it resolves to; the caller connects to the returned address
 * itself, so a DNS answer that changes between this check and the connection cannot redirect it.
 */
export async function resolveSafeAddress(hostname: string, resolve: Resolver = systemResolver): Promise<ResolvedAddress> {
  const literal = net.isIP(hostname);
  let addresses: ResolvedAddress[];
  try {
    addresses = literal ? [{ address: hostname, family: literal === 6 ? 6 : 4 }] : await resolve(hostname);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new UnsafeDestinationError(`${hostname} does not resolve${code ? ` (${code})` : ''}`);
  }
  const [first] = addresses;
  if (!first) throw new UnsafeDestinationError(`${hostname} does not resolve`);
  const forbidden = addresses.find((a) => isForbiddenAddress(a.address));
  if (forbidden)
    throw new UnsafeDestinationError(`${hostname} resolves to ${forbidden.address}, a loopback, private, link-local or reserved address`);
  return first;
}

const NOT_ALLOWED = 'is not allowed: its host must resolve, and only to public addresses';

function refuse(message: string): AppError {
  return invalidField('url', message);
}

/** `work`, or an UnsafeDestinationError once `ms` have passed. */
function within<T>(work: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => reject(new SlowDnsError(`${what} did not resolve within ${ms} ms`)), ms);
  });
  return Promise.race([work, late]).finally(() => clearTimeout(timer));
}

/**
 * Checks a webhook URL at creation or change; private destinations only when the instance allows them.
 * DNS gets `dnsTimeoutMs` at most, so a stalling name server cannot hold the request open.
 */
export async function assertDeliverableUrl(
  raw: string,
  allowPrivate: boolean,
  resolve: Resolver = systemResolver,
  dnsTimeoutMs = CREATION_DNS_TIMEOUT_MS,
): Promise<URL> {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw refuse('is not a valid URL');
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw refuse('must use http or https');
  if (url.username || url.password) throw refuse('must not carry credentials; verify the webhook signature instead');
  if (!url.hostname) throw refuse('needs a host');
  if (!allowPrivate) {
    try {
      await within(resolveSafeAddress(hostOf(url), resolve), dnsTimeoutMs, hostOf(url));
    } catch (err) {
      if (err instanceof SlowDnsError) throw refuse(`is refused: ${err.message}`);
      // Not what the host resolved to, nor whether it resolved at all: the caller would learn the
      // answers of our DNS (internal names and addresses) one webhook at a time.
      if (err instanceof UnsafeDestinationError) throw refuse(NOT_ALLOWED);
      throw err;
    }
  }
  return url;
}

/**
 * A webhook URL fit for readers who may not manage webhooks (events go to viewers): origin and path,
 * the values of its query masked (they often carry the receiver's key) and no user-info.
 */
export function maskedUrl(raw: string): string {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return '(unreadable URL)';
  }
  const names = [...new Set(url.searchParams.keys())];
  const query = names.length === 0 ? '' : `?${names.map((name) => `${encodeURIComponent(name)}=***`).join('&')}`;
  return `${url.origin}${url.pathname}${query}`;
}
