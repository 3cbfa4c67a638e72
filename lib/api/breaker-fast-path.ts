// While the circuit breaker is refusing database calls (open, its half-open probe not yet due),
// the answers to the hot database paths are already known, so our server gives them without
// entering Next (whose routing and rendering cost several ms per request on a small machine):
//   GET  /api/jobs?…             → the last-known-good page, `degraded: true` (or a 503 if none)
//   GET  /api/jobs/:id           → the last-known-good open job, `degraded: true` (or a 503 if none)
//   POST /api/jobs, PATCH /api/jobs/:id, POST /api/jobs/:id/applications, from a signed-in
//   client                       → 503 db_unavailable with Retry-After = seconds to the probe
// Same status, bodies, business spans, logs and metrics as the routes give in that state; the
// headers differ only in RateLimit-*, which these answers skip (they never reach the limiter).
// Everything else goes to Next as usual: invalid queries (their 400), closed or unknown jobs,
// requests without a session cookie (their 401), sign-up/sign-in (their own rate limits and
// validation), and every request once the probe is due — the probe must reach the breaker.
import type http from 'node:http';
import { hasSessionCookie } from '../auth/session-cookie';
import { writeJson } from '../http/write-json';
import { listCacheKey, jobCacheKey } from '../jobs/cache-keys';
import type { JobPage } from '../jobs/list-jobs';
import { type JobRow, toJobView } from '../jobs/job-view';
import { listJobsQuerySchema, searchParamsToObject } from '../jobs/schemas';
import { withOperation } from '../telemetry/operation';
import { noteFallbackServed, peekLastKnownGood } from './fallback-cache';
import { recordDbRejection } from './metrics';
import { DatabaseUnavailableError, dbPolicies } from './policy';
import { unavailableResponse } from './unavailable';

const JOB_PATH = /^\/api\/jobs\/([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})\/?$/i;
const APPLY_PATH = /^\/api\/jobs\/[^/]+\/applications\/?$/;

function unavailable(res: http.ServerResponse, error: DatabaseUnavailableError) {
  recordDbRejection('circuit_open');
  const { status, body, headers } = unavailableResponse(error);
  writeJson(res, status, body, headers);
}

const circuitOpen = () => new DatabaseUnavailableError('circuit_open', dbPolicies().secondsUntilProbe());

/** A write refused as the route would refuse it: inside its business span, outcome error. */
function refuse(res: http.ServerResponse, operation: string): true {
  const error = circuitOpen();
  void withOperation(operation, () => Promise.reject(error)).catch(() => unavailable(res, error));
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

  if (req.method === 'GET') {
    if (pathname === '/api/jobs' || pathname === '/api/jobs/') {
      const query = listJobsQuerySchema.safeParse(searchParamsToObject(new URLSearchParams(queryAt === -1 ? '' : url.slice(queryAt + 1))));
      if (!query.success) return false;
      return serveCopy<JobPage>(res, 'listJobs', listCacheKey(query.data), (page) => page);
    }
    const id = JOB_PATH.exec(pathname)?.[1];
    if (!id) return false;
    return serveCopy<JobRow | null>(res, 'getJob', jobCacheKey(id), (job) => (job && job.status === 'open' ? { job: toJobView(job) } : null));
  }

  if (!hasSessionCookie(req.headers.cookie)) return false;
  if (req.method === 'POST' && (pathname === '/api/jobs' || pathname === '/api/jobs/')) return refuse(res, 'createJob');
  if (req.method === 'POST' && APPLY_PATH.test(pathname)) return refuse(res, 'createApplication');
  if (req.method === 'PATCH' && JOB_PATH.test(pathname)) return refuse(res, 'updateJob');
  return false;
}
