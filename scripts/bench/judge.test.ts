import { describe, expect, it } from 'vitest';
import { exitCodeFor, judge, median, warmGroups, type Window, windowOf } from './judge.mjs';

/** A window in which the controls cost 2 ms and 2·aa ms per request and the variant `ratio` times their mean. */
function win(variant: string, set: string, ratio: number, aa = 1): Window {
  const controls = (2 + 2 * aa) / 2;
  return windowOf(variant, set, { requests: 1000, cpuMs: 2000 }, { requests: 500, cpuMs: 1000 * aa }, { requests: 400, cpuMs: 400 * ratio * controls });
}

/** A run of every set, `rounds` windows each, with the ratios and set A/As given. */
function run(
  values: Partial<Record<'traced0' | 'traced10' | 'traced100' | 'disabledC' | 'bare' | 'bareApi' | 'raw' | 'apply', number>>,
  aa: Partial<Record<'traced' | 'identity' | 'framework' | 'raw' | 'write', number>> = {},
  rounds = 3,
) {
  const sets: [string, string[], number][] = [
    ['traced100+traced10+traced0', ['traced100', 'traced10', 'traced0'], aa.traced ?? 1],
    ['disabledC', ['disabledC'], aa.identity ?? 1],
    ['bare+bareApi', ['bare', 'bareApi'], aa.framework ?? 1],
    ['raw', ['raw'], aa.raw ?? 1],
    ['apply', ['apply'], aa.write ?? 1],
  ];
  const pairs: Window[] = [];
  for (let round = 0; round < rounds; round++)
    for (const [label, keys, setAa] of sets)
      for (const key of keys) {
        const value = values[key as keyof typeof values];
        if (value !== undefined) pairs.push(win(key, label, value, setAa));
      }
  return pairs;
}

const healthy = { traced0: 1.0, traced10: 1.04, traced100: 1.08, disabledC: 1.0, bare: 0.52, bareApi: 0.53, raw: 0.04, apply: 5.8 };
const goal = (verdict: ReturnType<typeof judge>, prefix: string) => verdict.goals.find((g) => g.goal.startsWith(prefix))!;

describe('the bench verdicts', () => {
  it('takes a window’s ratio from CPU per request against the controls’ mean, and its A/A as B over A', () => {
    const w = windowOf('traced0', 'traced', { requests: 100, cpuMs: 200 }, { requests: 100, cpuMs: 220 }, { requests: 50, cpuMs: 126 });
    expect(w.aa).toBeCloseTo(1.1, 10);
    expect(w.ratio).toBeCloseTo(2.52 / 2.1, 10);
  });

  it('takes medians, so one lumpy window does not decide a variant', () => {
    expect(median([1.0, 1.4, 1.02])).toBe(1.02);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    const verdict = judge({ pairs: [win('traced0', 't', 1.0), win('traced0', 't', 1.6), win('traced0', 't', 1.01), win('disabledC', 'c', 1)], controlsCpuMs: 2, bareApiCpuMs: 1 });
    expect(verdict.ratios.traced0).toBe(1.01);
  });

  it('judges every goal of a clean run and meets those within their targets', () => {
    const verdict = judge({ pairs: run(healthy), controlsCpuMs: 2, bareApiCpuMs: 1.06 });
    expect(verdict.identity).toMatchObject({ valid: true, windows: 3 });
    expect(verdict.goals.map((g) => [g.judged, g.met])).toEqual(Array(5).fill([true, true]));
    expect(verdict.ratios).toMatchObject({ jobsVsBare: 0.52, proxyShareMs: 0.02, traced100: 1.08, applyVsJobs: 5.8 });
    expect(verdict.ratios.frameworkVsRaw).toBeCloseTo(0.04 / 0.52, 3);
    expect(verdict).toMatchObject({ judged: true, failed: false, aaValid: true });
  });

  it('fails a goal missed by more than the spread, and exits 1 for it unless reporting', () => {
    const verdict = judge({ pairs: run({ ...healthy, traced100: 1.2 }, { traced: 1.01 }), controlsCpuMs: 2, bareApiCpuMs: 1.06 });
    expect(goal(verdict, 'tracing 100 %')).toMatchObject({ judged: true, met: false, missedBeyondSpread: true, aa: 1.01 });
    expect(verdict.failed).toBe(true);
    expect(exitCodeFor({ failed: verdict.failed, report: false })).toBe(1);
    expect(exitCodeFor({ failed: verdict.failed, report: true })).toBe(0);
    expect(exitCodeFor({ failed: false, report: false })).toBe(0);
  });

  it('counts a miss within the larger of the set’s spread and the identity check’s as noise', () => {
    // 0 % at 1.05 against 1.03: the traced set's A/A at 1.04 gives slack 0.041.
    const bySet = judge({ pairs: run({ ...healthy, traced0: 1.05 }, { traced: 1.04 }), controlsCpuMs: 2, bareApiCpuMs: 1 });
    expect(goal(bySet, 'tracing 0 %')).toMatchObject({ judged: true, met: false, missedBeyondSpread: false });
    // The same miss with the set's controls agreeing exactly but the identity check 4 % off.
    const byIdentity = judge({ pairs: run({ ...healthy, traced0: 1.05, disabledC: 0.96 }), controlsCpuMs: 2, bareApiCpuMs: 1 });
    expect(goal(byIdentity, 'tracing 0 %')).toMatchObject({ judged: true, met: false, missedBeyondSpread: false });
    // And with both at 1 %, the same reading is a miss.
    const tight = judge({ pairs: run({ ...healthy, traced0: 1.05, disabledC: 1.01 }, { traced: 1.01 }), controlsCpuMs: 2, bareApiCpuMs: 1 });
    expect(goal(tight, 'tracing 0 %').missedBeyondSpread).toBe(true);
    expect([bySet.failed, byIdentity.failed, tight.failed]).toEqual([false, false, true]);
  });

  it('reads /api/jobs against the bare route as higher-is-better, with its slack below the target', () => {
    const at = (bare: number) => goal(judge({ pairs: run({ ...healthy, bare }, { framework: 1.01 }), controlsCpuMs: 2, bareApiCpuMs: 1 }), '/api/jobs');
    expect(at(0.52)).toMatchObject({ met: true, missedBeyondSpread: false });
    expect(at(0.497)).toMatchObject({ met: false, missedBeyondSpread: false }); // slack 0.01 × 0.5
    expect(at(0.49)).toMatchObject({ met: false, missedBeyondSpread: true });
  });

  it('turns the proxy’s ratio into milliseconds of the controls’ CPU, with its slack in milliseconds of the route’s', () => {
    const verdict = judge({ pairs: run({ ...healthy, bare: 0.5, bareApi: 0.7 }, { framework: 1.03 }), controlsCpuMs: 2, bareApiCpuMs: 1.4 });
    expect(verdict.ratios.proxyShareMs).toBeCloseTo(0.4, 3);
    // Missed by 0.2 ms; the slack is 3 % of 1.4 ms = 0.042 ms.
    expect(goal(verdict, 'proxy')).toMatchObject({ judged: true, met: false, missedBeyondSpread: true });
  });

  it('does not judge the goals of a set whose controls disagree by more than 5 %, and judges the others', () => {
    const verdict = judge({ pairs: run({ ...healthy, traced100: 2.0 }, { traced: 1.06 }), controlsCpuMs: 2, bareApiCpuMs: 1 });
    expect(verdict.goals.filter((g) => g.goal.startsWith('tracing')).every((g) => !g.judged && !g.missedBeyondSpread)).toBe(true);
    expect(goal(verdict, '/api/jobs').judged).toBe(true);
    expect(verdict).toMatchObject({ failed: false, judged: true, aaValid: false });
  });

  it('does not judge a set whose variants read below what they can cost, beyond the noise, and judges the others', () => {
    // Run AA (docs/performance.md): 0 % at 0.869 with the traced set's A/A at 0.980.
    const low = judge({ pairs: run({ ...healthy, traced0: 0.87, traced10: 0.95, traced100: 1.2 }, { traced: 0.98 }), controlsCpuMs: 2, bareApiCpuMs: 1 });
    expect(low.goals.filter((g) => g.goal.startsWith('tracing')).map((g) => [g.judged, g.setBelowFloor])).toEqual(Array(3).fill([false, true]));
    expect(low).toMatchObject({ failed: false, judged: true });
    expect(goal(low, '/api/jobs')).toMatchObject({ judged: true, setBelowFloor: false });
    // Each reason on its own: the traced set's controls agreed, so the floor alone withheld it.
    expect(goal(low, 'tracing 0 %')).toMatchObject({ withinNoise: true, setBelowFloor: true });
    // Within the noise limit (5 %) below the floor, still judged.
    const at = (traced0: number) => goal(judge({ pairs: run({ ...healthy, traced0 }, { traced: 1.04 }), controlsCpuMs: 2, bareApiCpuMs: 1 }), 'tracing 0 %').judged;
    expect([at(0.951), at(0.949)]).toEqual([true, false]);
    // The bare route through /api 0.1 ms cheaper than the bare route (margin 5 % of 1 ms): the framework set is not judged.
    const proxy = judge({ pairs: run({ ...healthy, bare: 0.55, bareApi: 0.5 }), controlsCpuMs: 2, bareApiCpuMs: 1 });
    expect(proxy.ratios.proxyShareMs).toBeCloseTo(-0.1, 3);
    expect([goal(proxy, 'proxy').judged, goal(proxy, '/api/jobs').judged, goal(proxy, 'tracing 0 %').judged]).toEqual([false, false, true]);
    expect(goal(judge({ pairs: run({ ...healthy, bare: 0.52, bareApi: 0.5 }), controlsCpuMs: 2, bareApiCpuMs: 1 }), 'proxy').judged).toBe(true);
  });

  it('judges nothing when the identity check lands outside ±5 %, its own set disagrees, or it was not measured', () => {
    for (const pairs of [
      run({ ...healthy, traced100: 2.0, disabledC: 1.06 }),
      run({ ...healthy, traced100: 2.0, disabledC: 0.94 }),
      run({ ...healthy, traced100: 2.0 }, { identity: 1.06 }),
      run({ ...healthy, traced100: 2.0, disabledC: undefined }),
    ]) {
      const verdict = judge({ pairs, controlsCpuMs: 2, bareApiCpuMs: 1 });
      expect(verdict.identity.valid).toBe(false);
      expect(verdict.goals.some((g) => g.judged)).toBe(false);
      expect(verdict).toMatchObject({ judged: false, failed: false });
    }
  });

  it('judges nothing while profiling', () => {
    const verdict = judge({ pairs: run({ ...healthy, traced100: 2.0 }), controlsCpuMs: 2, bareApiCpuMs: 1, profiling: true });
    expect(verdict).toMatchObject({ judged: false, failed: false });
  });

  it('leaves out the goals of variants not measured (--only)', () => {
    const verdict = judge({ pairs: run({ traced0: 1.0, traced100: 1.05, disabledC: 1.0 }), controlsCpuMs: 2, bareApiCpuMs: 0 });
    expect(verdict.goals.map((g) => g.goal)).toEqual(['tracing 0 % ≤ 1.03× disabled', 'tracing 100 % ≤ 1.10× disabled']);
    expect(Number.isNaN(verdict.ratios.jobsVsBare)).toBe(true);
  });

  it('refuses a run in which every measurement was left out', () => {
    expect(() => judge({ pairs: [], controlsCpuMs: 2, bareApiCpuMs: 1 })).toThrow(/every measurement was left out/);
  });

  it('warms two at a time, the odd one out beside the partner, never alone when one is given', () => {
    expect(warmGroups(['a', 'b', 'c', 'd'], 'spare')).toEqual([['a', 'b'], ['c', 'd']]);
    expect(warmGroups(['a', 'b', 'c'], 'spare')).toEqual([['a', 'b'], ['c', 'spare']]);
    expect(warmGroups(['a', 'b', 'c'], undefined)).toEqual([['a', 'b'], ['c']]);
    expect(warmGroups([], 'spare')).toEqual([]);
  });
});
