import { BlockList, isIP, SocketAddress } from 'node:net';
import { Type } from 'typebox';
import { invalidField } from '../errors/validation.js';
import { Nullable } from '../http/schemas.js';

const MAX_ENTRIES = 50;
const FIELD = 'allowedIps';

/** The request and view field every token kind shares: CIDRs a credential may be used from; null: anywhere. */
export const AllowedIpsSchema = Nullable(
  Type.Array(Type.String({ minLength: 1, maxLength: 64 }), {
    minItems: 1,
    maxItems: MAX_ENTRIES,
    description:
      'IPv4 and IPv6 addresses or CIDRs (e.g. 203.0.113.0/24, 2001:db8::/32; a bare address is /32 or /128) the token may be ' +
      'used from; other addresses get 403 IP_NOT_ALLOWED. null: any address',
  }),
);

interface Cidr {
  address: string;
  prefix: number;
  family: 'ipv4' | 'ipv6';
}

/** One entry as typed (`10.0.0.0/8`, `::1`), or null when it is no CIDR. Zone ids (`fe80::1%eth0`) name no network. */
function parseCidr(entry: string): Cidr | null {
  const [address = '', prefixText, ...rest] = entry.trim().split('/');
  const version = address.includes('%') || rest.length > 0 ? 0 : isIP(address);
  if (version === 0) return null;
  const maxPrefix = version === 4 ? 32 : 128;
  if (prefixText !== undefined && !/^\d{1,3}$/.test(prefixText)) return null;
  const prefix = prefixText === undefined ? maxPrefix : Number(prefixText);
  if (prefix > maxPrefix) return null;
  const family = version === 4 ? 'ipv4' : 'ipv6';
  // SocketAddress writes an address the one way (lower case, `::` compressed).
  return { address: new SocketAddress({ address, family }).address, prefix, family };
}

/**
 * The allowlist as it is stored: every entry a valid CIDR written in one form, duplicates dropped; null
 * stays null ("any address"). A wrong entry is a 400 naming it.
 */
export function normalisedAllowedIps(entries: readonly string[] | null): string[] | null {
  if (entries === null) return null;
  const normalised = entries.map((entry) => {
    const cidr = parseCidr(entry);
    if (cidr === null) throw invalidField(FIELD, `has an entry that is no IP address or CIDR: ${entry}`);
    return `${cidr.address}/${cidr.prefix}`;
  });
  return [...new Set(normalised)];
}

/** A stored allowlist (JSON text) as the list the views show; null: any address. */
export function parseAllowedIps(json: string | null): string[] | null {
  if (json === null) return null;
  const value: unknown = JSON.parse(json);
  return Array.isArray(value) ? value.filter((item): item is string => typeof item === 'string') : [];
}

/** An allowlist as its column stores it: JSON text; null: any address. */
export function allowedIpsColumn(entries: readonly string[] | null): string | null {
  return entries === null ? null : JSON.stringify(entries);
}

/** Whether a client address may use a credential; built once per stored list (see resolver.ts). */
export type IpCheck = (ip: string) => boolean;

/** The check a stored allowlist makes, or null when it allows any address. */
export function ipCheckOf(json: string | null): IpCheck | null {
  const entries = parseAllowedIps(json);
  if (entries === null) return null;
  const allowed = new BlockList();
  for (const cidr of entries.map(parseCidr)) if (cidr) allowed.addSubnet(cidr.address, cidr.prefix, cidr.family);
  // An IPv4 client seen on a dual-stack socket (::ffff:10.1.2.3) matches IPv4 entries as an 'ipv6' check.
  return (ip) => {
    const version = isIP(ip);
    return version !== 0 && allowed.check(ip, version === 4 ? 'ipv4' : 'ipv6');
  };
}
