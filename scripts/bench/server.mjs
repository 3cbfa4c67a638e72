// Starts dist/server.js for a benchmark on a free loopback port (scripts/launch-server.mjs) and waits until it is ready.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { freePort, launchServer } from '../launch-server.mjs';
import { assertBuildCurrent } from './build-freshness.mjs';
import { asTheImageRuns, imageNodeOptions, readDockerfile } from './image-runtime.mjs';

// Every bench server runs with the V8 flags the image sets (Dockerfile NODE_OPTIONS: the heap's old and
// young generations), as in production: with V8's defaults the bench's controls, which serve
// the most requests, grew to 700 MiB and paid a different GC.
// And without V8's memory reducer: it shrinks the heap of a server that sits idle, and the server
// then pays about 2× the CPU per request for its next ~6 s of load while the heap grows back
// (measured here: 4.7, 3.9, 3.0 ms in 2-s windows after 40 s idle, against 2.1–2.3 steady; with
// --no-memory-reducer 2.0–2.4 throughout). Every variant sits idle while the others are measured
// and the controls never do, so with it the ratios measured idleness, not request cost.
// And without bytecode flushing (V8 drops the bytecode of functions that have not run for a few
// major GCs): with it, two more telemetry-off servers in the traced set, warmed last, read
// 0.69–0.79× the controls, warmed first, over the first five rounds, and single windows' A/A
// ranged 0.87–1.19; with --no-flush-bytecode 0.90–0.95× and 0.99–1.14 (docs/performance.md,
// item 22; why the order of warming matters this much was not found). What the flag leaves out is
// recompiling code that runs rarely (the exports, the timers), in every variant; not measured.
export const benchNodeFlags = (dockerfile = readDockerfile()) => [...imageNodeOptions(dockerfile), '--no-memory-reducer', '--no-flush-bytecode'];

// What a real answer costs: the overload protections (load shedding, the request deadline, the
// database timeout) answer cheaply instead when a shared core makes requests wait, so they are
// moved out of the way here (not in bench:resilience, which measures them).
export const REAL_ANSWERS_ONLY = {
  LOAD_SHED_QUEUE_TARGET_MS: '60000',
  LOAD_SHED_MAX_QUEUE_WAIT_MS: '120000',
  LOAD_SHED_MAX_EVENT_LOOP_DELAY_MS: '60000',
  LOAD_SHED_MAX_IN_FLIGHT: '100000',
  REQUEST_DEADLINE_MS: '120000',
  DB_TIMEOUT_MS: '60000',
};

/**
 * CPU time of a process so far, in ms: the scheduler's own count in nanoseconds, summed over the
 * process's threads (/proc/PID/task/TID/schedstat). /proc/PID/stat gives the same total in 10-ms
 * ticks, its fallback. Linux only (undefined elsewhere).
 */
export function cpuTimeMs(pid) {
  try {
    // A thread that exited between the listing and the read counts as nothing.
    const ms = readdirSync(`/proc/${pid}/task`).reduce((sum, thread) => sum + (threadCpuMs(pid, thread) ?? 0), 0);
    if (ms > 0) return ms;
  } catch {
    // no schedstat: the tick count below
  }
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100; // clock ticks at USER_HZ 100
  } catch {
    return undefined;
  }
}

/** CPU time of one thread of a process so far, in ms (its schedstat); undefined when unreadable. */
export function threadCpuMs(pid, tid) {
  try {
    return Number(readFileSync(`/proc/${pid}/task/${tid}/schedstat`, 'utf8').split(' ')[0]) / 1e6;
  } catch {
    return undefined;
  }
}

/** Resident set size of a process now, in MiB; Linux only (undefined elsewhere). */
export function rssMiB(pid) {
  try {
    const kib = Number(readFileSync(`/proc/${pid}/status`, 'utf8').match(/^VmRSS:\s+(\d+)/m)?.[1]);
    return Number.isFinite(kib) ? kib / 1024 : undefined;
  } catch {
    return undefined;
  }
}

/** One variable of a running process's environment (/proc/PID/environ): null when unset, undefined when unreadable (not Linux, gone). */
export function processEnvVar(pid, name) {
  try {
    const entry = readFileSync(`/proc/${pid}/environ`, 'latin1').split('\0').find((pair) => pair.startsWith(`${name}=`));
    return entry === undefined ? null : entry.slice(name.length + 1);
  } catch {
    return undefined;
  }
}

/**
 * Moves every thread of a process except its main (JavaScript) thread to `cpu`: V8's garbage
 * collection helpers and libuv's pool, as they would run on a second vCPU. Threads started later
 * inherit the main thread's CPU, so callers repeat this. Returns how many threads it moved.
 */
export function moveHelperThreads(pid, cpu) {
  let moved = 0;
  try {
    for (const thread of readdirSync(`/proc/${pid}/task`)) {
      if (Number(thread) === pid) continue;
      if (!spawnSync('taskset', ['-p', '-c', String(cpu), thread], { stdio: 'ignore' }).status) moved++;
    }
  } catch {
    // the process exited
  }
  return moved;
}

const buildsChecked = new Set();

/**
 * Throws unless the build the server would start (the bench build or the product's) under `root`
 * exists and is newer than its source. Once per build and process: a bench starts ten servers of it.
 */
export function assertBuilt(benchBuild, root = process.cwd()) {
  const distDir = benchBuild ? '.next-bench' : '.next';
  if (buildsChecked.has(`${root}:${distDir}`)) return;
  const buildCommand = `npm run ${benchBuild ? 'build:bench' : 'build'}`;
  if (!existsSync(path.join(root, 'dist/server.js')) || !existsSync(path.join(root, distDir, 'BUILD_ID'))) throw new Error(`No build: run \`${buildCommand}\` first.`);
  assertBuildCurrent(root, [`${distDir}/BUILD_ID`, 'dist/server.js'], buildCommand);
  buildsChecked.add(`${root}:${distDir}`);
}

/**
 * `cpu`: pin the server to these CPUs (taskset), so load generator noise stays off its core.
 * `benchBuild`: start the bench build (`npm run build:bench`, .next-bench) instead of the product's.
 * `nodeArgs`: flags for node itself (e.g. --cpu-prof).
 * `cwd`: the checkout whose build to start (`npm run bench:ab` starts two); by default the one
 * assertBuilt and launchServer default to.
 */
export async function startBenchServer(label, env = {}, { cpu, benchBuild = false, nodeArgs = [], cwd } = {}) {
  assertBuilt(benchBuild, cwd);
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const spawnedAt = performance.now();
  const server = launchServer({
    cwd,
    prefix: cpu === undefined ? [] : ['taskset', '-c', String(cpu)],
    argv: [...nodeArgs, 'dist/server.js'],
    env: {
      ...(benchBuild ? { NEXT_BENCH_BUILD: '1' } : {}),
      // NODE_ENV as the image sets it (image-runtime.mjs says why).
      ...asTheImageRuns().env,
      APP_ENV: 'test',
      PORT: String(port),
      HOSTNAME: '127.0.0.1',
      APP_URL: url,
      LOG_LEVEL: 'warn',
      PRESTOP_DELAY_MS: '0',
      NEXT_TELEMETRY_DISABLED: '1',
      RATE_LIMIT_API: '10000000/1m', // a benchmark is one very busy client
      RATE_LIMIT_SIGN_UP: '10000/1h',
      RATE_LIMIT_APPLY: '10000/1h',
      DATA_DIR: mkdtempSync(path.join(tmpdir(), `bench-${label}-`)),
      ...env,
    },
  });
  await server.waitUntilReady(url, { timeoutMs: 120_000, label: `the ${label} server` });
  return {
    url,
    pid: server.pid, // taskset execs node: the same process
    /** Spawn to the first 200 from /api/readyz (polled every 250 ms). */
    startToReadyMs: Math.round(performance.now() - spawnedAt),
    exitCode: () => server.child.exitCode,
    output: server.output,
    stop: () => server.stop(),
  };
}
