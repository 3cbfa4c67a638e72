// The checklist items that need only a URL: they work against any deployment of any service.
// Each returns { status: 'PASS' | 'FAIL' | 'SKIP', evidence } with one line of evidence.
import { randomBytes } from 'node:crypto';
import { firstAnswering, percentile, request } from './http.mjs';

export const DEFAULT_HEALTH_PATHS = ['/healthz', '/health', '/api/healthz'];
export const DEFAULT_READY_PATHS = ['/readyz', '/ready', '/api/readyz'];
const pass = (evidence) => ({ status: 'PASS', evidence });
const fail = (evidence) => ({ status: 'FAIL', evidence });
const skip = (evidence) => ({ status: 'SKIP', evidence });

/** The trace id a response says it belongs to: traceresponse, Server-Timing traceparent, or X-Trace-Id. */
export function traceIdOf(headers) {
  const traceresponse = headers.get('traceresponse')?.match(/^00-([0-9a-f]{32})-/)?.[1];
  const timing = headers.get('server-timing')?.match(/traceparent;desc="?00-([0-9a-f]{32})-/)?.[1];
  const header = headers.get('x-trace-id')?.match(/^[0-9a-f]{32}$/)?.[0];
  return traceresponse ?? timing ?? header ?? null;
}

export async function checkTracing(base, { path = '/' } = {}) {
  const traceId = randomBytes(16).toString('hex');
  const continued = await request(base, path, { headers: { traceparent: `00-${traceId}-${randomBytes(8).toString('hex')}-01` } });
  const seen = traceIdOf(continued.headers);
  if (!seen) return fail(`No traceparent propagated: GET ${path} with a traceparent answered ${continued.status} with no traceresponse, Server-Timing traceparent or X-Trace-Id header`);
  if (seen !== traceId) return fail(`GET ${path} did not continue our trace: sent ${traceId}, got ${seen}`);
  const fresh = traceIdOf((await request(base, path)).headers);
  if (!fresh || /^0+$/.test(fresh)) return fail(`GET ${path} without a traceparent got no valid trace id (${fresh ?? 'none'})`);
  if (fresh === traceId) return fail(`GET ${path} without a traceparent reused the previous trace id ${fresh}`);
  return pass(`GET ${path} continued trace ${traceId.slice(0, 8)}…; without a parent it started ${fresh.slice(0, 8)}…`);
}

export async function checkLiveness(base, { paths = DEFAULT_HEALTH_PATHS, readyPaths = DEFAULT_READY_PATHS, calls = 20, p99LimitMs = 100 } = {}) {
  const found = await firstAnswering(base, paths);
  if (!found) return fail(`${paths.join(', ')} not found (404 or no answer)`);
  if (found.reply.status !== 200) return fail(`${found.path} answered ${found.reply.status}`);
  const times = [];
  for (let i = 0; i < calls; i++) times.push((await request(base, found.path)).ms);
  const p99 = percentile(times, 99);
  if (p99 > p99LimitMs) return fail(`${found.path} p99 ${p99.toFixed(0)} ms over ${calls} calls, above ${p99LimitMs} ms`);
  const ready = await firstAnswering(base, readyPaths);
  if (ready && ready.path === found.path) return fail(`liveness and readiness are the same endpoint (${found.path})`);
  return pass(`${found.path} 200, p99 ${p99.toFixed(1)} ms over ${calls} calls`);
}

export async function checkReadiness(base, { paths = DEFAULT_READY_PATHS, healthPaths = DEFAULT_HEALTH_PATHS } = {}) {
  const found = await firstAnswering(base, paths);
  if (!found) return fail(`${paths.join(', ')} not found (404): no readiness endpoint, so a load balancer cannot take an instance out before it fails`);
  if (found.reply.status !== 200) return fail(`${found.path} answered ${found.reply.status}: ${found.reply.text.slice(0, 120)}`);
  const checks = found.reply.json?.checks;
  if (!checks || typeof checks !== 'object' || Object.keys(checks).length === 0) return fail(`${found.path} is 200 but its body lists no per-dependency checks (expected a "checks" object)`);
  const health = await firstAnswering(base, healthPaths);
  if (health && health.reply.text === found.reply.text && health.path !== found.path) return fail(`${found.path} answers exactly what ${health.path} answers: the same handler for liveness and readiness`);
  return pass(`${found.path} 200 with checks: ${Object.keys(checks).join(', ')}`);
}

export async function checkRateLimiting(base, { path = '/api/jobs', probePath, maxRequests = 500 } = {}) {
  const reply = await request(base, path);
  const headers = ['ratelimit-limit', 'ratelimit-remaining', 'ratelimit-reset', 'ratelimit', 'ratelimit-policy'].filter((name) => reply.headers.has(name));
  if (headers.length === 0) return fail(`GET ${path} carries no RateLimit-* headers`);
  if (!probePath) return pass(`GET ${path}: ${headers.join(', ')}`);
  for (let i = 1; i <= maxRequests; i++) {
    const probe = await request(base, probePath);
    if (probe.status === 429) {
      return probe.headers.has('retry-after') ? pass(`${probePath}: 429 after ${i} requests, Retry-After ${probe.headers.get('retry-after')}`) : fail(`${probePath}: 429 after ${i} requests without Retry-After`);
    }
  }
  return fail(`${probePath}: no 429 within ${maxRequests} requests`);
}

const SECURITY_HEADERS = ['content-security-policy', 'x-content-type-options', 'referrer-policy'];
export async function checkSecurityHeaders(base, { htmlPath = '/', jsonPath = '/api/jobs' } = {}) {
  const missing = [];
  for (const path of [htmlPath, jsonPath]) {
    const reply = await request(base, path);
    for (const name of SECURITY_HEADERS) if (!(name === 'content-security-policy' && path === jsonPath) && !reply.headers.has(name)) missing.push(`${path}: ${name}`);
    const frameProtected = reply.headers.has('x-frame-options') || /frame-ancestors/.test(reply.headers.get('content-security-policy') ?? '');
    if (path === htmlPath && !frameProtected) missing.push(`${path}: frame-ancestors or X-Frame-Options`);
  }
  return missing.length ? fail(`missing ${missing.join('; ')}`) : pass(`${SECURITY_HEADERS.join(', ')} and frame protection on ${htmlPath} and ${jsonPath}`);
}

export async function checkSmoke(base, { paths = ['/', '/api/jobs'] } = {}) {
  const bad = [];
  for (const path of paths) {
    const reply = await request(base, path).catch((error) => ({ status: `no answer (${error.message})` }));
    if (typeof reply.status !== 'number' || reply.status < 200 || reply.status > 299) bad.push(`${path} ${reply.status}`);
  }
  return bad.length ? fail(bad.join('; ')) : pass(`${paths.join(', ')} answered 2xx`);
}

export { skip };
