import { spawn, spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { describe, expect, it } from 'vitest';
import { moveHelperThreads, processEnvVar, threadCpuMs } from './server.mjs';

const allowed = (pid: number, tid: string) => readFileSync(`/proc/${pid}/task/${tid}/status`, 'utf8').match(/^Cpus_allowed_list:\s*(\S+)/m)?.[1];
const canPin = process.platform === 'linux' && availableParallelism() >= 2 && !spawnSync('taskset', ['-V']).error;

describe.skipIf(!canPin)('bench process helpers (Linux, 2+ CPUs, taskset)', () => {
  it("moves every thread but the JavaScript one to the given CPU, and reads one thread's CPU time", async () => {
    // A node process pinned to CPU 0, with its V8 and libuv threads started.
    const child = spawn('taskset', ['-c', '0', process.execPath, '-e', "require('node:fs').readFile(__filename, () => {}); setInterval(() => {}, 1000)"], { stdio: 'ignore' });
    try {
      const pid = child.pid!;
      // Wait until the process has started all its threads (the same count twice, 200 ms apart), up to 10 s.
      let threads: string[] = [];
      for (let seen = -1, i = 0; i < 50 && seen !== threads.length; i++) {
        seen = threads.length;
        await new Promise((resolve) => setTimeout(resolve, 200));
        threads = readdirSync(`/proc/${pid}/task`);
      }
      expect(threads.length).toBeGreaterThan(1);
      expect(moveHelperThreads(pid, 1)).toBe(threads.length - 1);
      for (const tid of threads) expect(allowed(pid, tid)).toBe(Number(tid) === pid ? '0' : '1');
      expect(threadCpuMs(pid, pid)).toBeGreaterThan(0);
      expect(threadCpuMs(pid, 999_999_999)).toBeUndefined();
    } finally {
      child.kill();
    }
  });
});

describe.skipIf(process.platform !== 'linux')('a running process\'s environment (Linux)', () => {
  it('reads one variable as the process has it: its value, null when unset, undefined when there is no such process', async () => {
    const child = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], { stdio: 'ignore', env: { ...process.env, MALLOC_ARENA_MAX: '3', EMPTY: '' } });
    try {
      const pid = child.pid!;
      expect(processEnvVar(pid, 'MALLOC_ARENA_MAX')).toBe('3');
      expect(processEnvVar(pid, 'EMPTY')).toBe('');
      expect(processEnvVar(pid, 'MALLOC')).toBeNull(); // a prefix of a name is not the name
      expect(processEnvVar(pid, 'NOT_SET_HERE')).toBeNull();
      expect(processEnvVar(999_999_999, 'PATH')).toBeUndefined();
    } finally {
      child.kill();
    }
  });
});
