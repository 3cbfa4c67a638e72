// `npm run bench:otel`: GET /api/jobs throughput, latency and CPU per request with tracing at 100 %
// and at 10 % (exporting OTLP protobuf to a local sink), and with the SDK on but nothing sampled,
// versus OTEL_SDK_DISABLED=true. Prints what it measured here; the target for 100 % is a
// throughput ratio of at least 0.97.
//
// Method, for a small shared machine: with two or more CPUs and `taskset`, every server runs on
// CPU 0 and the load generator and the span sink on CPU 1, so the server is the bottleneck and
// the load generator's noise stays off its core. The servers take turns in rotating order, round
// after round, and each round is compared with the disabled server's in the same round (paired
// ratios, median). CPU time per request (from /proc) is printed next to throughput: it is what
// tracing costs the server, and it is steadier than req/s when the machine's neighbours are busy.
// A cross-check runs the disabled and the 100 % server at the same time on CPU 0 (the scheduler
// splits the core evenly), so both see exactly the same machine.
import { fork, spawn, spawnSync } from 'node:child_process';
import { availableParallelism } from 'node:os';
import { percentile, runLoadPreferWrk as runLoad } from './load.mjs';
import { freePort } from '../launch-server.mjs';
import { cpuTimeMs, startBenchServer } from './server.mjs';

const rounds = Number(process.env.BENCH_ROUNDS ?? 6);
const durationMs = Number(process.env.BENCH_SECONDS ?? 4) * 1000;
const concurrency = Number(process.env.BENCH_CONCURRENCY ?? 16);
const hasWrk = !spawnSync('wrk', ['--version']).error;
const pinned = availableParallelism() >= 2 && !spawnSync('taskset', ['-V']).error;
const [serverCpu, loadCpu] = pinned ? [0, 1] : [undefined, undefined];

let exportedBytes = 0;
const sinkPort = await freePort();
const sink = fork(new URL('./sink.mjs', import.meta.url), [String(sinkPort)]);
sink.on('message', (message) => {
  if (message?.bytes !== undefined) exportedBytes = message.bytes;
});
await new Promise((resolve) => sink.once('message', resolve));
if (pinned) spawnSync('taskset', ['-p', '-c', String(loadCpu), String(sink.pid)]);
const sinkStopped = new Promise((resolve) => sink.once('exit', resolve));
const exporting = { OTEL_EXPORTER_OTLP_ENDPOINT: `http://127.0.0.1:${sinkPort}`, OTEL_TRACES_SAMPLER: 'parentbased_traceidratio' };

console.log(`bench:otel — ${rounds} rounds × ${durationMs / 1000} s per configuration, ${concurrency} concurrent clients, GET /api/jobs?limit=20`);
console.log(
  `database: ${process.env.DATABASE_URL ? 'Postgres (DATABASE_URL)' : 'embedded PGlite (one per server, in the server process)'}; load generator: ${hasWrk ? 'wrk' : 'Node fetch (install wrk for a lighter one)'}; ${pinned ? `servers pinned to CPU ${serverCpu}, load generator and sink to CPU ${loadCpu}` : 'not pinned (needs 2 CPUs and taskset): everything shares the cores'}`,
);
const start = (label, env) => startBenchServer(label, env, { cpu: serverCpu });
const configs = [
  { name: 'disabled', server: await start('disabled', { OTEL_SDK_DISABLED: 'true' }) },
  { name: 'traced 100%', server: await start('traced100', { ...exporting, OTEL_TRACES_SAMPLER_ARG: '1.0' }) },
  { name: 'traced 10%', server: await start('traced10', { ...exporting, OTEL_TRACES_SAMPLER_ARG: '0.1' }) },
  { name: 'SDK on, 0%', server: await start('sampled0', { ...exporting, OTEL_TRACES_SAMPLER: 'always_off' }) },
];
const url = (config) => `${config.server.url}/api/jobs?limit=20`;
const results = Object.fromEntries(configs.map((config) => [config.name, []]));

async function measured(config, ms) {
  const cpuBefore = cpuTimeMs(config.server.pid);
  const result = await runLoad({ url: url(config), concurrency, durationMs: ms, cpu: loadCpu });
  const cpuAfter = cpuTimeMs(config.server.pid);
  return { ...result, cpuPerRequest: cpuBefore === undefined || !result.requests ? NaN : (cpuAfter - cpuBefore) / result.requests };
}

/** Both servers loaded at once, both on the server CPU: the same machine for both, second by second. */
function wrkCount(target, seconds) {
  return new Promise((resolve) => {
    const args = ['-t', '1', '-c', String(concurrency / 2), '-d', `${seconds}s`, target];
    const child = pinned ? spawn('taskset', ['-c', String(loadCpu), 'wrk', ...args]) : spawn('wrk', args);
    let out = '';
    child.stdout.on('data', (chunk) => (out += chunk));
    child.on('close', () => resolve(Number(out.match(/(\d+) requests in/)?.[1] ?? 0)));
  });
}

try {
  for (const config of configs) await measured(config, 2_000); // warm-up (JIT, pools)
  for (let round = 0; round < rounds; round++) {
    const order = configs.map((_, i) => configs[(i + round) % configs.length]);
    for (const config of order) {
      const result = await measured(config, durationMs);
      results[config.name].push(result);
      console.log(
        `  round ${round + 1} ${config.name.padEnd(12)} ${result.rps.toFixed(1).padStart(7)} req/s  p50 ${result.p50.toFixed(1).padStart(6)} ms  p99 ${result.p99.toFixed(1).padStart(6)} ms  CPU ${result.cpuPerRequest.toFixed(2)} ms/req  errors ${result.errors}`,
      );
    }
  }
  console.log('');
  const base = results.disabled;
  let summary = '';
  for (const config of configs) {
    const runs = results[config.name];
    const meanRps = runs.reduce((sum, run) => sum + run.rps, 0) / runs.length;
    const medianP99 = percentile(runs.map((run) => run.p99), 50);
    const cpu = percentile(runs.map((run) => run.cpuPerRequest), 50);
    const line = `${config.name.padEnd(12)} mean ${meanRps.toFixed(1).padStart(6)} req/s, median p99 ${medianP99.toFixed(1).padStart(6)} ms, CPU ${cpu.toFixed(2)} ms/req, errors ${runs.reduce((s, r) => s + r.errors, 0)}`;
    if (config.name === 'disabled') {
      console.log(line);
      continue;
    }
    const ratios = runs.map((run, i) => run.rps / base[i].rps);
    const cpuRatios = runs.map((run, i) => base[i].cpuPerRequest / run.cpuPerRequest);
    const ratio = percentile(ratios, 50);
    const p99Ratio = medianP99 / percentile(base.map((run) => run.p99), 50);
    console.log(
      `${line}, throughput ratio ${ratio.toFixed(3)} (paired median; range ${Math.min(...ratios).toFixed(2)}–${Math.max(...ratios).toFixed(2)}), CPU ratio ${percentile(cpuRatios, 50).toFixed(3)}, p99 ratio ${p99Ratio.toFixed(2)}`,
    );
    if (config.name === 'traced 100%') summary = `traced 100 %: throughput ratio ${ratio.toFixed(3)} → target ≥ 0.97 ${ratio >= 0.97 ? 'met' : 'NOT met'}`;
  }

  if (hasWrk) {
    const [disabled, traced] = [configs[0], configs[1]];
    const crossRatios = [];
    for (let round = 0; round < 4; round++) {
      const [a, b] = await Promise.all([wrkCount(url(disabled), durationMs / 1000), wrkCount(url(traced), durationMs / 1000)]);
      if (a === 0 || b === 0) console.log(`  cross-check round ${round + 1}: wrk reported no requests for a server (disabled ${a}, traced ${b}); round left out`);
      else crossRatios.push(b / a);
    }
    const crossMedian = crossRatios.length ? percentile(crossRatios, 50).toFixed(3) : 'n/a';
    console.log(`cross-check, disabled and traced 100 % loaded at the same time on one core: throughput ratio ${crossMedian} (rounds ${crossRatios.map((r) => r.toFixed(2)).join(', ')})`);
  }
  console.log(summary);
} finally {
  for (const config of configs) await config.server.stop();
  sink.kill('SIGTERM');
  await sinkStopped;
}
console.log(`spans exported: ${(exportedBytes / 1024).toFixed(0)} KiB of OTLP protobuf`);
