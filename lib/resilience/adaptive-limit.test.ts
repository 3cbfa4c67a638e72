import { describe, expect, it } from 'vitest';
import { createAdaptiveLimit } from './adaptive-limit';

/** A loop whose busy fraction the test sets. */
function loop(initial: number) {
  let busy = initial;
  return { utilization: () => busy, set: (next: number) => (busy = next) };
}

describe('adaptive concurrency limit', () => {
  it('starts at max and shrinks by a quarter per step while the loop is saturated, down to min', () => {
    const l = loop(1);
    const limit = createAdaptiveLimit({ min: 4, max: 16, utilization: l.utilization });
    expect(limit.current).toBe(16);
    expect([1, 2, 3, 4, 5, 6].map(() => limit.step(true))).toEqual([12, 9, 6, 4, 4, 4]);
    expect(limit.saturated).toBe(true);
    l.set(0.5);
    limit.step(false);
    expect(limit.saturated).toBe(false);
  });

  it('grows by half per step while the loop has room and requests queue, up to max', () => {
    const l = loop(1);
    const limit = createAdaptiveLimit({ min: 4, max: 16, utilization: l.utilization });
    for (let i = 0; i < 5; i++) limit.step(true);
    l.set(0.3);
    expect([1, 2, 3, 4].map(() => limit.step(true))).toEqual([6, 9, 14, 16]);
  });

  it('holds between the thresholds, and does not grow without demand', () => {
    const l = loop(1);
    const limit = createAdaptiveLimit({ min: 4, max: 16, utilization: l.utilization });
    limit.step(true); // 12
    l.set(0.9);
    expect(limit.step(true)).toBe(12);
    l.set(0.2);
    expect(limit.step(false)).toBe(12);
    expect(limit.step(true)).toBe(16);
  });
});
