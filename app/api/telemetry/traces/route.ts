import { readJsonWithLimit } from '@/lib/api/read-json';
import { apiRoute, json } from '@/lib/api/route';
import { declaredRoute } from '@/lib/http/api-routes';
import { DomainError } from '@/lib/errors';
import { countSpans, forwardBrowserSpans, MAX_INTAKE_BYTES, otlpTracesSchema, tooManySpans } from '@/lib/telemetry/browser-intake';

export const dynamic = 'force-dynamic';

export const POST = apiRoute(declaredRoute('POST', '/api/telemetry/traces'), async ({ request }) => {
  const payload = await readJsonWithLimit(request, otlpTracesSchema, MAX_INTAKE_BYTES);
  if (tooManySpans(payload)) throw new DomainError('payload_too_large', 'At most 1,000 spans per request.');
  const forwarded = await forwardBrowserSpans(payload);
  return json({ accepted: countSpans(payload), forwarded }, { status: 202 });
});
