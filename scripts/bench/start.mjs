// `npm run bench:start`: how long a new instance takes from spawn to its first 200 on /api/readyz,
// and where that time goes. Starts the built server (dist/server.js, the image's V8 flags) --starts
// times (5), one after another, on DATABASE_URL or the embedded default; polls readiness every
// 50 ms; reads the server's own log lines for when it listened and what its warm-up took
// (lib/lifecycle/warm-up.ts), and RSS at ready. Prints one row per start, the medians, then one
// JSON line. When the Dockerfile sets NODE_COMPILE_CACHE, the image is built with Node's compile
// cache filled by one start (scripts/image/fill-compile-cache.mjs), so this fills one the same way
// first, in .data/bench/compile-cache, and every measured start reads it; --no-compile-cache
// measures without one.
// Goal (issue 18): start → ready ≤ 3 s on Postgres. Exit: 0 met (or --report: printed only),
// 1 missed (or a server failed to start, or the compile cache could not be filled: even with
// --report), 2 bad input or no build.
import path from 'node:path';
import { freePort, launchServer } from '../launch-server.mjs';
import { asTheImageRuns } from './image-runtime.mjs';
import { fillImageCompileCache, imageHasCompileCache, withoutCompileCache } from './compile-cache.mjs';
import { percentile } from './load.mjs';
import { assertBuilt, rssMiB } from './server.mjs';
import { parseOrExplain } from './cli.mjs';

const USAGE = 'usage: npm run bench:start [-- --starts N] [--report] [--no-compile-cache]';
const GOAL_MS = 3000;
const POLL_MS = 50;
const TIMEOUT_MS = 60_000;
const root = path.resolve(import.meta.dirname, '../..');

export function parseArgs(argv) {
  const options = { starts: 5, report: false, compileCache: true };
  for (let i = 0; i < argv.length; i++) {
    const [flag, inline] = argv[i].split('=', 2);
    if (flag === '--report' || flag === '--no-compile-cache') {
      if (inline !== undefined) throw new Error(`${flag} takes no value\n${USAGE}`);
      if (flag === '--report') options.report = true;
      else options.compileCache = false;
      continue;
    }
    if (flag !== '--starts') throw new Error(`unknown option ${argv[i]}\n${USAGE}`);
    const value = Number(inline ?? argv[++i]);
    if (!Number.isInteger(value) || value < 1 || value > 50) throw new Error(`--starts needs a whole number from 1 to 50, got ${inline ?? argv[i]}\n${USAGE}`);
    options.starts = value;
  }
  return options;
}

/** The server's JSON log lines by event (the first of each), each with when this process read it. */
export function logEvents(lines) {
  const events = {};
  for (const { text, at } of lines) {
    let entry;
    try {
      entry = JSON.parse(text);
    } catch {
      continue; // not one of the logger's lines
    }
    if (entry && typeof entry.event === 'string' && !(entry.event in events)) events[entry.event] = { ...entry, seenAtMs: at };
  }
  return events;
}

/** The lower middle of the finite values (load.mjs's percentile at 50), undefined when there are none. */
export const median = (values) => {
  const finite = values.filter((v) => Number.isFinite(v));
  return finite.length ? percentile(finite, 50) : undefined;
};

async function startOnce({ nodeFlags, env }) {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const lines = [];
  const t0 = performance.now();
  const server = launchServer({
    argv: [...nodeFlags, 'dist/server.js'],
    // As the image runs it (its V8 flags and NODE_ENV), as the bench's servers run (server.mjs).
    env: { ...env, PORT: String(port), HOSTNAME: '127.0.0.1', APP_URL: url, LOG_LEVEL: 'info', NEXT_TELEMETRY_DISABLED: '1', PRESTOP_DELAY_MS: '0' },
  });
  let partial = '';
  server.child.stdout.on('data', (chunk) => {
    const at = performance.now() - t0;
    const parts = (partial + chunk).split('\n');
    partial = parts.pop();
    for (const text of parts) lines.push({ text, at });
  });
  let readyMs;
  while (readyMs === undefined && performance.now() - t0 < TIMEOUT_MS && server.child.exitCode === null) {
    const ok = await fetch(`${url}/api/readyz`, { signal: AbortSignal.timeout(1000) }).then(
      (response) => response.status === 200,
      () => false,
    );
    if (ok) readyMs = performance.now() - t0;
    else await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
  const rss = readyMs === undefined ? undefined : rssMiB(server.pid);
  await server.stop({ graceMs: 10_000 });
  const events = logEvents(lines);
  const warm = events.warm_up_completed;
  return {
    readyMs,
    listeningMs: events.server_listening?.seenAtMs,
    warmUpMs: warm?.duration_ms,
    rounds: warm?.rounds,
    firstRoundMs: warm?.round_ms?.[0],
    rssMiB: rss,
    output: readyMs === undefined ? server.output() : undefined,
  };
}

const COLUMNS = ['listeningMs', 'warmUpMs', 'rounds', 'firstRoundMs', 'readyMs', 'rssMiB'];
const WIDTHS = [12, 10, 6, 14, 8, 16];
const fmt = (value) => (value === undefined ? '-' : value.toFixed(0));
/** One line of the table: a label, then each column of `values` right-aligned under its heading. */
const row = (label, values) => `  ${label.padStart(6)}  ${COLUMNS.map((key, i) => fmt(values[key]).padStart(WIDTHS[i])).join('  ')}`;

async function main() {
  const options = parseOrExplain(parseArgs);
  if (!options) return 2;
  try {
    assertBuilt(false, root);
  } catch (error) {
    console.error(`bench:start: ${error.message}`);
    return 2;
  }
  const image = asTheImageRuns();
  const { nodeFlags } = image;
  const database = process.env.DATABASE_URL ? 'Postgres (DATABASE_URL)' : 'the embedded default';
  const imageHasCache = imageHasCompileCache();
  const compileCache = options.compileCache && imageHasCache;
  let cacheEnv = withoutCompileCache();
  try {
    if (compileCache) cacheEnv = fillImageCompileCache(nodeFlags);
  } catch (error) {
    console.log(`FAILED: ${error.message}`);
    return 1;
  }
  let cacheNote = 'no compile cache (the image has none)';
  if (compileCache) cacheNote = `Node's compile cache filled by one start, as the image is built`;
  else if (imageHasCache) cacheNote = 'no compile cache (--no-compile-cache; the image has one)';
  console.log(`start → ready: ${options.starts} starts of node ${nodeFlags.join(' ')} dist/server.js on ${database}, ${cacheNote}; readiness polled every ${POLL_MS} ms`);
  console.log('   start  listening ms  warm-up ms  rounds  first round ms  ready ms  RSS at ready MiB');
  const starts = [];
  for (let i = 1; i <= options.starts; i++) {
    const start = await startOnce({ nodeFlags, env: { ...image.env, ...cacheEnv } });
    starts.push(start);
    console.log(row(String(i), start));
    if (start.readyMs === undefined) {
      console.log(`FAILED: start ${i} was not ready within ${TIMEOUT_MS / 1000} s; its output:\n${start.output}`);
      return 1;
    }
  }
  const summary = Object.fromEntries(COLUMNS.map((key) => [key, median(starts.map((s) => s[key]))]));
  const ready = starts.map((s) => s.readyMs);
  const met = summary.readyMs <= GOAL_MS;
  console.log(row('median', summary));
  console.log(`start → ready: median ${fmt(summary.readyMs)} ms (${fmt(Math.min(...ready))}–${fmt(Math.max(...ready))}); goal ≤ ${GOAL_MS} ms: ${met ? 'met' : 'missed'}`);
  console.log(`RESULT ${JSON.stringify({ database: process.env.DATABASE_URL ? 'postgres' : 'embedded', nodeFlags, compileCache, goalMs: GOAL_MS, met, median: summary, starts: starts.map(({ output: _output, ...s }) => s) })}`);
  return met || options.report ? 0 : 1;
}

if (import.meta.url === `file://${process.argv[1]}`) process.exitCode = await main();
