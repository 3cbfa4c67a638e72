import { parseOrThrow, readJson } from '@/lib/api/read-json';
import { apiRoute, json } from '@/lib/api/route';
import { declaredRoute } from '@/lib/http/api-routes';
import { requireRole } from '@/lib/auth/actor';
import { createJob } from '@/lib/jobs/create-job';
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

export const POST = apiRoute(declaredRoute('POST', '/api/jobs'), async ({ request, actor }) => {
  requireRole(actor, 'employer'); // 401/403 never depend on the payload
  const input = await readJson(request, createJobSchema);
  const job = await createJob(actor, input);
  return json({ job }, { status: 201, headers: { Location: `/api/jobs/${job.id}` } });
}, { success: 'created' });
