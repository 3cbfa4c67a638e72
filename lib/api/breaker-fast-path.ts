// While the circuit breaker is refusing database calls (open, its half-open probe not yet due),
// some answers are known without running any route, so our server gives them without entering
// Next (whose routing and rendering cost several ms per request on a small machine). Which, is read
// from the route table (lib/http/api-routes.ts, `whileDatabaseDown`):
//   `last-known-good` reads — GET /api/jobs?… and GET /api/jobs/:id → the last-known-good copy,
//     `degraded: true` (or a 503 if none);
//   `unavailable` writes from a client with a session cookie → what the route answers before it
//     needs the database, in the route's order: the caller's role from the signed session cookie
//     cache (403 for the wrong role), then the body (415, 413, 400 by the routes' own rules);
//     past those, 503 db_unavailable with Retry-After = seconds to the probe. Without a valid
//     cookie cache only the database knows the session, so the route would get a 503 there too.
// Same status, bodies, business spans, logs and metrics as the routes give in that state; the
// headers differ only in RateLimit-*, which these answers skip (they never reach the limiter).
// test/breaker-parity.test.ts compares every route × caller × body with the routes'. Everything
// else goes to Next: invalid queries (their 400), closed or unknown jobs, requests without a
// session cookie (their 401), reads that need the caller, and every request once the probe is
// due — the probe must reach the breaker.
import type http from 'node:http';
import type { z } from 'zod';
import { requireRole } from '../auth/actor';
import { actorFromCookieCache } from '../auth/cookie-cache';
import { hasSessionCookie, secureCookies } from '../auth/session-cookie';
import { applySchema } from '../applications/schemas';
import { getEnv } from '../env';
import { DomainError } from '../errors';
import { type ApiRoute, matchApiRoute } from '../http/api-routes';
import { writeJson } from '../http/write-json';
import { listCacheKey, jobCacheKey } from '../jobs/cache-keys';
import type { JobPage } from '../jobs/list-jobs';
import { type JobRow, toJobView } from '../jobs/job-view';
import { createJobSchema, listJobsQuerySchema, searchParamsToObject, updateJobSchema } from '../jobs/schemas';
import { annotate, annotateUser, withOperation } from '../telemetry/operation';
import { noteFallbackServed, peekLastKnownGood } from '../resilience/fallback-cache';
import { recordDbRejection } from '../resilience/metrics';
import { DatabaseUnavailableError, dbPolicies } from '../resilience/policy';
import { unavailableResponse } from '../resilience/unavailable';
import { domainErrorBody, internalErrorBody } from './error-body';
import { readNodeJson } from './json-body';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function unavailable(res: http.ServerResponse, error: DatabaseUnavailableError) {
  recordDbRejection('circuit_open');
  const { status, body, headers } = unavailableResponse(error);
  writeJson(res, status, body, headers);
}

const circuitOpen = () => new DatabaseUnavailableError('circuit_open', dbPolicies().secondsUntilProbe());

// The body each write route reads (app/api/jobs/route.ts, [id]/route.ts, [id]/applications/route.ts).
const WRITE_BODIES: Record<string, z.ZodType> = { createJob: createJobSchema, updateJob: updateJobSchema, createApplication: applySchema };

/** A write answered as the route would answer it: inside its business span, the same checks in the same order. */
function answerWrite(req: http.IncomingMessage, res: http.ServerResponse, route: ApiRoute, operation: string, jobId: string | undefined): true {
  const env = getEnv();
  void withOperation(operation, async () => {
    if (jobId) annotate({ 'app.job.id': jobId });
    const headers = new Headers({ cookie: req.headers.cookie ?? '' });
    const actor = await actorFromCookieCache(headers, { secret: env.BETTER_AUTH_SECRET, secure: secureCookies(env) });
    if (actor) {
      annotateUser(actor.userId);
      if (route.caller === 'employer' || route.caller === 'candidate') requireRole(actor, route.caller);
      const schema = WRITE_BODIES[operation];
      if (schema) await readNodeJson(req, schema);
    }
    throw circuitOpen(); // the domain call (or, without a cached session, the session lookup) needs the database
  }).catch((error: unknown) => {
    if (error instanceof DomainError) {
      const { status, body } = domainErrorBody(error);
      writeJson(res, status, body);
    } else if (error instanceof DatabaseUnavailableError) unavailable(res, error);
    else if (!res.headersSent && !res.destroyed) {
      const { status, body } = internalErrorBody(route.path, error); // as the routes' mapping answers it
      writeJson(res, status, body);
    }
  });
  return true;
}

/** The last-known-good copy as the operation's degraded answer, or a 503 when there is none. */
function serveCopy<T>(res: http.ServerResponse, operation: string, key: string, toBody: (copy: T) => object | null): boolean {
  const copy = peekLastKnownGood<T>(key);
  const body = copy ? toBody(copy.value) : undefined;
  if (body === null) return false; // e.g. a closed job: Next decides who may see it
  void withOperation(
    operation,
    async () => {
      if (!copy || !body) throw circuitOpen();
      noteFallbackServed(operation, copy, 'circuit_open');
      writeJson(res, 200, { ...body, degraded: true }, { 'X-Degraded': 'db-unavailable' });
    },
    'degraded',
  ).catch((error: DatabaseUnavailableError) => unavailable(res, error));
  return true;
}

/** Returns true when the request has been answered here. */
export function answerWhileBreakerOpen(req: http.IncomingMessage, res: http.ServerResponse): boolean {
  const url = req.url ?? '/';
  if (!url.startsWith('/api/jobs') || !dbPolicies().refusingCalls()) return false;
  const queryAt = url.indexOf('?');
  const pathname = queryAt === -1 ? url : url.slice(0, queryAt);
  if (pathname.endsWith('/')) return false; // Next redirects these (308)
  const route = matchApiRoute(req.method ?? 'GET', pathname);
  if (!route?.operation) return false;
  if (route.whileDatabaseDown === 'unavailable' && route.method !== 'GET') {
    return hasSessionCookie(req.headers.cookie) ? answerWrite(req, res, route, route.operation, route.path.includes('[id]') ? pathname.split('/')[3] : undefined) : false;
  }
  if (route.whileDatabaseDown !== 'last-known-good') return false;

  if (route.operation === 'listJobs') {
    const query = listJobsQuerySchema.safeParse(searchParamsToObject(new URLSearchParams(queryAt === -1 ? '' : url.slice(queryAt + 1))));
    if (!query.success) return false;
    return serveCopy<JobPage>(res, 'listJobs', listCacheKey(query.data), (page) => page);
  }
  if (route.operation === 'getJob') {
    const id = pathname.split('/')[3]!;
    if (!UUID.test(id)) return false; // the route's 404, without the database
    return serveCopy<JobRow | null>(res, 'getJob', jobCacheKey(id), (job) => (job && job.status === 'open' ? { job: toJobView(job) } : null));
  }
  return false;
}
