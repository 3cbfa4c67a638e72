// The browser tracer: document load, fetch (same-origin calls carry traceparent), and the spans
// that tracedClick() opens. Spans go to our own /api/telemetry/traces, which forwards them to
// the collector. Loaded lazily by app/components/browser-tracing.tsx, only when exporting is on.
import { DocumentLoadInstrumentation } from '@opentelemetry/instrumentation-document-load';
import { FetchInstrumentation } from '@opentelemetry/instrumentation-fetch';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { registerInstrumentations } from '@opentelemetry/instrumentation';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BatchSpanProcessor, WebTracerProvider } from '@opentelemetry/sdk-trace-web';

let provider: WebTracerProvider | undefined;

export function startBrowserTracing(version: string) {
  if (provider || typeof window === 'undefined') return;
  const exporter = new OTLPTraceExporter({ url: `${window.location.origin}/api/telemetry/traces` });
  provider = new WebTracerProvider({
    resource: resourceFromAttributes({ 'service.name': 'jobboard-web', 'service.version': version }),
    spanProcessors: [new BatchSpanProcessor(exporter, { maxQueueSize: 512, maxExportBatchSize: 128, scheduledDelayMillis: 500 })],
  });
  provider.register();
  registerInstrumentations({
    tracerProvider: provider,
    instrumentations: [
      new DocumentLoadInstrumentation(),
      new FetchInstrumentation({ ignoreUrls: [/\/api\/telemetry\/traces/], clearTimingResources: true }),
    ],
  });
  // Send what is queued before the page goes away.
  window.addEventListener('pagehide', () => void provider?.forceFlush());
}
