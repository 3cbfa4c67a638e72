// How many requests the admission queue lets work at once, adapted to what the work is waiting on.
// One event loop runs every request. When the loop is saturated (CPU-bound work: rendering,
// serialising), more requests at once only make each turn of the loop longer — measured: at 16
// at once under twice the load, turns of 100–300 ms, and new connections (a platform's health
// checks) waited up to 5.6 s to be accepted (docs/operations.md). When the loop is mostly idle
// (the work waits on a slow database), more at once is what keeps throughput up: at 4 at once,
// a database 200 ms slow turned a burst of 30 requests into 503s.
// So, every `intervalMs`: the loop busy (event-loop utilisation ≥ `saturatedAt`) → the limit
// shrinks by a quarter, down to `min`; the loop with room (< `roomBelow`) while requests queued →
// it grows by half, up to `max`. It starts at `max`. `saturated` tells the admission queue whether a
// standing queue is the CPU's (refuse arrivals) or a slow dependency's (let them wait, bounded).
import { performance } from 'node:perf_hooks';

export type AdaptiveLimitOptions = {
  min: number;
  max: number;
  /** The loop's busy fraction since the last call, 0–1. */
  utilization?: () => number;
  saturatedAt?: number;
  roomBelow?: number;
};

/** The event loop's busy fraction since the previous call. */
export function eventLoopUtilization(): () => number {
  let previous = performance.eventLoopUtilization();
  return () => {
    const current = performance.eventLoopUtilization();
    const delta = performance.eventLoopUtilization(current, previous);
    previous = current;
    return delta.utilization;
  };
}

export function createAdaptiveLimit({ min, max, utilization = eventLoopUtilization(), saturatedAt = 0.95, roomBelow = 0.8 }: AdaptiveLimitOptions) {
  let limit = max;
  let saturated = false;
  return {
    get current() {
      return limit;
    },
    /** Whether the loop was saturated at the last step: a standing queue then means the CPU is the limit. */
    get saturated() {
      return saturated;
    },
    /** One control step; `demand`: requests queued since the last step. Returns the new limit. */
    step(demand: boolean): number {
      const busy = utilization();
      saturated = busy >= saturatedAt;
      if (saturated) limit = Math.max(min, Math.floor(limit * 0.75));
      else if (busy < roomBelow && demand) limit = Math.min(max, Math.ceil(limit * 1.5));
      return limit;
    },
  };
}
