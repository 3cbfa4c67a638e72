import { readJson } from '@/lib/api/read-json';
import { apiRoute, json } from '@/lib/api/route';
import { declaredRoute } from '@/lib/http/api-routes';
import { requireRole } from '@/lib/auth/actor';
import { getJob } from '@/lib/jobs/get-job';
import { updateJobSchema } from '@/lib/jobs/schemas';
import { updateJob } from '@/lib/jobs/update-job';

export const dynamic = 'force-dynamic';
type Params = { id: string };

export const GET = apiRoute<Params>(
  declaredRoute('GET', '/api/jobs/[id]'),
  async ({ actor, params }) => {
    const { job, degraded } = await getJob(params.id, actor);
    return degraded ? json({ job, degraded: true }, { headers: { 'X-Degraded': 'db-unavailable' } }) : json({ job });
  },
);

export const PATCH = apiRoute<Params>(declaredRoute('PATCH', '/api/jobs/[id]'), async ({ request, actor, params }) => {
  requireRole(actor, 'employer'); // 401/403 never depend on the payload
  const input = await readJson(request, updateJobSchema);
  return json({ job: await updateJob(actor, params.id, input) });
});
