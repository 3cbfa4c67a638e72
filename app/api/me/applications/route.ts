import { apiRoute, json } from '@/lib/api/route';
import { declaredRoute } from '@/lib/http/api-routes';
import { listMyApplications } from '@/lib/applications/list-applications';

export const dynamic = 'force-dynamic';

export const GET = apiRoute(declaredRoute('GET', '/api/me/applications'), async ({ actor }) => json({ applications: await listMyApplications(actor) }));
