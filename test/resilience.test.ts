// Chaos tests: the built server on a real Postgres behind a fault-injecting TCP proxy.
// Small thresholds keep them quick: 500 ms call timeout, breaker opens at ≥ 50 % of ≥ 10 calls
// in 10 s, half-opens after 3 s. Needs DATABASE_URL (CI sets it); without it they are skipped.
import { describe, expect, it } from 'vitest';
import { percentile, timedFetch, waitFor } from './support/measure';
import { behindProxyEachTest } from './support/behind-proxy';
import { cookieHeader } from './support/cookies';

const databaseUrl = process.env.DATABASE_URL;
const SEED_JOB = '00000000-5eed-7000-8000-0000001e8481';
const FAST = { DB_TIMEOUT_MS: '500', DB_BREAKER_HALF_OPEN_AFTER_MS: '3000', DB_BREAKER_WINDOW_MS: '10000', DB_BREAKER_MIN_CALLS: '10', DB_RETRY_BASE_MS: '20' };
const startBehindProxy = behindProxyEachTest(databaseUrl, FAST);

async function signUp(baseUrl: string, role: 'candidate' | 'employer') {
  const email = `${role}-${Math.random().toString(36).slice(2, 10)}@chaos.jobboard.test`;
  const response = await fetch(`${baseUrl}/api/auth/sign-up/email`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ name: role, email, password: 'correct horse battery', role }) });
  expect(response.status).toBe(200);
  return cookieHeader(response.headers);
}

const letter = { coverLetter: 'Resilience matters to me: I have kept services up through many database incidents.' };
const apply = (baseUrl: string, cookie: string, jobId = SEED_JOB) =>
  timedFetch(`${baseUrl}/api/jobs/${jobId}/applications`, { method: 'POST', headers: { 'content-type': 'application/json', cookie }, body: JSON.stringify(letter) });
/** The request_completed log lines in `output` (the server's own view of each request). */
const serverDurations = (output: string) =>
  output
    .split('\n')
    .filter((line) => line.includes('"event":"request_completed"'))
    .map((line) => JSON.parse(line) as { route: string; status: number; duration_ms: number });
const breakerState = async (baseUrl: string) => (await timedFetch(`${baseUrl}/api/readyz`)).body.checks.circuit_breaker.detail as string;

describe.skipIf(!databaseUrl)('database faults', () => {
  it('hanging database: calls end at the timeout, the breaker opens, reads turn degraded and fast, writes 503 fast, then it heals', async () => {
    const { server, proxy } = await startBehindProxy();
    const cookie = await signUp(server.url, 'candidate');
    // Warm the last-known-good copies.
    const warmList = await timedFetch(`${server.url}/api/jobs?limit=5`);
    const warmJob = await timedFetch(`${server.url}/api/jobs/${SEED_JOB}`);
    expect([warmList.status, warmJob.status]).toEqual([200, 200]);

    await proxy.setMode({ kind: 'blackhole' });
    // Applying starts with two reads, each ending after its timeout and two retries: the session
    // (writes check it in the database, docs/security.md "Sessions"; on failure the signed cookie
    // cache names the caller) and the job (is it open?). Once the breaker opens, both fail fast.
    const firstWrite = await apply(server.url, cookie);
    expect(firstWrite.status).toBe(503);
    expect(firstWrite.ms).toBeGreaterThanOrEqual(2 * 3 * 450);
    expect(firstWrite.ms).toBeLessThan(2 * 3 * 500 + 1_000);
    // The breaker judges the failure rate of live traffic in its 10 s window (which still holds the
    // sign-up's and warm-up's successes): keep uncached reads coming until it opens.
    const openingStarted = performance.now();
    for (let batch = 0; !(await breakerState(server.url)).startsWith('open'); batch++) {
      expect(performance.now() - openingStarted).toBeLessThan(20_000);
      const uncached = await Promise.all(Array.from({ length: 4 }, (_, i) => timedFetch(`${server.url}/api/jobs?q=hang-${batch}-${i}`)));
      for (const reply of uncached) {
        expect(reply.status).toBe(503);
        expect(reply.body.error.code).toBe('db_unavailable');
        expect(reply.ms).toBeLessThan(3 * 500 + 1_000);
      }
    }
    expect(server.output()).toContain('"event":"circuit_opened"');
    expect(server.output()).toContain('"event":"db_timeout"');

    // Breaker open: reads from the copy, fast; writes refused fast with Retry-After.
    // (Steady state: 20 warm-up calls of each kind are not measured.)
    for (let i = 0; i < 20; i++) {
      await timedFetch(`${server.url}/api/jobs${i % 2 ? '?limit=5' : `/${SEED_JOB}`}`);
      await apply(server.url, cookie);
    }
    await new Promise((resolve) => setTimeout(resolve, 100)); // the warm-up's log lines
    const measuredFrom = server.output().length;
    const reads: number[] = [];
    for (let i = 0; i < 300; i++) {
      const reply = await timedFetch(`${server.url}/api/jobs${i % 2 ? '?limit=5' : `/${SEED_JOB}`}`);
      expect(reply.status).toBe(200);
      // Exactly what was served before the outage, marked degraded.
      expect(reply.body).toEqual({ ...(i % 2 ? warmList.body : warmJob.body), degraded: true });
      expect(reply.headers.get('x-degraded')).toBe('db-unavailable');
      expect(reply.headers.get('x-trace-id')).toMatch(/^[0-9a-f]{32}$/);
      reads.push(reply.ms);
    }
    const writes: number[] = [];
    for (let i = 0; i < 100; i++) {
      const reply = await apply(server.url, cookie);
      expect(reply.status).toBe(503);
      expect(reply.body.error.code).toBe('db_unavailable');
      const retryAfter = Number(reply.headers.get('retry-after'));
      expect(retryAfter).toBeGreaterThanOrEqual(1);
      expect(retryAfter).toBeLessThanOrEqual(3);
      writes.push(reply.ms);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
    const served = serverDurations(server.output().slice(measuredFrom));
    const noCopy = await timedFetch(`${server.url}/api/jobs?q=never-cached`);
    expect(noCopy.status).toBe(503);
    expect(noCopy.body.error.code).toBe('db_unavailable');
    expect(noCopy.ms).toBeLessThan(50);
    // What the breaker cannot decide is still Next's: a bad query is a 400, a write without a
    // session a 401 — never a 503 for the caller's own mistake.
    expect((await timedFetch(`${server.url}/api/jobs?limit=abc`)).status).toBe(400);
    expect((await apply(server.url, '')).status).toBe(401);
    expect((await timedFetch(`${server.url}/api/healthz`)).status).toBe(200);
    expect(server.output()).toContain('"event":"fallback_served"');
    const serverReads = served.filter((line) => line.status === 200 && line.route.startsWith('/api/jobs')).map((line) => line.duration_ms);
    const serverWrites = served.filter((line) => line.status === 503 && line.route === '/api/jobs/[id]/applications').map((line) => line.duration_ms);
    expect(serverReads).toHaveLength(300);
    expect(serverWrites).toHaveLength(100);
    console.log(
      `[measured] breaker open, as this test's client sees it: degraded reads p50 ${percentile(reads, 50).toFixed(1)} / p99 ${percentile(reads, 99).toFixed(1)} ms, writes 503 p50 ${percentile(writes, 50).toFixed(1)} / p99 ${percentile(writes, 99).toFixed(1)} ms; ` +
        `in the server: reads p99 ${percentile(serverReads, 99).toFixed(1)} ms, writes p99 ${percentile(serverWrites, 99).toFixed(1)} ms`,
    );
    // The issue's targets, in the server (request_completed.duration_ms): the client's own time
    // on these shared 2 cores (its fetch, its GC) is measured above but is not the service's.
    expect(percentile(serverReads, 99)).toBeLessThanOrEqual(5);
    expect(percentile(serverWrites, 99)).toBeLessThanOrEqual(10);
    expect(percentile(reads, 99)).toBeLessThanOrEqual(25);
    expect(percentile(writes, 99)).toBeLessThanOrEqual(25);

    // The database returns: the half-open probe closes the breaker; fresh data, not degraded.
    await proxy.setMode({ kind: 'pass' });
    const healed = performance.now();
    await waitFor(async () => {
      const reply = await timedFetch(`${server.url}/api/jobs?limit=5`);
      return reply.status === 200 && reply.body.degraded === undefined;
    }, 6_000, 200);
    const healMs = performance.now() - healed;
    expect(healMs).toBeLessThanOrEqual(3_000 + 1_000);
    expect(await breakerState(server.url)).toBe('closed');
    expect(server.output()).toContain('"event":"circuit_closed"');
    expect(server.child.exitCode).toBeNull();
    console.log(`[measured] fresh data again ${healMs.toFixed(0)} ms after the database returned (half-open after 3000 ms)`);
  });

  it('200 ms of added latency (below the default 3 s timeout): no breaker trip, no errors', async () => {
    const { server, proxy } = await startBehindProxy({ DB_TIMEOUT_MS: '3000' });
    await proxy.setMode({ kind: 'latency', ms: 200 });
    const replies = await Promise.all(Array.from({ length: 30 }, (_, i) => timedFetch(`${server.url}/api/jobs?limit=${(i % 10) + 1}`)));
    expect(replies.map((reply) => reply.status)).toEqual(Array(30).fill(200));
    expect(replies.every((reply) => reply.body.degraded === undefined)).toBe(true);
    expect(await breakerState(server.url)).toBe('closed');
    expect(server.output()).not.toContain('circuit_opened');
  });

  it('intermittent failures (every third query reset): below the 50 % threshold the breaker stays closed; reads are retried; nothing is a 500', async () => {
    // No warm-up rounds: their successes would sit in the breaker's 10 s window and dilute the
    // failure ratios this test sets up.
    const { server, proxy } = await startBehindProxy({ DB_BREAKER_HALF_OPEN_AFTER_MS: '60000', WARM_UP_MAX_MS: '0' });
    await proxy.setMode({ kind: 'flaky', every: 3 });
    const statuses: number[] = [];
    for (let i = 0; i < 40; i++) statuses.push((await timedFetch(`${server.url}/api/jobs?limit=${(i % 20) + 1}&q=engineer`)).status);
    expect(statuses.filter((status) => status >= 500 && status !== 503)).toEqual([]);
    const ok = statuses.filter((status) => status === 200).length;
    expect(ok / statuses.length).toBeGreaterThanOrEqual(0.9);
    expect(await breakerState(server.url)).toBe('closed');

    // Every query failing is above the threshold: the breaker opens.
    await proxy.setMode({ kind: 'flaky', every: 1 });
    for (let i = 0; i < 12; i++) await timedFetch(`${server.url}/api/jobs?q=flaky${i}`);
    expect(await breakerState(server.url)).toMatch(/^open/);
    console.log(`[measured] 1-in-3 resets: ${ok}/${statuses.length} reads answered 200, breaker closed; 100 % resets: breaker open after ≤ 12 requests`);
  });

  it('a burst of 500 concurrent requests on a slow database is shed fast with 503, nobody waits past the deadline, and service resumes at once', async () => {
    // The database's bulkhead is what is under test: the admission queue in front of it (4 at once by
    // default, lib/resilience/admission.test.ts) is opened wide so the burst reaches the database.
    const { server, proxy } = await startBehindProxy({
      DB_TIMEOUT_MS: '3000',
      DATABASE_POOL_SIZE: '10',
      DB_BULKHEAD_QUEUE: '20',
      REQUEST_DEADLINE_MS: '8000',
      LOAD_SHED_MAX_CONCURRENT: '500',
    });
    await proxy.setMode({ kind: 'latency', ms: 200 });
    const started = performance.now();
    const replies = await Promise.all(Array.from({ length: 500 }, (_, i) => timedFetch(`${server.url}/api/jobs?q=burst${i}`)));
    const wall = performance.now() - started;
    const byStatus = (status: number) => replies.filter((reply) => reply.status === status);
    expect(byStatus(200).length + byStatus(503).length).toBe(500);
    expect(byStatus(503).length).toBeGreaterThan(0);
    expect(byStatus(200).length).toBeGreaterThanOrEqual(10);
    for (const reply of byStatus(503)) expect(reply.headers.get('retry-after')).toBe('1');
    expect(Math.max(...replies.map((reply) => reply.ms))).toBeLessThan(8_000);
    const shedP50 = percentile(byStatus(503).map((reply) => reply.ms), 50);
    // Shed means answered without waiting for the database: faster than the requests it served.
    expect(shedP50).toBeLessThan(percentile(byStatus(200).map((reply) => reply.ms), 50));
    await proxy.setMode({ kind: 'pass' });
    const after = await timedFetch(`${server.url}/api/jobs?q=after-burst`);
    expect(after.status).toBe(200);
    expect(after.ms).toBeLessThan(1_000);
    expect(await breakerState(server.url)).toBe('closed');
    console.log(`[measured] 500-request burst: ${byStatus(200).length} served, ${byStatus(503).length} shed (p50 ${shedP50.toFixed(0)} ms), slowest ${Math.max(...replies.map((r) => r.ms)).toFixed(0)} ms, wall ${wall.toFixed(0)} ms; next request ${after.ms.toFixed(0)} ms`);
  });

  it('duplicate applications (unique violations) never count toward opening the breaker', async () => {
    const { server } = await startBehindProxy();
    const cookie = await signUp(server.url, 'candidate');
    expect((await apply(server.url, cookie)).status).toBe(201);
    for (let i = 0; i < 25; i++) expect((await apply(server.url, cookie)).status).toBe(409);
    expect(await breakerState(server.url)).toBe('closed');
    expect(server.output()).not.toContain('circuit_opened');
  });
});
