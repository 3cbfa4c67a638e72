// Starts OpenTelemetry once per process with the standard NodeSDK: traces (W3C propagation by
// default, OTLP or console export as OTEL_TRACES_EXPORTER says), metrics (Prometheus text format,
// served by our server, plus OTLP or console push when OTEL_METRICS_EXPORTER asks), Prisma and
// fetch instrumentation. The SDK reads the standard OTEL_* variables itself (docs/observability.md);
// what is ours: the quiet-leaf sampler around the standard one, a bounded export queue, one warning
// per exporter failure episode, and no require hook. Called from server.ts before Next starts, and
// from instrumentation.ts register() (a no-op if started).
import Module from 'node:module';
import { ProxyTracerProvider, trace } from '@opentelemetry/api';
import { setGlobalErrorHandler } from '@opentelemetry/core';
import { OTLPMetricExporter as OTLPGrpcMetricExporter } from '@opentelemetry/exporter-metrics-otlp-grpc';
import { OTLPMetricExporter as OTLPJsonMetricExporter } from '@opentelemetry/exporter-metrics-otlp-http';
import { OTLPMetricExporter as OTLPProtoMetricExporter } from '@opentelemetry/exporter-metrics-otlp-proto';
import { PrometheusExporter } from '@opentelemetry/exporter-prometheus';
import { OTLPTraceExporter as OTLPGrpcTraceExporter } from '@opentelemetry/exporter-trace-otlp-grpc';
import { OTLPTraceExporter as OTLPJsonTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { OTLPTraceExporter as OTLPProtoTraceExporter } from '@opentelemetry/exporter-trace-otlp-proto';
import type { Instrumentation } from '@opentelemetry/instrumentation';
import { UndiciInstrumentation } from '@opentelemetry/instrumentation-undici';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { ConsoleMetricExporter, type IMetricReader, PeriodicExportingMetricReader, type PushMetricExporter } from '@opentelemetry/sdk-metrics';
import { NodeSDK } from '@opentelemetry/sdk-node';
import { BatchSpanProcessor, ConsoleSpanExporter, NoopSpanProcessor, type SpanExporter, type SpanProcessor } from '@opentelemetry/sdk-trace-base';
import { PrismaInstrumentation } from '@prisma/instrumentation';
import { type Env, getEnv } from '../env';
import { logger } from '../logger';
import { peekProcessSingleton, processSingleton } from '../process-singleton';
import { appVersion } from '../version';
import { browserSpansTarget, metricPushExporters, type OtlpProtocol, otlpProtocol, type PushExporter, traceExporters } from './config';
import { EpisodeLoggingExporter, episodeLoggingMetricExporter, initExportMetrics } from './episode-exporter';
import { initMetrics } from './metrics';
import { skipPrismaSpansBeneathUnsampled } from './prisma-tracing';
import { QuietLeavesSampler, standardSamplerFromEnv } from './sampler';
import { NextQuietUnlessRecordingTracerProvider, SpanFilteringTracerProvider } from './span-filter';

export type Telemetry = {
  prometheus: PrometheusExporter;
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

/**
 * `rootSpansOpenedByServer`: server.ts opens the root span of every request Next handles, so Next
 * need trace only beneath a recording one (lib/telemetry/span-filter.ts). instrumentation.ts (next
 * dev, where Next's span is the root) starts without it; in production server.ts starts first.
 */
export function startTelemetry({ rootSpansOpenedByServer = false }: { rootSpansOpenedByServer?: boolean } = {}): Telemetry | null {
  return processSingleton('telemetry', () => createTelemetry(rootSpansOpenedByServer));
}

function spanExporter(name: PushExporter, protocol: OtlpProtocol): SpanExporter {
  if (name === 'console') return new ConsoleSpanExporter();
  // Each exporter reads its endpoint, headers, timeout and compression from OTEL_EXPORTER_OTLP_*.
  if (protocol === 'grpc') return new OTLPGrpcTraceExporter();
  return protocol === 'http/json' ? new OTLPJsonTraceExporter() : new OTLPProtoTraceExporter();
}

function metricExporter(name: PushExporter, protocol: OtlpProtocol): PushMetricExporter {
  if (name === 'console') return new ConsoleMetricExporter();
  if (protocol === 'grpc') return new OTLPGrpcMetricExporter();
  return protocol === 'http/json' ? new OTLPJsonMetricExporter() : new OTLPProtoMetricExporter();
}

/**
 * One batch processor per exporter, each export watched for failure episodes. Bounded: at most
 * OTEL_BSP_MAX_QUEUE_SIZE spans wait (4,096); past that new spans are dropped, never requests
 * slowed. With no exporter, a processor that drops everything: spans are still created and
 * sampled, so trace ids reach logs and response headers.
 */
function spanProcessors(env: Env, exporters: PushExporter[]): SpanProcessor[] {
  if (exporters.length === 0) return [new NoopSpanProcessor()];
  const queue = { maxQueueSize: env.OTEL_BSP_MAX_QUEUE_SIZE, maxExportBatchSize: env.OTEL_BSP_MAX_EXPORT_BATCH_SIZE, scheduledDelayMillis: env.OTEL_BSP_SCHEDULE_DELAY };
  return exporters.map((name) => new BatchSpanProcessor(new EpisodeLoggingExporter(spanExporter(name, otlpProtocol(env, 'traces'))), queue));
}

function metricReaders(env: Env, pushExporters: PushExporter[], prometheus: PrometheusExporter): IMetricReader[] {
  const push = pushExporters.map(
    (name) =>
      new PeriodicExportingMetricReader({
        exporter: episodeLoggingMetricExporter(metricExporter(name, otlpProtocol(env, 'metrics'))),
        exportIntervalMillis: env.OTEL_METRIC_EXPORT_INTERVAL,
        exportTimeoutMillis: Math.min(env.OTEL_METRIC_EXPORT_TIMEOUT, env.OTEL_METRIC_EXPORT_INTERVAL),
      }),
  );
  return [prometheus, ...push];
}

/**
 * Puts SpanFilteringTracerProvider (lib/telemetry/span-filter.ts) in front of the provider NodeSDK
 * registered: as the global one (Next's spans and ours) and as every instrumentation's (they were
 * handed the SDK's own). Prisma's instrumentation builds its tracing helper when enabled, so it is
 * enabled again, and its helper then skips its span work beneath unsampled requests
 * (lib/telemetry/prisma-tracing.ts). Where our server opens every request's root span, under the
 * name that keeps Next quiet for requests that are not recorded.
 */
function filterSpans(instrumentations: Instrumentation[], rootSpansOpenedByServer: boolean) {
  const registered = trace.getTracerProvider();
  const sdkProvider = registered instanceof ProxyTracerProvider ? registered.getDelegate() : registered;
  const provider = rootSpansOpenedByServer ? new NextQuietUnlessRecordingTracerProvider(sdkProvider) : new SpanFilteringTracerProvider(sdkProvider);
  trace.disable();
  trace.setGlobalTracerProvider(provider);
  for (const instrumentation of instrumentations) {
    instrumentation.setTracerProvider(provider);
    if (instrumentation instanceof PrismaInstrumentation) {
      instrumentation.enable();
      if (!skipPrismaSpansBeneathUnsampled()) logger.warn({ event: 'prisma_tracing_helper_missing' }, "Prisma's tracing helper was not found: its spans are started as before");
    }
  }
}

function createTelemetry(rootSpansOpenedByServer: boolean): Telemetry | null {
  const env = getEnv();
  if (env.OTEL_SDK_DISABLED) {
    logger.info({ event: 'telemetry_disabled' }, 'OTEL_SDK_DISABLED=true: no traces, no metrics');
    return null;
  }
  const prometheus = new PrometheusExporter({ preventServerStart: true });
  const target = browserSpansTarget(env);
  const collector = target ? new URL(target.url).origin : null;
  const sampler = new QuietLeavesSampler(standardSamplerFromEnv());
  const exporters = traceExporters(env);
  const pushExporters = metricPushExporters(env);
  const instrumentations = withoutRequireHook(() => [
    // Outgoing fetch (Upstash and anything else): child spans that carry traceparent. Our own
    // forwarding of browser spans to the collector is not traced.
    new UndiciInstrumentation({ ignoreRequestHook: (request) => request.origin === collector }),
    // One span per query (prisma:client:db_query, with the SQL) under the business span. The
    // operation span around it repeats the business span, and the serialise/compile/connect steps
    // are noise at 100 % (docs/performance.md).
    new PrismaInstrumentation({ ignoreSpanTypes: ['prisma:client:operation', 'prisma:client:serialize', 'prisma:client:compile', 'prisma:client:connect'] }),
  ]);
  const sdk = new NodeSDK({
    // Defaults; OTEL_SERVICE_NAME and OTEL_RESOURCE_ATTRIBUTES override them (the SDK's env detector).
    resource: resourceFromAttributes({ 'service.name': 'jobboard', 'service.version': appVersion(), 'deployment.environment.name': env.APP_ENV }),
    spanProcessors: spanProcessors(env, exporters),
    sampler,
    metricReaders: metricReaders(env, pushExporters, prometheus),
    // Logs are JSON lines on stdout (lib/logger.ts) carrying trace ids; nothing uses the logs API.
    logRecordProcessors: [],
    instrumentations,
  });
  sdk.start();
  filterSpans(instrumentations, rootSpansOpenedByServer);
  // Export errors are reported once per episode by EpisodeLoggingExporter; keep the SDK quiet.
  setGlobalErrorHandler(() => {});
  initMetrics();
  initExportMetrics([...(exporters.length ? (['traces'] as const) : []), ...(pushExporters.length ? (['metrics'] as const) : [])]);
  logger.info(
    { event: 'telemetry_started', trace_exporters: exporters, metric_exporters: ['prometheus', ...pushExporters], sampler: sampler.toString() },
    exporters.length ? `exporting traces (${exporters.join(', ')})` : 'traces recorded for ids only (no trace exporter)',
  );
  return { prometheus, shutdown: () => sdk.shutdown() };
}
