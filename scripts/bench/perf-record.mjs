// Runs Linux `perf` around a piece of work: CPU-time samples of every thread of some processes,
// read back as text for perf-threads.mjs. Used by `npm run bench:ab -- --perf`.
import { spawn, spawnSync } from 'node:child_process';
import { once } from 'node:events';
import { setTimeout as sleep } from 'node:timers/promises';
import { PERF_SCRIPT_FIELDS } from './perf-threads.mjs';

/** Why `perf` cannot sample here, or undefined when it can. */
export function perfUnavailable() {
  const probe = spawnSync('perf', ['record', '-e', 'cpu-clock', '-o', '/dev/null', '-q', '--', 'true'], { encoding: 'utf8', timeout: 10_000 });
  if (probe.error) return `perf is not installed (apt-get install linux-perf): ${probe.error.message}`;
  if (probe.status !== 0) return `perf cannot sample CPU time here (exit ${probe.status}): ${probe.stderr.trim().split('\n').slice(0, 2).join(' ')}`;
  return undefined;
}

/**
 * Samples CPU time (`cpu-clock`, 499 Hz) on every thread of `pids` while `work` runs, and returns
 * `work`'s result with the samples as `perf script` text. `file` is where perf writes its data.
 */
export async function recordWhile(pids, file, work) {
  const perf = spawn('perf', ['record', '-e', 'cpu-clock', '-F', '499', '-q', '-o', file, '-p', pids.join(',')], { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  perf.stderr.on('data', (chunk) => (stderr += chunk));
  const exited = once(perf, 'exit');
  // perf takes a moment to attach to every thread; the work starts after it. The servers idle meanwhile,
  // and the caller's CPU count for the window includes those 200 ms: about 1 ms of idle CPU a server.
  await sleep(200);
  let result;
  try {
    result = await work();
  } finally {
    perf.kill('SIGINT');
    const stop = setTimeout(() => perf.kill('SIGKILL'), 15_000);
    await exited;
    clearTimeout(stop);
  }
  const script = spawnSync('perf', ['script', '-i', file, '-G', '-F', PERF_SCRIPT_FIELDS], { encoding: 'utf8', maxBuffer: 256 * 1024 * 1024, timeout: 60_000 });
  if (script.status !== 0) throw new Error(`perf script failed (exit ${script.status}): ${script.stderr || stderr}`);
  return { result, text: script.stdout };
}
