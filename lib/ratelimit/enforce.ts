import 'server-only';
// Decides, before any route runs, which policy a request falls under and whether it may
// proceed. Keys: the signed-in user (from better-auth's signed cookie cache — no database read;
// only without that cookie is the session looked up), an email hash with the client IP for
// sign-in, the client IP otherwise. Answers 429 with Retry-After and RateLimit-* headers, and puts
// RateLimit-* on allowed responses of limited routes too.
import { createHash } from 'node:crypto';
import { getCookieCache } from 'better-auth/cookies';
import { NextResponse, type NextRequest } from 'next/server';
import { MAX_BODY_BYTES } from '../api/read-json';
import { auth } from '../auth/auth';
import { hasSessionCookie, secureCookies } from '../auth/session-cookie';
import { matchApiRoute } from '../http/api-routes';
import { isWarmUpRequest } from '../http/warm-up-request';
import { getEnv } from '../env';
import { jsonResponse } from '../http/json-response';
import { annotate, withOperation } from '../telemetry/operation';
import { RATE_LIMIT_ADDRESS_HEADER } from './client-ip';
import { rateLimitedBody, rateLimitHeaders, retryAfterSeconds } from './decision-headers';
import { limit } from './limiter';
import type { PolicyName } from '../rate-limit-policies';

type Rule = { policy: PolicyName; key: string; operation?: string };

const hash = (value: string) => createHash('sha256').update(value).digest('hex').slice(0, 32);

async function signedInUserId(request: NextRequest): Promise<string | null> {
  const env = getEnv();
  const cached = await getCookieCache(request, { secret: env.BETTER_AUTH_SECRET, isSecure: secureCookies(env) }).catch(() => null);
  const cachedUserId = (cached as { user?: { id?: unknown } } | null)?.user?.id;
  if (typeof cachedUserId === 'string') return cachedUserId;
  if (!hasSessionCookie(request.headers.get('cookie'))) return null;
  const session = await auth().api.getSession({ headers: request.headers }).catch(() => null);
  return session?.user.id ?? null;
}

async function signInEmail(request: NextRequest): Promise<string> {
  if (Number(request.headers.get('content-length') ?? '0') > MAX_BODY_BYTES) return '';
  const body = (await request.clone().json().catch(() => null)) as { email?: unknown } | null;
  return typeof body?.email === 'string' ? body.email.trim().toLowerCase() : '';
}

/** The route's declared policy (lib/http/api-routes.ts) and the key it is counted by. */
export async function ruleFor(request: NextRequest, ip: string): Promise<Rule> {
  const route = matchApiRoute(request.method, request.nextUrl.pathname);
  const rateLimit = route?.rateLimit ?? { policy: 'api', key: 'ip' };
  const operation = route?.operation ?? undefined;
  switch (rateLimit.key) {
    case 'user': {
      // Not signed in: the route answers 401; the request counts against the client IP's `api` budget.
      const user = await signedInUserId(request);
      return user ? { policy: rateLimit.policy, key: `user:${user}`, operation } : { policy: 'api', key: `ip:${ip}` };
    }
    case 'email-and-ip':
      return { policy: rateLimit.policy, key: `${hash(await signInEmail(request))}:${ip}`, operation };
    case 'ip':
      return rateLimit.policy === 'api' ? { policy: 'api', key: `ip:${ip}` } : { policy: rateLimit.policy, key: `ip:${ip}`, operation };
  }
}

export async function enforceRateLimits(request: NextRequest): Promise<Response> {
  if (isWarmUpRequest(request.headers)) return NextResponse.next(); // the server warming itself
  const ip = request.headers.get(RATE_LIMIT_ADDRESS_HEADER) ?? 'unknown';
  const rule = await ruleFor(request, ip);
  const decision = await limit(rule.policy, rule.key);
  const headers = rateLimitHeaders(decision);
  annotate({
    'app.ratelimit.policy': rule.policy,
    'app.ratelimit.outcome': decision.success ? 'allowed' : 'limited',
    'app.ratelimit.remaining': decision.remaining,
    'app.ratelimit.backend': decision.backend,
  });
  if (decision.success) {
    const response = NextResponse.next();
    for (const [name, value] of Object.entries(headers)) response.headers.set(name, value);
    return response;
  }
  const retryAfter = retryAfterSeconds(decision);
  const reject = async () => jsonResponse(rateLimitedBody(retryAfter), { status: 429, headers: { ...headers, 'Retry-After': String(retryAfter) } });
  // The rejected operation still gets its business span, with app.outcome = rate_limited.
  return rule.operation ? withOperation(rule.operation, reject, 'rate_limited') : reject();
}
