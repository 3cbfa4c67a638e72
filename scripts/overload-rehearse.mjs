// `npm run overload:rehearse`: what users get when twice the traffic the fleet can carry arrives.
// Two instances behind HAProxy (checks timed as fly.toml times them) on DATABASE_URL. It measures
// this machine's capacity first (the highest rate of the mixed workload with p99 ≤ 250 ms), then:
//   steady    60 % of capacity   the baseline
//   overload 200 % of capacity   excess must get fast 503s with Retry-After from load shedding
//   recovery  60 % of capacity   back to steady within 5 s
// while a prober reads each instance's readiness and liveness directly every 0.25 s, each on a new
// connection, as a platform's checks do.
// Asserts: no answer from the balancer itself and no connection error; in the overload, the
// instances served at least 70 % as many 2xx per core-second of their CPU as in the trial that set
// the capacity, and the machine had no idle CPU to spare (< 15 % of its cores idle): refusing is
// cheap and the CPU went to serving. (Goodput against capacity is printed, not judged: HAProxy, the
// load generator and Postgres share the two cores here, and what they take grows with the rate
// sent — in a run here 0.71 of the 2 cores at twice a capacity of 364 req/s; on the platform they
// run elsewhere.) Every refusal a 503 with Retry-After; both instances in rotation throughout;
// probes p99 within fly.toml's check timeout; from 5 s after the overload nothing fails, the median
// is within 2× the steady phase's and p99 (without its worst second) within the bound the capacity
// was measured by (scripts/rehearse/recovery.mjs; p99 against the steady phase's windows is printed,
// not judged: on this machine mark-compact clusters decide it). Exits 1 on any miss.
import { writeFileSync } from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { coresBetween, cpuSnapshot } from './rehearse/cpu.mjs';
import { rehearse, startFleet } from './rehearse/fleet.mjs';
import { judgeRecovery, MEDIAN_BOUND, p99Of as p99, p99WithoutWorstSecond, secondsFrom } from './rehearse/recovery.mjs';
import { CAPACITY_P99_BOUND_MS, fromBalancer, measureCapacity, ok, prepareWorkload, printTable, refusedWell, startLoad, summarize } from './rehearse/workload.mjs';

const databaseUrl = process.env.DATABASE_URL;
if (!databaseUrl) {
  console.error('overload:rehearse needs a Postgres: set DATABASE_URL (scripts/services/postgres.sh start prints one).');
  process.exit(2);
}
const arg = (name) => process.argv.find((a) => a.startsWith(`--${name}=`))?.split('=')[1];
const STEADY_S = Number(arg('steady') ?? 20);
const OVERLOAD_S = Number(arg('overload') ?? 15);
const RECOVERY_S = Number(arg('recovery') ?? 10);
const RECOVERY_WITHIN_S = 5;
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
const t0 = performance.now();
const log = (message) => console.log(`[${((performance.now() - t0) / 1000).toFixed(1).padStart(5)} s] ${message}`);

const fleet = await startFleet({ slots: ['blue1', 'blue2'], databaseUrl });
let exitCode = 0;
const fail = (message) => {
  console.log(`FAILED: ${message}`);
  exitCode = 1;
};
await rehearse(fleet, async () => {
  const { timing } = fleet;
  log(`HAProxy on ${fleet.lb}: readiness checked every ${timing.intervalMs} ms, timeout ${timing.timeoutMs} ms (fly.toml), fall ${timing.fall}, rise ${timing.rise}; instances run node ${fleet.nodeFlags?.join(' ')} dist/server.js`);
  fleet.startInstance('blue1');
  fleet.startInstance('blue2');
  for (const slot of ['blue1', 'blue2']) if (!(await fleet.waitForStatus(slot, 'UP', 90_000))) throw new Error(`${slot} never became ready\n${fleet.instances[slot].output()}`);
  const workload = await prepareWorkload(fleet.lb);
  log(`both UP; ${workload.jobIds.length} jobs, ${workload.users.length} candidates; measuring capacity (p99 ≤ 250 ms)`);
  const given = arg('capacity');
  const cpuPids = { blue1: fleet.instances.blue1.child.pid, blue2: fleet.instances.blue2.child.pid, haproxy: fleet.haproxyPid, generator: process.pid };
  // The trial that set the capacity is the reference for how many answers a core of the instances gives.
  const measured = given === undefined ? await measureCapacity(fleet.lb, workload, { log, cpuSnapshot: () => cpuSnapshot(cpuPids) }) : null;
  const capacity = Number(given ?? measured.rate);
  if (!(capacity > 0)) throw new Error(`--capacity must be a positive number of requests/s, not ${given}`);
  const steadyRate = 0.6 * capacity;
  const overloadRate = 2 * capacity;
  log(`capacity ${capacity} req/s → steady ${steadyRate.toFixed(0)}, overload ${overloadRate.toFixed(0)} req/s`);

  // The capacity ramp warms the instances; a capacity given on the command line does not.
  let steadyCpu = cpuSnapshot(cpuPids);
  const load = startLoad(fleet.lb, workload, { rate: steadyRate, phase: given ? 'warm' : 'steady' });
  if (given) {
    await sleep(20_000);
    load.switchTo(steadyRate, 'steady');
    steadyCpu = cpuSnapshot(cpuPids);
  }
  // Rotation and probes, sampled throughout.
  const rotation = [];
  const probes = [];
  let watching = true;
  const before = await fleet.servers();
  const watchRotation = (async () => {
    while (watching) {
      const servers = await fleet.servers().catch(() => null);
      if (servers) rotation.push({ at: load.now(), servers });
      await sleep(200);
    }
  })();
  // Each probe on a new connection, as a platform's health check makes it.
  const probe = (slot, path, phase) =>
    new Promise((resolve) => {
      const started = performance.now();
      const at = load.now();
      const done = (status, body = '') => {
        let capacity;
        try {
          capacity = JSON.parse(body).capacity;
        } catch {}
        probes.push({ slot, path, phase, at, status, ms: performance.now() - started, capacity });
        resolve();
      };
      const request = http.get(`${fleet.instances[slot].url}${path}`, { agent: false, timeout: 10_000 }, (response) => {
        let body = '';
        response.setEncoding('utf8');
        response.on('data', (chunk) => (body += chunk));
        response.on('end', () => done(response.statusCode, body));
      });
      request.on('timeout', () => request.destroy());
      request.on('error', () => done(0));
    });
  // On schedule, whatever the previous probe's latency, as a platform's checks run.
  const pendingProbes = new Set();
  const prober = setInterval(() => {
    for (const slot of ['blue1', 'blue2'])
      for (const path of ['/api/readyz', '/api/healthz']) {
        const pending = probe(slot, path, load.results.at(-1)?.phase);
        pendingProbes.add(pending);
        pending.finally(() => pendingProbes.delete(pending));
      }
  }, 250);
  const watchProbes = (async () => {
    while (watching) await sleep(100);
    clearInterval(prober);
    await Promise.all(pendingProbes);
  })();

  await sleep(STEADY_S * 1000);
  const overloadStart = load.now();
  const overloadCpu = cpuSnapshot(cpuPids);
  // The generator's own lag would add to every latency it measures: printed so a run can be judged.
  const ownDelay = monitorEventLoopDelay({ resolution: 10 });
  ownDelay.enable();
  load.switchTo(overloadRate, 'overload');
  await sleep(OVERLOAD_S * 1000);
  ownDelay.disable();
  const generatorDelay = { p99: ownDelay.percentile(99) / 1e6, max: ownDelay.max / 1e6 };
  const overloadEnd = load.now();
  load.switchTo(steadyRate, 'recovery');
  const recoveryCpu = cpuSnapshot(cpuPids);
  const atOverloadEnd = await fleet.servers().catch(() => ({}));
  await sleep(RECOVERY_S * 1000);
  const endCpu = cpuSnapshot(cpuPids);
  await load.stop();
  watching = false;
  await Promise.all([watchRotation, watchProbes]);
  const after = await fleet.servers();

  const phase = (name) => load.results.filter((e) => e.phase === name);
  const rows = [summarize('steady', phase('steady'), STEADY_S), summarize('overload', phase('overload'), OVERLOAD_S), summarize('recovery', phase('recovery'), RECOVERY_S), summarize('total', load.results)];
  console.log('');
  console.log(`overload rehearsal: capacity ${capacity} req/s; steady ${steadyRate.toFixed(0)} req/s, overload ${overloadRate.toFixed(0)} req/s for ${OVERLOAD_S} s`);
  printTable(rows);
  // Where the CPU went in each phase: what the instances had, and what the harness took beside them.
  const cpu = {
    ...(measured ? { capacity: coresBetween(measured.cpuFrom, measured.cpuTo) } : {}),
    steady: coresBetween(steadyCpu, overloadCpu),
    overload: coresBetween(overloadCpu, recoveryCpu),
    recovery: coresBetween(recoveryCpu, endCpu),
  };
  const f2 = (n) => n.toFixed(2);
  console.log(`  CPU in cores (of ${os.availableParallelism()}): the instances, HAProxy, the load generator (this process), the Postgres processes on this machine, and the machine's idle`);
  for (const [name, { cores, idleCores }] of Object.entries(cpu)) {
    const total = Object.values(cores).reduce((a, b) => a + b, 0);
    console.log(`    ${name.padEnd(9)} blue1 ${f2(cores.blue1)} + blue2 ${f2(cores.blue2)} = ${f2(cores.blue1 + cores.blue2)}, HAProxy ${f2(cores.haproxy)}, generator ${f2(cores.generator)}, Postgres ${f2(cores.postgres)}; total ${f2(total)}; idle ${f2(idleCores)}`);
  }
  // Answers served per core-second of the instances: in the trial that set the capacity (nothing
  // refused) and in the overload. What refusing and queueing cost the
  // instances shows as the difference; what the harness takes from them here does not (on the
  // platform it runs elsewhere).
  const instanceCoreSeconds = ({ cores, wallMs }) => ((cores.blue1 + cores.blue2) * wallMs) / 1000;
  const reference = measured
    ? { name: `the ${measured.rate} req/s capacity trial`, perCore: measured.row.ok / instanceCoreSeconds(cpu.capacity) }
    : { name: 'the steady phase (no capacity trial with --capacity)', perCore: rows[0].ok / instanceCoreSeconds(cpu.steady) };
  const overloadPerCore = rows[1].ok / instanceCoreSeconds(cpu.overload);
  const efficiency = overloadPerCore / reference.perCore;
  console.log(`  2xx per core-second of the instances: ${reference.perCore.toFixed(0)} in ${reference.name}, ${overloadPerCore.toFixed(0)} in the overload (${(efficiency * 100).toFixed(0)} %)`);

  // Recovery: judged from RECOVERY_WITHIN_S after the overload on its median and on the capacity's
  // p99 bound (scripts/rehearse/recovery.mjs says why); p99 against the steady windows is printed.
  const steadyP99 = rows[0].p99;
  const bySecond = secondsFrom(phase('recovery'), overloadEnd, RECOVERY_S).map(p99);
  const settledStart = overloadEnd + RECOVERY_WITHIN_S * 1000;
  const settled = phase('recovery').filter((e) => e.at >= settledStart);
  const recovery = judgeRecovery({ steady: phase('steady').filter(ok), settled: settled.filter(ok), settledStart, seconds: RECOVERY_S - RECOVERY_WITHIN_S, p99BoundMs: CAPACITY_P99_BOUND_MS });
  const steadyWindows = [];
  const steadyWindowsRobust = [];
  for (let s = 0; s + RECOVERY_WITHIN_S <= STEADY_S; s += RECOVERY_WITHIN_S) {
    const start = overloadStart - STEADY_S * 1000 + s * 1000;
    const entries = phase('steady').filter((e) => e.at >= start && e.at < start + RECOVERY_WITHIN_S * 1000);
    steadyWindows.push(p99(entries));
    steadyWindowsRobust.push(p99WithoutWorstSecond(entries, start, RECOVERY_WITHIN_S));
  }
  console.log(`  recovery p99 per second after the overload: ${bySecond.map((ms) => ms.toFixed(0)).join(', ')} ms`);
  console.log(`  from +${RECOVERY_WITHIN_S} s on: median ${recovery.settledP50.toFixed(1)} ms against the steady phase's ${recovery.steadyP50.toFixed(1)} ms (${recovery.medianRatio.toFixed(2)}×, bound ${MEDIAN_BOUND}×); p99 ${recovery.settledP99.toFixed(0)} ms, without its worst second ${recovery.settledP99Robust.toFixed(0)} ms (bound ${CAPACITY_P99_BOUND_MS} ms, the capacity's)`);
  console.log(`  reported, not judged: steady p99 ${steadyP99.toFixed(0)} ms, per ${RECOVERY_WITHIN_S} s window ${steadyWindows.map((ms) => ms.toFixed(0)).join(', ')} ms (without each window's worst second: ${steadyWindowsRobust.map((ms) => ms.toFixed(0)).join(', ')} ms); the settled p99 without its worst second is ${(recovery.settledP99Robust / Math.max(...steadyWindowsRobust)).toFixed(2)}× the worst of them`);

  // Probes during the overload, as the platform would see them.
  for (const path of ['/api/readyz', '/api/healthz']) {
    const during = probes.filter((p) => p.path === path && p.phase === 'overload');
    const bad = during.filter((p) => p.status !== 200);
    const probeP99 = p99(during);
    console.log(`  ${path} on the instances during overload: ${during.length} probes, p99 ${probeP99.toFixed(0)} ms, max ${Math.max(...during.map((p) => p.ms)).toFixed(0)} ms, not 200: ${bad.length}`);
    if (!(probeP99 <= fleet.timing.timeoutMs)) fail(`${path} p99 ${probeP99.toFixed(0)} ms is over the ${fleet.timing.timeoutMs} ms check timeout`);
    if (bad.length) fail(`${path} answered ${bad.map((p) => p.status).join(', ')} during overload`);
  }
  console.log(`  load generator's own event-loop delay during overload: p99 ${generatorDelay.p99.toFixed(0)} ms, max ${generatorDelay.max.toFixed(0)} ms`);
  // What the instances said of their own load, from the readiness bodies during the overload.
  for (const slot of ['blue1', 'blue2']) {
    const reports = probes.filter((p) => p.slot === slot && p.phase === 'overload' && p.capacity).map((p) => p.capacity);
    if (reports.length === 0) continue;
    const worst = (key) => Math.max(...reports.map((c) => c[key] ?? 0));
    console.log(`  ${slot} readiness bodies during overload: event-loop delay p99 up to ${worst('event_loop_delay_p99_ms')} ms, in flight up to ${worst('in_flight')}, active up to ${worst('active')}, queued up to ${worst('queued')}`);
  }
  writeFileSync(path.join(fleet.logDir, 'probes.json'), JSON.stringify(probes));
  writeFileSync(path.join(fleet.logDir, 'requests.json'), JSON.stringify(load.results));
  for (const slot of ['blue1', 'blue2']) {
    const s = atOverloadEnd[slot];
    if (s) console.log(`  HAProxy → ${slot} at the end of the overload: ${s.scur} sessions; last 1024 requests avg queue ${s.qtime} ms, connect ${s.ctime} ms, response ${s.rtime} ms, total ${s.ttime} ms`);
  }
  const notUp = rotation.filter((sample) => ['blue1', 'blue2'].some((slot) => !sample.servers[slot]?.status.startsWith('UP')));
  const transitions = ['blue1', 'blue2'].map((slot) => after[slot].chkdown - before[slot].chkdown);
  console.log(`  rotation: ${rotation.length} samples, ${notUp.length} with an instance out; UP→DOWN transitions: blue1 ${transitions[0]}, blue2 ${transitions[1]}`);

  const total = rows[3];
  const overload = rows[1];
  const overloadRefusals = phase('overload').filter((e) => !e.error && (e.status < 200 || e.status > 299));
  const badRefusals = overloadRefusals.filter((e) => !refusedWell(e));
  console.log(`  goodput during overload: ${overload.goodput.toFixed(1)} req/s = ${((overload.goodput / capacity) * 100).toFixed(0)} % of capacity; refused: ${overloadRefusals.length} (${overloadRefusals.length - badRefusals.length} as 503 + Retry-After)`);
  if (total.fromBalancer) fail(`${total.fromBalancer} answer(s) came from the load balancer itself, e.g. ${JSON.stringify(load.results.filter(fromBalancer).slice(0, 3))}`);
  if (total.connectionErrors) fail(`${total.connectionErrors} connection error(s)`);
  // 70 %, not more: the two run at different loads, and this ratio ranged 0.83-1.32 across runs
  // here (docs/deploying.md); refusals as costly as a 2xx would halve it.
  if (!(efficiency >= 0.7))
    fail(`in the overload the instances served ${overloadPerCore.toFixed(0)} 2xx per core-second, ${(efficiency * 100).toFixed(0)} % of the ${reference.perCore.toFixed(0)} in ${reference.name} (at least 70 %): refusing or queueing took their CPU`);
  const idleShare = cpu.overload.idleCores / os.availableParallelism();
  if (overloadRefusals.length > 0 && !(idleShare < 0.15)) fail(`${(idleShare * 100).toFixed(0)} % of the machine's CPU was idle during the overload while requests were refused: the instances refused work they had room for`);
  if (badRefusals.length) fail(`${badRefusals.length} refusal(s) during overload were not 503 + Retry-After + JSON code, e.g. ${JSON.stringify(badRefusals.slice(0, 3))}`);
  if (notUp.length || transitions.some((n) => n > 0)) fail('an instance left rotation during the rehearsal');
  for (const miss of recovery.misses) fail(`not back to steady ${RECOVERY_WITHIN_S} s after the overload: ${miss}`);
  // The backlog of the overload may still be refused (properly) in its first seconds after; from
  // RECOVERY_WITHIN_S on, nothing may fail, as in the steady phase.
  const recoveryRefusals = phase('recovery').filter((e) => !e.error && (e.status < 200 || e.status > 299));
  const badRecoveryRefusals = recoveryRefusals.filter((e) => !refusedWell(e));
  const lateFailures = summarize('settled', settled).failed;
  console.log(`  recovery: ${recoveryRefusals.length} refused (${recoveryRefusals.length - badRecoveryRefusals.length} as 503 + Retry-After), ${lateFailures} of them from +${RECOVERY_WITHIN_S} s on`);
  if (rows[0].failed) fail(`${rows[0].failed} request(s) failed in the steady phase, e.g. ${JSON.stringify(rows[0].examples)}`);
  if (badRecoveryRefusals.length) fail(`${badRecoveryRefusals.length} refusal(s) after the overload were not 503 + Retry-After, e.g. ${JSON.stringify(badRecoveryRefusals.slice(0, 3))}`);
  if (lateFailures) fail(`${lateFailures} request(s) failed ${RECOVERY_WITHIN_S} s or more after the overload ended`);
  console.log(
    `RESULT ${JSON.stringify({ capacity, steadyRate: Math.round(steadyRate), overloadRate: Math.round(overloadRate), phases: rows.map(({ examples: _examples, ...row }) => row), steadyWindowsP99: steadyWindows.map(Math.round), recoveryP99BySecond: bySecond.map(Math.round), settledP50: recovery.settledP50, steadyP50: recovery.steadyP50, settledMedianRatio: recovery.medianRatio, settledP99: Math.round(recovery.settledP99), settledP99WithoutWorstSecond: Math.round(recovery.settledP99Robust), cpuCores: Object.fromEntries(Object.entries(cpu).map(([name, { cores, idleCores }]) => [name, { ...cores, idle: idleCores }])), servedPerCoreSecondVsReference: efficiency })}`,
  );
  console.log(exitCode === 0 ? 'OK: the fleet kept serving at its capacity and refused the excess cleanly' : 'NOT OK');
  return exitCode;
});
