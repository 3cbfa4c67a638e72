import { AsyncLocalStorage } from 'node:async_hooks';
import { describe, expect, it } from 'vitest';
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
