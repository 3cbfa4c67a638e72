// The mixed workload of the rehearsals — job list (60 %), job detail (30 %), applications by many
// signed-in candidates (10 %) — sent open-loop (on schedule, whatever the latency, as real users
// do) through the load balancer, and what every answer was: status, latency, which instance, and
// whether it was the balancer's own answer. Also the capacity search the rehearsals size themselves by.
import http from 'node:http';
import { percentile } from '../bench/load.mjs';

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** Candidates and job ids to apply with; every run signs up its own candidates. */
export async function prepareWorkload(lb, { candidates = 40 } = {}) {
  const jobIds = [];
  let cursor = null;
  do {
    const page = await (await fetch(`${lb}/api/jobs?limit=50${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`)).json();
    jobIds.push(...page.jobs.map((job) => job.id));
    cursor = page.nextCursor;
  } while (cursor && jobIds.length < 1000);
  if (jobIds.length === 0) throw new Error('no open jobs: seed the database first (npm run db:seed)');
  const users = [];
  const run = Date.now().toString(36);
  for (let u = 0; u < candidates; u++) {
    const response = await fetch(`${lb}/api/auth/sign-up/email`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ name: `Rehearsal ${u}`, email: `rehearsal-${run}-${u}@rehearse.jobboard.test`, password: 'correct horse battery' }),
    });
    if (response.status !== 200) throw new Error(`sign-up failed: ${response.status} ${await response.text()}`);
    users.push(response.headers.getSetCookie().map((cookie) => cookie.split(';')[0]).join('; '));
  }
  // Shared by every load on this workload, so no two loads send the same (candidate, job) pair.
  return { jobIds, users, applications: 0 };
}

/**
 * An open-loop load at `rate` requests/s, tagged with the current phase (`listsOnly`: job-list
 * reads only, as the soak sends them at a fraction of the list capacity it measured). `switchTo` changes rate
 * and phase without a pause (so the moment an overload ends is seen as users see it); `stop`
 * waits for every request still in flight.
 */
export function startLoad(lb, workload, { rate, phase, listsOnly = false }) {
  const { jobIds, users } = workload;
  const { hostname, port } = new URL(lb);
  const agent = new http.Agent({ keepAlive: true, maxSockets: Infinity });
  const results = [];
  const inFlight = new Set();
  const t0 = performance.now();
  let current = { rate, phase, startedAt: t0, sent: 0 };
  let running = true;
  let sequence = 0;

  function send(kind, pathname, body, cookie) {
    const entry = { phase: current.phase, kind, at: performance.now() - t0, status: 0, ms: 0, error: null, code: null, retryAfter: null, server: null };
    results.push(entry);
    const started = performance.now();
    return new Promise((resolve) => {
      const headers = body ? { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), cookie } : {};
      const request = http.request({ host: hostname, port, path: pathname, method: body ? 'POST' : 'GET', agent, headers, timeout: 15_000 }, (response) => {
        const chunks = [];
        response.on('data', (chunk) => chunks.push(chunk));
        response.on('end', () => {
          entry.status = response.statusCode;
          entry.server = response.headers['x-served-by'] ?? null;
          entry.retryAfter = response.headers['retry-after'] ?? null;
          if (response.statusCode >= 400) entry.code = Buffer.concat(chunks).toString().match(/"code":"([a-z_]+)"/)?.[1] ?? null;
          entry.ms = performance.now() - started;
          resolve();
        });
        response.on('error', (error) => {
          entry.error = error.code ?? 'response_error';
          entry.ms = performance.now() - started;
          resolve();
        });
      });
      request.on('timeout', () => request.destroy(Object.assign(new Error('timeout'), { code: 'TIMEOUT' })));
      request.on('error', (error) => {
        entry.error = error.code ?? error.message;
        entry.ms = performance.now() - started;
        resolve();
      });
      request.end(body);
    });
  }

  function oneRequest(i) {
    const roll = listsOnly ? 0 : i % 10;
    if (roll < 6) return send('list', `/api/jobs?limit=20${i % 3 ? '' : '&q=engineer'}`);
    if (roll < 9) return send('detail', `/api/jobs/${jobIds[i % jobIds.length]}`);
    // Every application is a new (candidate, job) pair, so none is a duplicate (409).
    const n = workload.applications++;
    const job = jobIds[Math.floor(n / users.length) % jobIds.length];
    return send('apply', `/api/jobs/${job}/applications`, JSON.stringify({ coverLetter: 'Rehearsals should never lose an application; this is one of many sent during one.' }), users[n % users.length]);
  }

  const loop = (async () => {
    while (running) {
      const due = Math.floor(((performance.now() - current.startedAt) / 1000) * current.rate);
      while (current.sent < due) {
        current.sent++;
        const request = oneRequest(sequence++);
        inFlight.add(request);
        request.finally(() => inFlight.delete(request));
      }
      await sleep(2);
    }
  })();

  return {
    results,
    /** Milliseconds since the load started (the clock of every result's `at`). */
    now: () => performance.now() - t0,
    switchTo(rate, phase) {
      current = { rate, phase, startedAt: performance.now(), sent: 0 };
    },
    async stop() {
      running = false;
      await loop;
      await Promise.all(inFlight);
      agent.destroy();
    },
  };
}

/** The balancer answered by itself (no instance could be used) — never acceptable. */
export const fromBalancer = (e) => !e.error && e.server === null;
/** Refused by the app the way it promises to refuse under load: 503, Retry-After, a JSON error code. */
export const refusedWell = (e) => e.status === 503 && e.server !== null && e.retryAfter !== null && e.code !== null;
/** Answered with a 2xx. */
export const ok = (e) => !e.error && e.status >= 200 && e.status < 300;

export function summarize(name, entries, seconds) {
  const ms = entries.map((e) => e.ms);
  const failed = entries.filter((e) => !ok(e) && e.status !== 429);
  return {
    name,
    requests: entries.length,
    ok: entries.filter(ok).length,
    failed: failed.length,
    connectionErrors: entries.filter((e) => e.error).length,
    fromBalancer: entries.filter(fromBalancer).length,
    rateLimited: entries.filter((e) => e.status === 429).length,
    refusedWithRetryAfter: entries.filter(refusedWell).length,
    goodput: seconds ? entries.filter(ok).length / seconds : NaN,
    p50: percentile(ms, 50),
    p99: percentile(ms, 99),
    okP99: percentile(entries.filter(ok).map((e) => e.ms), 99),
    refusedP99: percentile(entries.filter(refusedWell).map((e) => e.ms), 99),
    examples: failed.slice(0, 3).map(({ kind, status, error, code, server }) => ({ kind, status, error, code, server })),
  };
}

export function printTable(rows) {
  const pad = (value, width) => String(value).padStart(width);
  console.log(`  ${'phase'.padEnd(12)} ${pad('requests', 8)} ${pad('failed', 6)} ${pad('conn err', 8)} ${pad('LB 5xx', 6)} ${pad('goodput/s', 9)} ${pad('429', 5)} ${pad('503+R-A', 7)} ${pad('p50 ms', 8)} ${pad('p99 ms', 8)} ${pad('2xx p99', 8)} ${pad('503 p99', 8)}`);
  for (const r of rows) {
    console.log(
      `  ${r.name.padEnd(12)} ${pad(r.requests, 8)} ${pad(r.failed, 6)} ${pad(r.connectionErrors, 8)} ${pad(r.fromBalancer, 6)} ${pad(Number.isNaN(r.goodput) ? '-' : r.goodput.toFixed(1), 9)} ${pad(r.rateLimited, 5)} ${pad(r.refusedWithRetryAfter, 7)} ${pad(r.p50.toFixed(1), 8)} ${pad(r.p99.toFixed(1), 8)} ${pad(r.okP99.toFixed(1), 8)} ${pad(Number.isNaN(r.refusedP99) ? '-' : r.refusedP99.toFixed(1), 8)}`,
    );
  }
}

/** The p99 a rate must hold (with nothing failed) to count as within the fleet's capacity. */
export const CAPACITY_P99_BOUND_MS = 250;

/**
 * The highest rate of the mixed workload the fleet sustains with p99 ≤ `p99BoundMs` and nothing
 * failed. A ramp (×`factor` per step of `stepMs`; it also warms the instances up) stops at the
 * first rate that misses twice in a row — one miss on a shared 2-core machine is as often a pause
 * as a limit, and a rate above one that missed twice is never taken, however lucky it gets. The
 * highest rate that held is then held again for `confirmMs`, stepping down by `confirmStep` (finer
 * than the ramp's: the knee lies between a rate that held and one 25 % higher) until one holds.
 * Returns that rate, its trial's summary row and, when `cpuSnapshot` is given, snapshots taken as
 * that trial's load started and ended (scripts/rehearse/cpu.mjs; only the confirming trials take them).
 */
export async function measureCapacity(lb, workload, { p99BoundMs = CAPACITY_P99_BOUND_MS, startRate = 20, factor = 1.25, stepMs = 4_000, confirmMs = 8_000, confirmStep = 1.1, log = console.log, cpuSnapshot = () => null } = {}) {
  const trial = async (rate, ms, snapshot = () => null) => {
    const cpuFrom = snapshot();
    const load = startLoad(lb, workload, { rate, phase: 'capacity' });
    await sleep(ms);
    const cpuTo = snapshot();
    await load.stop();
    const row = summarize('capacity', load.results, ms / 1000);
    const holds = row.failed === 0 && row.p99 <= p99BoundMs;
    log(`    ${rate.toFixed(0).padStart(5)} req/s for ${(ms / 1000).toFixed(0)} s: p99 ${row.p99.toFixed(0).padStart(5)} ms, ${row.failed} failed → ${holds ? 'holds' : 'misses'}${row.failed ? `, e.g. ${JSON.stringify(row.examples[0])}` : ''}`);
    await sleep(1_000); // let queues drain between trials
    return { holds, row, cpuFrom, cpuTo };
  };
  let highestHeld = 0;
  for (let rate = startRate; rate < 100_000; rate *= factor) {
    if (!(await trial(rate, stepMs)).holds && !(await trial(rate, stepMs)).holds) break;
    highestHeld = rate;
  }
  if (highestHeld === 0) throw new Error(`even ${startRate} requests/s miss p99 ≤ ${p99BoundMs} ms: is the machine busy with something else?`);
  for (let rate = highestHeld, attempt = 0; attempt < 5; attempt++, rate /= confirmStep) {
    const { holds, row, cpuFrom, cpuTo } = await trial(rate, confirmMs, cpuSnapshot);
    if (holds) return { rate: Math.round(rate), row, cpuFrom, cpuTo };
  }
  throw new Error('no rate held twice: the machine is too noisy to size a rehearsal now');
}
