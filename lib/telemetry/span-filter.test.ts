// Which spans the filter lets the SDK start: none beneath an unsampled parent, none of Next's
// two duplicates beneath a parent (their children attach to it), everything else as before.
import { context, ROOT_CONTEXT, type Span, trace, TraceFlags } from '@opentelemetry/api';
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { StackContextManager } from '../../test/support/stack-context-manager';
import { NextQuietUnlessRecordingTracerProvider, SpanFilteringTracerProvider } from './span-filter';

const exporter = new InMemorySpanExporter();
const sdkProvider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] });
const tracer = new SpanFilteringTracerProvider(sdkProvider).getTracer('test');
const recorded = () => exporter.getFinishedSpans().map((span) => ({ name: span.name, parent: span.parentSpanContext?.spanId }));
const nextSpan = (type: string) => ({ attributes: { 'next.span_type': type } });

beforeAll(() => context.setGlobalContextManager(new StackContextManager()));
afterAll(() => context.disable());
afterEach(() => exporter.reset());

describe('SpanFilteringTracerProvider', () => {
  it('starts no span beneath an unsampled parent; what runs there keeps the parent ids', () => {
    const unsampled = trace.wrapSpanContext({ traceId: 'a'.repeat(32), spanId: 'b'.repeat(16), traceFlags: TraceFlags.NONE });
    const ctx = trace.setSpan(ROOT_CONTEXT, unsampled);
    const child = tracer.startSpan('listJobs', {}, ctx);
    expect(child.isRecording()).toBe(false);
    expect(child.spanContext().spanId).toBe('b'.repeat(16));
    let active: Span | undefined;
    context.with(ctx, () => tracer.startActiveSpan('prisma:client:db_query', (span) => ((active = trace.getActiveSpan()), span.end())));
    expect(active?.spanContext().spanId).toBe('b'.repeat(16));
    child.end();
    expect(recorded()).toEqual([]);
  });

  it("skips Next's request and route-handler spans beneath our server span: their children attach to it", () => {
    tracer.startActiveSpan('GET /api/jobs', (server) => {
      tracer.startActiveSpan('GET /api/jobs', nextSpan('BaseServer.handleRequest'), (nextRequest) => {
        nextRequest.setAttribute('http.status_code', 200); // goes nowhere: not onto our server span
        tracer.startActiveSpan('executing api route (app) /api/jobs', nextSpan('AppRouteRouteHandlers.runHandler'), (handler) => {
          tracer.startActiveSpan('listJobs', (operation) => operation.end());
          handler.end();
        });
        nextRequest.end();
      });
      server.end();
    });
    const spans = exporter.getFinishedSpans();
    const server = spans.find((span) => span.name === 'GET /api/jobs')!;
    expect(recorded()).toEqual([
      { name: 'listJobs', parent: server.spanContext().spanId },
      { name: 'GET /api/jobs', parent: undefined },
    ]);
    expect(server.attributes).not.toHaveProperty('http.status_code');
  });

  it("keeps Next's request span as the root when there is no server span of ours (next dev), and every other span", () => {
    tracer.startActiveSpan('GET /jobs/[id]', nextSpan('BaseServer.handleRequest'), (root) => {
      tracer.startActiveSpan('render route (app) /jobs/[id]', nextSpan('AppRender.getBodyResult'), (render) => render.end());
      root.end();
    });
    const root = exporter.getFinishedSpans().find((span) => span.name === 'GET /jobs/[id]')!;
    expect(recorded()).toEqual([
      { name: 'render route (app) /jobs/[id]', parent: root.spanContext().spanId },
      { name: 'GET /jobs/[id]', parent: undefined },
    ]);
  });
});

describe("Next's own check of whether to trace (next/dist/server/lib/trace/tracer.js)", () => {
  afterEach(() => trace.disable());
  const unsampled = () => trace.setSpan(ROOT_CONTEXT, trace.wrapSpanContext({ traceId: 'c'.repeat(32), spanId: 'd'.repeat(16), traceFlags: TraceFlags.NONE }));

  it('with the provider server.ts registers, Next traces beneath a recording span and does nothing beneath an unsampled one', async () => {
    const { getTracer } = await import('next/dist/server/lib/trace/tracer.js');
    trace.setGlobalTracerProvider(new NextQuietUnlessRecordingTracerProvider(sdkProvider));
    const recording = sdkProvider.getTracer('test').startSpan('GET /api/jobs');
    expect(context.with(trace.setSpan(ROOT_CONTEXT, recording), () => getTracer().isOpenTelemetryEnabled())).toBe(true);
    expect(context.with(unsampled(), () => getTracer().isOpenTelemetryEnabled())).toBe(false);
    recording.end();
  });

  it('with the plain provider (next dev, where Next opens the root span) Next traces every request', async () => {
    const { getTracer } = await import('next/dist/server/lib/trace/tracer.js');
    trace.setGlobalTracerProvider(new SpanFilteringTracerProvider(sdkProvider));
    expect(context.with(unsampled(), () => getTracer().isOpenTelemetryEnabled())).toBe(true);
    expect(getTracer().isOpenTelemetryEnabled()).toBe(true);
  });
});
