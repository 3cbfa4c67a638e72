// `npm run image:verify [-- --image jobboard:local]`: runs the real image (npm run image:build)
// and checks what only running it proves (docs/deploying.md). Needs a Docker engine and
// DATABASE_URL, a Postgres where it creates and drops a fresh database.
//   1. it runs as a non-root user;
//   2. fly.toml's release command (`prisma migrate deploy`) works from the image on a fresh
//      database, and a second run has nothing to apply;
//   3. on the embedded default, through a published port (bridge network): the smoke test passes,
//      with the image's own GIT_SHA as the expected version;
//   4. on Postgres, with fly.toml's [env]: the smoke test passes; then, with the database slowed by
//      800 ms and 20 requests in flight, `docker stop -t 30`: readiness turns 503, all 20 answer
//      2xx, and the container exits 0 within the pre-stop delay + the drain + 1 s;
//   5. every line the containers logged is JSON with level, time and msg;
//   6. a start reads its code from the compile cache the image was built with (NODE_COMPILE_CACHE,
//      filled by scripts/image/fill-compile-cache.mjs): on the embedded default, until ready, with
//      Node's compile-cache debug lines on, at least 95 % of the app's modules came from the cache.
// Prints PASS/FAIL per check; exits 1 on any FAIL, 2 on bad usage or a missing engine.
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { parse as parseToml } from 'smol-toml';
import { startTcpProxy } from '../fault-proxy.mjs';
import { freePort } from '../launch-server.mjs';
import { docker, requireEngine } from './docker.mjs';
import { compileCacheOutcomes } from './compile-cache-log.mjs';
import { jsonLines } from './json-lines.mjs';

const root = path.resolve(import.meta.dirname, '../..');
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
const t0 = Date.now();
const log = (message) => console.log(`[verify ${((Date.now() - t0) / 1000).toFixed(1).padStart(5)} s] ${message}`);
const usage = (message) => {
  console.error(`image:verify: ${message}`);
  process.exit(2);
};

let values;
try {
  ({ values } = parseArgs({ options: { image: { type: 'string', default: 'jobboard:local' } } }));
} catch (error) {
  usage(error.message);
}
const image = values.image;
const adminUrl = process.env.DATABASE_URL;
if (!adminUrl || !/^postgres(ql)?:\/\//.test(adminUrl)) usage('needs DATABASE_URL: a Postgres where it may create and drop the database jobboard_image_verify');

const checks = [];
const check = (name, passed, detail) => {
  checks.push({ name, passed });
  log(`${passed ? 'PASS' : 'FAIL'}  ${name}: ${detail}`);
};
const fly = parseToml(readFileSync(path.join(root, 'fly.toml'), 'utf8'));
const flyEnv = Object.fromEntries(Object.entries(fly.env ?? {}).map(([key, value]) => [key, String(value)]));
const secret = 'image-verify-secret-0123456789abcdef0123';
const containers = [];
// Containers whose logs are not JSON by design (debug output), left out of check 5; removed at the end too.
const debugContainers = [];
const runName = (label) => `jobboard-verify-${label}-${process.pid}`;
const envArgs = (env) => Object.entries(env).flatMap(([key, value]) => ['-e', `${key}=${value}`]);

/** Polls GET url until `ok(status)` or the time runs out; the last status (0: no answer). */
async function waitForStatus(url, ok, timeoutMs) {
  const deadline = Date.now() + timeoutMs;
  let status = 0;
  while (Date.now() < deadline) {
    status = await fetch(url, { signal: AbortSignal.timeout(2_000) }).then((r) => r.status, () => 0);
    if (ok(status)) return status;
    await sleep(250);
  }
  return status;
}

/** The smoke test, as a child process; asynchronous, because the fault proxy runs in this process's event loop. */
function smoke(base, sha) {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [path.join(root, 'scripts/smoke-test.mjs'), base, '--expect-version', sha, '--timeout-s', '90'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk) => (output += chunk));
    child.stderr.on('data', (chunk) => (output += chunk));
    child.once('exit', (code) => resolve({ ok: code === 0, lines: output.trim().split('\n') }));
  });
}

let admin = null;
let proxy = null;
let exitCode = 1;
try {
  log(`Docker engine ${await requireEngine()}, image ${image}`);
  const inspected = await docker(['image', 'inspect', '--format', '{{json .Config}}', image], { allowFailure: true });
  if (inspected.code !== 0) usage(`no image ${image}: run npm run image:build first`);
  const config = JSON.parse(inspected.stdout);
  const sha = (config.Env ?? []).find((entry) => entry.startsWith('GIT_SHA='))?.slice(8) ?? '';

  // 1. Non-root.
  const id = await docker(['run', '--rm', '--network', 'none', image, 'id'], { timeoutMs: 60_000 });
  const uid = Number(id.stdout.match(/uid=(\d+)/)?.[1]);
  check('runs as a non-root user', config.User && uid !== 0, `USER ${config.User || '(none)'}; id in the container: ${id.stdout.trim()}`);

  // 2. The release command on a fresh database.
  admin = new pg.Client({ connectionString: adminUrl, connectionTimeoutMillis: 5_000 });
  await admin.connect();
  await admin.query('DROP DATABASE IF EXISTS jobboard_image_verify WITH (FORCE)');
  await admin.query('CREATE DATABASE jobboard_image_verify');
  const freshUrl = new URL(adminUrl);
  freshUrl.pathname = '/jobboard_image_verify';
  const release = fly.deploy?.release_command;
  if (!release) throw new Error('fly.toml has no [deploy] release_command');
  const releaseRun = async () => docker(['run', '--rm', '--network', 'host', '-e', `DATABASE_URL=${freshUrl}`, image, ...release.split(' ')], { timeoutMs: 180_000, allowFailure: true });
  const first = await releaseRun();
  const again = await releaseRun();
  const lastLine = (r) => `${r.stdout}${r.stderr}`.trim().split('\n').filter(Boolean).at(-1) ?? '';
  const applied = `${first.stdout}${first.stderr}`.match(/All migrations have been successfully applied|\d+ migrations? found/i)?.[0];
  check(
    `the release command works from the image on a fresh database (${release})`,
    first.code === 0 && again.code === 0 && Boolean(applied) && /no pending migrations/i.test(`${again.stdout}${again.stderr}`),
    `first run exit ${first.code} ("${applied ?? lastLine(first)}"); second run exit ${again.code} ("${`${again.stdout}${again.stderr}`.match(/No pending migrations to apply/i)?.[0] ?? lastLine(again)}")`,
  );

  // 3. The embedded default, through a published port.
  {
    const port = await freePort();
    const name = runName('embedded');
    containers.push(name);
    await docker(['run', '-d', '--name', name, '-p', `127.0.0.1:${port}:3000`, ...envArgs({ APP_URL: `http://127.0.0.1:${port}`, BETTER_AUTH_SECRET: secret, PRESTOP_DELAY_MS: '1000' }), image]);
    const result = await smoke(`http://127.0.0.1:${port}`, sha);
    for (const line of result.lines) log(`  embedded | ${line}`);
    const stopped = await docker(['stop', '-t', '30', name], { timeoutMs: 60_000, allowFailure: true });
    const code = Number((await docker(['inspect', '--format', '{{.State.ExitCode}}', name])).stdout.trim());
    check('serves on the embedded default through a published port (bridge network)', result.ok && stopped.code === 0 && code === 0, `smoke test ${result.ok ? 'passed' : 'FAILED'} on 127.0.0.1:${port} → 3000; docker stop → exit ${code}`);
  }

  // 4. Postgres with fly.toml's [env]; then docker stop with requests in flight.
  {
    const port = await freePort();
    const name = runName('postgres');
    containers.push(name);
    proxy = await startTcpProxy({ host: freshUrl.hostname, port: Number(freshUrl.port || 5432) });
    const prestopMs = Number(flyEnv.PRESTOP_DELAY_MS ?? 5_000);
    const shutdownMs = Number(flyEnv.SHUTDOWN_TIMEOUT_MS ?? 20_000);
    // Host network: the CI Postgres (behind the fault proxy) listens on loopback only.
    const env = { ...flyEnv, PORT: String(port), HOSTNAME: '127.0.0.1', METRICS_PORT: String(await freePort()), DATABASE_URL: proxy.url(freshUrl.toString()), APP_URL: `http://127.0.0.1:${port}`, BETTER_AUTH_SECRET: secret };
    await docker(['run', '-d', '--name', name, '--network', 'host', ...envArgs(env), image]);
    const base = `http://127.0.0.1:${port}`;
    const result = await smoke(base, sha);
    for (const line of result.lines) log(`  postgres | ${line}`);
    check("serves on Postgres with fly.toml's [env]", result.ok, `smoke test ${result.ok ? 'passed' : 'FAILED'} on ${base}`);
    if (!result.ok) {
      const logs = await docker(['logs', '--tail', '15', name], { allowFailure: true });
      console.error(`${logs.stdout}${logs.stderr}`);
    }

    await proxy.setMode({ kind: 'latency', ms: 800 });
    const answers = Array.from({ length: 20 }, (_, i) =>
      fetch(`${base}/api/jobs?limit=20&q=drain${i}`, { signal: AbortSignal.timeout(40_000) }).then(
        (r) => ({ status: r.status, at: Date.now() }),
        (error) => ({ status: `no answer (${error.cause?.code ?? error.name})`, at: Date.now() }),
      ),
    );
    await sleep(300);
    const stopAt = Date.now();
    const stopping = docker(['stop', '-t', '30', name], { timeoutMs: 60_000, allowFailure: true });
    const ready503 = await waitForStatus(`${base}/api/readyz`, (status) => status === 503, 3_000);
    const replies = await Promise.all(answers);
    await stopping;
    await proxy.setMode({ kind: 'pass' });
    const state = JSON.parse((await docker(['inspect', '--format', '{{json .State}}', name])).stdout);
    const exitMs = Date.parse(state.FinishedAt) - stopAt;
    const lastAnswerMs = Math.max(...replies.map((r) => r.at)) - stopAt;
    const drainMs = Math.max(0, lastAnswerMs - prestopMs);
    const boundMs = prestopMs + drainMs + 1_000;
    const ok2xx = replies.filter((r) => typeof r.status === 'number' && r.status >= 200 && r.status < 300).length;
    const answeredEarly = replies.filter((r) => r.at < stopAt).length;
    check(
      'docker stop -t 30 with 20 requests in flight (database +800 ms)',
      ok2xx === 20 && answeredEarly === 0 && state.ExitCode === 0 && exitMs <= boundMs && ready503 === 503,
      `${ok2xx}/20 2xx (last at +${(lastAnswerMs / 1000).toFixed(1)} s, ${answeredEarly} before the stop); /api/readyz ${ready503} while draining; exit ${state.ExitCode} at +${(exitMs / 1000).toFixed(1)} s after SIGTERM (bound: pre-stop ${prestopMs / 1000} s + drain ${(drainMs / 1000).toFixed(1)} s + 1 s = ${(boundMs / 1000).toFixed(1)} s; the app's own limit is ${(prestopMs + shutdownMs) / 1000} s)`,
    );
  }

  // 6. The compile cache (before 5, which reads the logs of the containers above).
  if (config.Env?.some((entry) => entry.startsWith('NODE_COMPILE_CACHE='))) {
    const port = await freePort();
    const name = runName('compile-cache');
    debugContainers.push(name);
    await docker(['run', '-d', '--name', name, '-p', `127.0.0.1:${port}:3000`, ...envArgs({ APP_URL: `http://127.0.0.1:${port}`, BETTER_AUTH_SECRET: secret, NODE_DEBUG_NATIVE: 'COMPILE_CACHE' }), image]);
    const ready = await waitForStatus(`http://127.0.0.1:${port}/api/readyz`, (status) => status === 200, 120_000);
    const logs = await docker(['logs', name]);
    const outcome = compileCacheOutcomes(logs.stderr, '/app/');
    const read = outcome.fromCache + outcome.compiled + outcome.rejected;
    const share = read ? outcome.fromCache / read : 0;
    check(
      'a start reads its code from the compile cache the image was built with',
      ready === 200 && outcome.fromCache >= 500 && share >= 0.95,
      `readiness ${ready}; of ${read} modules under /app: ${outcome.fromCache} from the cache (${(share * 100).toFixed(1)} %), ${outcome.compiled} compiled, ${outcome.rejected} rejected${outcome.examples.length ? ` (e.g. ${outcome.examples.slice(0, 3).join(', ')})` : ''}`,
    );
  } else {
    check('a start reads its code from the compile cache the image was built with', false, 'the image sets no NODE_COMPILE_CACHE');
  }

  // 5. Logs.
  for (const name of containers) {
    const logs = await docker(['logs', name]);
    const { lines, bad } = jsonLines(`${logs.stdout}\n${logs.stderr}`);
    check(`${name.replace(/^jobboard-verify-|-\d+$/g, '')} container logs are JSON lines`, lines > 0 && bad.length === 0, bad.length ? `${bad.length} of ${lines} lines are not, e.g. ${bad[0].slice(0, 160)}` : `${lines} lines, each with level, time and msg`);
  }
  const failed = checks.filter((c) => !c.passed).length;
  log(failed ? `✗ ${failed} of ${checks.length} checks failed` : `✓ all ${checks.length} checks passed`);
  exitCode = failed ? 1 : 0;
} catch (error) {
  console.error(`image:verify: ${error.message}`);
} finally {
  for (const name of [...containers, ...debugContainers]) await docker(['rm', '-f', name], { allowFailure: true }).catch(() => {});
  await proxy?.close().catch(() => {});
  if (admin) {
    await admin.query('DROP DATABASE IF EXISTS jobboard_image_verify WITH (FORCE)').catch(() => {});
    await admin.end().catch(() => {});
  }
}
process.exit(exitCode);
