// The breaker-open fast path decides alone only what the routes would answer in that state, and
// steps aside the moment the half-open probe is due (the probe must reach the breaker).
import type http from 'node:http';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';

process.env.DATA_DIR = mkdtempSync(path.join(tmpdir(), 'fast-path-'));
process.env.DB_BREAKER_HALF_OPEN_AFTER_MS = '30000';
process.env.DB_BREAKER_MIN_CALLS = '10';
process.env.DB_READ_RETRIES = '0';
process.env.LOG_LEVEL = 'silent';

const { answerWhileBreakerOpen } = await import('./breaker-fast-path');
const { dbPolicies, runDbCall } = await import('../resilience/policy');
const { withLastKnownGood } = await import('../resilience/fallback-cache');
const { listCacheKey, jobCacheKey } = await import('../jobs/cache-keys');
const { resetProcessSingletons } = await import('../process-singleton');

const OPEN_JOB = '00000000-5eed-7000-8000-000000000001';
const CLOSED_JOB = '00000000-5eed-7000-8000-000000000002';
const row = (id: string, status: string) => ({
  id,
  title: 'Platform engineer',
  description: 'Keep it up.',
  location: 'Remote',
  remote: true,
  employmentType: 'full_time',
  salaryMin: null,
  salaryMax: null,
  tags: ['sre'],
  status,
  createdAt: new Date('2026-11-01T00:00:00Z'),
  updatedAt: new Date('2026-11-01T00:00:00Z'),
  company: { id: 'c1', name: 'Acme', website: null, ownerId: 'owner-1' },
});
const page = { jobs: [{ id: OPEN_JOB, title: 'Platform engineer' }], nextCursor: null };

type Sent = { status: number; headers: Record<string, string>; body: Record<string, unknown> };
const PASSED = 'passed to Next';

/**
 * Calls the fast path with a fake request: PASSED when it left the request to Next, else what it
 * sent. A request it claims must be answered (within a second): claiming one and writing nothing
 * fails here instead of looking like a pass.
 */
async function ask(method: string, url: string, cookie = ''): Promise<Sent | typeof PASSED> {
  let sent: Sent | undefined;
  let ended!: () => void;
  const done = new Promise<void>((resolve) => (ended = resolve));
  const req = { method, url, headers: cookie ? { cookie } : {} } as unknown as http.IncomingMessage;
  const res = {
    writeHead(status: number, headers: Record<string, string>) {
      sent = { status, headers, body: {} };
    },
    end(payload: string) {
      sent!.body = JSON.parse(payload);
      ended();
    },
  } as unknown as http.ServerResponse;
  if (!answerWhileBreakerOpen(req, res)) return PASSED;
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([done, new Promise((_, reject) => (timer = setTimeout(() => reject(new Error(`${method} ${url}: claimed but never answered`)), 1_000)))]).finally(() =>
    clearTimeout(timer),
  );
  return sent!;
}

const SESSION = 'better-auth.session_token=abc.def';
const unreachable = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' });

/** A fresh process state (breaker closed, no copies), then the copies successful reads leave. */
async function freshStateWithCopies() {
  resetProcessSingletons();
  await withLastKnownGood('listJobs', listCacheKey({ limit: 5 }), async () => page);
  await withLastKnownGood('getJob', jobCacheKey(OPEN_JOB), async () => row(OPEN_JOB, 'open'));
  await withLastKnownGood('getJob', jobCacheKey(CLOSED_JOB), async () => row(CLOSED_JOB, 'closed'));
}

beforeAll(() => vi.useFakeTimers({ toFake: ['Date'], now: new Date('2026-11-23T12:00:00Z') }));
afterAll(() => {
  vi.useRealTimers();
  resetProcessSingletons();
});

describe('breaker closed', () => {
  beforeEach(freshStateWithCopies);

  it('answers nothing: every request goes to Next', async () => {
    expect(dbPolicies().state()).toBe('closed');
    expect(await ask('GET', '/api/jobs?limit=5')).toBe(PASSED);
    expect(await ask('POST', `/api/jobs/${OPEN_JOB}/applications`, SESSION)).toBe(PASSED);
  });
});

describe('breaker open, probe not yet due', () => {
  beforeEach(async () => {
    await freshStateWithCopies();
    for (let i = 0; i < 12; i++) await runDbCall('write', () => Promise.reject(unreachable)).catch(() => undefined);
    expect(dbPolicies().state()).toBe('open');
    expect(dbPolicies().refusingCalls()).toBe(true);
  });

  it('serves the last-known-good list and open job, marked degraded', async () => {
    const list = (await ask('GET', '/api/jobs?limit=5')) as Sent;
    expect(list).toMatchObject({ status: 200, headers: { 'X-Degraded': 'db-unavailable', 'Cache-Control': 'no-store' } });
    expect(list.body).toEqual({ ...page, degraded: true });
    const job = (await ask('GET', `/api/jobs/${OPEN_JOB}`)) as Sent;
    expect(job.status).toBe(200);
    expect(job.body).toMatchObject({ job: { id: OPEN_JOB, createdAt: '2026-11-01T00:00:00.000Z', company: { name: 'Acme' } }, degraded: true });
    expect(JSON.stringify(job.body)).not.toContain('owner-1'); // the route's view, not the raw row
  });

  it('answers 503 with Retry-After to the probe when there is no copy', async () => {
    const reply = await ask('GET', '/api/jobs?q=never-read');
    expect(reply).toMatchObject({ status: 503, headers: { 'Retry-After': '30' }, body: { error: { code: 'db_unavailable', retryAfter: 30 } } });
  });

  it('refuses the writes of signed-in clients with 503 and Retry-After', async () => {
    vi.setSystemTime(Date.now() + 10_000);
    for (const [method, url] of [
      ['POST', `/api/jobs/${OPEN_JOB}/applications`],
      ['POST', '/api/jobs'],
      ['PATCH', `/api/jobs/${OPEN_JOB}`],
    ] as const) {
      expect(await ask(method, url, SESSION)).toMatchObject({ status: 503, headers: { 'Retry-After': '20' }, body: { error: { code: 'db_unavailable' } } });
    }
  });

  it("leaves to Next what it cannot decide: bad queries, closed or malformed jobs, trailing slashes, anonymous writes, auth, other routes", async () => {
    expect(await ask('GET', '/api/jobs?limit=abc')).toBe(PASSED);
    expect(await ask('GET', '/api/jobs?unknown=1')).toBe(PASSED);
    expect(await ask('GET', `/api/jobs/${CLOSED_JOB}`)).toBe(PASSED);
    expect(await ask('GET', '/api/jobs/not-a-uuid')).toBe(PASSED);
    expect(await ask('GET', '/api/jobs/?limit=5')).toBe(PASSED); // Next's 308 to /api/jobs
    expect(await ask('GET', `/api/jobs/${OPEN_JOB}/applications`, SESSION)).toBe(PASSED);
    expect(await ask('POST', `/api/jobs/${OPEN_JOB}/applications`)).toBe(PASSED);
    expect(await ask('POST', '/api/auth/sign-up/email')).toBe(PASSED);
    expect(await ask('GET', '/api/me/applications', SESSION)).toBe(PASSED);
    expect(await ask('GET', '/jobs')).toBe(PASSED);
  });

  it('steps aside once the half-open probe is due', async () => {
    vi.setSystemTime(Date.now() + 30_000);
    expect(dbPolicies().refusingCalls()).toBe(false);
    expect(await ask('GET', '/api/jobs?limit=5')).toBe(PASSED);
    expect(await ask('POST', `/api/jobs/${OPEN_JOB}/applications`, SESSION)).toBe(PASSED);
  });
});
