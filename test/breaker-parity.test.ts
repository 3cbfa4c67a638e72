// The breaker-open fast path (lib/api/breaker-fast-path.ts) may only be faster than the routes,
// never different. Two built servers on the same Postgres (and the same auth secret), each behind
// its own fault proxy, one with the fast path and one without (BREAKER_FAST_PATH=false); the same
// last-known-good copies read into both; the database cut and both breakers open. Then every
// declared route × caller (anonymous, candidate, other candidate, employer, other employer) × body
// (valid, invalid) must get the same status, error code and degraded flag from both, including a
// signed-in write that the route refuses for its role (403) or its body (400) before it needs the
// database. Needs DATABASE_URL.
import { describe, expect, it } from 'vitest';
import { startBehindProxy } from './support/behind-proxy';
import { call, type Reply, type Session, signUp, validApplication, validJob } from './support/api';
import { API_ROUTES } from '../lib/http/api-routes';

const databaseUrl = process.env.DATABASE_URL;
const BREAKER = { BETTER_AUTH_SECRET: 'parity-test-secret-shared-by-both-servers', WARM_UP_MAX_MS: '1000', DB_TIMEOUT_MS: '500', DB_BREAKER_HALF_OPEN_AFTER_MS: '120000', DB_BREAKER_WINDOW_MS: '10000', DB_BREAKER_MIN_CALLS: '10', DB_RETRY_BASE_MS: '20' };
const UNKNOWN_JOB = '00000000-0000-7000-8000-000000000000';

type Who = 'anonymous' | 'candidate' | 'otherCandidate' | 'employer' | 'otherEmployer';
const WHO: Who[] = ['anonymous', 'candidate', 'otherCandidate', 'employer', 'otherEmployer'];

/** What must be the same from both: status, error code, degraded. Not Retry-After's seconds. */
const answer = (reply: Reply) => ({
  status: reply.status,
  code: reply.body?.error?.code ?? null,
  message: reply.body?.error?.message ?? null,
  fields: reply.body?.error?.fields ?? null,
  degraded: reply.body?.degraded ?? false,
});

describe.skipIf(!databaseUrl)('breaker-open fast path parity', () => {
  it('every route × caller × body gets the same answer with and without the fast path', async () => {
    const [withFastPath, withoutFastPath] = await Promise.all([
      startBehindProxy(databaseUrl!, BREAKER),
      startBehindProxy(databaseUrl!, { ...BREAKER, BREAKER_FAST_PATH: 'false' }),
    ]);
    try {
      const a = withFastPath.server.url;
      const b = withoutFastPath.server.url;
      const people: Record<Who, Session | null> = {
        anonymous: null,
        candidate: await signUp('candidate', {}, { baseUrl: a }),
        otherCandidate: await signUp('candidate', {}, { baseUrl: a }),
        employer: await signUp('employer', {}, { baseUrl: a }),
        otherEmployer: await signUp('employer', {}, { baseUrl: a }),
      };
      const created = await call('POST', '/api/jobs', { baseUrl: a, session: people.employer, json: validJob({ title: 'Parity test role' }) });
      expect(created.status).toBe(201);
      const openJob = created.body.job.id as string;
      const closed = await call('POST', '/api/jobs', { baseUrl: a, session: people.employer, json: validJob({ title: 'Parity test closed role' }) });
      const closedJob = closed.body.job.id as string;
      expect((await call('PATCH', `/api/jobs/${closedJob}`, { baseUrl: a, session: people.employer, json: { status: 'closed' } })).status).toBe(200);
      expect((await call('POST', `/api/jobs/${openJob}/applications`, { baseUrl: a, session: people.candidate, json: validApplication() })).status).toBe(201);

      // The same copies in both: the reads the fast path can answer from.
      const cachedReads = ['/api/jobs?limit=5', `/api/jobs/${openJob}`, `/api/jobs/${closedJob}`];
      for (const url of [a, b])
        for (const path of cachedReads)
          for (const who of WHO) await call('GET', path, { baseUrl: url, session: people[who] });

      // Cut the database; keep uncached reads coming until both breakers are open.
      await withFastPath.proxy.setMode({ kind: 'refuse' });
      await withoutFastPath.proxy.setMode({ kind: 'refuse' });
      for (const url of [a, b]) {
        const started = performance.now();
        for (let i = 0; !String((await call('GET', '/api/readyz', { baseUrl: url })).body.checks.circuit_breaker.detail).startsWith('open'); i++) {
          expect(performance.now() - started).toBeLessThan(30_000);
          await Promise.all(Array.from({ length: 4 }, (_, j) => call('GET', `/api/jobs?q=parity-${i}-${j}`, { baseUrl: url })));
        }
      }

      // Every declared route with a body or query that is valid and one that is not.
      const requests: { route: string; method: string; path: string; json?: unknown }[] = [
        { route: 'GET /api/jobs', method: 'GET', path: '/api/jobs?limit=5' },
        { route: 'GET /api/jobs', method: 'GET', path: '/api/jobs?q=never-read-before' },
        { route: 'GET /api/jobs', method: 'GET', path: '/api/jobs?limit=abc' },
        { route: 'GET /api/jobs/[id]', method: 'GET', path: `/api/jobs/${openJob}` },
        { route: 'GET /api/jobs/[id]', method: 'GET', path: `/api/jobs/${closedJob}` },
        { route: 'GET /api/jobs/[id]', method: 'GET', path: `/api/jobs/${UNKNOWN_JOB}` },
        { route: 'GET /api/jobs/[id]', method: 'GET', path: '/api/jobs/not-a-uuid' },
        { route: 'POST /api/jobs', method: 'POST', path: '/api/jobs', json: validJob() },
        { route: 'POST /api/jobs', method: 'POST', path: '/api/jobs', json: { title: 'x' } },
        { route: 'PATCH /api/jobs/[id]', method: 'PATCH', path: `/api/jobs/${openJob}`, json: { title: 'Edited while down' } },
        { route: 'PATCH /api/jobs/[id]', method: 'PATCH', path: `/api/jobs/${openJob}`, json: { salaryMin: 'lots' } },
        { route: 'GET /api/jobs/[id]/applications', method: 'GET', path: `/api/jobs/${openJob}/applications` },
        { route: 'POST /api/jobs/[id]/applications', method: 'POST', path: `/api/jobs/${openJob}/applications`, json: validApplication() },
        { route: 'POST /api/jobs/[id]/applications', method: 'POST', path: `/api/jobs/${openJob}/applications`, json: { coverLetter: 'short' } },
        { route: 'GET /api/me/applications', method: 'GET', path: '/api/me/applications' },
      ];
      // Every business route of the table is in the list above (the auth and probe routes have their own tests).
      const covered = new Set(requests.map((request) => request.route));
      for (const route of API_ROUTES.filter((r) => r.operation && !r.path.startsWith('/api/auth/'))) expect(covered).toContain(`${route.method} ${route.path}`);

      const differences: string[] = [];
      let fastAnswers = 0;
      let refusedBeforeTheDatabase = 0;
      for (const request of requests)
        for (const who of WHO) {
          const options = { session: people[who], json: request.json };
          const [fast, route] = [await call(request.method, request.path, { ...options, baseUrl: a }), await call(request.method, request.path, { ...options, baseUrl: b })];
          const byFastPath = fast.headers.get('ratelimit-limit') === null && route.headers.get('ratelimit-limit') !== null; // answered before the limiter
          if (byFastPath) fastAnswers++;
          const label = `${request.method} ${request.path} ${JSON.stringify(request.json ?? null).slice(0, 30)} as ${who}`;
          const [f, r] = [answer(fast), answer(route)];
          if (byFastPath && (f.status === 403 || f.status === 400)) refusedBeforeTheDatabase++;
          if (JSON.stringify(f) !== JSON.stringify(r)) differences.push(`${label}: fast path ${JSON.stringify(f)}, route ${JSON.stringify(r)}`);
        }
      expect(differences).toEqual([]);
      // The comparison is only worth something if the fast path answered some of them itself,
      // writes refused for the caller's role or body among them.
      expect(fastAnswers).toBeGreaterThanOrEqual(10);
      expect(refusedBeforeTheDatabase).toBeGreaterThanOrEqual(10);
      console.log(`[measured] parity: ${requests.length * WHO.length} requests, ${fastAnswers} answered by the fast path (${refusedBeforeTheDatabase} signed-in writes refused 403 or 400 before the database), 0 differences`);
    } finally {
      await withFastPath.server.stop();
      await withoutFastPath.server.stop();
      await withFastPath.proxy.close();
      await withoutFastPath.proxy.close();
    }
  }, 180_000);
});
