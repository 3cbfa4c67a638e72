import os from 'node:os';
import { describe, expect, it } from 'vitest';
import { coresBetween, cpuSnapshot } from './cpu.mjs';

describe('where a rehearsal’s CPU went', () => {
  it('turns two snapshots into cores per group: a Postgres backend started in between counts from zero, one that exited is not counted', () => {
    const from = { at: 0, idleMs: 1_000, groups: { blue1: 100, haproxy: 20 }, postgres: new Map([['10', 50], ['11', 10]]) };
    const to = { at: 2_000, idleMs: 2_000, groups: { blue1: 1_100, haproxy: 220 }, postgres: new Map([['10', 250], ['12', 100]]) };
    const { wallMs, cores, idleCores } = coresBetween(from, to);
    expect(wallMs).toBe(2_000);
    expect(cores.blue1).toBeCloseTo(0.5);
    expect(cores.haproxy).toBeCloseTo(0.1);
    expect(cores.postgres).toBeCloseTo((200 + 100) / 2_000);
    expect(idleCores).toBeCloseTo(0.5);
  });

  it.runIf(process.platform === 'linux')('reads this process’s own CPU time as the process itself counts it, and the machine’s idle time', () => {
    const from = cpuSnapshot({ self: process.pid });
    const usageFrom = process.cpuUsage();
    // Busy until this process has used 200 ms of CPU, however busy the machine is.
    let spins = 0;
    while ((process.cpuUsage(usageFrom).user + process.cpuUsage(usageFrom).system) / 1_000 < 200) spins++;
    const usageMs = (process.cpuUsage(usageFrom).user + process.cpuUsage(usageFrom).system) / 1_000;
    const to = cpuSnapshot({ self: process.pid });
    const { wallMs, cores, idleCores } = coresBetween(from, to);
    expect(spins).toBeGreaterThan(0);
    // Both count every thread of the process; the snapshots bracket the busy loop.
    expect(cores.self! * wallMs).toBeGreaterThan(usageMs * 0.8);
    expect(cores.self! * wallMs).toBeLessThan(usageMs * 1.25);
    expect(idleCores).toBeGreaterThanOrEqual(0);
    expect(idleCores).toBeLessThanOrEqual(os.availableParallelism() + 0.1);
  });
});
