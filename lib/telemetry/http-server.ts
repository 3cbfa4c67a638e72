// Wraps every request our server hands to Next: the root SERVER span (continuing an incoming
// traceparent), the trace id in the response headers, the duration histogram by route template
// with the status actually sent, and one `request_completed` log line. Static assets and the
// telemetry intake are counted in metrics but not traced or logged.
import type http from 'node:http';
import { context, isSpanContextValid, propagation, ROOT_CONTEXT, type Span, type SpanContext, SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import { suppressTracing } from '@opentelemetry/core';
import { getEnv } from '../env';
import { logger } from '../logger';
import { appTracer } from './app-tracer';
import { changeActiveRequests, recordRequest } from './metrics';
import { hiddenFromNext } from './next-untraced';
import { type RequestFacts, requestContext } from './request-context';
import { routeTemplate } from './routes';

export function isUntraced(pathname: string): boolean {
  return (
    pathname.startsWith('/_next/') ||
    pathname === '/favicon.ico' ||
    pathname === '/api/metrics' ||
    pathname === '/api/telemetry/traces' ||
    /\.(?:js|css|map|png|jpg|jpeg|gif|svg|ico|webp|woff2?|txt)$/.test(pathname)
  );
}

/** `Server-Timing: traceparent;desc="00-<trace>-<span>-<flags>"` as browsers expose it to scripts. */
export function traceHeaders(span: Span): Record<string, string> {
  const spanContext = span.spanContext();
  if (!isSpanContextValid(spanContext)) return {};
  const flags = (spanContext.traceFlags & 1) === 1 ? '01' : '00';
  return {
    'X-Trace-Id': spanContext.traceId,
    'Server-Timing': `traceparent;desc="00-${spanContext.traceId}-${spanContext.spanId}-${flags}"`,
  };
}

const W3C_FIELDS = new Set(['traceparent', 'tracestate', 'baggage']);
const NO_PROPAGATOR = { fields: [] as string[], w3cOnly: true };
let propagator: { fields: string[]; w3cOnly: boolean } | undefined;

/**
 * The headers the registered propagator reads (none with telemetry off), and whether they are
 * only the W3C ones (the SDK's default: trace context and baggage). Read on every request: cheap,
 * and tests swap propagators.
 */
function propagatorFields() {
  const fields = propagation.fields();
  if (fields.length === 0) return NO_PROPAGATOR;
  if (propagator?.fields !== fields) propagator = { fields, w3cOnly: fields.every((field) => W3C_FIELDS.has(field)) };
  return propagator;
}

/** What W3CTraceContextPropagator.inject writes for a valid span context, without the propagator's detour. */
function writeTraceContext(spanContext: SpanContext, headers: http.IncomingHttpHeaders) {
  headers.traceparent = `00-${spanContext.traceId}-${spanContext.spanId}-0${Number(spanContext.traceFlags || 0).toString(16)}`;
  if (spanContext.traceState) headers.tracestate = spanContext.traceState.serialize();
}

/** The request's method, path and route template, as every series and span of it is labelled. */
function describeRequest(req: http.IncomingMessage) {
  const pathname = (req.url ?? '/').split('?', 1)[0]!;
  const method = req.method ?? 'GET';
  const route = routeTemplate(method, pathname);
  return { pathname, method, route, base: { 'http.request.method': method, 'http.route': route } };
}

/**
 * A request answered before `instrumentRequest` (refused at the door by load shedding): counted in
 * the duration histogram like every other answer, so the availability SLIs see it, with no span
 * and no log line (the shedder logs its own summary).
 */
export function recordAnsweredBeforeHandling(req: http.IncomingMessage, status: number) {
  recordRequest(0, { ...describeRequest(req).base, 'http.response.status_code': status });
}

/**
 * `handle` may return a promise (Next's handler does): the server span then ends, with the time
 * the response finished, only once it settles. Next still sets attributes on it (http.route) after
 * the response is sent, and an operation on an ended span costs an Error and a warning. So the
 * promise must be Next's own, not one that settles when the response closes (lib/resilience/load-shed.ts's
 * `admit` returns the work's own).
 */
export function instrumentRequest(
  req: http.IncomingMessage,
  res: http.ServerResponse,
  handle: () => Promise<unknown> | void,
  { nextTraces = true }: { /** false: Next is handed a stand-in of the server span (lib/telemetry/next-untraced.ts) */ nextTraces?: boolean } = {},
) {
  const started = performance.now();
  const { pathname, method, route, base } = describeRequest(req);
  const quiet = isUntraced(pathname);
  const facts: RequestFacts = { deadline: Date.now() + getEnv().REQUEST_DEADLINE_MS };
  changeActiveRequests(1, base);

  let span: Span | undefined;
  let active = suppressTracing(ROOT_CONTEXT);
  const { fields, w3cOnly } = propagatorFields();
  if (!quiet) {
    // Most requests carry no trace context: nothing to extract then (in a profile of an unsampled
    // list read the propagator's extract and inject were ~0.3 % of its samples; docs/performance.md, item 26).
    const incoming = fields.some((field) => req.headers[field] !== undefined);
    const parent = incoming ? propagation.extract(ROOT_CONTEXT, req.headers) : ROOT_CONTEXT;
    span = appTracer().startSpan(
      `${method} ${route}`,
      {
        kind: SpanKind.SERVER,
        attributes: {
          ...base,
          'url.path': pathname,
          'url.scheme': 'http',
          'network.protocol.version': req.httpVersion,
          // No client.address: an IP address is personal data, and spans carry only ids and
          // pseudonyms (docs/observability.md). The socket peer would be the platform's proxy anyway.
          'user_agent.original': req.headers['user-agent'] ?? '',
        },
      },
      parent,
    );
    active = nextTraces ? trace.setSpan(parent, span) : hiddenFromNext(parent, span);
    for (const [name, value] of Object.entries(traceHeaders(span))) res.setHeader(name, value);
  }
  // Some of Next's code paths re-read traceparent from the headers against the root context.
  // Point it at our server span (or remove it when untraced) so Next's spans always nest under
  // ours and untraced requests stay untraced.
  delete req.headers.traceparent;
  delete req.headers.tracestate;
  if (span) {
    // Baggage is left as it came (the header is not removed); with W3C propagation only, the trace
    // context is written directly.
    const spanContext = span.spanContext();
    if (!w3cOnly) propagation.inject(active, req.headers);
    else if (isSpanContextValid(spanContext)) writeTraceContext(spanContext, req.headers);
  }

  let ended = false;
  let handled = false;
  let spanEnded = false;
  let finishedAt: number | undefined; // epoch ms
  const endSpan = () => {
    if (!span || spanEnded || !handled || finishedAt === undefined) return;
    spanEnded = true;
    span.end(finishedAt);
  };
  const end = () => {
    if (ended) return;
    ended = true;
    finishedAt = performance.timeOrigin + performance.now();
    const status = res.statusCode;
    const aborted = !res.writableFinished;
    const durationMs = performance.now() - started;
    changeActiveRequests(-1, base);
    recordRequest(durationMs / 1000, { ...base, 'http.response.status_code': status });
    if (span) {
      span.setAttribute('http.response.status_code', status);
      if (facts.user) span.setAttribute('app.user.id', facts.user);
      if (aborted) {
        span.setAttribute('error.type', 'aborted');
        // Next's handler does not always settle for a client that went away (lib/resilience/load-shed.ts):
        // the span ends now rather than never.
        handled = true;
      }
      if (status >= 500) span.setStatus({ code: SpanStatusCode.ERROR });
      endSpan();
      const ids = span.spanContext();
      logger.info(
        {
          event: 'request_completed',
          method,
          route,
          status,
          duration_ms: Math.round(durationMs * 10) / 10,
          user: facts.user,
          ...(aborted ? { aborted: true } : {}),
          trace_id: ids.traceId,
          span_id: ids.spanId,
        },
        `${method} ${route} ${status}`,
      );
    }
  };
  res.once('finish', end);
  res.once('close', end);
  const settled = () => {
    handled = true;
    endSpan();
  };
  Promise.resolve(requestContext().run(facts, () => context.with(active, handle))).then(settled, (error: unknown) => {
    settled();
    logger.error({ event: 'unhandled_error', route, err: error }, 'the request handler failed');
  });
}
