// Production answers probes in server.ts before Next (lib/lifecycle/probe-handler.ts); these
// routes serve the same reports under `next dev`.
import { jsonResponse } from '@/lib/http/json-response';
import { livenessReport } from '@/lib/lifecycle/probes';

export const dynamic = 'force-dynamic';

export function GET() {
  return jsonResponse(livenessReport());
}
