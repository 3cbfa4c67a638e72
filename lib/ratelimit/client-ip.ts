// The client's IP, from trusted sources only: the socket peer, or a header set by a proxy we
// trust (CLIENT_IP_HEADER, e.g. fly-client-ip on Fly) when the peer is one of TRUSTED_PROXIES
// ("*" = every peer, right only where all traffic passes the platform's proxy). Client-supplied
// X-Forwarded-For is never read. Our server writes the result into CLIENT_IP_REQUEST_HEADER,
// overwriting whatever the client sent under that name, for proxy.ts to use.
import type http from 'node:http';

export const CLIENT_IP_REQUEST_HEADER = 'x-jobboard-client-ip';

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
