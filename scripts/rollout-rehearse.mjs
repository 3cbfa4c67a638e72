// `npm run rollout:rehearse [-- --broken] [--capacity=N]`: a rolling deploy rehearsed on this
// machine, as the platform does it. HAProxy (checking /api/readyz as fly.toml times it) in front of
// two instances of the built app on Postgres. It first measures this machine's capacity (the
// highest rate of the mixed workload with p99 ≤ 250 ms), then runs the workload at 60 % of it
// throughout while each instance is replaced in turn: start the new one, wait until HAProxy sees it
// ready, SIGTERM the old one (which drains). Prints per phase the requests, failures and latency,
// and each new instance's p99 in its first 10 s in rotation against its own steady state; exits
// non-zero on any failed request.
// --broken: the new instance can never become ready (its database is not migrated): the rollout
// must stop and the old instances keep serving with zero failed requests (the rollback path).
// --containers[=IMAGE]: the instances are containers of the real image (default jobboard:local,
// from npm run image:build), stopped as Fly and Kubernetes stop them: `docker stop -t <fly.toml
// kill_timeout>`, SIGTERM then SIGKILL.
import pg from 'pg';
import { requireEngine } from './image/docker.mjs';
import { percentile } from './bench/load.mjs';
import { rehearse, startFleet } from './rehearse/fleet.mjs';
import { measureCapacity, prepareWorkload, printTable, startLoad, summarize } from './rehearse/workload.mjs';

const broken = process.argv.includes('--broken');
const databaseUrl = process.env.DATABASE_URL;
if (!databaseUrl) {
  console.error('rollout:rehearse needs a Postgres: set DATABASE_URL (scripts/services/postgres.sh start prints one).');
  process.exit(2);
}
const given = process.argv.find((a) => a.startsWith('--capacity='))?.split('=')[1];
const SHARE = 0.6;
const FIRST_IN_ROTATION_MS = 10_000;
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
const t0 = performance.now();
const log = (message) => console.log(`[${((performance.now() - t0) / 1000).toFixed(1).padStart(5)} s] ${message}`);

async function unmigratedDatabaseUrl() {
  const admin = new pg.Client({ connectionString: databaseUrl });
  await admin.connect();
  try {
    const exists = await admin.query(`SELECT 1 FROM pg_database WHERE datname = 'jobboard_unmigrated'`);
    if (!exists.rowCount) await admin.query('CREATE DATABASE jobboard_unmigrated');
  } finally {
    await admin.end();
  }
  const url = new URL(databaseUrl);
  url.pathname = '/jobboard_unmigrated';
  return url.toString();
}

const containersArg = process.argv.find((a) => a === '--containers' || a.startsWith('--containers='));
const image = containersArg ? containersArg.split('=')[1] || 'jobboard:local' : null;
if (image) {
  try {
    log(`containers of ${image} on Docker ${await requireEngine()}`);
  } catch (error) {
    console.error(`rollout:rehearse --containers: ${error.message}`);
    process.exit(2);
  }
}

const fleet = await startFleet({ slots: ['blue1', 'blue2', 'green1', 'green2'], databaseUrl, image });
let exitCode = 0;
await rehearse(fleet, async () => {
  const { timing } = fleet;
  log(`HAProxy on ${fleet.lb}: readiness every ${timing.intervalMs} ms, timeout ${timing.timeoutMs} ms (fly.toml), fall ${timing.fall}, rise ${timing.rise}; pre-stop ${timing.prestopMs} ms (fall × interval + timeout + 1 s)${fleet.nodeFlags ? `; instances run node ${fleet.nodeFlags.join(' ')} dist/server.js` : ''}`);
  log(`starting blue1 and blue2 (${broken ? 'broken' : 'healthy'} rollout)`);
  fleet.startInstance('blue1', { GIT_SHA: 'blue000' });
  fleet.startInstance('blue2', { GIT_SHA: 'blue000' });
  for (const slot of ['blue1', 'blue2']) if (!(await fleet.waitForStatus(slot, 'UP', 90_000))) throw new Error(`${slot} never became ready\n${fleet.instances[slot].output()}`);
  const workload = await prepareWorkload(fleet.lb);
  log(`both UP; ${workload.jobIds.length} jobs, ${workload.users.length} candidates`);
  const capacity = Number(given ?? (await measureCapacity(fleet.lb, workload, { log })).rate);
  if (!(capacity > 0)) throw new Error(`--capacity must be a positive number of requests/s, not ${given}`);
  const rate = SHARE * capacity;
  log(`capacity ${capacity} req/s → the roll runs at ${rate.toFixed(0)} req/s (${SHARE * 100} %)`);

  const load = startLoad(fleet.lb, workload, { rate, phase: 'before' });
  await sleep(given ? 15_000 : 5_000); // a capacity given on the command line skipped the ramp that warms up
  load.switchTo(rate, 'during');
  const rollStarted = performance.now();
  const unmigrated = broken ? await unmigratedDatabaseUrl() : undefined;
  const joinedAt = {};
  let rolled = 0;
  for (const [old, next] of [
    ['blue1', 'green1'],
    ['blue2', 'green2'],
  ]) {
    log(`starting ${next}${broken ? ' (database not migrated: it can never become ready)' : ''}`);
    const started = fleet.startInstanceOnItsOwnMachine(next, { GIT_SHA: 'green00', ...(broken ? { DATABASE_URL: unmigrated } : {}) });
    if (!(await fleet.waitForStatus(next, 'UP', broken ? 20_000 : 90_000))) {
      log(`${next} did not become ready: rollout stopped, ${old} keeps serving (exit code of ${next}: ${fleet.instances[next].child.exitCode})`);
      break;
    }
    joinedAt[next] = load.now();
    started.joined();
    log(`${next} is UP in HAProxy; SIGTERM ${old}`);
    const code = await fleet.instances[old].terminate();
    log(`${old} drained and exited with ${code}`);
    if (code !== 0) exitCode = 1;
    rolled++;
  }
  const rollSeconds = (performance.now() - rollStarted) / 1000;
  load.switchTo(rate, 'after');
  const afterStarted = load.now();
  await sleep(10_000);
  await load.stop();

  const status = await fleet.servers();
  const rows = ['before', 'during', 'after'].map((name) => summarize(name, load.results.filter((e) => e.phase === name)));
  const all = summarize('total', load.results);
  console.log('');
  console.log(`rollout${image ? ` of containers (${image})` : ''}: ${broken ? 'to a build that never becomes ready' : 'healthy'}; capacity ${capacity} req/s, load ${rate.toFixed(0)} req/s; instances replaced: ${rolled}/2; roll took ${rollSeconds.toFixed(1)} s`);
  console.log(`  HAProxy now: ${Object.entries(status).map(([slot, s]) => `${slot} ${s.status}`).join(', ')}`);
  printTable([...rows, all]);
  console.log(`  (applications created: ${load.results.filter((e) => e.kind === 'apply' && e.status === 201).length})`);

  // A new instance should carry its share from its first seconds in rotation.
  const joining = {};
  for (const [slot, at] of Object.entries(joinedAt)) {
    const served = load.results.filter((e) => e.server === slot);
    const first = served.filter((e) => e.at >= at && e.at < at + FIRST_IN_ROTATION_MS).map((e) => e.ms);
    const steady = served.filter((e) => e.at >= afterStarted).map((e) => e.ms);
    joining[slot] = { firstRequests: first.length, firstP99: percentile(first, 99), steadyRequests: steady.length, steadyP99: percentile(steady, 99) };
    const j = joining[slot];
    console.log(`  ${slot}: p99 ${j.firstP99.toFixed(0)} ms over its first ${FIRST_IN_ROTATION_MS / 1000} s in rotation (${j.firstRequests} requests) vs ${j.steadyP99.toFixed(0)} ms steady (${j.steadyRequests}) = ${(j.firstP99 / j.steadyP99).toFixed(2)}×`);
  }
  if (all.failed > 0) {
    console.log(`FAILED: ${all.failed} request(s) failed, e.g. ${JSON.stringify(all.examples)}`);
    exitCode = 1;
  }
  if (!broken && rolled !== 2) {
    console.log('FAILED: the healthy rollout did not replace both instances');
    exitCode = 1;
  }
  if (broken && (rolled !== 0 || !status.blue1.status.startsWith('UP') || !status.blue2.status.startsWith('UP'))) {
    console.log('FAILED: the broken rollout should have stopped with both old instances serving');
    exitCode = 1;
  }
  console.log(`RESULT ${JSON.stringify({ broken, containers: image, capacity, rate: Math.round(rate), rolled, rollSeconds: Math.round(rollSeconds * 10) / 10, phases: [...rows, all].map(({ examples: _examples, ...row }) => row), joining })}`);
  console.log(exitCode === 0 ? 'OK: zero failed requests' : 'NOT OK');
  return exitCode;
});
