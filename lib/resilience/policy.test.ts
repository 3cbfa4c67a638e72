// The database policies on a fake clock: when the breaker opens, half-opens and closes, and how
// many attempts a read and a write get. No database: the calls are functions that fail or succeed.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';

process.env.DATA_DIR = mkdtempSync(path.join(tmpdir(), 'policy-'));
process.env.DB_BREAKER_THRESHOLD = '0.5';
process.env.DB_BREAKER_MIN_CALLS = '10';
process.env.DB_BREAKER_WINDOW_MS = '10000';
process.env.DB_BREAKER_HALF_OPEN_AFTER_MS = '30000';
process.env.DB_READ_RETRIES = '2';
process.env.DB_RETRY_BASE_MS = '50';
process.env.DB_TIMEOUT_MS = '3000';
process.env.LOG_LEVEL = 'silent';

const { dbPolicies, runDbCall, isDatabaseUnavailable } = await import('./policy');
const { resetProcessSingletons } = await import('../process-singleton');
const { requestContext } = await import('../telemetry/request-context');

const unreachable = () => Promise.reject(Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' }));
const duplicate = () => Promise.reject(Object.assign(new Error('Unique constraint failed'), { code: 'P2002' }));
const ok = () => Promise.resolve('row');

/** Runs a call to its end on the fake clock (retries wait on timers); resolves to what it threw or returned. */
async function settle<T>(call: Promise<T>): Promise<T | Error> {
  const outcome = call.then(
    (value) => value,
    (error: Error) => error,
  );
  await vi.runAllTimersAsync();
  return outcome;
}

beforeEach(() => {
  vi.useFakeTimers({ now: new Date('2026-11-24T12:00:00Z') });
  resetProcessSingletons();
});
afterEach(() => {
  vi.useRealTimers();
  resetProcessSingletons();
});

describe('circuit breaker', () => {
  it('opens once more than half of at least 10 calls in the window failed, then refuses at once with Retry-After = seconds to the probe', async () => {
    for (let i = 0; i < 5; i++) await settle(runDbCall('write', ok));
    for (let i = 0; i < 5; i++) await settle(runDbCall('write', unreachable));
    expect(dbPolicies().state()).toBe('closed'); // 5 of 10: not more than half
    await settle(runDbCall('write', unreachable));
    expect(dbPolicies().state()).toBe('open'); // 6 of 11

    let attempts = 0;
    const refused = await settle(runDbCall('write', () => (attempts++, ok())));
    expect(attempts).toBe(0);
    expect(isDatabaseUnavailable(refused)).toBe(true);
    expect(refused).toMatchObject({ reason: 'circuit_open', retryAfterS: 30 });
    vi.advanceTimersByTime(12_000);
    expect(dbPolicies().secondsUntilProbe()).toBe(18);
    expect(dbPolicies().refusingCalls()).toBe(true);
  });

  it('needs the minimum volume: 9 failures in a row do not open it', async () => {
    for (let i = 0; i < 9; i++) await settle(runDbCall('write', unreachable));
    expect(dbPolicies().state()).toBe('closed');
  });

  it('lets one probe through after the half-open delay: success closes it, failure opens it for another full delay', async () => {
    for (let i = 0; i < 10; i++) await settle(runDbCall('write', unreachable));
    expect(dbPolicies().state()).toBe('open');
    vi.advanceTimersByTime(30_000);
    expect(dbPolicies().refusingCalls()).toBe(false);
    await settle(runDbCall('write', unreachable)); // the probe fails
    expect(dbPolicies().state()).toBe('open');
    vi.advanceTimersByTime(29_000);
    expect(dbPolicies().refusingCalls()).toBe(true);
    vi.advanceTimersByTime(1_000);
    expect(await settle(runDbCall('write', ok))).toBe('row'); // the probe succeeds
    expect(dbPolicies().state()).toBe('closed');
  });

  it("never counts the caller's own errors (a duplicate, a missing row) toward opening", async () => {
    for (let i = 0; i < 30; i++) expect(await settle(runDbCall('write', duplicate))).toMatchObject({ code: 'P2002' });
    expect(dbPolicies().state()).toBe('closed');
  });

  it('forgets failures as traffic moves the window on — not by the clock alone (sampling windows rotate on calls)', async () => {
    for (let i = 0; i < 9; i++) await settle(runDbCall('write', unreachable));
    // A quiet 11 s: the 9 failures are still counted, so one more failure with one success opens it.
    vi.advanceTimersByTime(11_000);
    await settle(runDbCall('write', ok));
    await settle(runDbCall('write', unreachable));
    expect(dbPolicies().state()).toBe('open');

    resetProcessSingletons();
    for (let i = 0; i < 9; i++) await settle(runDbCall('write', unreachable));
    // Successes a second apart move through all ten 1 s windows and push the failures out.
    for (let i = 0; i < 10; i++) {
      vi.advanceTimersByTime(1_100);
      await settle(runDbCall('write', ok));
    }
    await settle(runDbCall('write', unreachable));
    expect(dbPolicies().state()).toBe('closed');
  });
});

describe('retries', () => {
  it('retries a failed read twice with backoff, and never a write', async () => {
    let reads = 0;
    expect(await settle(runDbCall('read', () => (reads++, unreachable())))).toMatchObject({ reason: 'unreachable' });
    expect(reads).toBe(3);
    let writes = 0;
    await settle(runDbCall('write', () => (writes++, unreachable())));
    expect(writes).toBe(1);
    let flaky = 0;
    expect(await settle(runDbCall('read', () => (++flaky < 3 ? unreachable() : ok())))).toBe('row');
  });

  it('starts no retry after the request deadline', async () => {
    vi.useRealTimers(); // the query's own delay and the deadline on one clock
    let reads = 0;
    const outcome = await requestContext()
      .run({ deadline: Date.now() + 30 }, () =>
        runDbCall('read', async () => {
          reads++;
          await new Promise((resolve) => setTimeout(resolve, 60)); // the query outlived the request's budget
          return unreachable();
        }),
      )
      .catch((error: Error) => error);
    expect(outcome).toBeInstanceOf(Error);
    expect(reads).toBe(1);
  });

  it('holds no timer once a call has settled: the deadline keeps nothing of the request alive', async () => {
    // A Node 24 timer keeps the async context it was made in (the request's stores, and through
    // them the request). AbortSignal.timeout's timer could not be cleared: every call left one for
    // the rest of the budget, still counted here after a full GC.
    vi.useRealTimers();
    const { queryObjects } = await import('node:v8');
    const probe = setTimeout(() => {}, 0);
    clearTimeout(probe);
    const Timeout = probe.constructor as new () => unknown;
    const live = () => queryObjects(Timeout, { format: 'count' }) as number;
    const before = live();
    await requestContext().run({ deadline: Date.now() + 60_000 }, () => Promise.all(Array.from({ length: 20 }, () => runDbCall('read', ok))));
    expect(live() - before).toBeLessThan(5); // 20 calls: 20 more with a timer left behind per call
  });

  it('does not retry a caller error', async () => {
    let reads = 0;
    await settle(runDbCall('read', () => (reads++, duplicate())));
    expect(reads).toBe(1);
  });
});
