// `node scripts/smoke-test.mjs <base-url> [--expect-version <sha>] [--timeout-s 120]`
// The post-deploy smoke test (.github/workflows/deploy.yml), also run against the image in CI and
// by test/smoke-test.test.ts. Checks, retrying each until the deadline (a fresh release may still
// be warming up behind the proxy):
//   1. GET /api/healthz is 200 and, with --expect-version, reports that release (version ends in +<sha>);
//   2. GET /api/readyz is 200;
//   3. GET /api/jobs is 200, not degraded, has a jobs list, and continues the traceparent we send
//      (X-Trace-Id = our trace id, Server-Timing names it);
//   4. GET /api/jobs/<first id> is 200 with the same trace checks (skipped on a board with no jobs);
//   5. GET / renders (200, text/html).
// Prints one line per check and exits 0 when all pass, 1 otherwise (with what was last seen).
import { randomBytes } from 'node:crypto';
import { parseArgs } from 'node:util';
import { request } from './golive/http.mjs';

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    'expect-version': { type: 'string' },
    'timeout-s': { type: 'string', default: '120' },
    'request-timeout-ms': { type: 'string', default: '5000' },
  },
});
const base = positionals[0];
if (!base || !/^https?:\/\//.test(base)) {
  console.error('usage: node scripts/smoke-test.mjs <base-url> [--expect-version <sha>] [--timeout-s 120]');
  process.exit(2);
}
const deadline = Date.now() + Number(values['timeout-s']) * 1000;
const requestTimeoutMs = Number(values['request-timeout-ms']);
const expectedSha = values['expect-version']?.slice(0, 12);
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

async function get(path, headers = {}) {
  const reply = await request(base, path, { headers, timeoutMs: requestTimeoutMs });
  return { ...reply, body: reply.json };
}

/** Sends a fresh traceparent and returns why the response does not continue it (or null). */
async function tracedGet(path) {
  const traceId = randomBytes(16).toString('hex');
  const traceparent = `00-${traceId}-${randomBytes(8).toString('hex')}-01`;
  const response = await get(path, { traceparent });
  const seen = response.headers.get('x-trace-id');
  const timing = response.headers.get('server-timing') ?? '';
  response.traceProblem =
    seen !== traceId
      ? `X-Trace-Id is ${seen ?? 'missing'}, expected the trace id we sent (${traceId})`
      : !timing.includes(`00-${traceId}-`)
        ? `Server-Timing does not name trace ${traceId}: ${timing || 'missing'}`
        : null;
  return response;
}

let firstJobId;
const SKIPPED = Symbol('skipped: no open jobs to read');
const checks = [
  [
    'liveness  GET /api/healthz',
    async () => {
      const r = await get('/api/healthz');
      if (r.status !== 200) return `status ${r.status}`;
      if (expectedSha && !String(r.body?.version ?? '').endsWith(`+${expectedSha}`)) return `version ${r.body?.version}, expected …+${expectedSha}`;
      return null;
    },
  ],
  [
    'readiness GET /api/readyz',
    async () => {
      const r = await get('/api/readyz');
      return r.status === 200 ? null : `status ${r.status}: ${r.text.slice(0, 300)}`;
    },
  ],
  [
    'read      GET /api/jobs',
    async () => {
      const r = await tracedGet('/api/jobs?limit=5');
      if (r.status !== 200) return `status ${r.status}: ${r.text.slice(0, 300)}`;
      if (r.body?.degraded) return 'served degraded (database unavailable)';
      if (!Array.isArray(r.body?.jobs)) return 'no jobs array in the response';
      firstJobId = r.body.jobs[0]?.id; // a brand-new board may have none yet
      return r.traceProblem;
    },
  ],
  [
    'read      GET /api/jobs/:id',
    async () => {
      if (!firstJobId) return SKIPPED;
      const r = await tracedGet(`/api/jobs/${encodeURIComponent(firstJobId)}`);
      if (r.status !== 200) return `status ${r.status}: ${r.text.slice(0, 300)}`;
      if (r.body?.degraded) return 'served degraded (database unavailable)';
      if (r.body?.job?.id !== firstJobId) return 'a different job came back';
      return r.traceProblem;
    },
  ],
  [
    'page      GET /',
    async () => {
      const r = await get('/');
      if (r.status !== 200) return `status ${r.status}`;
      if (!(r.headers.get('content-type') ?? '').includes('text/html')) return `content-type ${r.headers.get('content-type')}`;
      // The release runs the config it was built with (poweredByHeader: false), not Next's defaults.
      return r.headers.get('x-powered-by') ? `X-Powered-By: ${r.headers.get('x-powered-by')}: the server is not running its build's Next config` : null;
    },
  ],
];

const started = Date.now();
console.log(`Smoke test of ${base}${expectedSha ? ` (expecting release ${expectedSha})` : ''}, deadline ${values['timeout-s']} s`);
let failed = false;
for (const [label, check] of checks) {
  let attempts = 0;
  let problem;
  for (;;) {
    attempts++;
    try {
      problem = await check();
    } catch (error) {
      problem = `${error.name === 'TimeoutError' ? `no answer within ${requestTimeoutMs} ms` : error.cause?.code ?? error.message}`;
    }
    if (!problem || problem === SKIPPED || Date.now() + 1000 > deadline) break;
    await sleep(1000);
  }
  if (problem === SKIPPED) {
    console.log(`- ${label} — ${SKIPPED.description}`);
    continue;
  }
  const tries = attempts > 1 ? ` after ${attempts} attempts` : '';
  console.log(`${problem ? '✗' : '✓'} ${label}${tries}${problem ? ` — ${problem}` : ''}`);
  if (problem) {
    failed = true;
    break; // later checks depend on earlier ones (a job id, a ready instance)
  }
}
const seconds = ((Date.now() - started) / 1000).toFixed(1);
console.log(failed ? `Smoke test FAILED after ${seconds} s.` : `Smoke test passed in ${seconds} s.`);
process.exit(failed ? 1 : 0);
