// Where browsers send CSP violation reports (the page policy's report-uri): logged, never stored.
import { operationRoute } from '@/lib/api/route';
import { readCspReport } from '@/lib/api/csp-report';
import { declaredRoute } from '@/lib/http/api-routes';
import { logger } from '@/lib/logger';

export const dynamic = 'force-dynamic';

export const POST = operationRoute(declaredRoute('POST', '/api/csp-reports'), async (request) => {
  for (const violation of await readCspReport(request)) logger.warn({ event: 'csp_violation', ...violation }, `CSP blocked ${violation.blocked} (${violation.directive})`);
  return new Response(null, { status: 204, headers: { 'Cache-Control': 'no-store' } });
});
