import { apiRoute, json } from '@/lib/api/route';
import { listMyApplications } from '@/lib/applications/list-applications';

export const dynamic = 'force-dynamic';

export const GET = apiRoute('/api/me/applications', async ({ actor }) => json({ applications: await listMyApplications(actor) }), {
  operation: 'listMyApplications',
});
