// Admission control: at most `maxConcurrent` requests are worked on at once; the rest wait in a
// FIFO queue, and when the queue stands (its oldest request has waited longer than `queueTargetMs`)
// new arrivals are refused at once. Without it, every accepted request shares the CPU with every
// other: under twice the load the machine can carry, all of them got slow together (p99 2.1 s
// measured) instead of most being served on time and the excess told to come back.
// The idea is CoDel's: a queue is fine, a queue that does not drain is not (docs/operations.md).
import { AsyncResource } from 'node:async_hooks';

export type AdmissionStats = { active: number; queued: number; maxConcurrent: number };
export type Admission = {
  /** Runs `work` now or when a slot frees up; calls `refuse` instead when the queue stands. */
  admit(work: () => Promise<unknown> | void, refuse: () => void, isGone?: () => boolean): Promise<void>;
  stats(): AdmissionStats;
};

type Waiting = { run: () => void; isGone: () => boolean; drop: () => void; enqueuedAt: number };

export function createAdmission({ maxConcurrent, queueTargetMs, now = () => performance.now() }: { maxConcurrent: number; queueTargetMs: number; now?: () => number }): Admission {
  let active = 0;
  const queue: Waiting[] = [];

  const release = () => {
    active--;
    // Requests whose client already went away are dropped without being worked on.
    while (queue.length > 0 && active < maxConcurrent) {
      const next = queue.shift()!;
      if (next.isGone()) next.drop();
      else next.run();
    }
  };

  const start = (work: () => Promise<unknown> | void): Promise<void> => {
    active++;
    let result: Promise<unknown> | void;
    try {
      result = work();
    } catch (error) {
      release();
      return Promise.reject(error);
    }
    return Promise.resolve(result).then(
      () => release(),
      (error: unknown) => {
        release();
        throw error;
      },
    );
  };

  return {
    admit(work, refuse, isGone = () => false) {
      if (active < maxConcurrent && queue.length === 0) return start(work);
      const oldest = queue[0];
      if (oldest && now() - oldest.enqueuedAt > queueTargetMs) {
        refuse();
        return Promise.resolve();
      }
      return new Promise<void>((resolve, reject) => {
        // Runs later, from another request's completion: keep this request's async context
        // (its trace span and request facts) rather than inheriting that one's.
        const run = AsyncResource.bind(() => start(work).then(resolve, reject));
        queue.push({ run, isGone, drop: () => resolve(), enqueuedAt: now() });
      });
    },
    stats: () => ({ active, queued: queue.length, maxConcurrent }),
  };
}
