// In-process sliding window with the same algorithm and result as @upstash/ratelimit's
// slidingWindow: the previous fixed window counts in proportion to how much of it still
// overlaps the sliding window. Per process: with N instances the effective limit is N× — which
// is why production uses Redis/Upstash, and why this is only the fallback when they fail.
export type LimitResult = { success: boolean; limit: number; remaining: number; reset: number };

type Entry = { window: number; current: number; previous: number; windowMs: number };

export class MemorySlidingWindow {
  private readonly entries = new Map<string, Entry>();
  private nextSweep = 0;

  constructor(private readonly now: () => number = Date.now) {}

  limit(key: string, limit: number, windowMs: number): LimitResult {
    const now = this.now();
    const window = Math.floor(now / windowMs);
    this.sweep(now);
    const entry = this.roll(this.entries.get(key), window, windowMs);
    const weightedPrevious = Math.floor((1 - (now % windowMs) / windowMs) * entry.previous);
    const reset = (window + 1) * windowMs;
    if (weightedPrevious + entry.current >= limit) {
      this.entries.set(key, entry);
      return { success: false, limit, remaining: 0, reset };
    }
    entry.current += 1;
    this.entries.set(key, entry);
    return { success: true, limit, remaining: Math.max(0, limit - (entry.current + weightedPrevious)), reset };
  }

  private roll(entry: Entry | undefined, window: number, windowMs: number): Entry {
    if (entry?.window === window) return entry;
    if (entry?.window === window - 1) return { window, current: 0, previous: entry.current, windowMs };
    return { window, current: 0, previous: 0, windowMs };
  }

  /** Forgets keys idle for two windows, at most once a minute, so memory stays bounded. */
  private sweep(now: number) {
    if (now < this.nextSweep) return;
    this.nextSweep = now + 60_000;
    for (const [key, entry] of this.entries) {
      if (entry.window < Math.floor(now / entry.windowMs) - 1) this.entries.delete(key);
    }
  }

  get size() {
    return this.entries.size;
  }
}
