// Starts OpenTelemetry once per process: traces (W3C propagation, OTLP export when an endpoint
// is configured), metrics (Prometheus text format, served by our server), Prisma and fetch
// instrumentation. Both need no module patching, so start order is not delicate. Called from
// server.ts before Next starts, and from instrumentation.ts register() (a no-op if started).
import Module from 'node:module';
import { metrics } from '@opentelemetry/api';
import { setGlobalErrorHandler } from '@opentelemetry/core';
import { OTLPTraceExporter as OTLPJsonExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { OTLPTraceExporter as OTLPProtoExporter } from '@opentelemetry/exporter-trace-otlp-proto';
import { PrometheusExporter } from '@opentelemetry/exporter-prometheus';
import { type Instrumentation, registerInstrumentations } from '@opentelemetry/instrumentation';
import { UndiciInstrumentation } from '@opentelemetry/instrumentation-undici';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { MeterProvider } from '@opentelemetry/sdk-metrics';
import { BatchSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { NodeTracerProvider } from '@opentelemetry/sdk-trace-node';
import { PrismaInstrumentation } from '@prisma/instrumentation';
import { getEnv } from '../env';
import { logger } from '../logger';
import { peekProcessSingleton, processSingleton } from '../process-singleton';
import { appVersion } from '../version';
import { telemetryConfig } from './config';
import { EpisodeLoggingExporter } from './episode-exporter';
import { initMetrics } from './metrics';
import { QuietLeavesSampler, samplerFromEnv } from './sampler';

export type Telemetry = {
  prometheus: PrometheusExporter;
  exporting: boolean;
  /** Flushes spans still queued, then stops both providers (a shutdown hook, registered in server.ts). */
  shutdown: () => Promise<void>;
};

export function telemetry(): Telemetry | null {
  return peekProcessSingleton<Telemetry | null>('telemetry') ?? null;
}

/**
 * Constructs instrumentations that patch no module — undici's listens on diagnostics_channel,
 * Prisma's sets a global tracing helper — without the require-in-the-middle hook their base class
 * installs anyway on first construction. That hook then runs on every require() for the life of
 * the process, cache hits included, and Next calls require() many times per request: it showed
 * up in CPU profiles under load and is gone without the hook (docs/observability.md). An
 * instrumentation that does patch modules would silently stop working here, so that is refused
 * at start-up.
 */
export function withoutRequireHook(create: () => Instrumentation[]): Instrumentation[] {
  const plainRequire = Module.prototype.require;
  const instrumentations = create();
  Module.prototype.require = plainRequire;
  for (const instrumentation of instrumentations) {
    const patches = (instrumentation as { getModuleDefinitions?: () => { patch?: unknown; files?: unknown[] }[] }).getModuleDefinitions?.() ?? [];
    if (patches.some((definition) => definition.patch || definition.files?.length)) {
      throw new Error(`${instrumentation.instrumentationName} patches modules: it needs the require hook that withoutRequireHook removes`);
    }
  }
  return instrumentations;
}

export function startTelemetry(): Telemetry | null {
  return processSingleton('telemetry', createTelemetry);
}

function createTelemetry(): Telemetry | null {
  const config = telemetryConfig();
  if (config.disabled) {
    logger.info({ event: 'telemetry_disabled' }, 'OTEL_SDK_DISABLED=true: no traces, no metrics');
    return null;
  }
  const resource = resourceFromAttributes({
    'service.name': config.serviceName,
    'service.version': appVersion(),
    'deployment.environment.name': getEnv().APP_ENV,
  });

  const spanProcessors = [];
  if (config.tracesEndpoint) {
    const options = { url: config.tracesEndpoint, headers: config.headers, timeoutMillis: config.timeoutMs };
    const exporter = config.protocol === 'http/json' ? new OTLPJsonExporter(options) : new OTLPProtoExporter(options);
    // Bounded: at most 4,096 spans wait; past that new spans are dropped, never requests slowed.
    spanProcessors.push(
      new BatchSpanProcessor(new EpisodeLoggingExporter(exporter), { maxQueueSize: 4096, maxExportBatchSize: 1024, scheduledDelayMillis: 250, exportTimeoutMillis: config.timeoutMs }),
    );
  }
  const sampler = new QuietLeavesSampler(samplerFromEnv());
  const tracerProvider = new NodeTracerProvider({ resource, spanProcessors, sampler });
  tracerProvider.register();

  const prometheus = new PrometheusExporter({ preventServerStart: true });
  const meterProvider = new MeterProvider({ resource, readers: [prometheus] });
  metrics.setGlobalMeterProvider(meterProvider);

  const collector = config.tracesEndpoint ? new URL(config.tracesEndpoint).origin : null;
  const instrumentations = withoutRequireHook(() => [
    // Outgoing fetch (Upstash and anything else): child spans that carry traceparent. Our own
    // forwarding of browser spans to the collector is not traced.
    new UndiciInstrumentation({ ignoreRequestHook: (request) => collector !== null && request.origin === collector }),
    // Query and operation spans; serialisation/compilation/connect steps are noise at 100 %.
    new PrismaInstrumentation({ ignoreSpanTypes: ['prisma:client:serialize', 'prisma:client:compile', 'prisma:client:connect'] }),
  ]);
  registerInstrumentations({ tracerProvider, meterProvider, instrumentations });
  // Export errors are reported once per episode by EpisodeLoggingExporter; keep the SDK quiet.
  setGlobalErrorHandler(() => {});
  initMetrics();
  logger.info(
    { event: 'telemetry_started', traces_endpoint: config.tracesEndpoint ? new URL(config.tracesEndpoint).origin : null, protocol: config.protocol, sampler: sampler.toString() },
    config.tracesEndpoint ? 'exporting traces' : 'traces recorded for ids only (no OTEL_EXPORTER_OTLP_ENDPOINT)',
  );
  const shutdown = async () => {
    await tracerProvider.forceFlush();
    await tracerProvider.shutdown();
    await meterProvider.shutdown();
  };
  return { prometheus, exporting: Boolean(config.tracesEndpoint), shutdown };
}
