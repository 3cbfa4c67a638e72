import 'server-only';
// POST /api/telemetry/traces: spans from our pages (OTLP/JSON), checked and forwarded to the
// collector. Bounded in size and span count; ids and names validated; the service is forced to
// `jobboard-web` so a page cannot pose as the server. Forwarding is best effort with a short
// timeout; failures are logged once per episode and never retried by the browser.
import { z } from 'zod';
import { failureEpisode } from '../failure-episode';
import { getEnv } from '../env';
import { browserSpansTarget } from './config';

export const MAX_INTAKE_BYTES = 256 * 1024;
const MAX_SPANS = 1_000;

const span = z.looseObject({
  traceId: z.string().regex(/^[0-9a-f]{32}$/),
  spanId: z.string().regex(/^[0-9a-f]{16}$/),
  parentSpanId: z.string().regex(/^([0-9a-f]{16})?$/).optional(),
  name: z.string().min(1).max(256),
});
export const otlpTracesSchema = z.strictObject({
  resourceSpans: z
    .array(
      z.looseObject({
        resource: z.looseObject({ attributes: z.array(z.looseObject({ key: z.string() })).max(64).optional() }).optional(),
        scopeSpans: z.array(z.looseObject({ spans: z.array(span) })).max(32),
      }),
    )
    .max(16),
});
export type OtlpTraces = z.infer<typeof otlpTracesSchema>;

export function countSpans(payload: OtlpTraces): number {
  return payload.resourceSpans.reduce((sum, rs) => sum + rs.scopeSpans.reduce((inner, ss) => inner + ss.spans.length, 0), 0);
}

export function asBrowserService(payload: OtlpTraces): OtlpTraces {
  return {
    resourceSpans: payload.resourceSpans.map((rs) => ({
      ...rs,
      resource: {
        ...rs.resource,
        attributes: [
          ...(rs.resource?.attributes ?? []).filter((attribute) => attribute.key !== 'service.name'),
          { key: 'service.name', value: { stringValue: 'jobboard-web' } },
        ],
      },
    })),
  };
}

export function tooManySpans(payload: OtlpTraces): boolean {
  return countSpans(payload) > MAX_SPANS;
}

const forwarding = failureEpisode({
  failed: { event: 'browser_spans_forward_failed', message: 'forwarding browser spans is failing; dropping them' },
  recovered: { event: 'browser_spans_forward_recovered', message: 'forwarding browser spans works again' },
});

export async function forwardBrowserSpans(payload: OtlpTraces): Promise<boolean> {
  const target = browserSpansTarget(getEnv());
  if (!target) return false;
  try {
    const response = await fetch(target.url, {
      method: 'POST',
      headers: { ...(await target.headers()), 'Content-Type': 'application/json' },
      body: JSON.stringify(asBrowserService(payload)),
      signal: AbortSignal.timeout(Math.min(target.timeoutMs, 2_000)),
    });
    if (!response.ok) throw new Error(`collector answered ${response.status}`);
    forwarding.success();
    return true;
  } catch (error) {
    forwarding.failure({ error: (error as Error).message });
    return false;
  }
}
