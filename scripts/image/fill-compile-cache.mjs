// `node scripts/image/fill-compile-cache.mjs`, with NODE_COMPILE_CACHE set: fills Node's compile
// cache by starting the built server once, so that the image's starts read compiled code instead
// of compiling ~1,500 modules (docs/performance.md, "Start → ready"). The Dockerfile runs it in
// the image's last stage, with the image's NODE_OPTIONS and user: Node files the cache under its
// version, a hash of V8's configuration and the uid, and a start under another reads none of it.
// `npm run bench:start` runs it the same way.
//
// The start: dist/server.js (from the working directory) on the embedded default in a scratch data
// directory (no DATABASE_URL; the image is built without a database), until /api/readyz answers
// 200, which is after its warm-up has loaded and run every main route; then SIGTERM, and Node
// writes the cache as the process exits. The scratch directory is removed.
// Prints what it wrote. Exit 0; 1 if the server did not become ready in 180 s, did not exit 0, or
// nothing was written; 2 without NODE_COMPILE_CACHE.
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';

const READY_TIMEOUT_MS = 180_000;
const EXIT_TIMEOUT_MS = 30_000;
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
/** `promise`, or null after `ms`; the timer does not keep the process alive. */
const within = (promise, ms) => Promise.race([promise, new Promise((resolve) => setTimeout(resolve, ms, null).unref())]);

/** Files and bytes under `dir` (0 when it does not exist). */
function cacheSize(dir) {
  let files = 0;
  let bytes = 0;
  const walk = (at) => {
    for (const entry of readdirSync(at, { withFileTypes: true })) {
      const full = path.join(at, entry.name);
      if (entry.isDirectory()) walk(full);
      else {
        files += 1;
        bytes += statSync(full).size;
      }
    }
  };
  try {
    walk(dir);
  } catch (error) {
    if (error.code !== 'ENOENT') throw error;
  }
  return { files, bytes };
}

// Its own, not launch-server.mjs's: the image copies this one file (Dockerfile), so it imports
// nothing from scripts/.
const freePort = () =>
  new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });

async function main() {
  const cacheDir = process.env.NODE_COMPILE_CACHE;
  if (!cacheDir) {
    console.error('fill-compile-cache: NODE_COMPILE_CACHE is not set: nothing to fill');
    return 2;
  }
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'fill-compile-cache-'));
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const { DATABASE_URL: _ignored, ...inherited } = process.env;
  const env = {
    ...inherited,
    DATA_DIR: dataDir,
    PORT: String(port),
    HOSTNAME: '127.0.0.1',
    APP_URL: url,
    // This start's own secret: nothing it signs outlives it.
    BETTER_AUTH_SECRET: randomBytes(24).toString('hex'),
    METRICS_PORT: String(await freePort()),
    PRESTOP_DELAY_MS: '0',
    LOG_LEVEL: 'warn',
  };
  const started = performance.now();
  // The server with this script's own node flags (the image's, from NODE_OPTIONS or as arguments).
  const child = spawn(process.execPath, [...process.execArgv, 'dist/server.js'], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout.on('data', (chunk) => (output = (output + chunk).slice(-8_000)));
  child.stderr.on('data', (chunk) => (output = (output + chunk).slice(-8_000)));
  const exited = new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
  try {
    let ready = false;
    while (!ready && performance.now() - started < READY_TIMEOUT_MS && child.exitCode === null) {
      ready = await fetch(`${url}/api/readyz`, { signal: AbortSignal.timeout(2_000) }).then(
        (response) => response.status === 200,
        () => false,
      );
      if (!ready) await sleep(200);
    }
    if (!ready) {
      child.kill('SIGKILL');
      console.error(`fill-compile-cache: the server was not ready within ${READY_TIMEOUT_MS / 1000} s; its last output:\n${output}`);
      return 1;
    }
    const readyMs = performance.now() - started;
    child.kill('SIGTERM');
    const exit = await within(exited, EXIT_TIMEOUT_MS);
    if (!exit || exit.code !== 0) {
      child.kill('SIGKILL');
      console.error(`fill-compile-cache: the server did not exit 0 after SIGTERM (${exit ? `code ${exit.code}, signal ${exit.signal}` : `still running after ${EXIT_TIMEOUT_MS / 1000} s`}); its last output:\n${output}`);
      return 1;
    }
    const after = cacheSize(cacheDir);
    console.log(`fill-compile-cache: ${cacheDir} holds ${after.files} files, ${(after.bytes / 2 ** 20).toFixed(1)} MiB, after one start on the embedded default (ready in ${(readyMs / 1000).toFixed(1)} s)`);
    if (after.files === 0) {
      console.error('fill-compile-cache: nothing was written: is NODE_COMPILE_CACHE writable, and does this Node support it?');
      return 1;
    }
    return 0;
  } finally {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    rmSync(dataDir, { recursive: true, force: true });
  }
}

if (import.meta.url === `file://${process.argv[1]}`) process.exitCode = await main();
