// `npm test`: the whole suite in order — unit, build, integration (built server), end-to-end
// (Chromium). Uses DATABASE_URL when set, else the embedded database. SKIP_BUILD=1 reuses a
// build made just before (CI builds as its own step).
import { spawnSync } from 'node:child_process';

const steps = [
  ['unit tests', 'npx', ['vitest', 'run', '--project', 'unit']],
  ...(process.env.SKIP_BUILD === '1' ? [] : [['production build', 'npm', ['run', 'build']]]),
  ['integration tests (built server)', 'npx', ['vitest', 'run', '--project', 'integration']],
  ['end-to-end tests (Chromium)', 'npx', ['playwright', 'test']],
];

const env = { ...process.env, NEXT_TELEMETRY_DISABLED: '1' };
const timings = [];
console.log(`Running the whole suite against ${process.env.DATABASE_URL ? 'Postgres (DATABASE_URL)' : 'the embedded database'}.`);
for (const [index, [label, command, args]] of steps.entries()) {
  console.log(`\n▶ [${index + 1}/${steps.length}] ${label}: ${command} ${args.join(' ')}`);
  const started = Date.now();
  const result = spawnSync(command, args, { stdio: 'inherit', env });
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  timings.push(`${label}: ${seconds} s`);
  if (result.status !== 0) {
    console.error(`\n✗ ${label} failed after ${seconds} s (exit ${result.status ?? result.signal}).`);
    process.exit(result.status ?? 1);
  }
}
console.log(`\n✓ All steps passed.\n  ${timings.join('\n  ')}`);
