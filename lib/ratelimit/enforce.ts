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
import { hasSessionCookie } from '../auth/session-cookie';
import { isWarmUpRequest } from '../lifecycle/warm-up';
import { getEnv } from '../env';
import { annotate, withOperation } from '../telemetry/operation';
import { CLIENT_IP_REQUEST_HEADER } from './client-ip';
import { limit } from './limiter';
import type { PolicyName } from './policies';

type Rule = { policy: PolicyName; key: string; operation?: string };

const hash = (value: string) => createHash('sha256').update(value).digest('hex').slice(0, 32);

async function signedInUserId(request: NextRequest): Promise<string | null> {
  const env = getEnv();
  const cached = await getCookieCache(request, { secret: env.BETTER_AUTH_SECRET, isSecure: env.APP_URL.startsWith('https://') }).catch(() => null);
  const cachedUserId = (cached as { user?: { id?: unknown } } | null)?.user?.id;
  if (typeof cachedUserId === 'string') return cachedUserId;
  if (!hasSessionCookie(request.headers.get('cookie'))) return null;
  const session = await auth.api.getSession({ headers: request.headers }).catch(() => null);
  return session?.user.id ?? null;
}

async function signInEmail(request: NextRequest): Promise<string> {
  if (Number(request.headers.get('content-length') ?? '0') > MAX_BODY_BYTES) return '';
  const body = (await request.clone().json().catch(() => null)) as { email?: unknown } | null;
  return typeof body?.email === 'string' ? body.email.trim().toLowerCase() : '';
}

export async function ruleFor(request: NextRequest, ip: string): Promise<Rule> {
  const { pathname } = request.nextUrl;
  if (request.method === 'POST') {
    if (/^\/api\/jobs\/[^/]+\/applications\/?$/.test(pathname)) {
      const user = await signedInUserId(request);
      if (user) return { policy: 'apply', key: `user:${user}`, operation: 'createApplication' };
    } else if (pathname === '/api/jobs') {
      const user = await signedInUserId(request);
      if (user) return { policy: 'post-job', key: `user:${user}`, operation: 'createJob' };
    } else if (pathname === '/api/auth/sign-in/email') {
      return { policy: 'sign-in', key: `${hash(await signInEmail(request))}:${ip}`, operation: 'signIn' };
    } else if (pathname === '/api/auth/sign-up/email') {
      return { policy: 'sign-up', key: `ip:${ip}`, operation: 'signUp' };
    }
  }
  return { policy: 'api', key: `ip:${ip}` };
}

function rateLimitHeaders(decision: { limit: number; remaining: number; reset: number }) {
  return {
    'RateLimit-Limit': String(decision.limit),
    'RateLimit-Remaining': String(Math.max(0, decision.remaining)),
    'RateLimit-Reset': String(Math.max(0, Math.ceil((decision.reset - Date.now()) / 1000))),
  };
}

export async function enforceRateLimits(request: NextRequest): Promise<NextResponse> {
  if (isWarmUpRequest(request.headers)) return NextResponse.next(); // the server warming itself
  const ip = request.headers.get(CLIENT_IP_REQUEST_HEADER) ?? 'unknown';
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
  const retryAfter = Math.max(1, Math.ceil((decision.reset - Date.now()) / 1000));
  const reject = async () =>
    NextResponse.json(
      { error: { code: 'rate_limited', message: `Too many requests. Try again in ${retryAfter} s.`, retryAfter } },
      { status: 429, headers: { ...headers, 'Retry-After': String(retryAfter), 'Cache-Control': 'no-store' } },
    );
  // The rejected operation still gets its business span, with app.outcome = rate_limited.
  return rule.operation ? withOperation(rule.operation, reject, 'rate_limited') : reject();
}
