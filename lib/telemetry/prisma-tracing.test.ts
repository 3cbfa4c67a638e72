// Prisma's tracing helper, wrapped: beneath an unsampled request it does no span work at all;
// beneath a sampled one, or with no request, Prisma's spans are as before. Runs the real
// PrismaInstrumentation, so an upgrade that moves its helper fails here.
import { context, ROOT_CONTEXT, type Span, trace, TraceFlags } from '@opentelemetry/api';
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { PrismaInstrumentation } from '@prisma/instrumentation';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { StackContextManager } from '../../test/support/stack-context-manager';
import { PRISMA_HELPER_KEYS, type PrismaTracingHelper, skipPrismaSpansBeneathUnsampled, UnsampledSkippingTracingHelper } from './prisma-tracing';
import { SpanFilteringTracerProvider } from './span-filter';

const exporter = new InMemorySpanExporter();
const provider = new SpanFilteringTracerProvider(new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] }));
const getTracer = vi.spyOn(provider, 'getTracer');
const instrumentation = new PrismaInstrumentation({ enabled: false, ignoreSpanTypes: ['prisma:client:operation'] });
const slots = globalThis as unknown as Record<string, { helper?: PrismaTracingHelper } | undefined>;
const helper = () => slots[PRISMA_HELPER_KEYS[0]]!.helper!;
const recorded = () => exporter.getFinishedSpans().map((span) => ({ name: span.name, parent: span.parentSpanContext?.spanId }));
const parentWith = (traceFlags: TraceFlags) =>
  trace.setSpan(ROOT_CONTEXT, trace.wrapSpanContext({ traceId: 'a'.repeat(32), spanId: 'b'.repeat(16), traceFlags }));

beforeAll(() => {
  context.setGlobalContextManager(new StackContextManager());
  instrumentation.setTracerProvider(provider);
  instrumentation.enable();
});
afterAll(() => {
  instrumentation.disable();
  context.disable();
});
afterEach(() => {
  exporter.reset();
  getTracer.mockClear();
});

describe('skipPrismaSpansBeneathUnsampled', () => {
  it("wraps the helper PrismaInstrumentation.enable() sets, under every key Prisma's client reads, once", () => {
    expect(skipPrismaSpansBeneathUnsampled()).toBe(true);
    expect(skipPrismaSpansBeneathUnsampled()).toBe(true);
    for (const key of PRISMA_HELPER_KEYS) expect(slots[key]?.helper).toBeInstanceOf(UnsampledSkippingTracingHelper);
    expect((helper() as UnsampledSkippingTracingHelper).delegate).not.toBeInstanceOf(UnsampledSkippingTracingHelper);
  });

  it('does no span work beneath an unsampled parent: the step runs with the parent ids, and what it returns is returned', async () => {
    let seen: Span | undefined;
    const result = await context.with(parentWith(TraceFlags.NONE), () =>
      helper().runInChildSpan({ name: 'db_query' }, async (span) => {
        seen = span;
        return trace.getActiveSpan()?.spanContext().spanId;
      }),
    );
    expect(result).toBe('b'.repeat(16));
    expect(seen?.isRecording()).toBe(false);
    expect(seen?.spanContext().spanId).toBe('b'.repeat(16));
    expect(getTracer).not.toHaveBeenCalled();
    expect(recorded()).toEqual([]);
  });

  it('honours a context given in the options over the active one', () => {
    const sampled = parentWith(TraceFlags.SAMPLED);
    context.with(sampled, () => helper().runInChildSpan({ name: 'db_query', context: parentWith(TraceFlags.NONE) }, () => 'ran'));
    expect(getTracer).not.toHaveBeenCalled();
  });

  it("beneath a sampled parent, Prisma's span is recorded as before, and its ignored types are still ignored", async () => {
    await context.with(parentWith(TraceFlags.SAMPLED), async () => {
      await helper().runInChildSpan('operation', async () => {
        await helper().runInChildSpan({ name: 'db_query' }, async () => 'rows');
      });
    });
    expect(recorded()).toEqual([{ name: 'prisma:client:db_query', parent: 'b'.repeat(16) }]);
  });

  it("with no request at all (start-up, the seed), Prisma's spans are its own roots as before", () => {
    helper().runInChildSpan({ name: 'db_query' }, () => 'rows');
    expect(recorded()).toEqual([{ name: 'prisma:client:db_query', parent: undefined }]);
  });
});
