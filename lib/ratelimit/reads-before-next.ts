// The per-IP limit of the API's reads, enforced by our server before Next (server.ts), from the
// same declaration proxy.ts enforces the rest by (lib/http/api-routes.ts). Running proxy.ts cost
// 1.36 ms of CPU per read, limiter included, against 2.01 ms for a whole bare route handler
// (docs/performance.md, docs/decisions/012-reads-limited-before-next.md); a read limited here carries an internal
// header that proxy.ts's matcher skips, so Next never runs the proxy for it. Writes and
// user-keyed routes still go through proxy.ts. Free of `server-only`: server.ts runs outside
// React's server condition.
import type http from 'node:http';
import { type ApiRoute, matchApiRoute } from '../http/api-routes';
import { isWarmUpRequest } from '../http/warm-up-request';
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

/**
 * The declaration of a read (GET, HEAD) this server limits before Next: an API route whose limit
 * is per client IP. Undefined for everything else, which goes through proxy.ts.
 */
export function readLimitedBeforeNext(method: string, pathname: string): ApiRoute | undefined {
  if (method !== 'GET' && method !== 'HEAD') return undefined;
  if (!pathname.startsWith('/api/')) return undefined;
  const route = matchApiRoute('GET', pathname);
  return route?.rateLimit.key === 'ip' ? route : undefined;
}

/**
 * For a read `readLimitedBeforeNext` returned `route` for: counts it against the client IP's
 * budget (`ip`, set by server.ts from trusted sources only), and either answers 429 (true:
 * answered) or marks it for Next with the RateLimit-* headers already on the response (false: carry on).
 */
export async function limitReadBeforeNext(req: http.IncomingMessage, res: http.ServerResponse, route: ApiRoute, ip: string): Promise<boolean> {
  req.headers[LIMITED_BEFORE_NEXT_HEADER] = '1';
  if (isWarmUpRequest(req.headers)) return false; // the server warming itself spends nobody's budget
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
