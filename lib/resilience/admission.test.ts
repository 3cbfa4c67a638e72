import { AsyncLocalStorage } from 'node:async_hooks';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createAdmission } from './admission';

/** Work that finishes when the test says so. */
function controllable() {
  const started: string[] = [];
  const finishers = new Map<string, () => void>();
  const work = (name: string) => () => {
    started.push(name);
    return new Promise<void>((resolve) => finishers.set(name, resolve));
  };
  const finish = async (name: string) => {
    finishers.get(name)!();
    await new Promise((resolve) => setImmediate(resolve));
  };
  return { started, work, finish };
}

describe('admission', () => {
  afterEach(() => vi.useRealTimers());
  it('works on at most maxConcurrent requests and starts queued ones in arrival order as slots free up', async () => {
    let clock = 0;
    const admission = createAdmission({ maxConcurrent: 2, queueTargetMs: 50, now: () => clock });
    const { started, work, finish } = controllable();
    const refused: string[] = [];
    for (const name of ['a', 'b', 'c', 'd']) void admission.admit(work(name), () => refused.push(name));
    expect(started).toEqual(['a', 'b']);
    expect(admission.stats()).toEqual({ active: 2, queued: 2, maxConcurrent: 2 });
    clock = 10;
    await finish('a');
    expect(started).toEqual(['a', 'b', 'c']);
    await finish('b');
    expect(started).toEqual(['a', 'b', 'c', 'd']);
    expect(refused).toEqual([]);
  });

  it('refuses arrivals at once while the oldest queued request has waited longer than the target, and admits again once the queue drains', async () => {
    let clock = 0;
    const admission = createAdmission({ maxConcurrent: 1, queueTargetMs: 50, now: () => clock });
    const { started, work, finish } = controllable();
    const refused: string[] = [];
    void admission.admit(work('running'), () => refused.push('running'));
    void admission.admit(work('queued'), () => refused.push('queued'));
    clock = 50; // exactly the target: still a queue that drains in time
    void admission.admit(work('on-time'), () => refused.push('on-time'));
    clock = 51;
    void admission.admit(work('late'), () => refused.push('late'));
    expect(refused).toEqual(['late']);
    await finish('running');
    await finish('queued');
    await finish('on-time');
    expect(started).toEqual(['running', 'queued', 'on-time']);
    clock = 1_000;
    void admission.admit(work('after'), () => refused.push('after'));
    expect(started.at(-1)).toBe('after');
    expect(refused).toEqual(['late']);
  });

  it('absorbs a queue that stands past the target for less than the interval; refuses once it has stood a whole interval, and at once when it stands again soon after', async () => {
    let clock = 0;
    const admission = createAdmission({ maxConcurrent: 1, queueTargetMs: 50, standingForMs: 1_000, now: () => clock });
    const { started, work, finish } = controllable();
    const refused: string[] = [];
    const admit = (name: string) => void admission.admit(work(name), () => refused.push(name));
    admit('running');
    admit('head'); // queued at 0: past the target from 50 on
    clock = 900;
    admit('burst'); // the queue has stood 850 ms: a pause to absorb, not overload
    expect(refused).toEqual([]);
    clock = 1_050;
    admit('late'); // stood exactly the interval
    expect(refused).toEqual(['late']);
    // The queue drains below the target: the episode ends.
    await finish('running');
    await finish('head');
    await finish('burst');
    expect(started).toEqual(['running', 'head', 'burst']);
    admit('next'); // nothing queued, nothing running: runs at once
    expect(started.at(-1)).toBe('next');
    admit('queued-again'); // queued at 1 050
    clock = 1_200; // past the target again, 150 ms after the last refusal: refused at once
    admit('refused-again');
    expect(refused).toEqual(['late', 'refused-again']);
    // Much later, a new episode gets a whole interval again.
    await finish('next');
    await finish('queued-again');
    clock = 10_000;
    admit('fresh');
    admit('fresh-queued'); // queued at 10 000
    clock = 10_500;
    admit('fresh-burst');
    expect(refused).toEqual(['late', 'refused-again']);
  });

  it('ends a standing episode when the new head of the queue is younger than the target, even if the queue stands again later', async () => {
    let clock = 0;
    const admission = createAdmission({ maxConcurrent: 1, queueTargetMs: 50, standingForMs: 1_000, now: () => clock });
    const { work, finish } = controllable();
    const refused: string[] = [];
    const admit = (name: string) => void admission.admit(work(name), () => refused.push(name));
    admit('a');
    admit('b'); // stands from 50
    clock = 800;
    admit('c'); // stood 750 ms: absorbed
    clock = 820;
    await finish('a'); // 'b' runs; the head is now 'c', 20 ms old: the episode is over
    clock = 900;
    admit('d'); // 'c' is past the target again: a new episode, from 850
    clock = 1_100;
    admit('e'); // 250 ms into the new episode, not 1 050 into the old one
    expect(refused).toEqual([]);
    clock = 1_850;
    admit('f'); // the new episode has stood a whole interval
    expect(refused).toEqual(['f']);
  });

  it('refuses a queued request once it has waited maxWaitMs, whether or not a slot frees up', async () => {
    vi.useFakeTimers();
    let clock = 0;
    const admission = createAdmission({ maxConcurrent: 1, queueTargetMs: 50, maxWaitMs: 1_000, now: () => clock });
    const { started, work, finish } = controllable();
    const refused: string[] = [];
    void admission.admit(work('stuck'), () => refused.push('stuck'));
    const waiting = admission.admit(work('waiting'), () => refused.push('waiting'));
    clock = 1_000;
    vi.advanceTimersByTime(250);
    expect(refused).toEqual([]); // exactly the bound: still waiting
    clock = 1_001;
    vi.advanceTimersByTime(250);
    expect(refused).toEqual(['waiting']);
    await expect(waiting).resolves.toBeUndefined();
    expect(admission.stats()).toEqual({ active: 1, queued: 0, maxConcurrent: 1 });

    // On release too: a head that waited too long is refused, the next one runs.
    clock = 1_010;
    void admission.admit(work('old'), () => refused.push('old'));
    clock = 1_050; // within the queue target: admitted to the queue
    void admission.admit(work('young'), () => refused.push('young'));
    clock = 2_020; // 'old' has waited 1,010 ms, 'young' 970 ms
    vi.useRealTimers();
    await finish('stuck');
    expect(refused).toEqual(['waiting', 'old']);
    expect(started).toEqual(['stuck', 'young']);
  });

  it('resize: a larger limit starts queued requests at once; a smaller one lets running work finish', async () => {
    const admission = createAdmission({ maxConcurrent: 1, queueTargetMs: 1_000, now: () => 0 });
    const { started, work, finish } = controllable();
    for (const name of ['a', 'b', 'c', 'd']) void admission.admit(work(name), () => {});
    expect(admission.queuedSinceLastAsked()).toBe(true);
    admission.resize(3);
    expect(started).toEqual(['a', 'b', 'c']);
    admission.resize(1);
    await finish('a');
    await finish('b');
    expect(started).toEqual(['a', 'b', 'c']); // 1 still running: at the limit
    await finish('c');
    expect(started).toEqual(['a', 'b', 'c', 'd']);
    await finish('d');
    expect(admission.queuedSinceLastAsked()).toBe(false);
  });

  it('lets arrivals queue behind a standing queue while the CPU is not the limit (slow I/O); the wait bound still holds', async () => {
    let clock = 0;
    let cpuBound = false;
    const admission = createAdmission({ maxConcurrent: 1, queueTargetMs: 50, maxWaitMs: 1_000, refuseOnStandingQueue: () => cpuBound, now: () => clock });
    const { work } = controllable();
    const refused: string[] = [];
    void admission.admit(work('running'), () => refused.push('running'));
    void admission.admit(work('first'), () => refused.push('first'));
    clock = 200;
    void admission.admit(work('second'), () => refused.push('second'));
    expect(refused).toEqual([]);
    expect(admission.stats().queued).toBe(2);
    cpuBound = true;
    void admission.admit(work('third'), () => refused.push('third'));
    expect(refused).toEqual(['third']);
  });

  it('skips queued requests whose client has gone away', async () => {
    const admission = createAdmission({ maxConcurrent: 1, queueTargetMs: 1_000, now: () => 0 });
    const { started, work, finish } = controllable();
    let gone = false;
    void admission.admit(work('running'), () => {});
    const abandoned = admission.admit(work('abandoned'), () => {}, () => gone);
    void admission.admit(work('next'), () => {});
    gone = true;
    await finish('running');
    expect(started).toEqual(['running', 'next']);
    await expect(abandoned).resolves.toBeUndefined();
  });

  it('never starts a request whose client is gone when it arrives, and takes no slot for it', async () => {
    const admission = createAdmission({ maxConcurrent: 1, queueTargetMs: 1_000, now: () => 0 });
    const { started, work } = controllable();
    await expect(admission.admit(work('gone'), () => {}, () => true)).resolves.toBeUndefined();
    void admission.admit(work('next'), () => {});
    expect(started).toEqual(['next']);
    expect(admission.stats()).toMatchObject({ active: 1, queued: 0 });
  });

  it('frees the slot when the work throws or rejects', async () => {
    const admission = createAdmission({ maxConcurrent: 1, queueTargetMs: 1_000, now: () => 0 });
    await expect(
      admission.admit(() => {
        throw new Error('sync');
      }, () => {}),
    ).rejects.toThrow('sync');
    await expect(admission.admit(() => Promise.reject(new Error('async')), () => {})).rejects.toThrow('async');
    expect(admission.stats().active).toBe(0);
  });

  it('runs a queued request in its own async context, not in that of the request that freed the slot', async () => {
    const admission = createAdmission({ maxConcurrent: 1, queueTargetMs: 1_000, now: () => 0 });
    const storage = new AsyncLocalStorage<string>();
    const seen: (string | undefined)[] = [];
    let finishFirst!: () => void;
    void storage.run('first', () => admission.admit(() => new Promise<void>((resolve) => (finishFirst = resolve)), () => {}));
    const second = storage.run('second', () => admission.admit(() => void seen.push(storage.getStore()), () => {}));
    storage.run('first', () => finishFirst());
    await second;
    expect(seen).toEqual(['second']);
  });
});
