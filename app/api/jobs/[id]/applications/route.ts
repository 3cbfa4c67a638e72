import { readJson } from '@/lib/api/read-json';
import { apiRoute, json } from '@/lib/api/route';
import { declaredRoute } from '@/lib/http/api-routes';
import { requireRole } from '@/lib/auth/actor';
import { createApplication } from '@/lib/applications/create-application';
import { listJobApplications } from '@/lib/applications/list-applications';
import { applySchema } from '@/lib/applications/schemas';

export const dynamic = 'force-dynamic';
type Params = { id: string };

export const GET = apiRoute<Params>(
  declaredRoute('GET', '/api/jobs/[id]/applications'),
  async ({ actor, params }) => json({ applications: await listJobApplications(actor, params.id) }),
);

export const POST = apiRoute<Params>(declaredRoute('POST', '/api/jobs/[id]/applications'), async ({ request, actor, params }) => {
  // Who may apply is decided before the body is read: 401/403 never depend on the payload.
  requireRole(actor, 'candidate');
  const input = await readJson(request, applySchema);
  const application = await createApplication(actor, params.id, input);
  return json({ application }, { status: 201 });
}, { success: 'created' });
