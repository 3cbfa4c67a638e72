import { describe, expect, it } from 'vitest';
import { MemorySlidingWindow } from './memory-limiter';

const HOUR = 3_600_000;

describe('in-memory sliding window (same algorithm as @upstash/ratelimit slidingWindow)', () => {
  it('allows `limit` requests per window, then refuses with the window end as reset', () => {
    let now = 10 * HOUR;
    const limiter = new MemorySlidingWindow(() => now);
    const results = Array.from({ length: 11 }, () => limiter.limit('user:1', 10, HOUR));
    expect(results.map((r) => r.success)).toEqual([...Array(10).fill(true), false]);
    expect(results.map((r) => r.remaining).slice(0, 10)).toEqual([9, 8, 7, 6, 5, 4, 3, 2, 1, 0]);
    expect(results[10]).toMatchObject({ success: false, limit: 10, remaining: 0, reset: 11 * HOUR });
    now += 1;
    expect(limiter.limit('user:2', 10, HOUR).success).toBe(true); // keys are independent
  });

  it('weights the previous window by how much of it still overlaps', () => {
    let now = 10 * HOUR;
    const limiter = new MemorySlidingWindow(() => now);
    for (let i = 0; i < 10; i++) limiter.limit('k', 10, HOUR);
    now = 11 * HOUR; // new window starts: previous counts fully (10) → refused
    expect(limiter.limit('k', 10, HOUR).success).toBe(false);
    now = 11 * HOUR + HOUR / 10 + 1; // 10 % into the window: floor(0.9 × 10) = 8 → 2 allowed
    expect([limiter.limit('k', 10, HOUR).success, limiter.limit('k', 10, HOUR).success, limiter.limit('k', 10, HOUR).success]).toEqual([true, true, false]);
    now = 12 * HOUR + HOUR / 2; // two windows later: the old counts no longer weigh
    expect(limiter.limit('k', 10, HOUR)).toMatchObject({ success: true, remaining: 9 - Math.floor(0.5 * 2) });
  });

  it('forgets idle keys, so memory stays bounded', () => {
    let now = 10 * HOUR;
    const limiter = new MemorySlidingWindow(() => now);
    for (let i = 0; i < 100; i++) limiter.limit(`ip:${i}`, 5, 60_000);
    expect(limiter.size).toBe(100);
    now += 10 * 60_000;
    limiter.limit('ip:new', 5, 60_000);
    expect(limiter.size).toBe(1);
  });
});
