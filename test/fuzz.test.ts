// Property-based fuzzing of every write endpoint, every query parameter and the span intake,
// against the built server (docs/security.md, "Fuzzed input"). Generated: wrong types, nulls,
// huge, negative and NaN-like numbers, unicode and RTL text, NUL and lone surrogates, 64 KiB ± 1
// bodies, deep nesting, __proto__ / constructor / duplicate keys, invalid UTF-8, wrong or missing
// content types, truncated bodies, malformed Idempotency-Keys. Asserted for every request: no 5xx,
// JSON answer, every 4xx carries { error: { code, message } }; and, at the end, that nothing was
// stored from a rejected request. FUZZ_REQUESTS sets the total (default 10,000); FUZZ_SEED
// replays a run. On failure fast-check prints the seed and the shrunk counterexample.
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { baseUrl, call, candidateEmployerAndJob, postJob, type Session, signUp, validApplication, validJob } from './support/api';

const TOTAL = Number(process.env.FUZZ_REQUESTS ?? 10_000);
const SEED = Number(process.env.FUZZ_SEED ?? Date.now() % 2 ** 31);
const MAX_BODY_BYTES = 64 * 1024;

// Each target's share of TOTAL.
const SHARE = { postJob: 0.2, patchJob: 0.15, apply: 0.2, signUp: 0.06, signIn: 0.08, traces: 0.06, cspReports: 0.04, listJobs: 0.15, getJob: 0.06 };

let candidate: Session;
let employer: Session; // posts the fuzzed jobs
let owner: Session; // owns the job the fuzzed PATCHes target
let applyJob: string;
let patchJob: string;
let companyName: string;
const statuses = new Map<number, number>();
const accepted = { jobs: new Set<string>(), applications: new Set<string>() };
let lastPatched: unknown;
let sent = 0;
let slowest = { ms: 0, what: '' };

beforeAll(async () => {
  console.log(`fuzz: FUZZ_SEED=${SEED} FUZZ_REQUESTS=${TOTAL} (set both to replay this run)`);
  ({ candidate, employer, jobId: applyJob } = await candidateEmployerAndJob());
  owner = await signUp('employer');
  const patched = await postJob(owner);
  patchJob = patched.id;
  lastPatched = (await call('GET', `/api/jobs/${patchJob}`, { session: owner })).body.job;
  companyName = (await call('GET', `/api/jobs/${applyJob}`)).body.job.company.name;
});

afterAll(() => {
  const summary = [...statuses.entries()].sort(([a], [b]) => a - b).map(([status, count]) => `${status} × ${count}`).join(', ');
  console.log(`fuzz: ${sent} requests, FUZZ_SEED=${SEED}; statuses: ${summary}; slowest ${slowest.ms.toFixed(0)} ms: ${slowest.what}`);
});

// ---- generators -------------------------------------------------------------------------------

const NASTY_STRINGS = ['', ' ', 'NaN', 'Infinity', '-Infinity', '1e309', '-0', '0x10', 'null', 'undefined', 'true', '[]', '{}', '\u0000', 'a\u0000b', '\ud800', 'x\udfffy', '\u202egnp.exe\u202c', 'שלום עולם', 'مرحبا بالعالم', '𝕏'.repeat(300), 'é'.normalize('NFD'), '\ufeffBOM', '%00', '%', "'; DROP TABLE job; --", '<script>alert(1)</script>', 'javascript:alert(1)', '../../etc/passwd', '${jndi:ldap://x}'];
const nastyString = fc.oneof(
  fc.constantFrom(...NASTY_STRINGS),
  fc.string({ unit: 'binary', maxLength: 300 }), // any code point, lone surrogates included
  fc.string({ unit: fc.constantFrom('א', 'ب', '\u200f', '\u200e', 'a', ' ', '\u0301'), maxLength: 200 }), // RTL and combining marks
  fc.string({ maxLength: 3_000, size: 'max' }),
);
const nastyNumber = fc.oneof(
  fc.integer(),
  fc.double(), // NaN and ±Infinity serialise as null
  fc.constantFrom(-1, 0, 2 ** 31, -(2 ** 31) - 1, 2 ** 53 + 2, 1e308, -1e308, 5e-324, 10_000_001, 1.5),
);
const leaf = fc.oneof(nastyString, nastyNumber, fc.boolean(), fc.constant(null));
const nastyValue = fc.oneof(
  { weight: 6, arbitrary: leaf },
  { weight: 1, arbitrary: fc.array(leaf, { maxLength: 12 }) },
  { weight: 1, arbitrary: fc.dictionary(fc.string({ maxLength: 10 }), leaf, { maxKeys: 6 }) },
  { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 6 }) },
);
const DANGEROUS_KEYS = ['__proto__', 'constructor', 'prototype', 'toString', 'hasOwnProperty', ''];

/** JSON object text from entries, so keys may repeat and __proto__ is a real key. */
const objectText = (entries: Array<[string, unknown]>) =>
  `{${entries
    .filter(([, value]) => value !== undefined)
    .map(([key, value]) => `${JSON.stringify(key)}:${JSON.stringify(value)}`)
    .join(',')}}`;

/** A valid body with some fields replaced, dropped, repeated or joined by others. */
function mutatedObject(valid: Record<string, unknown>) {
  const keys = Object.keys(valid);
  return fc
    .record({
      replace: fc.dictionary(fc.constantFrom(...keys), nastyValue, { maxKeys: keys.length }),
      drop: fc.subarray(keys, { maxLength: Math.min(3, keys.length) }),
      extra: fc.array(fc.tuple(fc.oneof(fc.constantFrom(...DANGEROUS_KEYS, ...keys), fc.string({ maxLength: 12 })), nastyValue), { maxLength: 3 }),
    })
    .map(({ replace, drop, extra }) => objectText([...Object.entries(valid).filter(([key]) => !drop.includes(key)).map(([key, value]): [string, unknown] => [key, key in replace ? replace[key] : value]), ...extra]));
}

/** Exactly `size` bytes of otherwise valid body, by padding a string field. */
const sizedBody = (valid: Record<string, unknown>, field: string) =>
  fc.constantFrom(-1, 0, 1).map((delta) => {
    const base = Buffer.byteLength(JSON.stringify({ ...valid, [field]: '' }));
    return JSON.stringify({ ...valid, [field]: 'x'.repeat(MAX_BODY_BYTES + delta - base) });
  });

const deepNesting = fc.integer({ min: 50, max: 20_000 }).chain((depth) => fc.constantFrom(`${'['.repeat(depth)}${']'.repeat(depth)}`, `${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`, '['.repeat(depth)));

type Body = string | Uint8Array;
function bodyFor(valid: Record<string, unknown>, padField: string): fc.Arbitrary<Body> {
  const text = mutatedObject(valid);
  return fc.oneof(
    { weight: 10, arbitrary: text },
    { weight: 2, arbitrary: fc.jsonValue({ maxDepth: 4 }).map((value) => JSON.stringify(value) ?? '') },
    { weight: 2, arbitrary: fc.tuple(text, fc.nat()).map(([body, cut]) => body.slice(0, cut % Math.max(1, body.length))) }, // truncated
    { weight: 2, arbitrary: fc.uint8Array({ maxLength: 512 }) }, // random bytes, mostly invalid UTF-8
    { weight: 1, arbitrary: fc.tuple(text, fc.constantFrom([0xc3], [0xff, 0xfe], [0xed, 0xa0, 0x80], [0xe2, 0x82])).map(([body, bytes]) => Buffer.concat([Buffer.from(body.slice(0, -1)), Buffer.from(bytes), Buffer.from('"}')])) },
    { weight: 1, arbitrary: sizedBody(valid, padField) },
    { weight: 1, arbitrary: deepNesting },
    { weight: 1, arbitrary: fc.constantFrom('', 'null', '[]', '"text"', '42', '{', '{"a":1,}', 'NaN', '\ufeff{}') },
  );
}

const contentType = fc.oneof(
  { weight: 8, arbitrary: fc.constant('application/json') },
  { weight: 4, arbitrary: fc.constantFrom('application/json; charset=utf-8', 'APPLICATION/JSON', 'application/json; charset=latin1', 'text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x', 'application/json-patch+json', '', 'garbage') },
  { weight: 1, arbitrary: fc.constant(undefined) },
);
const idempotencyKey = fc.oneof({ weight: 6, arbitrary: fc.constant(undefined) }, { weight: 1, arbitrary: fc.string({ maxLength: 300 }).filter((key) => /^[\x20-\x7e]*$/.test(key)) }, { weight: 1, arbitrary: fc.uuid() });

type Request = { method: string; path: string; body?: Body; contentType?: string; session?: Session | null; idempotencyKey?: string };

// ---- one request, judged ----------------------------------------------------------------------

async function send(request: Request) {
  const headers: Record<string, string> = {};
  if (request.contentType !== undefined) headers['content-type'] = request.contentType;
  if (request.session) headers.cookie = request.session.cookie;
  if (request.idempotencyKey !== undefined) headers['idempotency-key'] = request.idempotencyKey;
  const started = performance.now();
  const response = await fetch(`${baseUrl()}${request.path}`, { method: request.method, headers, body: request.body as BodyInit | undefined, redirect: 'manual', signal: AbortSignal.timeout(30_000) });
  const text = await response.text();
  const ms = performance.now() - started;
  if (ms > slowest.ms) slowest = { ms, what: `${request.method} ${request.path.slice(0, 60)} (${request.body?.length ?? 0} bytes)` };
  sent += 1;
  statuses.set(response.status, (statuses.get(response.status) ?? 0) + 1);
  const describe = () => `${request.method} ${request.path} → ${response.status} ${text.slice(0, 300)}`;
  if (response.status >= 500) throw new Error(`5xx: ${describe()}`);
  // Next normalises dot segments ("/api/jobs/%2e%2e") with a redirect: allowed, if it stays on this site.
  if (response.status >= 300 && response.status < 400) {
    if (!/^\/(?!\/)/.test(response.headers.get('location') ?? '')) throw new Error(`redirect off this site: ${describe()} → ${response.headers.get('location')}`);
    return { status: response.status, body: {} };
  }
  if (response.status === 204) {
    if (text !== '') throw new Error(`204 with a body: ${describe()}`);
    return { status: 204, body: {} };
  }
  if (!/^application\/json; charset=utf-8$/.test(response.headers.get('content-type') ?? '')) throw new Error(`not JSON: ${describe()}`);
  const body = JSON.parse(text) as { error?: { code?: unknown; message?: unknown } };
  if (response.status >= 400 && (typeof body.error?.code !== 'string' || typeof body.error.message !== 'string')) throw new Error(`error without the JSON error shape: ${describe()}`);
  return { status: response.status, body: body as Record<string, any> };
}

const runs = (share: number) => Math.max(1, Math.round(TOTAL * share));
async function check(arbitrary: fc.Arbitrary<Request>, share: number, after: (request: Request, reply: Awaited<ReturnType<typeof send>>) => void = () => {}) {
  const started = performance.now();
  const before = sent;
  await fc.assert(
    fc.asyncProperty(arbitrary, async (request) => after(request, await send(request))),
    // Shrinking a failure sends requests too: bounded, so a failing run ends and reports.
    { numRuns: runs(share), seed: SEED, interruptAfterTimeLimit: 300_000, markInterruptAsFailure: true },
  );
  console.log(`fuzz: ${expect.getState().currentTestName}: ${sent - before} requests in ${((performance.now() - started) / 1000).toFixed(1)} s`);
}

const writeRequest = (method: string, path: () => string, session: () => Session | null, valid: Record<string, unknown>, padField: string) =>
  fc.record({ body: bodyFor(valid, padField), contentType, idempotencyKey, anonymous: fc.oneof({ weight: 9, arbitrary: fc.constant(false) }, { weight: 1, arbitrary: fc.constant(true) }) }).map(({ body, contentType, idempotencyKey, anonymous }) => ({ method, path: path(), body, contentType, idempotencyKey, session: anonymous ? null : session() }));

// ---- the targets ------------------------------------------------------------------------------

describe(`fuzzed requests (${TOTAL} in all)`, { timeout: 600_000 }, () => {
  it('POST /api/jobs', () =>
    check(writeRequest('POST', () => '/api/jobs', () => employer, validJob(), 'description'), SHARE.postJob, (_request, reply) => {
      if (reply.status === 201) accepted.jobs.add(reply.body.job.id);
    }));

  it('PATCH /api/jobs/{id}', () =>
    check(writeRequest('PATCH', () => `/api/jobs/${patchJob}`, () => owner, { title: 'Patched title', description: 'A description that is long enough to pass.', remote: false, tags: ['x'], status: 'open' }, 'description'), SHARE.patchJob, (_request, reply) => {
      if (reply.status === 200) lastPatched = reply.body.job;
    }));

  it('POST /api/jobs/{id}/applications', () =>
    check(writeRequest('POST', () => `/api/jobs/${applyJob}/applications`, () => candidate, validApplication(), 'coverLetter'), SHARE.apply, (_request, reply) => {
      if (reply.status === 201) accepted.applications.add(reply.body.application.id);
    }));

  it('POST /api/auth/sign-up/email', () =>
    check(writeRequest('POST', () => '/api/auth/sign-up/email', () => null, { name: 'Fuzz', email: 'fuzz@test.jobboard.test', password: 'correct horse battery', role: 'candidate' }, 'name'), SHARE.signUp));

  it('POST /api/auth/sign-in/email', () =>
    check(writeRequest('POST', () => '/api/auth/sign-in/email', () => null, { email: 'nobody@test.jobboard.test', password: 'correct horse battery' }, 'password'), SHARE.signIn));

  it('POST /api/telemetry/traces (the span intake)', () => {
    const span = { traceId: '0af7651916cd43dd8448eb211c80319c', spanId: 'b7ad6b7169203331', name: 'fuzz', kind: 1, startTimeUnixNano: '1', endTimeUnixNano: '2' };
    const valid = { resourceSpans: [{ resource: { attributes: [{ key: 'service.name', value: { stringValue: 'x' } }] }, scopeSpans: [{ spans: [span] }] }] };
    const body = fc.oneof(bodyFor(valid, 'padding'), fc.record({ spans: fc.array(fc.record({ traceId: fc.oneof(fc.constant(span.traceId), nastyString), spanId: fc.oneof(fc.constant(span.spanId), nastyString), name: fc.oneof(fc.constant('x'), nastyString) }), { maxLength: 5 }) }).map(({ spans }) => JSON.stringify({ resourceSpans: [{ scopeSpans: [{ spans }] }] })));
    return check(fc.record({ body, contentType }).map(({ body, contentType }) => ({ method: 'POST', path: '/api/telemetry/traces', body, contentType })), SHARE.traces);
  });

  it('POST /api/csp-reports (violation reports)', () => {
    const valid = { 'csp-report': { 'document-uri': 'http://127.0.0.1/', 'effective-directive': 'script-src-elem', 'blocked-uri': 'inline', 'line-number': 1, disposition: 'enforce' } };
    const reportType = fc.oneof(contentType, fc.constantFrom('application/csp-report', 'application/reports+json'));
    return check(fc.record({ body: bodyFor(valid, 'csp-report'), contentType: reportType }).map(({ body, contentType }) => ({ method: 'POST', path: '/api/csp-reports', body, contentType })), SHARE.cspReports);
  });

  it('GET /api/jobs with every query parameter', () => {
    const value = fc.oneof(nastyString, nastyNumber.map(String), fc.constantFrom('true', 'false', 'full_time', 'remote', '20', '0', '51', '-1', '1.5', 'abc'));
    const raw = fc.constantFrom('%', '%E0%A4%A', '%00', '%FF%FE', '%C0%AF', '%ED%A0%80', '&&&', '=', 'q', 'limit=1&limit=2', `q=${'a'.repeat(17_000)}`); // the last is over Node's 16 KiB header limit
    const query = fc.array(fc.oneof(fc.tuple(fc.constantFrom('q', 'location', 'remote', 'type', 'tag', 'cursor', 'limit', 'page', '__proto__'), value).map(([key, val]) => `${key}=${encodeURIComponent(val.replace(/[\ud800-\udfff]/g, '\ufffd'))}`), raw), { maxLength: 5 });
    return check(query.map((parts) => ({ method: 'GET', path: `/api/jobs?${parts.join('&')}` })), SHARE.listJobs);
  });

  it('GET /api/jobs/{id} with any id', () => {
    const id = fc.oneof(fc.uuid(), fc.string({ maxLength: 80 }).map((text) => encodeURIComponent(text.replace(/[\ud800-\udfff]/g, '\ufffd'))), fc.constantFrom('%00', '%2e%2e', '..%2F', '%E0%A4%A', '-1', '0', 'null', '9'.repeat(400)));
    return check(id.map((text) => ({ method: 'GET', path: `/api/jobs/${text || 'x'}` })), SHARE.getJob);
  });
});

describe('nothing stored from a rejected request', () => {
  it('the employer has exactly the jobs answered 201; the candidate exactly the applications answered 201; the PATCHed job is as the last 200 left it', async () => {
    let cursor: string | null = null;
    let jobs = 0;
    do {
      const reply: Awaited<ReturnType<typeof call>> = await call('GET', `/api/jobs?limit=50&q=${encodeURIComponent(companyName)}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
      jobs += (reply.body.jobs as Array<{ company: { name: string } }>).filter((job) => job.company.name === companyName).length;
      cursor = reply.body.nextCursor;
    } while (cursor);
    expect(jobs).toBe(1 + accepted.jobs.size); // candidateEmployerAndJob posted one
    const mine = (await call('GET', '/api/me/applications', { session: candidate })).body.applications as Array<{ id: string }>;
    expect(mine.map((application) => application.id).sort()).toEqual([...accepted.applications].sort());
    // With the owner's session: a fuzzed PATCH may have closed it, and a closed job is 404 to others.
    expect((await call('GET', `/api/jobs/${patchJob}`, { session: owner })).body.job).toEqual(lastPatched);
  });
});
