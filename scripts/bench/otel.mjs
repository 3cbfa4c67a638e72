// `npm run bench:otel`: GET /api/jobs throughput and latency with tracing at 100 % and at 10 %
// (exporting OTLP protobuf to a local sink) versus OTEL_SDK_DISABLED=true. The servers run side
// by side and take turns in rotating order, round after round, and each round's throughput is
// compared with the disabled server's in the same round (paired), so drift on the machine cancels
// out. Prints what it measured here; the target for 100 % is a ratio of at least 0.97.
import { fork } from 'node:child_process';
import { spawnSync } from 'node:child_process';
import { percentile, runLoadPreferWrk as runLoad } from './load.mjs';
import { freePort, startBenchServer } from './server.mjs';

const rounds = Number(process.env.BENCH_ROUNDS ?? 6);
const durationMs = Number(process.env.BENCH_SECONDS ?? 4) * 1000;
const concurrency = Number(process.env.BENCH_CONCURRENCY ?? 16);

let exportedBytes = 0;
const sinkPort = await freePort();
const sink = fork(new URL('./sink.mjs', import.meta.url), [String(sinkPort)]);
sink.on('message', (message) => {
  if (message?.bytes !== undefined) exportedBytes = message.bytes;
});
await new Promise((resolve) => sink.once('message', resolve));
const sinkStopped = new Promise((resolve) => sink.once('exit', resolve));
const exporting = { OTEL_EXPORTER_OTLP_ENDPOINT: `http://127.0.0.1:${sinkPort}`, OTEL_TRACES_SAMPLER: 'parentbased_traceidratio' };

console.log(`bench:otel — ${rounds} rounds × ${durationMs / 1000} s per configuration, ${concurrency} concurrent clients, GET /api/jobs?limit=20`);
console.log(`database: ${process.env.DATABASE_URL ? 'Postgres (DATABASE_URL)' : 'embedded PGlite (one per server)'}; load generator: ${spawnSync('wrk', ['--version']).error ? 'Node fetch (install wrk for a lighter one)' : 'wrk'}; everything shares this machine's cores`);
const configs = [
  { name: 'disabled', server: await startBenchServer('disabled', { OTEL_SDK_DISABLED: 'true' }) },
  { name: 'traced 100%', server: await startBenchServer('traced100', { ...exporting, OTEL_TRACES_SAMPLER_ARG: '1.0' }) },
  { name: 'traced 10%', server: await startBenchServer('traced10', { ...exporting, OTEL_TRACES_SAMPLER_ARG: '0.1' }) },
];
const url = (config) => `${config.server.url}/api/jobs?limit=20`;
const results = Object.fromEntries(configs.map((config) => [config.name, []]));

try {
  for (const config of configs) await runLoad({ url: url(config), concurrency, durationMs: 2_000 }); // warm-up (JIT, pools)
  for (let round = 0; round < rounds; round++) {
    const order = configs.map((_, i) => configs[(i + round) % configs.length]);
    for (const config of order) {
      const result = await runLoad({ url: url(config), concurrency, durationMs });
      results[config.name].push(result);
      console.log(`  round ${round + 1} ${config.name.padEnd(12)} ${result.rps.toFixed(1).padStart(7)} req/s  p50 ${result.p50.toFixed(1).padStart(6)} ms  p99 ${result.p99.toFixed(1).padStart(6)} ms  errors ${result.errors}`);
    }
  }
  console.log('');
  const base = results.disabled;
  for (const config of configs) {
    const runs = results[config.name];
    const meanRps = runs.reduce((sum, run) => sum + run.rps, 0) / runs.length;
    const medianP99 = percentile(runs.map((run) => run.p99), 50);
    const ratios = runs.map((run, i) => run.rps / base[i].rps);
    const line = `${config.name.padEnd(12)} mean ${meanRps.toFixed(1).padStart(6)} req/s, median p99 ${medianP99.toFixed(1).padStart(6)} ms, errors ${runs.reduce((s, r) => s + r.errors, 0)}`;
    if (config.name === 'disabled') console.log(line);
    else {
      const ratio = percentile(ratios, 50);
      const p99Ratio = medianP99 / percentile(base.map((run) => run.p99), 50);
      console.log(`${line}, throughput ratio ${ratio.toFixed(3)} (median of paired rounds; range ${Math.min(...ratios).toFixed(2)}–${Math.max(...ratios).toFixed(2)}), p99 ratio ${p99Ratio.toFixed(2)}${config.name === 'traced 100%' ? `  → target ≥ 0.97 ${ratio >= 0.97 ? 'met' : 'NOT met'}` : ''}`);
    }
  }
} finally {
  for (const config of configs) await config.server.stop();
  sink.kill('SIGTERM');
  await sinkStopped;
}
console.log(`spans exported: ${(exportedBytes / 1024).toFixed(0)} KiB of OTLP protobuf`);
