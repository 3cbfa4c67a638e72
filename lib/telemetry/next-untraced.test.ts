// A sampled server span hidden from Next (hiddenFromNext): Next's own check says not to trace, the
// spans our code starts beneath still parent to the server span, and attributes meant for the
// server span still reach it.
import { context, ROOT_CONTEXT, trace, TraceFlags } from '@opentelemetry/api';
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { StackContextManager } from '../../test/support/stack-context-manager';
import { annotatedSpan, hiddenFromNext } from './next-untraced';
import { NextQuietUnlessRecordingTracerProvider } from './span-filter';

const exporter = new InMemorySpanExporter();
const sdkProvider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] });
const provider = new NextQuietUnlessRecordingTracerProvider(sdkProvider);
const tracer = provider.getTracer('jobboard');

beforeAll(() => {
  context.setGlobalContextManager(new StackContextManager());
  trace.setGlobalTracerProvider(provider); // as server.ts registers it
});
afterAll(() => {
  trace.disable();
  context.disable();
});
afterEach(() => exporter.reset());

describe('hiddenFromNext', () => {
  it("beneath a sampled server span: Next's check says not to trace, our spans parent to the server span, annotations reach it", async () => {
    const { getTracer } = await import('next/dist/server/lib/trace/tracer.js');
    const server = tracer.startSpan('GET /api/jobs');
    const serverIds = server.spanContext();
    const nextTraces: boolean[] = [];
    nextTraces.push(context.with(trace.setSpan(ROOT_CONTEXT, server), () => getTracer().isOpenTelemetryEnabled())); // the premise: Next would trace
    context.with(hiddenFromNext(ROOT_CONTEXT, server), () => {
      nextTraces.push(getTracer().isOpenTelemetryEnabled());
      const active = trace.getActiveSpan()!;
      expect(active.isRecording()).toBe(false);
      expect(active.spanContext()).toEqual(serverIds); // logs and headers carry the same ids
      annotatedSpan()?.setAttribute('app.ratelimit.outcome', 'allowed');
      tracer.startActiveSpan('listJobs', (operation) => {
        expect(annotatedSpan()).toBe(operation);
        operation.end();
      });
    });
    server.end();
    expect(nextTraces).toEqual([true, false]);
    const spans = exporter.getFinishedSpans();
    expect(spans.map((span) => ({ name: span.name, parent: span.parentSpanContext?.spanId }))).toEqual([
      { name: 'listJobs', parent: serverIds.spanId },
      { name: 'GET /api/jobs', parent: undefined },
    ]);
    expect(spans[1]!.attributes).toMatchObject({ 'app.ratelimit.outcome': 'allowed' });
  });

  it('an unsampled span is left as it is: it records nothing, so Next does nothing beneath it anyway', () => {
    const unsampled = trace.wrapSpanContext({ traceId: 'a'.repeat(32), spanId: 'b'.repeat(16), traceFlags: TraceFlags.NONE });
    const ctx = hiddenFromNext(ROOT_CONTEXT, unsampled);
    expect(trace.getSpan(ctx)).toBe(unsampled);
    expect(context.with(ctx, () => annotatedSpan())).toBe(unsampled);
    expect(annotatedSpan()).toBeUndefined();
  });

  it('a stand-in for another span is not taken for the server span', () => {
    const server = tracer.startSpan('GET /api/jobs');
    const other = trace.wrapSpanContext({ traceId: 'c'.repeat(32), spanId: 'd'.repeat(16), traceFlags: TraceFlags.SAMPLED });
    context.with(hiddenFromNext(ROOT_CONTEXT, server), () =>
      context.with(trace.setSpan(context.active(), other), () => expect(annotatedSpan()).toBe(other)),
    );
    server.end();
  });
});
