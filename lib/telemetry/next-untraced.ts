// Next does no tracing work for the API reads our server rate-limits before it
// (lib/ratelimit/reads-before-next.ts), sampled or not. Beneath a recording span Next 16 runs its
// allowlisted steps through its tracer: attributes, two context switches and a span through our
// filter per step, and promise reactions to end it (next/dist/server/lib/trace/tracer.js). On those
// reads every span Next would start is one lib/telemetry/span-filter.ts drops (its request and
// route-handler spans: rule 2), so that work recorded nothing. Next traces only while the active
// span is recording (the provider's name does the rest: span-filter.ts), so on those reads the
// active span is a non-recording stand-in for the server span: the same trace and span ids, so the
// business span and the query still parent to the server span (the SDK parents by ids), and logs
// and headers carry the same ids. The server span itself stays in the context under a key of its
// own, for `annotate` (lib/telemetry/operation.ts): attributes meant for it still reach it.
import { type Context, context, createContextKey, type Span, trace } from '@opentelemetry/api';

const HIDDEN_SPAN = createContextKey('jobboard.span-hidden-from-next');

/** `parent` with `span` active as Next must see it: a non-recording stand-in if it records, else itself. */
export function hiddenFromNext(parent: Context, span: Span): Context {
  if (!span.isRecording()) return trace.setSpan(parent, span);
  return trace.setSpan(parent, trace.wrapSpanContext(span.spanContext())).setValue(HIDDEN_SPAN, span);
}

/** The span the current request's attributes go on: the active one, or the span its stand-in hides. */
export function annotatedSpan(): Span | undefined {
  const active = context.active();
  const span = trace.getSpan(active);
  if (!span || span.isRecording()) return span;
  const hidden = active.getValue(HIDDEN_SPAN) as Span | undefined;
  return hidden?.spanContext().spanId === span.spanContext().spanId ? hidden : span;
}
