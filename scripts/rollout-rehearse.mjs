// `npm run rollout:rehearse [-- --broken]`: a rolling deploy rehearsed on this machine, as the
// platform does it. HAProxy (health-checking /api/readyz) in front of two instances of the built
// app on Postgres; a steady load (100 requests/s by default: job list, job detail, applications
// by many users) runs throughout; each instance is replaced in turn: start the new one, wait until HAProxy
// sees it ready, SIGTERM the old one (which drains). Prints totals, failures and latency before,
// during and after; exits non-zero on any failed request.
// --broken: the new instance can never become ready (its database is not migrated): the rollout
// must stop and the old instances keep serving with zero failed requests (the rollback path).
import { spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { percentile } from './bench/load.mjs';
import { freePort } from './bench/server.mjs';

const broken = process.argv.includes('--broken');
const databaseUrl = process.env.DATABASE_URL;
if (!databaseUrl) {
  console.error('rollout:rehearse needs a Postgres: set DATABASE_URL (scripts/services/postgres.sh start prints one).');
  process.exit(2);
}
// 100 requests/s: what this 2-core machine sustains with two instances, HAProxy, Postgres and the
// load generator on it. At 150 it is saturated before any deploy starts (measured: p50 322 ms and
// 9 requests shed in the 5 s before the roll) — set REHEARSE_RPS on a bigger machine.
const RATE = Number(process.env.REHEARSE_RPS ?? 100);
const dir = mkdtempSync(path.join(tmpdir(), 'rehearse-'));
const log = (message) => console.log(`[${((performance.now() - t0) / 1000).toFixed(1).padStart(5)} s] ${message}`);
const t0 = performance.now();
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

// --- HAProxy with four slots; only those with a ready instance are UP ---------------------------
const [lbPort, statsPort, ...slotPorts] = await Promise.all(Array.from({ length: 6 }, () => freePort()));
const slots = { blue1: slotPorts[0], blue2: slotPorts[1], green1: slotPorts[2], green2: slotPorts[3] };
writeFileSync(
  path.join(dir, 'haproxy.cfg'),
  `global
  maxconn 4000
defaults
  mode http
  timeout connect 2s
  timeout client 30s
  timeout server 30s
  retries 2
  option redispatch
frontend app
  bind 127.0.0.1:${lbPort}
  default_backend instances
backend instances
  balance roundrobin
  option httpchk GET /api/readyz
  http-check expect status 200
  default-server inter 500 fall 2 rise 2
${Object.entries(slots).map(([name, port]) => `  server ${name} 127.0.0.1:${port} check`).join('\n')}
listen stats
  bind 127.0.0.1:${statsPort}
  stats enable
  stats uri /stats
`,
);
const haproxy = spawn('haproxy', ['-f', path.join(dir, 'haproxy.cfg'), '-db'], { stdio: ['ignore', 'ignore', 'pipe'] });
let haproxyErrors = '';
haproxy.stderr.on('data', (chunk) => (haproxyErrors += chunk));
const lb = `http://127.0.0.1:${lbPort}`;

async function slotStatus() {
  const csv = await (await fetch(`http://127.0.0.1:${statsPort}/stats;csv`)).text();
  const header = csv.split('\n')[0].replace(/^# /, '').split(',');
  const statusAt = header.indexOf('status');
  return Object.fromEntries(
    csv
      .split('\n')
      .slice(1)
      .map((line) => line.split(','))
      .filter((cells) => cells[0] === 'instances' && slots[cells[1]])
      .map((cells) => [cells[1], cells[statusAt]]),
  );
}
async function waitForStatus(slot, wanted, timeoutMs) {
  const deadline = performance.now() + timeoutMs;
  while (performance.now() < deadline) {
    if ((await slotStatus().catch(() => ({})))[slot]?.startsWith(wanted)) return true;
    await sleep(100);
  }
  return false;
}

// --- app instances --------------------------------------------------------------------------
const instances = {};
function startInstance(slot, env = {}) {
  const child = spawn(process.execPath, ['dist/server.js'], {
    env: {
      ...process.env,
      DATABASE_URL: databaseUrl,
      APP_ENV: 'test',
      PORT: String(slots[slot]),
      HOSTNAME: '127.0.0.1',
      APP_URL: lb,
      LOG_LEVEL: 'warn',
      GIT_SHA: slot.startsWith('blue') ? 'blue000' : 'green00',
      // HAProxy needs fall × inter = 1 s to stop routing; 3 s of pre-stop covers it with margin.
      PRESTOP_DELAY_MS: '3000',
      NEXT_TELEMETRY_DISABLED: '1',
      RATE_LIMIT_API: '1000000/1m',
      RATE_LIMIT_SIGN_UP: '100000/1h',
      RATE_LIMIT_APPLY: '100000/1h',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (chunk) => (output += chunk));
  child.stderr.on('data', (chunk) => (output += chunk));
  const exited = new Promise((resolve) => child.once('exit', (code) => resolve(code)));
  instances[slot] = { child, exited, output: () => output };
  return instances[slot];
}

// --- load -----------------------------------------------------------------------------------
const results = [];
let phase = 'before';
let loadRunning = true;
let jobIds = [];
const users = [];
let nextApplication = 0;

async function send(kind, url, init) {
  const started = performance.now();
  const entry = { phase, kind, at: started - t0, status: 0, ms: 0, error: null };
  try {
    const response = await fetch(url, { ...init, signal: AbortSignal.timeout(15_000) });
    const text = await response.text();
    entry.status = response.status;
    if (response.status >= 500) entry.code = text.match(/"code":"([a-z_]+)"/)?.[1] ?? 'unknown';
  } catch (error) {
    entry.error = error?.cause?.code ?? error?.name ?? 'error';
  }
  entry.ms = performance.now() - started;
  results.push(entry);
}

function oneRequest(i) {
  const roll = i % 10;
  if (roll < 6) return send('list', `${lb}/api/jobs?limit=20${i % 3 ? '' : '&q=engineer'}`);
  if (roll < 9) return send('detail', `${lb}/api/jobs/${jobIds[i % jobIds.length]}`);
  const n = nextApplication++;
  const user = users[n % users.length];
  const job = jobIds[Math.floor(n / users.length) % jobIds.length];
  return send('apply', `${lb}/api/jobs/${job}/applications`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', cookie: user },
    body: JSON.stringify({ coverLetter: 'Rolling deploys should never lose an application; this is one of many sent during one.' }),
  });
}

async function runLoad() {
  const inFlight = new Set();
  let i = 0;
  const started = performance.now();
  while (loadRunning) {
    // Open loop: keep the schedule whatever the latency.
    const due = Math.floor(((performance.now() - started) / 1000) * RATE);
    while (i < due) {
      const request = oneRequest(i++);
      inFlight.add(request);
      request.finally(() => inFlight.delete(request));
    }
    await sleep(5);
  }
  await Promise.all(inFlight);
}

function summarize(name, entries) {
  const failed = entries.filter((e) => e.error || ((e.status < 200 || e.status > 299) && e.status !== 429));
  const ms = entries.map((e) => e.ms);
  return { name, total: entries.length, failed: failed.length, connectionErrors: entries.filter((e) => e.error).length, p50: percentile(ms, 50), p99: percentile(ms, 99), failures: failed.slice(0, 5) };
}

// --- the rehearsal ----------------------------------------------------------------------------
let exitCode = 0;
try {
  log(`HAProxy on ${lb}; starting blue1 and blue2 (${broken ? 'broken' : 'healthy'} rollout)`);
  startInstance('blue1');
  startInstance('blue2');
  if (!(await waitForStatus('blue1', 'UP', 90_000)) || !(await waitForStatus('blue2', 'UP', 90_000))) throw new Error(`blue instances never became ready\n${instances.blue1.output()}`);
  jobIds = (await (await fetch(`${lb}/api/jobs?limit=50`)).json()).jobs.map((job) => job.id);
  for (let u = 0; u < 40; u++) {
    const response = await fetch(`${lb}/api/auth/sign-up/email`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ name: `Rollout ${u}`, email: `rollout-${Date.now()}-${u}@rehearse.jobboard.test`, password: 'password123' }),
    });
    users.push(response.headers.getSetCookie().map((cookie) => cookie.split(';')[0]).join('; '));
  }
  log(`both ready; ${jobIds.length} jobs, ${users.length} candidates; load at ${RATE} requests/s`);
  const load = runLoad();
  await sleep(5_000);

  phase = 'during';
  const rollStarted = performance.now();
  const steps = [
    ['blue1', 'green1'],
    ['blue2', 'green2'],
  ];
  let rolled = 0;
  let unmigrated;
  if (broken) {
    const admin = new pg.Client({ connectionString: databaseUrl });
    await admin.connect();
    const exists = await admin.query(`SELECT 1 FROM pg_database WHERE datname = 'jobboard_unmigrated'`);
    if (!exists.rowCount) await admin.query('CREATE DATABASE jobboard_unmigrated');
    await admin.end();
    const url = new URL(databaseUrl);
    url.pathname = '/jobboard_unmigrated';
    unmigrated = url.toString();
  }
  for (const [old, next] of steps) {
    log(`starting ${next}${broken ? ' (database not migrated: it can never become ready)' : ''}`);
    startInstance(next, broken ? { DATABASE_URL: unmigrated } : {});
    if (!(await waitForStatus(next, 'UP', broken ? 20_000 : 90_000))) {
      log(`${next} did not become ready: rollout stopped, ${old} keeps serving (exit code of ${next}: ${instances[next].child.exitCode})`);
      break;
    }
    log(`${next} is UP in HAProxy; SIGTERM ${old}`);
    instances[old].child.kill('SIGTERM');
    const code = await instances[old].exited;
    log(`${old} drained and exited with ${code}`);
    if (code !== 0) exitCode = 1;
    rolled++;
  }
  const rollSeconds = (performance.now() - rollStarted) / 1000;

  phase = 'after';
  await sleep(5_000);
  loadRunning = false;
  await load;

  const status = await slotStatus();
  const rows = ['before', 'during', 'after'].map((name) => summarize(name, results.filter((e) => e.phase === name)));
  const all = summarize('total', results);
  console.log('');
  console.log(`rollout: ${broken ? 'to a build that never becomes ready' : 'healthy'}; instances replaced: ${rolled}/2; roll took ${rollSeconds.toFixed(1)} s; HAProxy now: ${JSON.stringify(status)}`);
  for (const row of [...rows, all]) {
    console.log(`  ${row.name.padEnd(7)} ${String(row.total).padStart(6)} requests   failed (not 2xx/429) ${String(row.failed).padStart(3)}   connection errors ${String(row.connectionErrors).padStart(3)}   p50 ${row.p50.toFixed(1).padStart(6)} ms   p99 ${row.p99.toFixed(1).padStart(7)} ms`);
  }
  const rateLimited = results.filter((e) => e.status === 429).length;
  console.log(`  (429: ${rateLimited}; applications created: ${results.filter((e) => e.kind === 'apply' && e.status === 201).length})`);
  if (all.failed > 0) {
    console.log(`FAILED: ${all.failed} request(s) failed, e.g. ${JSON.stringify(all.failures)}`);
    exitCode = 1;
  }
  if (!broken && rolled !== 2) {
    console.log('FAILED: the healthy rollout did not replace both instances');
    exitCode = 1;
  }
  if (broken && (rolled !== 0 || !String(status.blue1).startsWith('UP') || !String(status.blue2).startsWith('UP'))) {
    console.log('FAILED: the broken rollout should have stopped with both old instances serving');
    exitCode = 1;
  }
  console.log(exitCode === 0 ? 'OK: zero failed requests' : 'NOT OK');
} catch (error) {
  console.error(`rehearsal error: ${error.message}\n${haproxyErrors}`);
  exitCode = 1;
} finally {
  loadRunning = false;
  for (const instance of Object.values(instances)) if (instance.child.exitCode === null) instance.child.kill('SIGKILL');
  haproxy.kill('SIGTERM');
}
process.exit(exitCode);
