import { readJson } from '@/lib/api/read-json';
import { apiRoute, json } from '@/lib/api/route';
import { declaredRoute } from '@/lib/http/api-routes';
import { requireRole } from '@/lib/auth/actor';
import { createApplication } from '@/lib/applications/create-application';
import { listJobApplications } from '@/lib/applications/list-applications';
import { applySchema } from '@/lib/applications/schemas';
import { createOnce, idempotentRequest, REPLAYED_HEADER } from '@/lib/idempotency/create-once';

export const dynamic = 'force-dynamic';
type Params = { id: string };

export const GET = apiRoute<Params>(
  declaredRoute('GET', '/api/jobs/[id]/applications'),
  async ({ actor, params }) => json({ applications: await listJobApplications(actor, params.id) }),
);

const APPLY = declaredRoute('POST', '/api/jobs/[id]/applications');

export const POST = apiRoute<Params>(APPLY, async ({ request, actor, params }) => {
  // Who may apply is decided before the body is read: 401/403 never depend on the payload.
  const candidate = requireRole(actor, 'candidate');
  const input = await readJson(request, applySchema);
  const keyed = idempotentRequest(request, candidate.userId, APPLY, params, input);
  const { body, replayed } = await createOnce(keyed, async (db) => ({ application: await createApplication(actor, params.id, input, db) }));
  return json(body, { status: 201, headers: replayed ? { [REPLAYED_HEADER]: 'true' } : {} });
}, { success: 'created' });
