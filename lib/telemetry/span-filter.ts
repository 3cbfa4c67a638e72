// Spans are started only where an operator reads them. Wraps the SDK's tracer provider (Next's
// spans, ours and Prisma's all come through it) with two rules, both measured (docs/performance.md):
//
// 1. Beneath a parent that is neither sampled nor recording, nothing can be recorded, yet every
//    span Next, Prisma and our code started there still went through the SDK: the sampler, two
//    random ids, a span object, a context switch. Such a span is now the parent's own context again
//    (non-recording, same trace and span ids, so logs and headers still carry the request's ids),
//    and an active one runs its function in the context it was given.
// 2. Next's request span (`BaseServer.handleRequest`) and its route-handler span
//    (`AppRouteRouteHandlers.runHandler`) repeat what our server span and the business span
//    already say: the same method, route, status and duration. They are not recorded; their
//    children attach to the parent, so a trace still runs server span → business span → query.
//    Only beneath a parent: under `next dev` (no server span of ours) Next's request span is the root
//    and is kept.
//
// Anything else, a root or a span of a sampled trace, is the SDK's decision as before.
import {
  type Context,
  context,
  isSpanContextValid,
  type Span,
  type SpanOptions,
  type Tracer,
  type TracerOptions,
  type TracerProvider,
  trace,
  TraceFlags,
} from '@opentelemetry/api';

/** Next's span types (`next.span_type`) that repeat our server span and the business span. */
export const REDUNDANT_NEXT_SPAN_TYPES = new Set(['BaseServer.handleRequest', 'AppRouteRouteHandlers.runHandler']);

type Skip = { parent: Span; unsampled: boolean };

/**
 * Rule 1's test: nothing beneath `parent` can be recorded (valid ids, neither sampled nor
 * recording). Also used by Prisma's tracing helper (lib/telemetry/prisma-tracing.ts).
 */
export function nothingRecordsBeneath(parent: Span): boolean {
  if (parent.isRecording()) return false;
  const spanContext = parent.spanContext();
  return (spanContext.traceFlags & TraceFlags.SAMPLED) === 0 && isSpanContextValid(spanContext);
}

/** Whether a span about to start under `ctx` should be skipped, and the parent it then stands for. */
function skipped(ctx: Context, options: SpanOptions | undefined): Skip | undefined {
  if (options?.root) return undefined;
  const parent = trace.getSpan(ctx);
  if (!parent) return undefined;
  if (nothingRecordsBeneath(parent)) return { parent, unsampled: true };
  if (!isSpanContextValid(parent.spanContext())) return undefined;
  const type = options?.attributes?.['next.span_type'];
  return typeof type === 'string' && REDUNDANT_NEXT_SPAN_TYPES.has(type) ? { parent, unsampled: false } : undefined;
}

class SpanFilteringTracer implements Tracer {
  constructor(private readonly delegate: Tracer) {}

  startSpan(name: string, options?: SpanOptions, ctx: Context = context.active()): Span {
    const skip = skipped(ctx, options);
    return skip ? trace.wrapSpanContext(skip.parent.spanContext()) : this.delegate.startSpan(name, options, ctx);
  }

  startActiveSpan<F extends (span: Span) => unknown>(name: string, fn: F): ReturnType<F>;
  startActiveSpan<F extends (span: Span) => unknown>(name: string, options: SpanOptions, fn: F): ReturnType<F>;
  startActiveSpan<F extends (span: Span) => unknown>(name: string, options: SpanOptions, ctx: Context, fn: F): ReturnType<F>;
  startActiveSpan<F extends (span: Span) => unknown>(name: string, ...args: unknown[]): ReturnType<F> {
    const fn = args[args.length - 1] as F;
    const options = (args.length >= 2 ? args[0] : undefined) as SpanOptions | undefined;
    const given = (args.length >= 3 ? args[1] : undefined) as Context | undefined;
    const ctx = given ?? context.active();
    const skip = skipped(ctx, options);
    if (!skip) return this.delegate.startActiveSpan(name, options ?? {}, ctx, fn) as ReturnType<F>;
    const stand = trace.wrapSpanContext(skip.parent.spanContext());
    // Unsampled: nothing beneath can record, so no context switch is needed beyond the one given.
    if (skip.unsampled) return (given ? context.with(given, () => fn(stand)) : fn(stand)) as ReturnType<F>;
    // Skipped in a sampled trace: the stand-in is active, so the attributes Next sets on its active
    // span go nowhere instead of onto our server span, and its children still get the parent's ids.
    return context.with(trace.setSpan(ctx, stand), () => fn(stand)) as ReturnType<F>;
  }
}

export class SpanFilteringTracerProvider implements TracerProvider {
  private readonly tracers = new Map<string, Tracer>();

  constructor(private readonly delegate: TracerProvider) {}

  getTracer(name: string, version?: string, options?: TracerOptions): Tracer {
    // Next asks for its tracer on every span: one wrapper per name and version, not one per call.
    const key = `${name}@${version ?? ''}@${options?.schemaUrl ?? ''}`;
    let tracer = this.tracers.get(key);
    if (!tracer) {
      tracer = new SpanFilteringTracer(this.delegate.getTracer(name, version, options));
      this.tracers.set(key, tracer);
    }
    return tracer;
  }
}

/**
 * The same provider under the name Next gives a disabled one. Next 16's tracer does its span and
 * context work for a request only when `isOpenTelemetryEnabled()` is true: when the active span is
 * recording, or else when the global provider's delegate is not named `NoopTracerProvider`
 * (next/dist/server/lib/trace/tracer.js). With this name, Next traces exactly the requests beneath
 * a recording span and does nothing at all for the others; without it, an unsampled list read
 * cost 7 % more CPU than with telemetry off, most of it Next building contexts and attributes for
 * spans the first rule then dropped (docs/decisions/014-spans-operators-read.md).
 * Only where our server opens every request's root span (server.ts): under `next dev` Next's
 * request span is the root, and with this name Next would trace nothing. span-filter.test.ts runs
 * Next's own check against it, so a Next upgrade that changes the check fails there.
 */
export const NextQuietUnlessRecordingTracerProvider = { NoopTracerProvider: class extends SpanFilteringTracerProvider {} }.NoopTracerProvider;
