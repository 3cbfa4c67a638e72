import { afterEach, describe, expect, it } from 'vitest';
import { parseEnv } from '../env';
import { browserSpansTarget, metricPushExporters, otlpProtocol, traceExporters } from './config';

const env = (vars: Record<string, string>) => parseEnv({ DATA_DIR: '/tmp/jobboard-config-test', ...vars });

describe('telemetry config: what the standard variables switch on', () => {
  const saved = { ...process.env };
  afterEach(() => {
    process.env = { ...saved };
  });

  it('exports traces over OTLP when an endpoint is set, to nothing otherwise, and as OTEL_TRACES_EXPORTER says when it is set', () => {
    expect(traceExporters(env({}))).toEqual([]);
    expect(traceExporters(env({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318' }))).toEqual(['otlp']);
    expect(traceExporters(env({ OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'http://collector:4318/v1/traces' }))).toEqual(['otlp']);
    expect(traceExporters(env({ OTEL_TRACES_EXPORTER: 'console' }))).toEqual(['console']);
    expect(traceExporters(env({ OTEL_TRACES_EXPORTER: 'otlp,console,otlp' }))).toEqual(['otlp', 'console']);
    expect(traceExporters(env({ OTEL_TRACES_EXPORTER: 'none', OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318' }))).toEqual([]);
    expect(traceExporters(env({ OTEL_SDK_DISABLED: 'true', OTEL_TRACES_EXPORTER: 'otlp' }))).toEqual([]);
  });

  it('pushes metrics only when OTEL_METRICS_EXPORTER asks (Prometheus is always served by the app)', () => {
    expect(metricPushExporters(env({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318' }))).toEqual([]);
    expect(metricPushExporters(env({ OTEL_METRICS_EXPORTER: 'prometheus' }))).toEqual([]);
    expect(metricPushExporters(env({ OTEL_METRICS_EXPORTER: 'otlp,prometheus' }))).toEqual(['otlp']);
    expect(metricPushExporters(env({ OTEL_METRICS_EXPORTER: 'otlp,none' }))).toEqual([]);
  });

  it('takes the signal-specific protocol over the general one, http/protobuf by default', () => {
    expect(otlpProtocol(env({}), 'traces')).toBe('http/protobuf');
    expect(otlpProtocol(env({ OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json' }), 'traces')).toBe('http/json');
    expect(otlpProtocol(env({ OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json', OTEL_EXPORTER_OTLP_METRICS_PROTOCOL: 'grpc' }), 'metrics')).toBe('grpc');
  });

  it("forwards browser spans where the server's OTLP/HTTP exporter sends its own, with its headers and timeout, and nowhere otherwise", async () => {
    const vars = { OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318/', OTEL_EXPORTER_OTLP_HEADERS: 'x-api-key=s%20ecret,team=jobs', OTEL_EXPORTER_OTLP_TIMEOUT: '1500' };
    Object.assign(process.env, vars);
    const target = browserSpansTarget(env(vars))!;
    expect(target.url).toBe('http://collector:4318/v1/traces');
    expect(await target.headers()).toMatchObject({ 'x-api-key': 's ecret', team: 'jobs' });
    expect(target.timeoutMs).toBe(1500);

    process.env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT = 'http://traces:9999/custom';
    expect(browserSpansTarget(env({ ...vars, OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'http://traces:9999/custom' }))!.url).toBe('http://traces:9999/custom');

    expect(browserSpansTarget(env({}))).toBeNull();
    expect(browserSpansTarget(env({ ...vars, OTEL_BROWSER_TRACING: 'false' }))).toBeNull();
    expect(browserSpansTarget(env({ ...vars, OTEL_TRACES_EXPORTER: 'console' }))).toBeNull();
    expect(browserSpansTarget(env({ ...vars, OTEL_EXPORTER_OTLP_PROTOCOL: 'grpc' }))).toBeNull();
  });
});
