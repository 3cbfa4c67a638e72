// The client's IP, from trusted sources only: the socket peer, or a header set by a proxy we
// trust (CLIENT_IP_HEADER, e.g. fly-client-ip on Fly) when the peer is one of TRUSTED_PROXIES
// ("*" = every peer, right only where all traffic passes the platform's proxy). Client-supplied
// X-Forwarded-For is never read. Our server writes the result, as the rate limits count it
// (rateLimitAddress), into RATE_LIMIT_ADDRESS_HEADER, overwriting whatever the client sent under
// that name, for proxy.ts to use.
import type http from 'node:http';
import { isIPv6 } from 'node:net';

export const RATE_LIMIT_ADDRESS_HEADER = 'x-jobboard-rate-limit-address';

const normalize = (address: string | undefined) => (address ?? 'unknown').replace(/^::ffff:/, '');

export function isTrustedPeer(peer: string, trusted: string): boolean {
  const entries = trusted.split(',').map((entry) => entry.trim()).filter(Boolean);
  return entries.some((entry) => entry === '*' || entry === peer || ((entry.endsWith(':') || entry.endsWith('.')) && peer.startsWith(entry)));
}

export function resolveClientIp(req: http.IncomingMessage, options: { header?: string; trustedProxies: string }): string {
  const peer = normalize(req.socket.remoteAddress);
  if (options.header && isTrustedPeer(peer, options.trustedProxies)) {
    const value = req.headers[options.header.toLowerCase()];
    const first = (Array.isArray(value) ? value[0] : value)?.split(',')[0]?.trim();
    if (first) return first;
  }
  return peer;
}

/**
 * The address a per-IP budget is counted by: an IPv4 address whole, an IPv6 address by its /64.
 * A /64 is the smallest block a network hands one subscriber (RFC 6177), so one client may own
 * all 2^64 of its addresses: counted whole, each would be a fresh budget, and each a new key in
 * the memory backend (bounded only by time: memory-limiter.ts). Anything that is not an IPv6
 * address ("unknown", IPv4) comes back unchanged.
 */
export function rateLimitAddress(ip: string): string {
  const address = ip.replace(/%.*$/, ''); // a zone index (fe80::1%eth0) names a local interface, not a client
  if (!isIPv6(address)) return ip;
  const [head = '', tail] = address.toLowerCase().split('::');
  // A dotted IPv4 tail (64:ff9b::192.0.2.1) stands for the last two groups, outside the /64.
  const groups = (part: string | undefined) => (part ? part.split(':').flatMap((group) => (group.includes('.') ? ['0', '0'] : [group])) : []);
  const [before, after] = [groups(head), groups(tail)];
  const all = tail === undefined ? before : [...before, ...Array<string>(8 - before.length - after.length).fill('0'), ...after];
  return `${all.slice(0, 4).map((group) => group.replace(/^0+(?=.)/, '')).join(':')}::/64`;
}
