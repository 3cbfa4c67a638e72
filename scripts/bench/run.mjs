// `npm run bench` (alias `bench:otel`): what one request costs on this machine, every variant
// measured at the same time on one core, so that all of them see the same machine second by
// second (docs/performance.md). Sequential runs here gave the same server against itself ratios
// from 0.68 to 1.48; concurrent runs of two identical servers (the A/A control) agree within a
// few per cent, and a run counts only when they do.
//
// Variants, each its own server process pinned to CPU 0 (taskset), each loaded by its own wrk
// pinned to CPU 1 (4 connections: three servers share the core at a time; more only queue). The
// servers' overload protections are moved out of the way (REAL_ANSWERS_ONLY below): a request
// shed or answered from the fallback costs far less than a real one and would skew the ratios.
// The variants: raw node:http with the same JSON; the bench build's bare Next route handler (no
// proxy); the same handler under /api (as every API read is reached: proxy or rate limit
// included); GET /api/jobs?limit=20 with telemetry disabled twice (A/A), and with tracing at
// 100 %, 10 % and 0 % (the SDK on, exporting OTLP protobuf to a local sink); one write path,
// POST /api/jobs/[id]/applications by signed-in candidates; and a third telemetry-off /api/jobs
// server, the identity check: how far another process of the same code lands from the controls.
//
// Ratios are capacity ratios from CPU time per request (/proc): what one core can serve. Every
// server is warmed first, two at a time on both cores (--warm, 30 s each: throughput here still rises over the first 30 s of load). Prints a table, then one JSON line.
// Exit: 0 measured (goals met, or the A/A or the identity check too far apart to judge), 1 a goal
// missed by more than the larger of the two spreads in a valid run, 2 bad input or no build.
//
// Options: --seconds N (per measurement, 6) --rounds N (5) --warm N (s per server, 30) --connections N (4)
//          --lead-in N (s of unmeasured load on a set's servers before each measurement, 2)
//          --only key,key (these variants, the two controls and the identity check; keys as in the JSON, e.g. traced0,traced100)
//          --profile (every Node server under --cpu-prof; prints self time by package; ratios not judged)
//          --report (print and judge, but exit 0 on a missed goal: CI's mode until issue 18's goals are met)
import { fork, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { freePort } from '../launch-server.mjs';
import { prismaMigrate } from '../dr/app-under-drill.mjs';
import { withDatabase } from '../dr/postgres-tools.mjs';
import { prepareWorkload } from '../rehearse/workload.mjs';
import { runWrk } from './load.mjs';
import { summarizeProfile } from './profile-summary.mjs';
import { imageHeapMiB, readDockerfile } from './image-runtime.mjs';
import { assertBuilt, benchNodeFlags, cpuTimeMs, REAL_ANSWERS_ONLY, rssMiB, startBenchServer } from './server.mjs';
import { parseOrExplain } from './cli.mjs';
import { exitCodeFor, judge, median, round3, warmGroups, windowOf } from './judge.mjs';

const root = path.resolve(import.meta.dirname, '../..');
const USAGE = 'usage: npm run bench [-- --seconds N] [--rounds N] [--warm N] [--lead-in N] [--connections N] [--only key,key] [--profile] [--report]';

function parseArgs(argv) {
  const options = { seconds: 6, rounds: 5, warm: 30, leadIn: 2, connections: 4, profile: false, report: false, only: undefined };
  for (let i = 0; i < argv.length; i++) {
    const [flag, inline] = argv[i].split('=', 2);
    if (flag === '--profile' || flag === '--report') {
      options[flag.slice(2)] = true;
      continue;
    }
    if (flag === '--only') {
      options.only = String(inline ?? argv[++i] ?? '').split(',').filter(Boolean);
      continue;
    }
    const key = { '--seconds': 'seconds', '--rounds': 'rounds', '--warm': 'warm', '--lead-in': 'leadIn', '--connections': 'connections' }[flag];
    if (!key) throw new Error(`unknown option ${argv[i]}\n${USAGE}`);
    const value = Number(inline ?? argv[++i]);
    if (!Number.isInteger(value) || value < (key === 'warm' || key === 'leadIn' ? 0 : 1)) throw new Error(`${flag} needs a whole number${key === 'warm' || key === 'leadIn' ? '' : ' ≥ 1'}, got ${inline ?? argv[i]}\n${USAGE}`);
    options[key] = value;
  }
  return options;
}

const options = parseOrExplain(parseArgs);
if (!options) process.exit(2);
const VARIANT_KEYS = ['raw', 'bare', 'bareApi', 'disabledA', 'disabledB', 'traced100', 'traced10', 'traced0', 'apply', 'disabledC'];
const unknown = (options.only ?? []).filter((key) => !VARIANT_KEYS.includes(key));
if (unknown.length || options.only?.length === 0) {
  console.error(`--only takes variant keys separated by commas (${VARIANT_KEYS.join(', ')}), got ${unknown.join(', ') || 'none'}`);
  process.exit(2);
}
try {
  assertBuilt(true);
} catch (error) {
  console.error(`bench: ${error.message}`);
  process.exit(2);
}
const hasWrk = !spawnSync('wrk', ['--version']).error;
if (!hasWrk) {
  console.error('bench needs wrk (apt-get install wrk): a Node load generator would share the cores it measures.');
  process.exit(2);
}
const pinned = availableParallelism() >= 2 && !spawnSync('taskset', ['-V']).error;
const [serverCpu, loadCpu] = pinned ? [0, 1] : [undefined, undefined];
const say = (line) => console.log(line);

/** On Postgres, a database of its own (created here, migrated, seeded, dropped at the end), so the apply load writes nowhere else. */
async function benchDatabase() {
  if (!process.env.DATABASE_URL) return { url: undefined, drop: async () => {} };
  const name = `jobboard_bench_${Date.now().toString(36)}`;
  const admin = new pg.Client({ connectionString: process.env.DATABASE_URL, connectionTimeoutMillis: 5_000 });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  const url = withDatabase(process.env.DATABASE_URL, name);
  const migrated = await prismaMigrate('deploy', url);
  if (migrated.code !== 0) throw new Error(`prisma migrate deploy failed:\n${migrated.output}`);
  const seeded = spawnSync(path.join(root, 'node_modules/.bin/tsx'), ['scripts/seed.ts'], { cwd: root, env: { ...process.env, DATABASE_URL: url }, encoding: 'utf8', timeout: 120_000 });
  if (seeded.status !== 0) throw new Error(`seeding failed: ${seeded.stderr || seeded.stdout}`);
  return {
    url,
    name,
    drop: async () => {
      await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`).catch(() => {});
      await admin.end();
    },
  };
}

/**
 * wrk's Lua for the write path: every request a different (candidate, job) pair, so each is a new
 * application. Each wrk run starts at `offset`, past every pair an earlier run may have sent
 * (a run that restarted at 0 would send duplicates, answered 409).
 */
function applyScript(dir, workload, offset) {
  const file = path.join(dir, `apply-${offset}.lua`);
  const list = (values) => `{${values.map((value) => JSON.stringify(value)).join(',')}}`;
  writeFileSync(
    file,
    `local cookies = ${list(workload.users)}
local jobs = ${list(workload.jobIds)}
local body = '{"coverLetter":"I would like to apply for this role: this is a benchmark application, long enough to be valid."}'
local n = ${offset}
request = function()
  local c = cookies[(n % #cookies) + 1]
  local j = jobs[(math.floor(n / #cookies) % #jobs) + 1]
  n = n + 1
  return wrk.format("POST", "/api/jobs/" .. j .. "/applications", { ["Content-Type"] = "application/json", ["Cookie"] = c }, body)
end
`,
  );
  return file;
}

async function startRawServer(payloadUrl) {
  const port = await freePort();
  const child = fork(path.join(import.meta.dirname, 'raw-server.mjs'), [String(port), payloadUrl], { stdio: 'ignore' });
  await new Promise((resolve, reject) => {
    child.once('message', resolve);
    child.once('exit', (code) => reject(new Error(`the raw node:http server exited (${code})`)));
  });
    return { url: `http://127.0.0.1:${port}`, pid: child.pid, stop: () => new Promise((resolve) => (child.exitCode !== null ? resolve() : (child.once('exit', resolve), child.kill('SIGTERM')))) };
}

const JOBS = '/api/jobs?limit=20';
// The image's V8 flags, without the memory reducer and bytecode flushing (server.mjs says why).
const dockerfile = readDockerfile();
const heapMiB = imageHeapMiB(dockerfile);
const heapArgs = benchNodeFlags(dockerfile);
/** Two wrk results of the same server added up (the control runs once per variant in a round). */
const sum = (x, y) => ({ ...x, requests: x.requests + y.requests, errors: x.errors + y.errors, cpuMs: x.cpuMs + y.cpuMs, p50: Math.max(x.p50, y.p50), p99: Math.max(x.p99, y.p99), seconds: x.seconds + y.seconds });
const DISABLED = { OTEL_SDK_DISABLED: 'true' };

const database = await benchDatabase().catch((error) => {
  console.error(`bench: could not prepare a bench database on DATABASE_URL: ${error.message}`);
  process.exit(2);
});
const work = mkdtempSync(path.join(tmpdir(), 'bench-'));
const profileDir = path.join(root, '.data/bench/profiles');
if (options.profile) {
  rmSync(profileDir, { recursive: true, force: true }); // only this run's profiles are summarised
  mkdirSync(profileDir, { recursive: true });
}
const sinkPort = await freePort();
const sink = fork(path.join(import.meta.dirname, 'sink.mjs'), [String(sinkPort)]);
await new Promise((resolve) => sink.once('message', resolve));
if (pinned) spawnSync('taskset', ['-p', '-c', String(loadCpu), String(sink.pid)]);
const exporting = (ratio) => ({ OTEL_EXPORTER_OTLP_ENDPOINT: `http://127.0.0.1:${sinkPort}`, OTEL_TRACES_SAMPLER: 'parentbased_traceidratio', OTEL_TRACES_SAMPLER_ARG: String(ratio) });

const allVariants = [
  { key: 'raw', label: 'raw node:http, same JSON', path: '/' },
  { key: 'bare', label: 'bare Next route (no proxy)', env: DISABLED, path: '/bench-only/bare' },
  { key: 'bareApi', label: 'bare route under /api', env: DISABLED, path: '/api/bench/bare' },
  { key: 'disabledA', label: '/api/jobs, OTel disabled (A)', env: DISABLED, path: JOBS },
  { key: 'disabledB', label: '/api/jobs, OTel disabled (B)', env: DISABLED, path: JOBS },
  { key: 'traced100', label: '/api/jobs, traced 100 %', env: exporting(1), path: JOBS },
  { key: 'traced10', label: '/api/jobs, traced 10 %', env: exporting(0.1), path: JOBS },
  { key: 'traced0', label: '/api/jobs, SDK on, 0 %', env: exporting(0), path: JOBS },
  { key: 'apply', label: 'apply (POST, signed in)', env: DISABLED, path: null },
  // The identity check: a third telemetry-off server, the controls' twin, started with them but
  // warmed last and measured like a variant. The A/A compares two processes that were started,
  // warmed and loaded alike; this one says how far a process of the same code lands from them for
  // being another process (see the goals below). Last, so that it warms after every variant.
  { key: 'disabledC', label: '/api/jobs, OTel disabled (C)', env: DISABLED, path: JOBS },
];
// --only: those variants, the two controls and the identity check (the raw server copies the bare route's JSON, so it brings the bare route).
const selected = options.only && new Set([...options.only, 'disabledA', 'disabledB', 'disabledC', ...(options.only.includes('raw') ? ['bare'] : [])]);
const variants = selected ? allVariants.filter((v) => selected.has(v.key)) : allVariants;
const has = (key) => variants.some((v) => v.key === key);

const dbLabel = database.url ? `Postgres (a fresh database ${database.name} on DATABASE_URL's server)` : 'the embedded default (PGlite, one per server)';
say(`bench: ${variants.length} servers, ${options.warm} s warm-up each (two at a time), then ${options.rounds} rounds of measurements × ${options.seconds} s (each after a ${options.leadIn} s unmeasured lead-in), each loading the two disabled controls and one set at once on one core (the traced variants; the identity check; the bare routes; raw node:http; the write path); wrk ${options.connections} connections each`);
say(`database: ${dbLabel}; V8 flags ${heapArgs.join(' ')} (the image's NODE_OPTIONS${heapMiB ? '' : ": no heap limit set"}); ${pinned ? `servers on CPU ${serverCpu}, wrk and the span sink on CPU ${loadCpu}` : 'NOT pinned (needs 2 CPUs and taskset): servers and load share the cores'}${options.profile ? '; PROFILING (--cpu-prof): ratios are reported, not judged' : ''}`);

const servers = {};
let exitCode = 0;
try {
  const started = performance.now();
  // Started, prepared and warmed on both cores (it is CPU time, not the wall clock, that warms a
  // server: JIT, pools, Next's lazy modules); pinned for the measured rounds only.
  // Profiled (--profile) unless it is never measured (the spare below).
  const start = (variant, extraEnv = {}, { measured = true } = {}) =>
    startBenchServer(
      variant.key,
      { ...REAL_ANSWERS_ONLY, ...variant.env, ...(database.url ? { DATABASE_URL: database.url } : {}), ...extraEnv },
      { benchBuild: true, nodeArgs: [...heapArgs, ...(options.profile && measured ? ['--cpu-prof', '--cpu-prof-dir', profileDir, '--cpu-prof-name', `${variant.key}.cpuprofile`] : [])] },
    );
  // One more telemetry-off /api/jobs server, the spare, never measured nor profiled. What it answers
  // to GET /api/jobs?limit=20 is what the bare routes (and the raw server, which copies them) answer,
  // byte for byte (app/bench-only/bench-payload.ts); and it is the warm-up partner below. Taken from
  // it, so that every measured server starts at once, the same way: one started alone and the other
  // among seven had given an A/A of 1.17 in every window, and the controls, when they were started
  // first to give the payload, were the only servers started without BENCH_PAYLOAD_FILE.
  const spare = { key: 'spare', env: DISABLED, path: JOBS };
  servers.spare = await start(spare, {}, { measured: false });
  const stopSpare = async () => {
    await servers.spare?.stop();
    delete servers.spare;
  };
  const payloadResponse = await fetch(`${servers.spare.url}${JOBS}`, { signal: AbortSignal.timeout(30_000) });
  const payload = await payloadResponse.text();
  if (payloadResponse.status !== 200) throw new Error(`GET ${JOBS} answered ${payloadResponse.status} on the spare server: ${payload.slice(0, 300)}`);
  const payloadFile = path.join(work, 'payload.json');
  writeFileSync(payloadFile, payload);
  const nodeServers = variants.filter((v) => v.key !== 'raw');
  // An odd one out would warm alone, with both cores to itself: 1.5–1.7× the requests of a
  // server warmed in a pair (16,019 and 17,969 against ~10,500 in two --only runs), and it then
  // read 0.59–0.69× the controls in the first round, below the servers warmed in pairs for two
  // rounds. So it warms beside the spare, as every other server warms beside another.
  const partner = options.warm > 0 && nodeServers.length % 2 ? spare : undefined;
  if (!partner) await stopSpare();
  await Promise.all(nodeServers.map(async (variant) => (servers[variant.key] = await start(variant, { BENCH_PAYLOAD_FILE: payloadFile }))));
  if (has('raw')) servers.raw = await startRawServer(`${servers.bare.url}/bench-only/bare`);
  const workload = has('apply') ? await prepareWorkload(servers.apply.url, { candidates: 50 }) : undefined;
  let applyOffset = 0;
  say(`started in ${((performance.now() - started) / 1000).toFixed(1)} s${workload ? `; write path: ${workload.users.length} candidates × ${workload.jobIds.length} jobs = ${workload.users.length * workload.jobIds.length} distinct applications available` : ''}`);

  const load = async (variant, seconds, cpu) => {
    const server = servers[variant.key];
    const cpuBefore = cpuTimeMs(server.pid);
    const script = variant.key === 'apply' ? applyScript(work, workload, applyOffset) : undefined;
    const result = await runWrk({ url: variant.path ? `${server.url}${variant.path}` : server.url, concurrency: options.connections, durationMs: seconds * 1000, cpu, script });
    if (script) applyOffset += result.requests + result.errors + 2 * options.connections; // past anything this run sent
    return [variant.key, { ...result, cpuMs: cpuTimeMs(server.pid) - cpuBefore, seconds }];
  };

  if (options.warm > 0) {
    // Two servers at a time, each with a core of its own (unpinned): every Node server gets about
    // the same warm-up, a few thousand requests. Warming all nine at once gave each jobs server
    // only about 500, and the controls, loaded in every measurement, then ran far warmer than the
    // variants they were compared with.
    const warmed = {};
    for (const group of warmGroups(nodeServers, partner)) {
      for (const [key, result] of await Promise.all(group.map((variant) => load(variant, options.warm)))) warmed[key] = result.requests;
    }
    await stopSpare();
    say(`warm-up (${options.warm} s each, two at a time${partner ? '; the odd one out beside the spare, not measured' : ''}): ${Object.entries(warmed).map(([key, n]) => `${key} ${n}`).join(', ')} requests`);
  }
  // Every thread of every server onto the server CPU; wrk (below) and the sink on the other.
  if (pinned) for (const server of Object.values(servers)) spawnSync('taskset', ['-a', '-p', '-c', String(serverCpu), String(server.pid)]);
  // Each measurement loads the two disabled servers (the A/A control, in every measurement) and
  // one set of variants at once on the server core. Nine servers at once, of very different
  // costs, left each about 15 req/s and A/A ratios of 0.83–1.25 here.
  const [controlA, controlB] = [variants.find((v) => v.key === 'disabledA'), variants.find((v) => v.key === 'disabledB')];
  const others = variants.filter((v) => v !== controlA && v !== controlB);
  const identityCheck = others.find((v) => v.key === 'disabledC');
  // Five sets, each loaded together with the two controls, so that every ratio comes from windows
  // with their own A/A (the same load, second by second): the traced variants (the controls' own
  // route); the identity check; the bare route outside and inside /api; raw node:http; the write path. The raw server
  // has a set of its own: at thousands of requests/s its loopback traffic is processed in softirq
  // time charged to whichever server happens to be on the core, and with it in the bare routes'
  // set the controls disagreed by 12–17 % in every window (0.6 % without it). One set per
  // variant took twice as long for the same measured seconds.
  const traced = others.filter((v) => v.key.startsWith('traced'));
  const framework = others.filter((v) => ['bare', 'bareApi'].includes(v.key));
  const raw = others.filter((v) => v.key === 'raw');
  // The identity check in a set of its own, so that no other set shares its core with one more
  // server than before: how many servers share the core moves the ratios (a 100 %-sampled server
  // read 1.05× a telemetry-off one with three servers on the core, 1.13–1.14× with six).
  const sets = [traced, [identityCheck], framework, raw, others.filter((v) => v !== identityCheck && !traced.includes(v) && !framework.includes(v) && !raw.includes(v))].filter((set) => set.length > 0);
  // The reads first, every round of them, then the write path's rounds: inserting thousands of
  // applications leaves Postgres work behind (WAL, autovacuum) that ran on the measured core during
  // the next read windows when the write set was measured between them.
  const writeSets = sets.filter((set) => set.some((v) => v.key === 'apply'));
  const phases = [sets.filter((set) => !writeSets.includes(set)), writeSets].filter((phase) => phase.length > 0);
  const rounds = Array.from({ length: options.rounds }, () => ({ pairs: [] }));
  for (const phase of phases) for (let round = 1; round <= options.rounds; round++) {
    const result = rounds[round - 1];
    const firstPair = result.pairs.length;
    for (const set of phase) {
      const loaded = [controlA, controlB, ...set];
      // The lead-in, not measured: the servers' first seconds of load after sitting idle while
      // the others were measured (connections, pools, caches) are not what a request costs.
      if (options.leadIn > 0) await Promise.all(loaded.map((v) => load(v, options.leadIn, loadCpu)));
      const [[, a], [, b], ...xs] = await Promise.all(loaded.map((v) => load(v, options.seconds, loadCpu)));
      const label = set.map((v) => v.key).join('+');
      // A measurement in which a server answered nothing, or its CPU time could not be read, says nothing.
      if ([a, b, ...xs.map(([, x]) => x)].some((run) => !run.requests || !(run.cpuMs > 0))) {
        say(`  round ${round}: ${label} measurement left out (a server answered ${[a, b, ...xs.map(([, x]) => x)].map((run) => run.requests).join('/')} requests)`);
        for (const [v, run] of [[controlA, a], [controlB, b], ...set.map((v, i) => [v, xs[i][1]])]) {
          if (run.requests) continue;
          const server = servers[v.key];
          const tail = (server.output?.() ?? '').trim().split('\n').slice(-5).join('\n    ');
          say(`    ${v.key}: ${server.exitCode?.() == null ? 'still running' : `exited (${server.exitCode()})`}${tail ? `; its last output:\n    ${tail}` : ''}`);
        }
        continue;
      }
      result.disabledA = result.disabledA ? sum(result.disabledA, a) : a;
      result.disabledB = result.disabledB ? sum(result.disabledB, b) : b;
      for (const [key, x] of xs) {
        result[key] = result[key] ? sum(result[key], x) : x;
        result.pairs.push(windowOf(key, label, a, b, x));
      }
    }
    say(`  round ${round}: ${result.pairs.slice(firstPair).map((pair) => `${pair.variant} ${pair.ratio.toFixed(2)}× (A/A ${pair.aa.toFixed(2)})`).join(' · ')}`);
  }

  // Per variant, over all rounds: requests, CPU, throughput; latency percentiles as the median round's.
  const measured = {};
  for (const variant of variants) {
    const runs = rounds.map((round) => round[variant.key]).filter(Boolean);
    const requests = runs.reduce((sum, run) => sum + run.requests, 0);
    const cpuMs = runs.reduce((sum, run) => sum + run.cpuMs, 0);
    measured[variant.key] = {
      label: variant.label,
      requests,
      errors: runs.reduce((sum, run) => sum + run.errors, 0),
      rps: Math.round((requests / runs.reduce((total, run) => total + run.seconds, 0)) * 10) / 10,
      cpuMsPerRequest: Math.round((cpuMs / requests) * 1000) / 1000,
      p50Ms: median(runs.map((run) => run.p50)),
      p99Ms: median(runs.map((run) => run.p99)),
      rssMiB: Math.round(rssMiB(servers[variant.key].pid) ?? NaN),
    };
  }
  const cpu = (key) => measured[key].cpuMsPerRequest;
  const disabled = (cpu('disabledA') + cpu('disabledB')) / 2;
  const pairs = rounds.flatMap((round) => round.pairs);
  // Each variant against the two controls loaded with it, the median over its windows; one A/A per
  // set; the identity check (C, a third telemetry-off server) against the controls; each goal judged
  // on its set's A/A and the identity check (judge.mjs). Why the identity check: each variant is one
  // process, and processes of one build were found to differ by more than the A/A said: in four
  // 10-round runs with --no-flush-bytecode, two more such servers read medians of 0.925–0.975× the
  // controls (8 of 8 below 1), whichever pair warmed first and in whichever order their wrk started
  // (docs/performance.md, item 23).
  const verdict = judge({ pairs, controlsCpuMs: disabled, bareApiCpuMs: measured.bareApi?.cpuMsPerRequest ?? 0, profiling: options.profile });
  const { ratios, goals, aaValues, spread, aaValid, identity } = verdict;
  const windowAa = pairs.map((pair) => pair.aa);
  const aa = median(aaValues);
  const aaRps = measured.disabledB.rps / measured.disabledA.rps;

  say('');
  say(`${'variant'.padEnd(32)} ${'CPU ms/req'.padStart(10)} ${'req/s'.padStart(8)} ${'p50 ms'.padStart(8)} ${'p99 ms'.padStart(8)} ${'errors'.padStart(7)} ${'RSS MiB'.padStart(8)}`);
  for (const variant of variants) {
    const m = measured[variant.key];
    say(`${m.label.padEnd(32)} ${m.cpuMsPerRequest.toFixed(3).padStart(10)} ${m.rps.toFixed(1).padStart(8)} ${m.p50Ms.toFixed(1).padStart(8)} ${m.p99Ms.toFixed(1).padStart(8)} ${String(m.errors).padStart(7)} ${String(m.rssMiB).padStart(8)}`);
  }
  say('');
  say(`A/A control (disabled B vs A, CPU per request; per set the median of its ${options.rounds} windows: ${aaValues.map((value) => value.toFixed(3)).join(', ')}; single ${options.seconds} s windows ranged ${Math.min(...windowAa).toFixed(2)}–${Math.max(...windowAa).toFixed(2)}; throughput ${aaRps.toFixed(3)}): spread (the worst set's |A/A − 1|) ${(spread * 100).toFixed(1)} % → ${aaValid ? 'every set valid' : "a set outside ±5 %: the goals measured in it are not judged"}`);
  say(`identity check (C, a third telemetry-off server, warmed last, vs the controls; the median of its ${identity.windows} windows, in a set of its own with A/A ${Number.isFinite(identity.setAa) ? identity.setAa.toFixed(3) : '–'}): ${Number.isFinite(identity.ratio) ? identity.ratio.toFixed(3) : 'not measured'} → ${identity.valid ? 'within ±5 %' : 'it or its A/A outside ±5 %: no goal is judged'}`);
  say(`/api/jobs capacity vs bare route ${ratios.jobsVsBare} · proxy/limit share ${ratios.proxyShareMs} ms per read · tracing cost 100 % ${ratios.traced100}, 10 % ${ratios.traced10}, 0 % ${ratios.traced0} · apply costs ${ratios.applyVsJobs}× a list read · raw/bare ${ratios.frameworkVsRaw}`);
  for (const goal of goals) {
    const label = !goal.judged ? 'NOT JUDGED' : goal.met ? 'met' : goal.missedBeyondSpread ? 'MISSED' : 'missed within noise';
    // Every reason that applies, not only the first.
    const reasons = options.profile
      ? ['profiling']
      : [...(goal.withinNoise ? [] : ['not both within ±5 %']), ...(goal.setBelowFloor ? ['its set read below what its variants can cost, beyond the noise'] : [])];
    say(`  ${label.padEnd(19)} ${goal.goal}: ${goal.measured} (its set's A/A ${goal.aa}, identity check ${round3(identity.ratio)}${goal.judged ? '' : `: ${reasons.join('; ')}`})`);
  }
  const { judged, failed } = verdict;
  if (options.profile) {
    say('');
    for (const variant of variants.filter((v) => v.key !== 'raw')) await servers[variant.key].stop();
    for (const file of readdirSync(profileDir).filter((name) => name.endsWith('.cpuprofile'))) {
      const summary = summarizeProfile(path.join(profileDir, file));
      say(`${file}: ${summary.totalMs} ms of CPU (idle left out)`);
      say(`  by package: ${summary.packages.slice(0, 10).map((p) => `${p.name} ${p.percent} %`).join(' · ')}`);
      say(`  top functions: ${summary.functions.slice(0, 8).map((f) => `${f.name} ${f.percent} %`).join(' · ')}`);
    }
    say(`profiles: ${profileDir} (open in Chrome DevTools → Performance)`);
  }
  const report = {
    bench: 'request-cost',
    database: database.url ? 'postgres' : 'embedded',
    pinned,
    profiled: options.profile,
    rounds: options.rounds,
    secondsPerRound: options.seconds,
    warmSeconds: options.warm,
    leadInSeconds: options.leadIn,
    connections: options.connections,
    only: options.only ?? null,
    variants: measured,
    ratios,
    aa: { cpu: round3(aa), throughput: round3(aaRps), spread: round3(spread), valid: aaValid, min: round3(Math.min(...aaValues)), max: round3(Math.max(...aaValues)), windowMin: round3(Math.min(...windowAa)), windowMax: round3(Math.max(...windowAa)), identity: round3(identity.ratio), identitySpread: round3(identity.spread), identityValid: identity.valid },
    goals,
    failed,
  };
  mkdirSync(path.join(root, '.data/bench'), { recursive: true });
  writeFileSync(path.join(root, `.data/bench/last-bench-${report.database}.json`), `${JSON.stringify(report, null, 2)}\n`);
  if (failed) {
    say(`${options.report ? 'REPORT ONLY (--report): ' : 'FAILED: '}a goal is missed by more than its spread (the A/A's or the identity check's) in a valid run`);
    exitCode = exitCodeFor({ failed, report: options.report });
  } else if (!judged) say(options.profile ? 'not judged: profiling' : !identity.valid ? "not judged: the identity check, or its own set's A/A, was outside ±5 %" : "not judged: no goal's set had its A/A control within ±5 % and its readings above their floors");
  console.log(JSON.stringify(report));
} catch (error) {
  console.error(`bench failed: ${error.stack ?? error}`);
  exitCode = 2;
} finally {
  await Promise.all(Object.values(servers).map((server) => server.stop()));
  sink.kill('SIGTERM');
  await database.drop();
}
process.exit(exitCode);
