// Production answers probes in server.ts before Next (lib/lifecycle/probe-handler.ts); these
// routes serve the same reports under `next dev`.
import { livenessReport } from '@/lib/lifecycle/probes';

export const dynamic = 'force-dynamic';

export function GET() {
  return Response.json(livenessReport(), { headers: { 'Cache-Control': 'no-store' } });
}
