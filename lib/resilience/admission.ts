// Admission control: at most `maxConcurrent` requests are worked on at once; the rest wait in a
// FIFO queue, and when the queue stands (its oldest request has waited longer than `queueTargetMs`,
// unbroken for `standingForMs`) new arrivals are refused at once. Without it, every accepted
// request shares the CPU with every other: under twice the load the machine can carry, all of
// them got slow together (p99 2.1 s measured) instead of most being served on time and the excess
// told to come back.
// The idea is CoDel's: a queue is fine, a queue that does not drain is not (docs/operations.md).
// Like CoDel, a queue must stand for a whole interval before arrivals are refused: a pause of a
// few hundred ms on a busy machine (another process starting, a GC) builds a queue past the target
// that drains by itself, and refusing there turned a 60 % load into 43 503s in a rolling deploy.
// Once refusing, a queue that stands again within the interval is refused at once (an overload
// does not get a fresh interval each time the refusals have drained the queue).
// A standing queue refuses arrivals only while `refuseOnStandingQueue()` says the CPU is the limit:
// when the work waits on a slow database instead, a queue stands too, and refusing a burst there
// helps nobody (a burst of 30 on a database 200 ms slow got 503s). A queued request is refused
// once it has waited `maxWaitMs`: when the work itself is slow, slots free up rarely, and without
// this bound a request admitted to the queue could wait past any deadline its client has.
import { AsyncResource } from 'node:async_hooks';

export type AdmissionStats = { active: number; queued: number; maxConcurrent: number };
export type Admission = {
  /** Runs `work` now or when a slot frees up; calls `refuse` instead when the queue stands or the wait grows too long. */
  admit(work: () => Promise<unknown> | void, refuse: () => void, isGone?: () => boolean): Promise<void>;
  /** Changes how many may be worked on at once (lib/resilience/adaptive-limit.ts); a larger limit starts queued requests now. */
  resize(maxConcurrent: number): void;
  /** Whether a request has queued since the last call (the limit had demand beyond itself). */
  queuedSinceLastAsked(): boolean;
  stats(): AdmissionStats;
};

type Waiting = { run: () => void; isGone: () => boolean; refuse: () => void; done: () => void; enqueuedAt: number };

export function createAdmission({
  maxConcurrent: initialLimit,
  queueTargetMs,
  standingForMs = 0,
  maxWaitMs = Number.POSITIVE_INFINITY,
  refuseOnStandingQueue = () => true,
  now = () => performance.now(),
}: {
  maxConcurrent: number;
  queueTargetMs: number;
  /** How long the queue must stand above the target before arrivals are refused (CoDel's interval); 0: at once. */
  standingForMs?: number;
  maxWaitMs?: number;
  /** Whether a standing queue should refuse arrivals now (the event loop saturated), or only the wait bound applies. */
  refuseOnStandingQueue?: () => boolean;
  now?: () => number;
}): Admission {
  let maxConcurrent = initialLimit;
  let active = 0;
  let queuedSince = false;
  const queue: Waiting[] = [];
  // Since when the queue's head has waited longer than the target, unbroken as far as seen.
  let standingSince: number | undefined;
  let lastRefusedAt = Number.NEGATIVE_INFINITY;
  let sweeper: ReturnType<typeof setInterval> | undefined;

  // From the head: requests whose client went away are dropped, requests that waited too long are
  // refused; neither is worked on.
  const expireHeads = () => {
    const at = now();
    while (queue.length > 0 && (queue[0]!.isGone() || at - queue[0]!.enqueuedAt > maxWaitMs)) {
      const head = queue.shift()!;
      if (!head.isGone()) head.refuse();
      head.done();
    }
    if (queue.length === 0 && sweeper) {
      clearInterval(sweeper);
      sweeper = undefined;
    }
  };

  const startQueued = () => {
    while (queue.length > 0 && active < maxConcurrent) {
      const next = queue.shift()!;
      if (next.isGone()) next.done();
      else next.run();
    }
  };

  const release = () => {
    active--;
    expireHeads();
    startQueued();
    noteHead(now()); // the new head may be young: then the episode is over, even if it stands again later
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

  // Tracks since when the queue's head has waited longer than the target, unbroken as far as seen.
  // The head's own wait proves the queue stood since it passed the target, so the episode starts
  // no later than that.
  const noteHead = (at: number) => {
    const head = queue[0];
    if (!head || at - head.enqueuedAt <= queueTargetMs) standingSince = undefined;
    else standingSince ??= head.enqueuedAt + queueTargetMs;
  };
  // Arrivals are refused when the queue has stood a whole interval, or stands again within an
  // interval of the last refusal.
  const standsTooLong = (at: number): boolean => {
    noteHead(at);
    return standingSince !== undefined && (at - standingSince >= standingForMs || at - lastRefusedAt < standingForMs);
  };

  return {
    admit(work, refuse, isGone = () => false) {
      expireHeads();
      // Nobody to answer (the client left while the request waited for its rate limit, say): not worked on.
      if (isGone()) return Promise.resolve();
      if (active < maxConcurrent && queue.length === 0) return start(work);
      const at = now();
      if (standsTooLong(at) && refuseOnStandingQueue()) {
        lastRefusedAt = at;
        refuse();
        return Promise.resolve();
      }
      return new Promise<void>((resolve, reject) => {
        // Runs later, from another request's completion: keep this request's async context
        // (its trace span and request facts) rather than inheriting that one's.
        const run = AsyncResource.bind(() => start(work).then(resolve, reject));
        queue.push({ run, isGone, refuse: AsyncResource.bind(refuse), done: () => resolve(), enqueuedAt: now() });
        queuedSince = true;
        // While requests wait, the wait bound holds even if no slot frees up for a while.
        if (!sweeper && Number.isFinite(maxWaitMs)) sweeper = setInterval(expireHeads, Math.max(10, maxWaitMs / 4)).unref();
      });
    },
    resize(limit) {
      maxConcurrent = limit;
      expireHeads();
      startQueued();
    },
    queuedSinceLastAsked() {
      const queued = queuedSince || queue.length > 0;
      queuedSince = false;
      return queued;
    },
    stats: () => ({ active, queued: queue.length, maxConcurrent }),
  };
}
