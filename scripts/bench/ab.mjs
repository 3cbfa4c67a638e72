// `npm run bench:ab -- --b DIR`: what one request costs on one build against another, or with one
// environment against another, side by side on one core (docs/performance.md, "Comparing two
// builds"). The scratch scripts behind items 13–24 did this; this is the kept form.
//
// --a (this checkout by default) and --b are checkouts, each with its build (`npm run build`, or
// `npm run build:bench` with --bench-build); --env-a/--env-b add environment to one side (for
// example OTEL_SDK_DISABLED=true; a sampling ratio needs OTEL_TRACES_SAMPLER=parentbased_traceidratio
// beside OTEL_TRACES_SAMPLER_ARG, or the default parentbased_always_on stays). Each side runs
// --copies servers (2), started and warmed in the order A B B A: the first started of identical
// servers was found the dearest, so neither side may start first more often, and a spare server
// (A's, never measured) starts before them all. Every server warms (--warm s, two at a time,
// unpinned), then all are pinned to CPU 0 and loaded at once, each by its own wrk on CPU 1, for
// --windows windows of --lead-in s unmeasured and --seconds s measured. Per window: B's mean CPU per request over A's,
// and each side's last copy over its first (the A/A). Prints every window, the medians and one JSON
// line. Exit 0 measured, 2 bad input or a server that would not start. It judges nothing: a
// difference within the A/A spread is reported as none.
//
// Every server's OTLP endpoint is a local sink (sink.mjs), as in the bench, unless a side's environment sets another.
//
// --perf: Linux perf samples CPU time on every thread of every measured server in each measured
// window, and the run ends with where each side's CPU per request went, by thread (the JavaScript
// thread, V8's helpers) and by what ran (a package's JavaScript, V8's collector, its compiler, its
// builtins, the kernel): what B's extra cost is made of, where V8's own profiler sees only the
// JavaScript thread (perf-threads.mjs). Needs `perf` (apt-get install linux-perf), checked with a
// one-command recording before any server starts. Both sides pay perf's sampling alike.
import { fork, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import path from 'node:path';
import { freePort } from '../launch-server.mjs';
import { parseAbArgs, startOrder, summarizeAb, windowRatios } from './ab-plan.mjs';
import { parseOrExplain } from './cli.mjs';
import { runWrk } from './load.mjs';
import { perfUnavailable, recordWhile } from './perf-record.mjs';
import { addCounts, compareSides, countSamples } from './perf-threads.mjs';
import { benchNodeFlags, cpuTimeMs, REAL_ANSWERS_ONLY, startBenchServer } from './server.mjs';

const options = parseOrExplain((argv) => parseAbArgs(argv));
if (!options) process.exit(2);
if (spawnSync('wrk', ['--version']).error) {
  console.error('bench:ab needs wrk (apt-get install wrk)');
  process.exit(2);
}
const pinned = availableParallelism() >= 2 && !spawnSync('taskset', ['-V']).error;
const noPerf = options.perf && perfUnavailable();
if (noPerf) {
  console.error(`bench:ab --perf: ${noPerf}`);
  process.exit(2);
}
const [serverCpu, loadCpu] = pinned ? [0, 1] : [undefined, undefined];
const say = (line) => console.log(line);
const tenth = (x) => Math.round(x * 10) / 10;
const sides = { a: { dir: options.a, env: options.envA }, b: { dir: options.b, env: options.envB } };

const sinkPort = await freePort();
const sink = fork(path.join(import.meta.dirname, 'sink.mjs'), [String(sinkPort)]);
if (pinned) spawnSync('taskset', ['-a', '-p', '-c', String(loadCpu), String(sink.pid)], { stdio: 'ignore' });
const servers = {};
const perfDir = options.perf ? mkdtempSync(path.join(tmpdir(), 'bench-ab-perf-')) : undefined;
const perfMaps = [];
let exitCode = 0;
try {
  const order = startOrder(options.copies);
  say(`bench:ab: ${order.map((s) => s.key).join(' ')} (${options.copies} servers a side, started in this order) on ${process.env.DATABASE_URL ? 'DATABASE_URL' : 'the embedded default, one database each'}; ${options.warm} s warm-up each, two at a time; then ${options.windows} windows of ${options.leadIn} + ${options.seconds} s, all at once${pinned ? ` on CPU ${serverCpu}, wrk on CPU ${loadCpu}` : ', NOT pinned (needs 2 CPUs and taskset)'}; ${options.path}, wrk ${options.connections} connections each`);
  for (const letter of ['a', 'b']) say(`  ${letter.toUpperCase()}: ${sides[letter].dir}${Object.keys(sides[letter].env).length ? ` with ${Object.entries(sides[letter].env).map(([k, v]) => `${k}=${v}`).join(' ')}` : ''}`);
  // --perf: JIT-compiled functions get their names from the map file each server writes (/tmp/perf-PID.map).
  // The flag also turns V8's event log on, which would leave an isolate-*-v8.log in the checkout per server.
  const perfFlags = ['--perf-basic-prof-only-functions', '--no-logfile-per-isolate', '--logfile=/dev/null'];
  const nodeArgs = [...benchNodeFlags(), ...(options.perf ? perfFlags : [])];
  const start = async (key, side) => {
    const server = await startBenchServer(key, { ...REAL_ANSWERS_ONLY, OTEL_EXPORTER_OTLP_ENDPOINT: `http://127.0.0.1:${sinkPort}`, ...sides[side].env }, { benchBuild: options.benchBuild, nodeArgs, cwd: sides[side].dir });
    if (options.perf) perfMaps.push(`/tmp/perf-${server.pid}.map`);
    return server;
  };
  // A spare first, never measured: of identical servers the first started was the dearest (1.06–1.13×
  // the cheapest of three), and A B B A does not cancel an effect on the first alone. In the first
  // run of this tool, without it, two checkouts of the same code read B/A 0.954 with A's first copy
  // 4 % dearer than its second.
  servers.spare = await start('spare', 'a');
  await Promise.all(order.map(async ({ side, key }) => (servers[key] = await start(key, side))));
  await servers.spare.stop();
  delete servers.spare;
  const load = (key, seconds, cpu) => runWrk({ url: `${servers[key].url}${options.path}`, concurrency: options.connections, durationMs: seconds * 1000, cpu });
  for (let i = 0; i < order.length && options.warm > 0; i += 2) await Promise.all(order.slice(i, i + 2).map(({ key }) => load(key, options.warm)));
  if (pinned) for (const server of Object.values(servers)) spawnSync('taskset', ['-a', '-p', '-c', String(serverCpu), String(server.pid)], { stdio: 'ignore' });
  const windows = [];
  // --perf: every measured window's samples, per server: Map pid → Map category → count, and its CPU and requests.
  const perfCounts = new Map();
  const perfRuns = Object.fromEntries(order.map(({ key }) => [key, { cpuMs: 0, requests: 0 }]));
  for (let w = 1; w <= options.windows; w++) {
    if (options.leadIn > 0) await Promise.all(order.map(({ key }) => load(key, options.leadIn, loadCpu)));
    const before = Object.fromEntries(order.map(({ key }) => [key, cpuTimeMs(servers[key].pid)]));
    const measure = () => Promise.all(order.map(({ key }) => load(key, options.seconds, loadCpu)));
    const pids = order.map(({ key }) => servers[key].pid);
    const recorded = options.perf ? await recordWhile(pids, path.join(perfDir, 'perf.data'), measure) : { result: await measure() };
    const runs = recorded.result;
    const perServer = Object.fromEntries(order.map(({ key }, i) => [key, { requests: runs[i].requests, cpuMs: cpuTimeMs(servers[key].pid) - before[key], errors: runs[i].errors }]));
    const failed = Object.entries(perServer).filter(([, run]) => !run.requests || !(run.cpuMs > 0) || run.errors);
    if (failed.length) {
      say(`  window ${w}: left out (${failed.map(([key, run]) => `${key} ${run.requests} answered, ${run.errors} errors`).join('; ')})`);
      continue;
    }
    const window = windowRatios(perServer);
    windows.push(window);
    if (options.perf) {
      addCounts(perfCounts, countSamples(recorded.text, pids));
      for (const [key, run] of Object.entries(perServer)) {
        perfRuns[key].cpuMs += run.cpuMs;
        perfRuns[key].requests += run.requests;
      }
    }
    say(`  window ${w}: B/A ${window.ratio.toFixed(3)} (A ${window.aMs.toFixed(3)} ms, B ${window.bMs.toFixed(3)} ms per request; A/A ${window.aaA.toFixed(3)}, B/B ${window.aaB.toFixed(3)})`);
  }
  if (windows.length === 0) throw new Error('every window was left out');
  const summary = summarizeAb(windows);
  say(`B/A: median ${summary.ratio.toFixed(3)} over ${summary.windows} windows (${summary.windowRange.map((x) => x.toFixed(3)).join('–')}), B cheaper in ${summary.bCheaperIn}; A/A ${summary.aaA.toFixed(3)}, B/B ${summary.aaB.toFixed(3)} → ${summary.verdict}`);
  const perf = options.perf ? compareSides(order.map(({ side, key }) => ({ side, counts: perfCounts.get(servers[key].pid) ?? new Map(), cpuMsPerRequest: perfRuns[key].cpuMs / perfRuns[key].requests }))) : undefined;
  if (perf) {
    say(`Where the CPU per request went, every thread (perf, CPU-time samples in the ${summary.windows} windows; each category's share of a server's samples × its measured CPU per request; µs, mean of each side's servers):`);
    say(`  ${'thread · what ran'.padEnd(62)} ${'A'.padStart(8)} ${'B'.padStart(8)} ${'B − A'.padStart(8)}  within a side`);
    for (const row of perf.slice(0, 16)) say(`  ${row.category.slice(0, 62).padEnd(62)} ${row.a.toFixed(1).padStart(8)} ${row.b.toFixed(1).padStart(8)} ${((row.difference >= 0 ? '+' : '') + row.difference.toFixed(1)).padStart(8)}  ${(row.within * 100).toFixed(0).padStart(3)} %`);
    say(`  (${perf.length - Math.min(16, perf.length)} more categories in the JSON line. "within a side": the largest gap between two servers of one side, over that side's mean; a difference no larger is not told from noise)`);
  }
  console.log(JSON.stringify({ bench: 'ab', a: sides.a, b: sides.b, path: options.path, copies: options.copies, pinned, ...summary, perWindow: windows, ...(perf ? { perfMicrosPerRequest: perf.map((row) => ({ category: row.category, a: tenth(row.a), b: tenth(row.b), difference: tenth(row.difference), within: Math.round(row.within * 1000) / 1000, aServers: row.aServers.map(tenth), bServers: row.bServers.map(tenth) })) } : {}) }));
} catch (error) {
  console.error(`bench:ab failed: ${error.stack ?? error}`);
  exitCode = 2;
} finally {
  await Promise.all(Object.values(servers).map((server) => server.stop()));
  sink.kill('SIGTERM');
  // The map files are the servers' (node writes /tmp/perf-PID.map for --perf-basic-prof-only-functions); perf's data is ours.
  for (const file of perfMaps) rmSync(file, { force: true });
  if (perfDir) rmSync(perfDir, { recursive: true, force: true });
}
process.exit(exitCode);
