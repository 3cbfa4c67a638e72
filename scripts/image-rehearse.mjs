// `npm run image:rehearse`: the Dockerfile's runtime stage, assembled and run without Docker (this
// machine has no engine; CI's `image` job builds the real image). Proves that what the runtime
// stage copies is enough to run:
//   1. production dependencies only (`npm ci --omit=dev`, as the build stage's `npm prune`);
//   2. exactly the files of the runtime stage's `COPY --from=build` lines, read from the Dockerfile,
//      from this checkout's build (run `npm run build` first);
//   3. the release step (`migrate deploy`, as fly.toml's release_command) against a fresh Postgres
//      database when DATABASE_URL is set;
//   4. the CMD with the Dockerfile's ENV: on the embedded database (no DATABASE_URL), then on that
//      Postgres database — each must pass the smoke test and exit 0 on SIGTERM.
// Not rehearsed: the base image, the non-root user, file ownership (CI's image job covers them).
import { execFileSync, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { freePort, launchServer } from './launch-server.mjs';

const root = path.resolve(import.meta.dirname, '..');
const t0 = performance.now();
const log = (message) => console.log(`[${((performance.now() - t0) / 1000).toFixed(1).padStart(5)} s] ${message}`);
const fail = (message) => {
  console.error(`✗ ${message}`);
  process.exit(1);
};
if (!existsSync(path.join(root, '.next/BUILD_ID')) || !existsSync(path.join(root, 'dist/server.js'))) fail('No build: run `npm run build` first.');

// --- the runtime stage, read from the Dockerfile -----------------------------------------------
const dockerfile = readFileSync(path.join(root, 'Dockerfile'), 'utf8').replace(/\\\n/g, ' ');
const stage = dockerfile.split(/^FROM /m).find((part) => /^\S+\s+AS\s+runtime\b/im.test(part));
if (!stage) fail('Dockerfile has no `FROM … AS runtime` stage.');
const copies = [...stage.matchAll(/^COPY\s+--from=build\s+(?:--chown=\S+\s+)?(.+)$/gm)].map((match) => {
  const parts = match[1].trim().split(/\s+/);
  return { sources: parts.slice(0, -1), dest: parts.at(-1) };
});
const env = {};
for (const [, body] of stage.matchAll(/^ENV\s+(.+)$/gm)) {
  for (const [, key, value] of body.matchAll(/(\w+)=("[^"]*"|\S*)/g)) env[key] = value.replace(/^"|"$/g, '');
}
const cmd = JSON.parse(stage.match(/^CMD\s+(\[.+\])\s*$/m)?.[1] ?? 'null');
if (!Array.isArray(cmd) || cmd[0] !== 'node') fail('The runtime stage needs CMD in exec form running node.');
log(`runtime stage: ${copies.length} COPY lines, CMD ${JSON.stringify(cmd)}`);

// --- 1. production dependencies ----------------------------------------------------------------
const work = mkdtempSync(path.join(tmpdir(), 'image-rehearse-'));
const deps = path.join(work, 'deps');
mkdirSync(deps);
for (const file of ['package.json', 'package-lock.json']) cpSync(path.join(root, file), path.join(deps, file));
log('npm ci --omit=dev (production dependencies only)');
const install = spawnSync('npm', ['ci', '--omit=dev', '--ignore-scripts', '--no-audit', '--no-fund'], { cwd: deps, encoding: 'utf8' });
if (install.status !== 0) fail(`npm ci --omit=dev failed:\n${install.stderr}`);

// --- 2. the COPY lines -------------------------------------------------------------------------
const app = path.join(work, 'app');
mkdirSync(app);
const sourceFor = (source) => {
  const relative = path.posix.relative('/app', source);
  return relative === 'node_modules' ? path.join(deps, 'node_modules') : path.join(root, relative);
};
for (const { sources, dest } of copies) {
  for (const source of sources) {
    let matches = [sourceFor(source)];
    if (source.endsWith('*')) {
      const dir = path.dirname(matches[0]);
      const prefix = path.basename(matches[0]).slice(0, -1);
      matches = readdirSync(dir).filter((name) => name.startsWith(prefix)).map((name) => path.join(dir, name));
    } else if (!existsSync(matches[0])) {
      fail(`COPY source ${source} does not exist in the build (${matches[0]})`);
    }
    for (const match of matches) {
      // Docker's rules: a directory's contents go into the destination; a file goes into it when
      // it ends with / (or there are several sources), else becomes it.
      const destPath = path.join(app, dest);
      const target = statSync(match).isDirectory() || !(dest.endsWith('/') || sources.length > 1) ? destPath : path.join(destPath, path.basename(match));
      cpSync(match, target, { recursive: true });
    }
  }
}
if (/mkdir -p \/app\/\.data/.test(stage)) mkdirSync(path.join(app, '.data'));
log(`assembled /app: ${readdirSync(app).sort().join(' ')}`);

// --- 3. release step on a fresh database -------------------------------------------------------
let databaseUrl;
if (process.env.DATABASE_URL) {
  const admin = new pg.Client({ connectionString: process.env.DATABASE_URL, connectionTimeoutMillis: 5_000 });
  await admin.connect();
  await admin.query('DROP DATABASE IF EXISTS jobboard_image_rehearsal');
  await admin.query('CREATE DATABASE jobboard_image_rehearsal');
  await admin.end();
  const url = new URL(process.env.DATABASE_URL);
  url.pathname = '/jobboard_image_rehearsal';
  databaseUrl = url.toString();
  const release = readFileSync(path.join(root, 'fly.toml'), 'utf8').match(/^\s*release_command\s*=\s*"([^"]+)"/m)?.[1];
  if (!release) fail('fly.toml has no release_command');
  log(`release step: ${release}`);
  const [bin, ...args] = release.split(' ');
  const migrate = spawnSync(bin === 'node' ? process.execPath : bin, args, { cwd: app, encoding: 'utf8', env: { PATH: process.env.PATH, ...env, DATABASE_URL: databaseUrl } });
  if (migrate.status !== 0) fail(`the release step failed:\n${migrate.stdout}\n${migrate.stderr}`);
  log(`  ${migrate.stdout.trim().split('\n').at(-1)}`);
} else {
  log('DATABASE_URL not set: skipping the release step and the Postgres run');
}

// --- 4. the CMD, smoke-tested, then SIGTERM ----------------------------------------------------
const sha = execFileSync('git', ['rev-parse', 'HEAD'], { cwd: root, encoding: 'utf8' }).trim() || 'f'.repeat(40);
async function runOnce(label, extraEnv) {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  // Only what the image and the platform would set: the Dockerfile's ENV, the deploy's secrets.
  const childEnv = { PATH: process.env.PATH, ...env, HOSTNAME: '127.0.0.1', PORT: String(port), APP_URL: url, GIT_SHA: sha, BETTER_AUTH_SECRET: 'image-rehearsal-secret-0123456789abcdef', PRESTOP_DELAY_MS: '1000', ...extraEnv };
  const server = launchServer({ cwd: app, argv: cmd.slice(1), env: childEnv, replaceEnv: true });
  const smoke = spawnSync(process.execPath, [path.join(root, 'scripts/smoke-test.mjs'), url, '--expect-version', sha, '--timeout-s', '90'], { encoding: 'utf8' });
  process.stdout.write(smoke.stdout.replace(/^/gm, `  ${label} | `));
  const stopAt = performance.now();
  const code = await server.stop();
  log(`${label}: SIGTERM → exit ${code} after ${((performance.now() - stopAt) / 1000).toFixed(1)} s`);
  if (smoke.status !== 0 || code !== 0) {
    console.error(server.output().slice(-4000));
    fail(`${label}: ${smoke.status !== 0 ? 'smoke test failed' : `exit code ${code}`}`);
  }
}
await runOnce('embedded', {});
if (databaseUrl) await runOnce('postgres', { DATABASE_URL: databaseUrl });
rmSync(work, { recursive: true, force: true });
log('✓ the runtime stage runs: release step, smoke test and a clean SIGTERM exit');
