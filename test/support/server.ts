// Starts the built server (dist/server.js) as a child process on a free loopback port, against
// DATABASE_URL when set, else a fresh embedded database in a temp folder (through the one
// launcher, scripts/launch-server.mjs).
import type { ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { asTheImageRuns } from '../../scripts/bench/image-runtime.mjs';
import { freePort, launchServer } from '../../scripts/launch-server.mjs';

export const GENEROUS_RATE_LIMITS = {
  RATE_LIMIT_API: '100000/1m',
  RATE_LIMIT_SIGN_UP: '100000/1h',
  RATE_LIMIT_SIGN_IN: '100000/15m',
  RATE_LIMIT_APPLY: '100000/1h',
  RATE_LIMIT_POST_JOB: '100000/1d',
};

export type RunningServer = { url: string; port: number; child: ChildProcess; output: () => string; stop: () => Promise<number | null> };

const root = path.resolve(import.meta.dirname, '../..');

/**
 * `cwd`: where the server starts (the repository by default; a directory laid out as the image is, say).
 * `embedded`: a fresh embedded database even when DATABASE_URL is set, for a suite whose data must
 * not reach the database the other suites share.
 */
export async function startServer(env: Record<string, string> = {}, { timeoutMs = 90_000, cwd = root, embedded = false } = {}): Promise<RunningServer> {
  if (!existsSync(path.join(root, 'dist/server.js')) || !existsSync(path.join(root, '.next/BUILD_ID'))) {
    throw new Error('No production build: run `npm run build` first (npm test does it for you).');
  }
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const { DATABASE_URL: _shared, ...withoutDatabase } = process.env;
  const server = launchServer({
    cwd,
    replaceEnv: embedded,
    env: {
      ...(embedded ? withoutDatabase : {}),
      // NODE_ENV as the image sets it (not its V8 flags: the suites are not sized like production).
      ...asTheImageRuns().env,
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
  });
  await server.waitUntilReady(url, { timeoutMs });
  return { url, port, child: server.child, output: server.output, stop: () => server.stop() };
}
