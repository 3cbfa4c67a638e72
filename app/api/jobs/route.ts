import { parseOrThrow, readJson } from '@/lib/api/read-json';
import { apiRoute, json } from '@/lib/api/route';
import { declaredRoute } from '@/lib/http/api-routes';
import { requireRole } from '@/lib/auth/actor';
import { createJob } from '@/lib/jobs/create-job';
import { createOnce, idempotentRequest, REPLAYED_HEADER } from '@/lib/idempotency/create-once';
import { listOpenJobs } from '@/lib/jobs/list-jobs';
import { createJobSchema, listJobsQuerySchema, searchParamsToObject } from '@/lib/jobs/schemas';

export const dynamic = 'force-dynamic';

export const GET = apiRoute(
  declaredRoute('GET', '/api/jobs'),
  async ({ request }) => {
    const query = parseOrThrow(listJobsQuerySchema, searchParamsToObject(new URL(request.url).searchParams));
    const page = await listOpenJobs(query);
    return json(page, page.degraded ? { headers: { 'X-Degraded': 'db-unavailable' } } : {});
  },
);

const POST_JOB = declaredRoute('POST', '/api/jobs');

export const POST = apiRoute(POST_JOB, async ({ request, actor }) => {
  const employer = requireRole(actor, 'employer'); // 401/403 never depend on the payload
  const input = await readJson(request, createJobSchema);
  const keyed = idempotentRequest(request, employer.userId, POST_JOB, {}, input);
  const { body, replayed } = await createOnce(keyed, async (db) => ({ job: await createJob(actor, input, db) }));
  return json(body, { status: 201, headers: { Location: `/api/jobs/${body.job.id}`, ...(replayed ? { [REPLAYED_HEADER]: 'true' } : {}) } });
}, { success: 'created' });
