import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
// @ts-expect-error -- a plain .mjs script without types
import { judgeRecovery, MEDIAN_BOUND, p99WithoutWorstSecond } from './recovery.mjs';

type Answer = { at: number; ms: number };
type Row = [at: number, ms: number, status?: number];

// The latencies of the CI run whose recovery check failed under the earlier rule (p99 of the window
// against 2 × the steady phase's best-behaved windows): `at` counts from the phase's start.
const fixture = JSON.parse(readFileSync(path.join(import.meta.dirname, 'fixtures/overload-ci-2458755-latencies.json'), 'utf8')) as {
  steady: Row[];
  recovery: Row[];
};
const answers = (rows: Row[]): Answer[] => rows.filter(([, , status]) => status === undefined).map(([at, ms]) => ({ at, ms }));
const steady = answers(fixture.steady);
const recovery = answers(fixture.recovery);
const settledStart = 5_000;
const settled = recovery.filter((e) => e.at >= settledStart);
const judge = (window: Answer[]) => judgeRecovery({ steady, settled: window, settledStart, seconds: 5, p99BoundMs: 250 });

describe('the overload rehearsal judges recovery on what an overload leaves behind', () => {
  it('passes the CI run whose mark-compact clusters failed the earlier rule, and that rule does fail it', () => {
    const verdict = judge(settled);
    expect(verdict.misses).toEqual([]);
    expect(verdict.medianRatio).toBeGreaterThan(1.3);
    expect(verdict.medianRatio).toBeLessThan(1.6);
    expect(verdict.settledP99Robust).toBeGreaterThan(90);

    const steadyWindowsRobust = [0, 5_000, 10_000, 15_000].map((start) =>
      p99WithoutWorstSecond(steady.filter((e) => e.at >= start && e.at < start + 5_000), start, 5),
    );
    expect(verdict.settledP99Robust).toBeGreaterThan(2 * Math.max(...steadyWindowsRobust));
  });

  it('fails a window where every request still waits behind a backlog', () => {
    const queued = settled.map((e) => ({ ...e, ms: e.ms + 25 }));
    const verdict = judge(queued);
    expect(verdict.medianRatio).toBeGreaterThan(MEDIAN_BOUND);
    expect(verdict.misses).toEqual([expect.stringMatching(/^median .* requests still wait/)]);
  });

  it('fails a window whose tail is over the capacity bound in every second, while its median is fine', () => {
    const slowTail = settled.map((e, i) => (i % 25 === 0 ? { ...e, ms: 400 } : e));
    const verdict = judge(slowTail);
    expect(verdict.medianRatio).toBeLessThan(MEDIAN_BOUND);
    expect(verdict.misses).toEqual([expect.stringMatching(/^p99 400 ms \(without its worst second\) is over the 250 ms/)]);
  });

  it('forgives one slow second, not two', () => {
    // A pause as the CI run's were: one request in twenty of that second.
    const slowSeconds = (seconds: number[]) =>
      settled.map((e, i) => (seconds.includes(Math.floor((e.at - settledStart) / 1000)) && i % 20 === 0 ? { ...e, ms: 600 } : e));
    expect(judge(slowSeconds([2])).misses).toEqual([]);
    expect(judge(slowSeconds([1, 3])).misses).toEqual([expect.stringMatching(/^p99 600 ms/)]);
  });

  it('fails a window with no answer at all', () => {
    expect(judge([]).misses).toEqual(['no request was answered in the window after the overload']);
  });
});
