import { describe, expect, it, vi } from 'vitest';
import { withTimeout } from './with-timeout';

describe('withTimeout', () => {
  it('settles with the work when it is in time, and clears its timer', async () => {
    vi.useFakeTimers();
    try {
      const result = withTimeout(Promise.resolve('done'), 100, 'work');
      await expect(result).resolves.toBe('done');
      expect(vi.getTimerCount()).toBe(0);
    } finally {
      vi.useRealTimers();
    }
  });

  it('rejects naming what timed out, after exactly the given time', async () => {
    vi.useFakeTimers();
    try {
      const result = withTimeout(new Promise(() => {}), 300, 'rate limiter');
      const outcome = expect(result).rejects.toThrow('rate limiter timed out after 300 ms');
      await vi.advanceTimersByTimeAsync(299);
      expect(vi.getTimerCount()).toBe(1);
      await vi.advanceTimersByTimeAsync(1);
      await outcome;
    } finally {
      vi.useRealTimers();
    }
  });
});
