// Starts the built server (dist/server.js) as a child process on a free loopback port, against
// DATABASE_URL when set, else a fresh embedded database in a temp folder.
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdtempSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';

export const GENEROUS_RATE_LIMITS = {
  RATE_LIMIT_API: '100000/1m',
  RATE_LIMIT_SIGN_UP: '100000/1h',
  RATE_LIMIT_SIGN_IN: '100000/15m',
  RATE_LIMIT_APPLY: '100000/1h',
  RATE_LIMIT_POST_JOB: '100000/1d',
};

export type RunningServer = { url: string; port: number; child: ChildProcess; output: () => string; stop: () => Promise<number | null> };

const root = path.resolve(import.meta.dirname, '../..');

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      probe.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

export async function startServer(env: Record<string, string> = {}, { timeoutMs = 90_000 } = {}): Promise<RunningServer> {
  if (!existsSync(path.join(root, 'dist/server.js')) || !existsSync(path.join(root, '.next/BUILD_ID'))) {
    throw new Error('No production build: run `npm run build` first (npm test does it for you).');
  }
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  let output = '';
  const child = spawn(process.execPath, ['dist/server.js'], {
    cwd: root,
    env: {
      ...process.env,
      NODE_ENV: 'production',
      APP_ENV: 'test',
      PORT: String(port),
      HOSTNAME: '127.0.0.1',
      APP_URL: url,
      DATA_DIR: mkdtempSync(path.join(tmpdir(), 'jobboard-test-')),
      PRESTOP_DELAY_MS: '0',
      NEXT_TELEMETRY_DISABLED: '1',
      // Suites other than ratelimit.test.ts send far more than a person would from one IP.
      ...GENEROUS_RATE_LIMITS,
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout!.on('data', (chunk) => (output += chunk));
  child.stderr!.on('data', (chunk) => (output += chunk));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));

  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`The server exited during start-up (code ${child.exitCode}):\n${output}`);
    try {
      const response = await fetch(`${url}/api/readyz`, { signal: AbortSignal.timeout(2_000) });
      if (response.ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`The server did not answer within ${timeoutMs} ms:\n${output}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }

  return {
    url,
    port,
    child,
    output: () => output,
    stop: async () => {
      if (child.exitCode === null) child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
      const code = await exited;
      clearTimeout(timer);
      return code;
    },
  };
}
