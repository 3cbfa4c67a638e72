// The request span with a fake clock: when it starts and ends, what it continues, what the
// response and the log line carry. (test/observability.test.ts checks the same against the built
// server and a real collector; this pins the timing rules the real clock cannot.)
import { EventEmitter } from 'node:events';
import { mkdtempSync } from 'node:fs';
import type http from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { type Context, context, propagation, ROOT_CONTEXT, type TextMapPropagator, trace, TraceFlags } from '@opentelemetry/api';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { StackContextManager } from '../../test/support/stack-context-manager';

process.env.DATA_DIR ??= mkdtempSync(path.join(tmpdir(), 'request-span-'));
const { instrumentRequest } = await import('./http-server');
const { logger } = await import('../logger');
const { annotate } = await import('./operation');

const exporter = new InMemorySpanExporter();
const TRACE_ID = '0af7651916cd43dd8448eb211c80319c';

function fakeExchange(url: string, headers: Record<string, string> = {}) {
  const req = { url, method: 'GET', headers: { ...headers }, httpVersion: '1.1', socket: { remoteAddress: '203.0.113.7' } } as unknown as http.IncomingMessage;
  const sent: Record<string, string> = {};
  const res = Object.assign(new EventEmitter(), {
    statusCode: 200,
    writableFinished: false,
    setHeader: (name: string, value: string) => void (sent[name] = value),
  });
  const finish = (status: number) => {
    res.statusCode = status;
    res.writableFinished = true;
    res.emit('finish');
  };
  return { req, res: res as unknown as http.ServerResponse, sent, finish };
}

const ms = ([seconds, nanos]: [number, number]) => seconds * 1000 + nanos / 1e6;

describe('the request span', () => {
  beforeAll(() => {
    trace.setGlobalTracerProvider(new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] }));
    propagation.setGlobalPropagator(new W3CTraceContextPropagator());
  });
  afterAll(() => {
    trace.disable();
    propagation.disable();
  });
  afterEach(() => {
    exporter.reset();
    vi.useRealTimers();
    vi.restoreAllMocks();
  });

  it('continues the caller’s trace, ends at the time the response finished (not when the handler settles), and logs that duration', async () => {
    vi.useFakeTimers({ toFake: ['performance', 'Date'] });
    const logged = vi.spyOn(logger, 'info');
    const { req, res, sent, finish } = fakeExchange('/api/jobs?limit=1', { traceparent: `00-${TRACE_ID}-b7ad6b7169203331-01` });
    let settle!: () => void;
    instrumentRequest(req, res, () => new Promise<void>((resolve) => (settle = resolve)));

    // The response headers carry the trace id at once, and the handler sees our span as its parent.
    expect(sent['X-Trace-Id']).toBe(TRACE_ID);
    expect(req.headers.traceparent).toMatch(new RegExp(`^00-${TRACE_ID}-[0-9a-f]{16}-01$`));
    expect(req.headers.traceparent).not.toContain('b7ad6b7169203331');

    vi.advanceTimersByTime(120);
    finish(201);
    expect(exporter.getFinishedSpans()).toEqual([]); // the handler may still set attributes (Next sets http.route after sending)
    vi.advanceTimersByTime(50);
    settle();
    await vi.waitFor(() => expect(exporter.getFinishedSpans()).toHaveLength(1));

    const [span] = exporter.getFinishedSpans();
    expect(span!.name).toBe('GET /api/jobs');
    expect(span!.spanContext().traceId).toBe(TRACE_ID);
    expect(span!.parentSpanContext?.spanId).toBe('b7ad6b7169203331');
    expect(span!.attributes).toMatchObject({ 'http.route': '/api/jobs', 'http.response.status_code': 201, 'url.path': '/api/jobs' });
    // No IP address, under any attribute: it is personal data, and spans carry only ids and pseudonyms.
    expect(Object.values(span!.attributes)).not.toContain('203.0.113.7');
    expect(Object.keys(span!.attributes).filter((key) => /address|\.ip$/.test(key))).toEqual([]);
    expect(ms(span!.endTime) - ms(span!.startTime)).toBeCloseTo(120, 0);
    const line = logged.mock.calls.find(([fields]) => (fields as { event?: string }).event === 'request_completed')![0] as Record<string, unknown>;
    expect(line).toMatchObject({ status: 201, route: '/api/jobs', duration_ms: 120, trace_id: TRACE_ID, span_id: span!.spanContext().spanId });
  });

  it('ends a span whose client went away before the response finished as aborted, and marks a 5xx as an error', async () => {
    vi.useFakeTimers({ toFake: ['performance', 'Date'] });
    const aborted = fakeExchange('/api/jobs');
    instrumentRequest(aborted.req, aborted.res, () => new Promise(() => {})); // as Next's handler, for some aborted requests: never settles
    vi.advanceTimersByTime(30);
    aborted.res.emit('close');
    const failed = fakeExchange('/api/jobs/00000000-0000-0000-0000-000000000000');
    instrumentRequest(failed.req, failed.res, () => undefined);
    failed.finish(503);
    await vi.waitFor(() => expect(exporter.getFinishedSpans()).toHaveLength(2));

    const [first, second] = exporter.getFinishedSpans();
    expect(first!.attributes['error.type']).toBe('aborted');
    expect(ms(first!.endTime) - ms(first!.startTime)).toBeCloseTo(30, 0);
    expect(second!.name).toBe('GET /api/jobs/[id]');
    expect(second!.status.code).toBe(2); // ERROR
    expect(second!.attributes['error.type']).toBeUndefined();
  });

  it('starts a new trace for a request without trace context, and hands Next the headers the W3C propagator would write', async () => {
    const fresh = fakeExchange('/api/jobs');
    instrumentRequest(fresh.req, fresh.res, () => undefined);
    const continued = fakeExchange('/api/jobs', { traceparent: `00-${TRACE_ID}-b7ad6b7169203331-01`, tracestate: 'vendor=opaque' });
    instrumentRequest(continued.req, continued.res, () => undefined);
    fresh.finish(200);
    continued.finish(200);
    await vi.waitFor(() => expect(exporter.getFinishedSpans()).toHaveLength(2));

    const [root, child] = exporter.getFinishedSpans();
    expect(root!.parentSpanContext).toBeUndefined();
    expect(child!.parentSpanContext?.spanId).toBe('b7ad6b7169203331');
    for (const [span, req] of [
      [root!, fresh.req],
      [child!, continued.req],
    ] as const) {
      const written: Record<string, string> = {};
      new W3CTraceContextPropagator().inject(trace.setSpan(ROOT_CONTEXT, trace.wrapSpanContext(span.spanContext())), written, {
        set: (carrier, key, value) => void (carrier[key] = value),
      });
      expect({ traceparent: req.headers.traceparent, tracestate: req.headers.tracestate }).toEqual({ tracestate: undefined, ...written });
    }
    expect(continued.req.headers.tracestate).toBe('vendor=opaque');

    // Not sampled upstream: not recorded here, and the flags say so to everything beneath.
    const unsampled = fakeExchange('/api/jobs', { traceparent: `00-${TRACE_ID}-b7ad6b7169203331-00` });
    instrumentRequest(unsampled.req, unsampled.res, () => undefined);
    expect(unsampled.req.headers.traceparent).toMatch(new RegExp(`^00-${TRACE_ID}-(?!b7ad6b7169203331)[0-9a-f]{16}-00$`));
  });

  it('with a propagator other than W3C, extracts and injects through it', async () => {
    // A stand-in for B3 or Jaeger: one header, "<trace id>:<span id>".
    const single: TextMapPropagator = {
      fields: () => ['x-single'],
      extract: (ctx: Context, carrier: Record<string, string>) => {
        const [traceId, spanId] = (carrier['x-single'] ?? '').split(':');
        return traceId && spanId ? trace.setSpan(ctx, trace.wrapSpanContext({ traceId, spanId, traceFlags: TraceFlags.SAMPLED, isRemote: true })) : ctx;
      },
      inject: (ctx: Context, carrier: Record<string, string>) => {
        const spanContext = trace.getSpanContext(ctx);
        if (spanContext) carrier['x-single'] = `${spanContext.traceId}:${spanContext.spanId}`;
      },
    };
    propagation.disable();
    propagation.setGlobalPropagator(single);
    try {
      const { req, res, finish } = fakeExchange('/api/jobs', { 'x-single': `${TRACE_ID}:b7ad6b7169203331` });
      instrumentRequest(req, res, () => undefined);
      finish(200);
      await vi.waitFor(() => expect(exporter.getFinishedSpans()).toHaveLength(1));
      const [span] = exporter.getFinishedSpans();
      expect(span!.parentSpanContext?.spanId).toBe('b7ad6b7169203331');
      expect(req.headers['x-single']).toBe(`${TRACE_ID}:${span!.spanContext().spanId}`);
      expect(req.headers.traceparent).toBeUndefined();
    } finally {
      propagation.disable();
      propagation.setGlobalPropagator(new W3CTraceContextPropagator());
    }
  });

  it('with nextTraces false, the handler runs beneath a non-recording stand-in for the server span, whose attributes still reach it', async () => {
    context.setGlobalContextManager(new StackContextManager());
    try {
      const { req, res, finish } = fakeExchange('/api/jobs?limit=20');
      let seen: { recording: boolean; spanId: string } | undefined;
      instrumentRequest(
        req,
        res,
        () => {
          const active = trace.getActiveSpan()!;
          seen = { recording: active.isRecording(), spanId: active.spanContext().spanId };
          annotate({ 'app.ratelimit.outcome': 'allowed' });
        },
        { nextTraces: false },
      );
      finish(200);
      await vi.waitFor(() => expect(exporter.getFinishedSpans()).toHaveLength(1));
      const [span] = exporter.getFinishedSpans();
      expect(seen).toEqual({ recording: false, spanId: span!.spanContext().spanId });
      expect(span!.attributes['app.ratelimit.outcome']).toBe('allowed');
      expect(req.headers.traceparent).toBe(`00-${span!.spanContext().traceId}-${span!.spanContext().spanId}-01`);
    } finally {
      context.disable();
    }
  });

  it('traces nothing for static assets and the metrics endpoint, and removes an incoming traceparent so Next does not trace them either', async () => {
    const { req, res, sent, finish } = fakeExchange('/_next/static/chunks/main.js', { traceparent: `00-${TRACE_ID}-b7ad6b7169203331-01` });
    instrumentRequest(req, res, () => undefined);
    finish(200);
    await new Promise((resolve) => setImmediate(resolve));
    expect(exporter.getFinishedSpans()).toEqual([]);
    expect(sent['X-Trace-Id']).toBeUndefined();
    expect(req.headers.traceparent).toBeUndefined();
  });
});
