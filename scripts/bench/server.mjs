// Starts dist/server.js for a benchmark on a free loopback port and waits until it is ready.
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';

export async function freePort() {
  return new Promise((resolve) => {
    const probe = createServer().listen(0, '127.0.0.1', () => {
      const { port } = probe.address();
      probe.close(() => resolve(port));
    });
  });
}

/** CPU time (user + system) of a process so far, in ms; Linux only (undefined elsewhere). */
export function cpuTimeMs(pid) {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100; // clock ticks at USER_HZ 100
  } catch {
    return undefined;
  }
}

/** `cpu`: pin the server to these CPUs (taskset), so load generator noise stays off its core. */
export async function startBenchServer(label, env = {}, { cpu } = {}) {
  if (!existsSync('dist/server.js') || !existsSync('.next/BUILD_ID')) throw new Error('No build: run `npm run build` first.');
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  let output = '';
  const [command, args] = cpu === undefined ? [process.execPath, ['dist/server.js']] : ['taskset', ['-c', String(cpu), process.execPath, 'dist/server.js']];
  const child = spawn(command, args, {
    env: {
      ...process.env,
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
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout.on('data', (chunk) => (output += chunk));
  child.stderr.on('data', (chunk) => (output += chunk));
  for (let i = 0; i < 600; i++) {
    if (child.exitCode !== null) throw new Error(`${label} server exited:\n${output}`);
    const ok = await fetch(`${url}/api/readyz`).then((r) => r.ok, () => false);
    if (ok) break;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  return {
    url,
    pid: child.pid, // taskset execs node: the same process
    output: () => output,
    stop: () =>
      new Promise((resolve) => {
        child.once('exit', resolve);
        child.kill('SIGTERM');
      }),
  };
}
