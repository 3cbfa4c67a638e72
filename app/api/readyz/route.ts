import { jsonResponse } from '@/lib/http/json-response';
import { readinessReport } from '@/lib/lifecycle/probes';

export const dynamic = 'force-dynamic';

export async function GET() {
  const report = await readinessReport();
  return jsonResponse(report, { status: report.status === 'ready' ? 200 : 503 });
}
