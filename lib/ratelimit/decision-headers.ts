// What a rate-limit decision tells the client, the same wherever it is enforced (proxy.ts for
// writes and user-keyed routes, our server before Next for the per-IP reads): RateLimit-* on
// every limited route's answer, and the 429 body with Retry-After.
export type Decided = { success: boolean; limit: number; remaining: number; reset: number };

export function rateLimitHeaders(decision: Decided, now = Date.now()): Record<string, string> {
  return {
    'RateLimit-Limit': String(decision.limit),
    'RateLimit-Remaining': String(Math.max(0, decision.remaining)),
    'RateLimit-Reset': String(Math.max(0, Math.ceil((decision.reset - now) / 1000))),
  };
}

/** Seconds until the window lets the client in again (at least 1). */
export const retryAfterSeconds = (decision: Decided, now = Date.now()) => Math.max(1, Math.ceil((decision.reset - now) / 1000));

export function rateLimitedBody(retryAfter: number) {
  return { error: { code: 'rate_limited', message: `Too many requests. Try again in ${retryAfter} s.`, retryAfter } };
}
