/** The entries of an allowlist as typed: one per line, or separated by commas or spaces. */
function allowlistEntries(text: string): string[] {
  return text
    .split(/[\s,]+/)
    .map((entry) => entry.trim())
    .filter((entry) => entry !== '');
}

const IPV4 = /^(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}$/;

/** An IPv6 address as the URL parser reads one (a zone id such as `%eth0` names no network, and is refused). */
function isIpv6(address: string): boolean {
  if (!address.includes(':') || !/^[0-9A-Fa-f:.]+$/.test(address)) return false;
  try {
    new URL(`http://[${address}]/`);
    return true;
  } catch {
    return false;
  }
}

/** Why an entry is no IPv4 or IPv6 address or CIDR (`203.0.113.0/24`, `2001:db8::/32`), or null when it is one. */
function cidrProblem(entry: string): string | null {
  const [address = '', prefix, ...rest] = entry.split('/');
  const version = rest.length > 0 ? 0 : IPV4.test(address) ? 4 : isIpv6(address) ? 6 : 0;
  if (version === 0) return `${entry} is no IP address or CIDR`;
  if (prefix === undefined) return null;
  const max = version === 4 ? 32 : 128;
  return /^\d{1,3}$/.test(prefix) && Number(prefix) <= max ? null : `${entry}: the prefix length is 0 to ${max}`;
}

/** A form's validation of an allowlist textarea: true, or the first problem. */
export function validateAllowlist(text: string): true | string {
  for (const entry of allowlistEntries(text)) {
    const problem = cidrProblem(entry);
    if (problem) return problem;
  }
  return true;
}

/** The allowlist a form's text asks for: null (any address) when empty. */
export function allowlistOf(text: string): string[] | null {
  const entries = allowlistEntries(text);
  return entries.length === 0 ? null : entries;
}

/** A stored allowlist as a form's text, one entry a line. */
export const allowlistText = (allowedIps: readonly string[] | null): string => (allowedIps ?? []).join('\n');
