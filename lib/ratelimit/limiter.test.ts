import { afterEach, describe, expect, it, vi } from 'vitest';
import { loadPolicies } from '../rate-limit-policies';
import { decide } from './limiter';
import { MemorySlidingWindow } from './memory-limiter';

/** A shared limiter that answers, fails or hangs, as the test says. */
function sharedLimiter() {
  let mode: 'answer' | 'fail' | 'hang' = 'answer';
  const limit = vi.fn(async (_key: string) => {
    if (mode === 'fail') throw new Error('ECONNREFUSED');
    if (mode === 'hang') return new Promise<never>(() => {});
    return { success: true, limit: 10, remaining: 9, reset: Date.now() + 60_000 };
  });
  return { limit, set: (next: typeof mode) => (mode = next) };
}

function episode() {
  const events: string[] = [];
  return { events, failure: () => events.push('failure'), success: () => events.push('success') };
}

afterEach(() => vi.useRealTimers());

describe('the limiter falls back to this instance (fake clock)', () => {
  it('decides with the shared limiter while it answers in time', async () => {
    const redis = sharedLimiter();
    const core = { policies: loadPolicies({}), memory: new MemorySlidingWindow(), shared: { backend: 'redis' as const, limiters: { apply: redis } as never }, timeoutMs: 300, episode: episode() };
    await expect(decide(core, 'apply', 'user:1')).resolves.toMatchObject({ success: true, remaining: 9, backend: 'redis', policy: 'apply' });
  });

  it('a hanging shared limiter costs exactly the timeout, then the memory limiter decides, and its limit holds', async () => {
    vi.useFakeTimers({ now: new Date('2026-11-24T10:00:00Z') });
    const redis = sharedLimiter();
    redis.set('hang');
    const told = episode();
    const policies = loadPolicies({ RATE_LIMIT_APPLY: '2/1h' });
    const core = { policies, memory: new MemorySlidingWindow(), shared: { backend: 'redis' as const, limiters: { apply: redis } as never }, timeoutMs: 300, episode: told };

    let settled = false;
    const pending = decide(core, 'apply', 'user:1').finally(() => (settled = true));
    await vi.advanceTimersByTimeAsync(299);
    expect(settled).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    await expect(pending).resolves.toMatchObject({ success: true, backend: 'memory-fallback', limit: 2 });

    const second = decide(core, 'apply', 'user:1');
    await vi.advanceTimersByTimeAsync(300);
    await expect(second).resolves.toMatchObject({ success: true, backend: 'memory-fallback' });
    const third = decide(core, 'apply', 'user:1');
    await vi.advanceTimersByTimeAsync(300);
    await expect(third).resolves.toMatchObject({ success: false, backend: 'memory-fallback' }); // 2 per hour, per instance
    expect(told.events).toEqual(['failure', 'failure', 'failure']);

    // An hour later the window has passed; the shared limiter answers again and the episode ends.
    await vi.advanceTimersByTimeAsync(2 * 60 * 60 * 1000);
    redis.set('answer');
    await expect(decide(core, 'apply', 'user:1')).resolves.toMatchObject({ success: true, backend: 'redis' });
    expect(told.events.at(-1)).toBe('success');
  });

  it('an erroring shared limiter falls back at once, without waiting for the timeout', async () => {
    vi.useFakeTimers();
    const redis = sharedLimiter();
    redis.set('fail');
    const core = { policies: loadPolicies({}), memory: new MemorySlidingWindow(), shared: { backend: 'redis' as const, limiters: { apply: redis } as never }, timeoutMs: 300, episode: episode() };
    await expect(decide(core, 'apply', 'user:1')).resolves.toMatchObject({ backend: 'memory-fallback', success: true });
  });

  it('with no shared limiter, memory decides (not a fallback)', async () => {
    const core = { policies: loadPolicies({}), memory: new MemorySlidingWindow(), shared: { backend: 'memory' as const, limiters: null }, timeoutMs: 300, episode: episode() };
    await expect(decide(core, 'api', 'ip:1')).resolves.toMatchObject({ backend: 'memory', success: true });
    expect(core.episode.events).toEqual([]);
  });
});
