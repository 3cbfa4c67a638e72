// `npm test`: the whole suite in order — unit, build, integration (built server), end-to-end
// (Chromium). Uses DATABASE_URL when set, else the embedded database. The fault-injection suites
// (database outages through a TCP proxy, SIGTERM drains) need a real Postgres: without
// DATABASE_URL, this starts a throw-away one for them when PostgreSQL is installed (as CI does),
// so a bare `npm ci && npm test` runs everything CI runs. SKIP_BUILD=1 reuses a build made just
// before (CI builds as its own step).
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { freePort } from './launch-server.mjs';

// The suites with tests that need a real Postgres (a fault proxy in front of it); CI's embedded pass reads the same list.
const FAULT_SUITES = JSON.parse(readFileSync(new URL('../test/postgres-suites.json', import.meta.url), 'utf8'));
// The suites that load the machine (10,000 fuzzed requests; 200 concurrent writes and a restart):
// run alone after the others, so that they do not skew the suites that measure latency.
const LOAD_SUITES = JSON.parse(readFileSync(new URL('../test/load-suites.json', import.meta.url), 'utf8'));
const withoutLoadSuites = LOAD_SUITES.flatMap((suite) => ['--exclude', suite]);
const env = { ...process.env, NEXT_TELEMETRY_DISABLED: '1' };

/** A Postgres on a free loopback port in a temp folder, or the reason there is none. */
async function throwAwayPostgres() {
  const dir = mkdtempSync(path.join(tmpdir(), 'jobboard-test-pg-'));
  const started = spawnSync('bash', ['scripts/services/postgres.sh', 'start', dir, String(await freePort())], { encoding: 'utf8' });
  if (started.status !== 0) return { reason: (started.stderr || started.stdout).trim() };
  return { url: started.stdout.trim(), stop: () => spawnSync('bash', ['scripts/services/postgres.sh', 'stop', dir], { stdio: 'inherit' }) };
}

const faultDb = process.env.DATABASE_URL ? null : await throwAwayPostgres();
const steps = [
  ['unit tests', 'npx', ['vitest', 'run', '--project', 'unit']],
  ...(process.env.SKIP_BUILD === '1' ? [] : [['production build', 'npm', ['run', 'build']]]),
  faultDb?.url
    ? ['integration tests (built server, embedded database)', 'npx', ['vitest', 'run', '--project', 'integration', ...FAULT_SUITES.flatMap((suite) => ['--exclude', suite]), ...withoutLoadSuites]]
    : ['integration tests (built server)', 'npx', ['vitest', 'run', '--project', 'integration', ...withoutLoadSuites]],
  ['load-generating suites, alone (fuzzing, kill -9)', 'npx', ['vitest', 'run', '--project', 'integration', ...LOAD_SUITES]],
  ...(faultDb?.url
    ? [
        ['migrate the throw-away Postgres', 'npx', ['prisma', 'migrate', 'deploy'], { DATABASE_URL: faultDb.url }],
        ['fault-injection suites (throw-away Postgres)', 'npx', ['vitest', 'run', '--project', 'integration', ...FAULT_SUITES], { DATABASE_URL: faultDb.url }],
      ]
    : []),
  ['end-to-end tests (Chromium)', 'npx', ['playwright', 'test']],
];

console.log(`Running the whole suite against ${process.env.DATABASE_URL ? 'Postgres (DATABASE_URL)' : 'the embedded database'}.`);
if (faultDb?.url) console.log(`The fault-injection suites run against a throw-away Postgres: ${faultDb.url}`);
if (faultDb?.reason) console.log(`No Postgres for the fault-injection suites (${faultDb.reason}): they are reported as skipped. Install PostgreSQL or set DATABASE_URL to run them.`);
const timings = [];
let exitCode = 0;
try {
  for (const [index, [label, command, args, extraEnv = {}]] of steps.entries()) {
    console.log(`\n▶ [${index + 1}/${steps.length}] ${label}: ${command} ${args.join(' ')}`);
    const started = Date.now();
    const result = spawnSync(command, args, { stdio: 'inherit', env: { ...env, ...extraEnv } });
    const seconds = ((Date.now() - started) / 1000).toFixed(1);
    timings.push(`${label}: ${seconds} s`);
    if (result.status !== 0) {
      console.error(`\n✗ ${label} failed after ${seconds} s (exit ${result.status ?? result.signal}).`);
      exitCode = result.status ?? 1;
      break;
    }
  }
} finally {
  faultDb?.stop?.();
}
if (exitCode === 0) console.log(`\n✓ All steps passed.\n  ${timings.join('\n  ')}`);
process.exit(exitCode);
