// The checklist items that need only a URL: they work against any deployment of any service.
// Each returns { status: 'PASS' | 'FAIL' | 'SKIP', evidence } with one line of evidence.
import { randomBytes } from 'node:crypto';
import { firstAnswering, percentile, request } from './http.mjs';
import { fail, pass } from './verdict.mjs';

export const DEFAULT_HEALTH_PATHS = ['/healthz', '/health', '/api/healthz'];
export const DEFAULT_READY_PATHS = ['/readyz', '/ready', '/api/readyz'];
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
const isHtml = (reply) => /text\/html/.test(reply.headers.get('content-type') ?? '') || /^\s*<(!doctype|html)/i.test(reply.text);

/** The trace id a response says it belongs to: traceresponse, Server-Timing traceparent, or X-Trace-Id. */
export function traceIdOf(headers) {
  const traceresponse = headers.get('traceresponse')?.match(/^00-([0-9a-f]{32})-/)?.[1];
  const timing = headers.get('server-timing')?.match(/traceparent;desc="?00-([0-9a-f]{32})-/)?.[1];
  const header = headers.get('x-trace-id')?.match(/^[0-9a-f]{32}$/)?.[0];
  return traceresponse ?? timing ?? header ?? null;
}

/**
 * 1. A request with a fresh traceparent continues that trace; one without starts a valid new one.
 * With `otlp` (a receiver from scripts/otlp-json-receiver.mjs the service exports to), the server
 * span must also arrive as a child of the span id we sent.
 */
export async function checkTracing(base, { path = '/', otlp, otlpWaitMs = 15_000 } = {}) {
  const traceId = randomBytes(16).toString('hex');
  const parentSpanId = randomBytes(8).toString('hex');
  const continued = await request(base, path, { headers: { traceparent: `00-${traceId}-${parentSpanId}-01` } });
  const seen = traceIdOf(continued.headers);
  if (!seen) return fail(`No traceparent propagated: GET ${path} with a traceparent answered ${continued.status} with no traceresponse, Server-Timing traceparent or X-Trace-Id header`);
  if (seen !== traceId) return fail(`GET ${path} did not continue our trace: sent ${traceId}, got ${seen}`);
  const fresh = traceIdOf((await request(base, path)).headers);
  if (!fresh || /^0+$/.test(fresh)) return fail(`GET ${path} without a traceparent got no valid trace id (${fresh ?? 'none'})`);
  if (fresh === traceId) return fail(`GET ${path} without a traceparent reused the previous trace id ${fresh}`);
  const headline = `GET ${path} continued trace ${traceId.slice(0, 8)}…; without a parent it started ${fresh.slice(0, 8)}…`;
  if (!otlp) return pass(headline);
  const started = Date.now();
  let server;
  while (!(server = otlp.spans.find((span) => span.traceId === traceId && span.parentSpanId === parentSpanId && span.kind === 2)) && Date.now() - started < otlpWaitMs) await sleep(250);
  if (server) return pass(`${headline}; its server span "${server.name}" arrived on :${otlp.port} as a child of our span ${parentSpanId.slice(0, 8)}…`);
  const ofTrace = otlp.spans.filter((span) => span.traceId === traceId);
  if (ofTrace.length) return fail(`${ofTrace.length} spans of our trace arrived on :${otlp.port}, but no server span (kind SERVER) whose parent is our span ${parentSpanId}`);
  const why = otlp.refusedProtobuf ? `${otlp.refusedProtobuf} protobuf exports were refused: set OTEL_EXPORTER_OTLP_PROTOCOL=http/json` : `${otlp.spans.length} spans received in all`;
  return fail(`no span of trace ${traceId} reached the OTLP receiver on :${otlp.port} within ${otlpWaitMs / 1000} s (${why})`);
}

/** 2. Liveness answers 200, fast, and is not the readiness endpoint nor a catch-all page. */
export async function checkLiveness(base, { paths = DEFAULT_HEALTH_PATHS, readyPaths = DEFAULT_READY_PATHS, calls = 20, p99LimitMs = 100 } = {}) {
  const found = await firstAnswering(base, paths);
  if (!found) return fail(`${paths.join(', ')} not found (404 or no answer): no liveness endpoint, so the platform cannot restart a wedged process`);
  if (found.reply.status !== 200) return fail(`${found.path} answered ${found.reply.status}: ${found.reply.text.slice(0, 120)}`);
  if (isHtml(found.reply)) return fail(`${found.path} answers an HTML page: a catch-all route, not a liveness endpoint`);
  const times = [];
  for (let i = 0; i < calls; i++) times.push((await request(base, found.path)).ms);
  const p99 = percentile(times, 99);
  if (p99 > p99LimitMs) return fail(`${found.path} p99 ${p99.toFixed(0)} ms over ${calls} calls, above ${p99LimitMs} ms: liveness should do no work`);
  const ready = await firstAnswering(base, readyPaths);
  if (ready && ready.path === found.path) return fail(`liveness and readiness are the same endpoint (${found.path})`);
  return pass(`${found.path} 200, p99 ${p99.toFixed(1)} ms over ${calls} calls${ready ? `, distinct from ${ready.path}` : ''}`);
}

/** 3. Readiness: 200 with per-dependency checks, and not the liveness handler. */
export async function checkReadiness(base, { paths = DEFAULT_READY_PATHS, healthPaths = DEFAULT_HEALTH_PATHS, notReadyBecause } = {}) {
  const found = await firstAnswering(base, paths);
  if (!found) return fail(`${paths.join(', ')} not found (404): no readiness endpoint, so a load balancer cannot take an instance out before it fails`);
  if (notReadyBecause) return fail(`the service never became ready: ${notReadyBecause}`);
  if (found.reply.status !== 200) return fail(`${found.path} answered ${found.reply.status}: ${found.reply.text.slice(0, 160)}`);
  if (isHtml(found.reply)) return fail(`${found.path} answers an HTML page: a catch-all route, not a readiness endpoint`);
  const checks = found.reply.json?.checks;
  if (!checks || typeof checks !== 'object' || Object.keys(checks).length === 0) return fail(`${found.path} is 200 but its body lists no per-dependency checks (expected a "checks" object): ${found.reply.text.slice(0, 120)}`);
  const health = await firstAnswering(base, healthPaths);
  if (health && health.path !== found.path && health.reply.text === found.reply.text) return fail(`${found.path} answers exactly what ${health.path} answers: the same handler serves liveness and readiness`);
  return pass(`${found.path} 200 with checks: ${Object.keys(checks).join(', ')}`);
}

const RATE_LIMIT_HEADERS = ['ratelimit-limit', 'ratelimit-remaining', 'ratelimit-reset', 'ratelimit', 'ratelimit-policy'];
/** 4. API responses carry RateLimit-* headers; with a probe path, a 429 with Retry-After comes before `maxRequests`. */
export async function checkRateLimiting(base, { path = '/api/jobs', probePath, maxRequests = 1_000 } = {}) {
  const reply = await request(base, path);
  const headers = RATE_LIMIT_HEADERS.filter((name) => reply.headers.has(name));
  if (headers.length === 0) return fail(`GET ${path} (${reply.status}) carries no RateLimit-* headers: clients cannot see their budget, and nothing shows a limit is applied`);
  if (!probePath) return pass(`GET ${path}: ${headers.join(', ')} (limit ${reply.headers.get('ratelimit-limit') ?? reply.headers.get('ratelimit')})`);
  for (let i = 1; i <= maxRequests; i++) {
    const probe = await request(base, probePath);
    if (probe.status === 429) {
      return probe.headers.has('retry-after') ? pass(`GET ${path}: ${headers.join(', ')}; ${probePath}: 429 after ${i} requests, Retry-After ${probe.headers.get('retry-after')} s`) : fail(`${probePath}: 429 after ${i} requests without Retry-After`);
    }
  }
  return fail(`${probePath}: no 429 within ${maxRequests} requests`);
}

const SECURITY_HEADERS = ['x-content-type-options', 'referrer-policy'];
/** 5. The headers that stop sniffing, referrer leaks, framing and script injection, on HTML and on JSON. */
export async function checkSecurityHeaders(base, { htmlPath = '/', jsonPath = '/api/jobs' } = {}) {
  const missing = [];
  for (const [path, html] of [[htmlPath, true], [jsonPath, false]]) {
    const reply = await request(base, path);
    for (const name of SECURITY_HEADERS) if (!reply.headers.has(name)) missing.push(`${path}: ${name}`);
    const csp = reply.headers.get('content-security-policy') ?? '';
    if (html && !/script-src|default-src/.test(csp)) missing.push(`${path}: content-security-policy with script-src`);
    if (html && !reply.headers.has('x-frame-options') && !/frame-ancestors/.test(csp)) missing.push(`${path}: frame-ancestors or X-Frame-Options`);
    if (/unsafe-inline/.test(csp.match(/script-src[^;]*/)?.[0] ?? '') && !/nonce-|strict-dynamic/.test(csp)) missing.push(`${path}: script-src allows 'unsafe-inline'`);
    if (base.startsWith('https:') && !reply.headers.has('strict-transport-security')) missing.push(`${path}: strict-transport-security (served over https)`);
  }
  return missing.length
    ? fail(`missing or weak: ${missing.join('; ')}`)
    : pass(`CSP (script-src or default-src) and frame protection on ${htmlPath}; nosniff and Referrer-Policy on ${htmlPath} and ${jsonPath}${base.startsWith('https:') ? '; HSTS' : ''}`);
}

/** 6. The pages and reads a user needs answer 2xx. */
export async function checkSmoke(base, { paths = ['/', '/api/jobs'] } = {}) {
  const results = [];
  for (const path of paths) {
    const reply = await request(base, path).catch((error) => ({ status: `no answer (${error.cause?.code ?? error.name})`, ms: NaN }));
    results.push({ path, ...reply });
  }
  const bad = results.filter((reply) => typeof reply.status !== 'number' || reply.status < 200 || reply.status > 299);
  return bad.length ? fail(bad.map((reply) => `${reply.path} ${reply.status}`).join('; ')) : pass(results.map((reply) => `${reply.path} ${reply.status} (${reply.ms.toFixed(0)} ms)`).join(', '));
}
