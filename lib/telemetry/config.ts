// The questions the app itself asks of the standard OTEL_* variables (validated in lib/env.ts):
// is telemetry on, which exporters run, and where the browser's spans are forwarded. Everything
// else — endpoints, headers, timeouts, batch sizes, the sampler, propagators, resource attributes
// — the SDK and its exporters read themselves, as the specification defines
// (https://opentelemetry.io/docs/specs/otel/configuration/sdk-environment-variables/).
import { convertLegacyHttpOptions } from '@opentelemetry/otlp-exporter-base/node-http';
import type { Env } from '../env';

type OtelEnv = Pick<
  Env,
  | 'OTEL_SDK_DISABLED'
  | 'OTEL_TRACES_EXPORTER'
  | 'OTEL_METRICS_EXPORTER'
  | 'OTEL_EXPORTER_OTLP_ENDPOINT'
  | 'OTEL_EXPORTER_OTLP_TRACES_ENDPOINT'
  | 'OTEL_EXPORTER_OTLP_PROTOCOL'
  | 'OTEL_EXPORTER_OTLP_TRACES_PROTOCOL'
  | 'OTEL_EXPORTER_OTLP_METRICS_PROTOCOL'
  | 'OTEL_BROWSER_TRACING'
>;

export type PushExporter = 'otlp' | 'console';
export type OtlpProtocol = 'http/protobuf' | 'http/json' | 'grpc';

const pushExporters = (named: readonly string[]): PushExporter[] =>
  named.includes('none') ? [] : [...new Set(named.filter((name): name is PushExporter => name === 'otlp' || name === 'console'))];

/**
 * Span exporters: `OTEL_TRACES_EXPORTER`. Unset, OTLP when an endpoint is configured and none
 * otherwise — unlike the specification's default (OTLP to localhost:4318), because a bare machine
 * has no collector there. With none, spans are still recorded: their ids go to logs and headers.
 */
export function traceExporters(env: OtelEnv): PushExporter[] {
  if (env.OTEL_SDK_DISABLED) return [];
  return pushExporters(env.OTEL_TRACES_EXPORTER ?? (env.OTEL_EXPORTER_OTLP_ENDPOINT || env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT ? ['otlp'] : []));
}

/**
 * Metric exporters that push: `OTEL_METRICS_EXPORTER`, none when unset. Prometheus is always
 * there, served by the app at /api/metrics (and METRICS_PORT), so `prometheus` adds nothing.
 */
export function metricPushExporters(env: OtelEnv): PushExporter[] {
  if (env.OTEL_SDK_DISABLED) return [];
  return pushExporters(env.OTEL_METRICS_EXPORTER ?? []);
}

export function otlpProtocol(env: OtelEnv, signal: 'traces' | 'metrics'): OtlpProtocol {
  const specific = signal === 'traces' ? env.OTEL_EXPORTER_OTLP_TRACES_PROTOCOL : env.OTEL_EXPORTER_OTLP_METRICS_PROTOCOL;
  return specific ?? env.OTEL_EXPORTER_OTLP_PROTOCOL ?? 'http/protobuf';
}

export type BrowserSpansTarget = { url: string; headers: () => Promise<Record<string, string>>; timeoutMs: number };

/**
 * Where the browser's spans (OTLP/JSON) are forwarded: the traces URL, headers and timeout the
 * server's own OTLP/HTTP exporter uses, resolved from the environment by OpenTelemetry's exporter
 * code. Null when traces are not exported over OTLP/HTTP (off, console only, or gRPC) or when
 * `OTEL_BROWSER_TRACING=false`: then the browser tracer is not served either.
 */
export function browserSpansTarget(env: OtelEnv): BrowserSpansTarget | null {
  // Asked at every page render and every browser export; the environment does not change.
  if (!targets.has(env)) targets.set(env, resolveBrowserSpansTarget(env));
  return targets.get(env)!;
}

const targets = new WeakMap<OtelEnv, BrowserSpansTarget | null>();

function resolveBrowserSpansTarget(env: OtelEnv): BrowserSpansTarget | null {
  if (!env.OTEL_BROWSER_TRACING || !traceExporters(env).includes('otlp') || otlpProtocol(env, 'traces') === 'grpc') return null;
  const resolved = convertLegacyHttpOptions({}, 'TRACES', 'v1/traces', {});
  return { url: resolved.url, headers: resolved.headers, timeoutMs: resolved.timeoutMillis };
}
