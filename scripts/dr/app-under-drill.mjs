// The built job board as the drill runs it: started on a database with limits set for a handful
// of drill users behind one IP, and `prisma migrate status` / `deploy` against a given database.
import { spawn } from 'node:child_process';
import path from 'node:path';
import { freePort, launchServer } from '../launch-server.mjs';

const root = path.resolve(import.meta.dirname, '../..');

const drillEnv = {
  APP_ENV: 'test',
  HOSTNAME: '127.0.0.1',
  LOG_LEVEL: process.env.DR_LOG_LEVEL ?? 'warn',
  // One instance and no load balancer: there is no one to drain towards.
  PRESTOP_DELAY_MS: '0',
  NEXT_TELEMETRY_DISABLED: '1',
  // A handful of drill users behind one IP: the per-user and per-IP limits would only measure themselves.
  RATE_LIMIT_API: '1000000/1m',
  RATE_LIMIT_SIGN_UP: '100000/1h',
  RATE_LIMIT_SIGN_IN: '100000/1h',
  RATE_LIMIT_APPLY: '100000/1h',
  RATE_LIMIT_POST_JOB: '100000/1h',
};

/** Starts dist/server.js on `databaseUrl` (on `port`, or a free one) and waits for readiness: `{ server, base, port }`. */
export async function startApp(databaseUrl, { port, readyWithinMs = 60_000 } = {}) {
  const listenOn = port || (await freePort());
  const base = `http://127.0.0.1:${listenOn}`;
  const server = launchServer({ env: { ...drillEnv, DATABASE_URL: databaseUrl, PORT: String(listenOn), APP_URL: base } });
  await server.waitUntilReady(base, { timeoutMs: readyWithinMs, label: 'the app' });
  return { server, base, port: listenOn };
}

/** `prisma migrate <command>` against `databaseUrl` (never MIGRATION_DATABASE_URL): `{ code, output }`, killed after 2 minutes. */
export function prismaMigrate(command, databaseUrl) {
  const env = { ...process.env, DATABASE_URL: databaseUrl };
  delete env.MIGRATION_DATABASE_URL;
  return new Promise((resolve) => {
    const child = spawn(path.join(root, 'node_modules/.bin/prisma'), ['migrate', command], { cwd: root, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk) => (output += chunk));
    child.stderr.on('data', (chunk) => (output += chunk));
    const timer = setTimeout(() => child.kill('SIGKILL'), 120_000);
    child.once('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, output });
    });
  });
}

/** `prisma migrate status` said the schema is at head. */
export const atHead = (status) => status.code === 0 && /up to date/i.test(status.output);
