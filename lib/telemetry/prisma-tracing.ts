// Prisma's client asks a global tracing helper (set by @prisma/instrumentation's enable()) to run
// each step of a query in a span: the operation, its serialisation, the query itself. Under an
// unsampled request the span filter (lib/telemetry/span-filter.ts, rule 1) already starts nothing,
// but the helper still looked up a tracer, matched the ignored span types, entered a context and
// chained a promise to end a span that was never recorded. In a profile of an unsampled list read
// that was ~0.3 % of its samples (docs/performance.md, item 26). Beneath a parent that is neither
// sampled nor recording, the wrapped helper now runs the step as Prisma's own disabled helper does;
// anything else goes to Prisma's helper as before.
import { context, type Context, type Span, trace } from '@opentelemetry/api';
import { nothingRecordsBeneath } from './span-filter';

type ChildSpanOptions = { name: string; context?: Context; active?: boolean; internal?: boolean };

/** The part of Prisma's tracing helper contract this wrapper touches (@prisma/instrumentation-contract). */
export type PrismaTracingHelper = {
  isEnabled(): boolean;
  getTraceParent(context?: Context): string;
  dispatchEngineSpans(...args: unknown[]): void;
  getActiveContext(): Context | undefined;
  runInChildSpan<R>(options: string | ChildSpanOptions, callback: (span?: Span, context?: Context) => R): R;
};

// Where @prisma/instrumentation 7 puts its helper and the client looks for it: the versioned key
// first, then the unversioned one. prisma-tracing.test.ts fails if enable() no longer sets them.
export const PRISMA_HELPER_KEYS = ['V7_PRISMA_INSTRUMENTATION', 'PRISMA_INSTRUMENTATION'] as const;


export class UnsampledSkippingTracingHelper implements PrismaTracingHelper {
  constructor(readonly delegate: PrismaTracingHelper) {}

  isEnabled() {
    return this.delegate.isEnabled();
  }

  getTraceParent(ctx?: Context) {
    return this.delegate.getTraceParent(ctx);
  }

  dispatchEngineSpans(...args: unknown[]) {
    this.delegate.dispatchEngineSpans(...args);
  }

  getActiveContext() {
    return this.delegate.getActiveContext();
  }

  runInChildSpan<R>(options: string | ChildSpanOptions, callback: (span?: Span, context?: Context) => R): R {
    const ctx = (typeof options === 'object' ? options.context : undefined) ?? context.active();
    const parent = trace.getSpan(ctx);
    // As the span filter would answer (its rule 1): the parent's ids, not recording; the context unchanged.
    if (parent && nothingRecordsBeneath(parent)) return callback(trace.wrapSpanContext(parent.spanContext()), ctx);
    return this.delegate.runInChildSpan(options, callback);
  }
}

/**
 * Wraps the helper PrismaInstrumentation.enable() just set. Returns false (and changes nothing) if
 * there is none under the keys this Prisma version uses; the spans are then Prisma's as before.
 */
export function skipPrismaSpansBeneathUnsampled(): boolean {
  const slots = globalThis as unknown as Record<string, { helper?: PrismaTracingHelper } | undefined>;
  let wrapped = false;
  for (const key of PRISMA_HELPER_KEYS) {
    const slot = slots[key];
    if (!slot?.helper) continue;
    if (!(slot.helper instanceof UnsampledSkippingTracingHelper)) slot.helper = new UnsampledSkippingTracingHelper(slot.helper);
    wrapped = true;
  }
  return wrapped;
}
