// Every API route, declared once: what the handlers (lib/api/route.ts), the rate limits in
// proxy.ts (lib/ratelimit/enforce.ts), the breaker-open fast path (lib/api/breaker-fast-path.ts),
// warm-up (lib/lifecycle/warm-up.ts) and docs/api.md read. `api-routes.test.ts` fails when a route
// file under app/api is missing here, or a route here has no handler.
// Pure data, in the base layer, so that every layer above may read it.
import type { PolicyName } from '../rate-limit-policies';

export type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

/** Who may call it; anyone else gets 401 (not signed in) or 403 (wrong role) before the body is read. */
export type Caller = 'anyone' | 'signed-in' | 'candidate' | 'employer';

/**
 * The rate-limit policy (docs/rate-limiting.md) and what it is keyed by. `user` falls back to the
 * `api` policy keyed by client IP when the caller is not signed in (the route then answers 401).
 */
export type RateLimit = { policy: PolicyName; key: 'ip' | 'user' | 'email-and-ip' };

/**
 * The answer while the database is unavailable (breaker open, timeouts): `last-known-good` serves
 * the last copy marked `degraded: true` (503 if there is none); `unavailable` answers 503
 * `db_unavailable` with Retry-After, after the checks that need no database (401, 403, 400);
 * `no-database` never touches it.
 */
export type WhileDatabaseDown = 'last-known-good' | 'unavailable' | 'no-database';

/** Requests warm-up sends (lib/lifecycle/warm-up.ts); `[id]` becomes an open job's id. */
export type WarmUp = { query?: string; body?: string };

export type ApiRoute = {
  method: Method;
  /** Next's route template, as in app/api: `/api/jobs/[id]`. Also the metrics `http.route` label. */
  path: string;
  /** The business span (`app.operation`); null for routes that are not business operations. */
  operation: string | null;
  caller: Caller;
  rateLimit: RateLimit;
  whileDatabaseDown: WhileDatabaseDown;
  warmUp: WarmUp[];
  /**
   * `accepted`: a write that changes nothing (CSP reports) is answered whatever site sent it.
   * Absent: state-changing requests from another site are refused 403 (lib/http/same-origin.ts).
   */
  crossSite?: 'accepted';
};

const API = { policy: 'api', key: 'ip' } as const satisfies RateLimit;

export const API_ROUTES = [
  { method: 'GET', path: '/api/jobs', operation: 'listJobs', caller: 'anyone', rateLimit: API, whileDatabaseDown: 'last-known-good', warmUp: [{ query: 'limit=1' }, { query: 'limit=20&q=engineer' }] },
  { method: 'POST', path: '/api/jobs', operation: 'createJob', caller: 'employer', rateLimit: { policy: 'post-job', key: 'user' }, whileDatabaseDown: 'unavailable', warmUp: [{ body: '{}' }] },
  { method: 'GET', path: '/api/jobs/[id]', operation: 'getJob', caller: 'anyone', rateLimit: API, whileDatabaseDown: 'last-known-good', warmUp: [{}] },
  { method: 'PATCH', path: '/api/jobs/[id]', operation: 'updateJob', caller: 'employer', rateLimit: API, whileDatabaseDown: 'unavailable', warmUp: [] },
  { method: 'GET', path: '/api/jobs/[id]/applications', operation: 'listJobApplications', caller: 'employer', rateLimit: API, whileDatabaseDown: 'unavailable', warmUp: [] },
  { method: 'POST', path: '/api/jobs/[id]/applications', operation: 'createApplication', caller: 'candidate', rateLimit: { policy: 'apply', key: 'user' }, whileDatabaseDown: 'unavailable', warmUp: [{ body: '{}' }] },
  { method: 'GET', path: '/api/me/applications', operation: 'listMyApplications', caller: 'signed-in', rateLimit: API, whileDatabaseDown: 'unavailable', warmUp: [{}] },
  { method: 'POST', path: '/api/auth/sign-in/email', operation: 'signIn', caller: 'anyone', rateLimit: { policy: 'sign-in', key: 'email-and-ip' }, whileDatabaseDown: 'unavailable', warmUp: [{ body: '{}' }] },
  { method: 'POST', path: '/api/auth/sign-up/email', operation: 'signUp', caller: 'anyone', rateLimit: { policy: 'sign-up', key: 'ip' }, whileDatabaseDown: 'unavailable', warmUp: [{ body: '{}' }] },
  // better-auth's other endpoints (get-session, sign-out, …).
  { method: 'GET', path: '/api/auth/[...all]', operation: null, caller: 'anyone', rateLimit: API, whileDatabaseDown: 'unavailable', warmUp: [] },
  { method: 'POST', path: '/api/auth/[...all]', operation: null, caller: 'anyone', rateLimit: API, whileDatabaseDown: 'unavailable', warmUp: [] },
  { method: 'POST', path: '/api/telemetry/traces', operation: null, caller: 'anyone', rateLimit: API, whileDatabaseDown: 'no-database', warmUp: [] },
  // CSP violation reports from our pages (lib/api/csp-report.ts): they change nothing, and browsers send them as they please.
  { method: 'POST', path: '/api/csp-reports', operation: null, caller: 'anyone', rateLimit: API, whileDatabaseDown: 'no-database', warmUp: [], crossSite: 'accepted' },
  // Answered by our server before Next (lib/lifecycle/probe-handler.ts); these handlers serve `next dev`.
  { method: 'GET', path: '/api/healthz', operation: null, caller: 'anyone', rateLimit: API, whileDatabaseDown: 'no-database', warmUp: [] },
  { method: 'GET', path: '/api/readyz', operation: null, caller: 'anyone', rateLimit: API, whileDatabaseDown: 'no-database', warmUp: [] },
  // Every other /api path: the JSON 404 (not Next's HTML one).
  ...(['GET', 'POST', 'PUT', 'PATCH', 'DELETE'] as const).map((method) => ({
    method,
    path: '/api/[...path]',
    operation: null,
    caller: 'anyone' as const,
    rateLimit: API,
    whileDatabaseDown: 'no-database' as const,
    warmUp: [],
  })),
] as const satisfies readonly ApiRoute[];

/** The route file Next serves a template from: `/api/jobs/[id]` → `app/api/jobs/[id]/route.ts`. */
export const routeFile = (route: Pick<ApiRoute, 'path'>) => `app${route.path}/route.ts`;

// Specific before catch-all, as Next matches: a static segment beats `[id]`, which beats `[...rest]`.
const segmentRank = (segment: string) => (segment.startsWith('[...') ? 2 : segment.startsWith('[') ? 1 : 0);
const byPrecedence = [...API_ROUTES].sort((a, b) => {
  const as = a.path.split('/');
  const bs = b.path.split('/');
  for (let i = 0; i < Math.min(as.length, bs.length); i++) {
    const diff = segmentRank(as[i]!) - segmentRank(bs[i]!);
    if (diff !== 0) return diff;
  }
  return bs.length - as.length;
});

const templates = new Map(API_ROUTES.map((route) => [route.path, route.path.split('/')]));

function matches(template: string, have: string[]): boolean {
  const want = templates.get(template)!;
  for (let i = 0; i < want.length; i++) {
    const segment = want[i]!;
    if (segment.startsWith('[...')) return have.length > i;
    if (i >= have.length) return false;
    if (segment.startsWith('[')) {
      if (have[i] === '') return false;
    } else if (segment !== have[i]) return false;
  }
  return have.length === want.length;
}

/**
 * The declaration a request falls under (a path without its query string). A loop, not
 * `find` with a callback: a callback made on every call lost its optimised code at every full GC and
 * was compiled again ~every 1.3 s under load (docs/performance.md, item 29).
 */
export function matchApiRoute(method: string, pathname: string): ApiRoute | undefined {
  const have = (pathname.length > 1 ? pathname.replace(/\/$/, '') : pathname).split('/');
  for (const route of byPrecedence) if (route.method === method && matches(route.path, have)) return route;
  return undefined;
}

/** The declaration of one route, by method and template; throws on a typo (at module load). */
export function declaredRoute(method: Method, path: string): ApiRoute {
  const route = API_ROUTES.find((candidate) => candidate.method === method && candidate.path === path);
  if (!route) throw new Error(`no API route ${method} ${path} in lib/http/api-routes.ts`);
  return route;
}
