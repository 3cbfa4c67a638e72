// The per-IP limit of the API's reads, enforced by our server before Next (server.ts), from the
// same declaration proxy.ts enforces the rest by (lib/http/api-routes.ts). Next's proxy
// machinery costs more per request than a whole bare route handler (docs/performance.md,
// docs/decisions/012-reads-limited-before-next.md); a read limited here carries an internal
// header that proxy.ts's matcher skips, so Next never runs the proxy for it. Writes and
// user-keyed routes still go through proxy.ts. Free of `server-only`: server.ts runs outside
// React's server condition.
import type http from 'node:http';
import { matchApiRoute } from '../http/api-routes';
import { WARM_UP_HEADER } from '../http/warm-up-request';
import { peekProcessSingleton } from '../process-singleton';
import { writeJson } from '../http/write-json';
import { annotate } from '../telemetry/operation';
import { rateLimitedBody, rateLimitHeaders, retryAfterSeconds } from './decision-headers';
import { limit } from './limiter';

/**
 * Set by our server on a read it has already limited; proxy.ts's matcher skips requests that
 * carry it. Whatever a client sends under this name is removed first (`forgetClientClaim`).
 */
export const LIMITED_BEFORE_NEXT_HEADER = 'x-jobboard-limited-before-next';

/** A client must never skip the proxy by sending the header itself: called on every request. */
export function forgetClientClaim(req: http.IncomingMessage) {
  delete req.headers[LIMITED_BEFORE_NEXT_HEADER];
}

/** Reads (GET, HEAD) of API routes whose declared limit is per client IP. */
export function isReadLimitedBeforeNext(method: string, pathname: string): boolean {
  if (method !== 'GET' && method !== 'HEAD') return false;
  if (!pathname.startsWith('/api/')) return false;
  const route = matchApiRoute('GET', pathname);
  return route?.rateLimit.key === 'ip';
}

const isWarmUp = (req: http.IncomingMessage) => {
  const token = peekProcessSingleton<string>('warmUpToken');
  return token !== undefined && req.headers[WARM_UP_HEADER] === token;
};

/**
 * For a read this server limits: counts it against the client IP's budget (`ip`, set by server.ts
 * from trusted sources only), and either answers 429 (true: answered) or marks it for Next with
 * the RateLimit-* headers already on the response (false: carry on). Other requests: false, untouched.
 */
export async function limitReadBeforeNext(req: http.IncomingMessage, res: http.ServerResponse, pathname: string, ip: string): Promise<boolean> {
  if (!isReadLimitedBeforeNext(req.method ?? 'GET', pathname)) return false;
  req.headers[LIMITED_BEFORE_NEXT_HEADER] = '1';
  if (isWarmUp(req)) return false; // the server warming itself spends nobody's budget
  const route = matchApiRoute('GET', pathname)!;
  const decision = await limit(route.rateLimit.policy, `ip:${ip}`);
  annotate({
    'app.ratelimit.policy': route.rateLimit.policy,
    'app.ratelimit.outcome': decision.success ? 'allowed' : 'limited',
    'app.ratelimit.remaining': decision.remaining,
    'app.ratelimit.backend': decision.backend,
  });
  const headers = rateLimitHeaders(decision);
  if (decision.success) {
    for (const [name, value] of Object.entries(headers)) res.setHeader(name, value);
    return false;
  }
  const retryAfter = retryAfterSeconds(decision);
  writeJson(res, 429, rateLimitedBody(retryAfter), { ...headers, 'Retry-After': String(retryAfter) });
  return true;
}
