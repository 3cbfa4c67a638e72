// `npm run bench:resilience`: p50/p99 of reads with a healthy database, of reads with the
// breaker open (served degraded from the last-known-good copy), and of a write with the breaker
// open (refused with 503) — next to the 3 s call timeout a request would otherwise wait.
// Needs a Postgres (DATABASE_URL); the hang is injected by the tests' TCP proxy.
import { percentile } from './load.mjs';
import { startBenchServer } from './server.mjs';
import { startTcpProxy } from '../../test/support/tcp-proxy.ts';

if (!process.env.DATABASE_URL) {
  console.error('bench:resilience needs a Postgres: set DATABASE_URL (scripts/services/postgres.sh start prints one).');
  process.exit(2);
}
const SEED_JOB = '00000000-5eed-7000-8000-0000001e8481';
const samples = Number(process.env.BENCH_SAMPLES ?? 300);
const target = new URL(process.env.DATABASE_URL);
const proxy = await startTcpProxy({ host: target.hostname, port: Number(target.port || 5432) });
// LOG_LEVEL info: the request_completed lines carry the server-side duration of every request.
const server = await startBenchServer('resilience', { DATABASE_URL: proxy.url(process.env.DATABASE_URL), LOG_LEVEL: 'info' });
const timeoutMs = 3_000;

async function time(url, init) {
  const started = performance.now();
  const response = await fetch(url, init);
  const body = await response.json().catch(() => null);
  return { status: response.status, ms: performance.now() - started, degraded: body?.degraded === true };
}

/** Server-side durations (request_completed.duration_ms) logged since `from` (an output offset). */
function serverDurations(from) {
  return server
    .output()
    .slice(from)
    .split('\n')
    .filter((line) => line.includes('"event":"request_completed"'))
    .map((line) => JSON.parse(line).duration_ms);
}

async function measure(label, run) {
  for (let i = 0; i < 20; i++) await run(i); // warm-up
  await new Promise((resolve) => setTimeout(resolve, 200)); // let the warm-up's log lines arrive
  const from = server.output().length;
  const results = [];
  for (let i = 0; i < samples; i++) results.push(await run(i));
  await new Promise((resolve) => setTimeout(resolve, 200));
  const ms = results.map((r) => r.ms);
  const inServer = serverDurations(from);
  const statuses = [...new Set(results.map((r) => `${r.status}${r.degraded ? ' degraded' : ''}`))].join(', ');
  const row = { label, p50: percentile(ms, 50), p99: percentile(ms, 99), serverP50: percentile(inServer, 50), serverP99: percentile(inServer, 99), statuses };
  console.log(
    `  ${label.padEnd(40)} client p50 ${row.p50.toFixed(1).padStart(5)} / p99 ${row.p99.toFixed(1).padStart(5)} ms   server p50 ${row.serverP50.toFixed(1).padStart(5)} / p99 ${row.serverP99.toFixed(1).padStart(5)} ms (${inServer.length})   ${(timeoutMs / row.p99).toFixed(0).padStart(4)}× below the timeout   [${statuses}]`,
  );
  return row;
}

try {
  const signUp = await fetch(`${server.url}/api/auth/sign-up/email`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ name: 'Bench', email: `bench-${Date.now()}@bench.jobboard.test`, password: 'correct horse battery' }),
  });
  const cookie = signUp.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ');
  const read = (i) => time(`${server.url}${i % 2 ? '/api/jobs?limit=20' : `/api/jobs/${SEED_JOB}`}`);
  const write = () =>
    time(`${server.url}/api/jobs/${SEED_JOB}/applications`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', cookie },
      body: JSON.stringify({ coverLetter: 'A cover letter that is long enough to be valid for this benchmark run.' }),
    });

  console.log(`bench:resilience — ${samples} sequential requests per row after 20 warm-up; call timeout ${timeoutMs} ms; Postgres behind a TCP proxy`);
  const healthy = await measure('read, healthy database', read);

  await proxy.setMode({ kind: 'blackhole' });
  const started = performance.now();
  // The breaker judges the failure rate of live traffic over its 10 s window (which still holds
  // the healthy phase's successes), so keep uncached reads coming until it opens.
  const breakerOpen = async () => (await (await fetch(`${server.url}/api/readyz`)).json()).checks.circuit_breaker.detail.startsWith('open');
  let batch = 0;
  while (!(await breakerOpen())) {
    if (performance.now() - started > 60_000) throw new Error('the breaker did not open within 60 s');
    await Promise.all(Array.from({ length: 12 }, (_, i) => time(`${server.url}/api/jobs?q=open-the-breaker-${batch}-${i}`)));
    batch++;
  }
  console.log(`  (database hung; breaker open after ${((performance.now() - started) / 1000).toFixed(1)} s)`);
  const degraded = await measure('read, breaker open (degraded copy)', read);
  const refused = await measure('write, breaker open (503 + Retry-After)', write);
  console.log('');
  console.log(
    `p99 as the client sees it (server side in brackets): healthy read ${healthy.p99.toFixed(1)} ms (${healthy.serverP99.toFixed(1)}); breaker open: degraded read ${degraded.p99.toFixed(1)} ms (${degraded.serverP99.toFixed(1)}), refused write ${refused.p99.toFixed(1)} ms (${refused.serverP99.toFixed(1)}); without the breaker each would wait the ${timeoutMs} ms timeout (reads: up to 3 attempts).`,
  );
  console.log("Client times include the benchmark's own fetch on the same 2 cores; server times run from the first byte of the request to the last of the response.");
} finally {
  await server.stop();
  await proxy.close();
}
