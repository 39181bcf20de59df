import dns from 'node:dns/promises';
import net from 'node:net';
import { AppError } from '../errors/app-error.js';

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

export const systemResolver: Resolver = async (hostname) => {
  const found = await dns.lookup(hostname, { all: true, verbatim: true });
  return found.map(({ address, family }) => ({ address, family: family === 6 ? 6 : 4 }));
};

/** The URL's host without the brackets an IPv6 literal carries. */
export function hostOf(url: URL): string {
  return url.hostname.replace(/^\[(.*)\]$/, '$1');
}

export class UnsafeDestinationError extends Error {}

/**
 * Resolves a host and checks every address it resolves to; the caller connects to the returned address
 * itself, so a DNS answer that changes between this check and the connection cannot redirect it.
 */
export async function resolveSafeAddress(hostname: string, resolve: Resolver = systemResolver): Promise<ResolvedAddress> {
  const literal = net.isIP(hostname);
  const addresses: ResolvedAddress[] = literal ? [{ address: hostname, family: literal === 6 ? 6 : 4 }] : await resolve(hostname).catch(() => []);
  const [first] = addresses;
  if (!first) throw new UnsafeDestinationError(`${hostname} does not resolve`);
  const forbidden = addresses.find((a) => isForbiddenAddress(a.address));
  if (forbidden) throw new UnsafeDestinationError(`${hostname} resolves to ${forbidden.address}, a loopback, private, link-local or reserved address`);
  return first;
}

function refuse(message: string): AppError {
  return new AppError('VALIDATION_FAILED', `Invalid request: url ${message}`, { fields: [{ field: 'url', message }] });
}

/** Checks a webhook URL at creation or change; private destinations only when the instance allows them. */
export async function assertDeliverableUrl(raw: string, allowPrivate: boolean, resolve: Resolver = systemResolver): Promise<URL> {
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
      await resolveSafeAddress(hostOf(url), resolve);
    } catch (err) {
      if (err instanceof UnsafeDestinationError) throw refuse(`is refused: ${err.message}`);
      throw err;
    }
  }
  return url;
}
