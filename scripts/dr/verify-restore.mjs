// `npm run dr:verify`: the verification half of the drill, for a database someone else restored —
// the weekly production drill restores Fly Managed Postgres's latest backup into a throw-away
// cluster and runs this against it (.github/workflows/dr-drill.yml, docs/disaster-recovery.md).
// It checks that the schema is at head, counts every table, starts the built app on the restore,
// reads through it, signs in with the drill account and finds its applications, then writes the
// report golive reads (.data/dr/last-drill.json by default). It never writes to the restore
// except the session its sign-in creates. Exits 1 when a check fails or the RTO target is missed.
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { atHead, prismaMigrate, startApp } from './app-under-drill.mjs';
import { myApplications, signIn } from './live-load.mjs';
import { connect } from './manifest.mjs';
import { round } from './recovery-point.mjs';

const root = path.resolve(import.meta.dirname, '../..');
const APP_TABLES = ['user', 'account', 'session', 'company', 'job', 'application', 'idempotency_key', '_prisma_migrations'];

const usage = (message) => {
  console.error(`dr:verify: ${message}`);
  process.exit(2);
};
let values;
try {
  ({ values } = parseArgs({
  options: {
    method: { type: 'string', default: 'fly-mpg-restore' },
    'restore-started-at': { type: 'string' },
    'backup-at': { type: 'string' },
    'rto-target-seconds': { type: 'string', default: '1800' },
    'max-backup-age-days': { type: 'string', default: '8' },
    out: { type: 'string', default: path.join(root, '.data/dr/last-drill.json') },
    help: { type: 'boolean', default: false },
  },
  }));
} catch (error) {
  usage(`${error.message} (see --help)`);
}
if (values.help) {
  console.log(`npm run dr:verify [-- options]   (DATABASE_URL: the restored database; DR_VERIFY_EMAIL, DR_VERIFY_PASSWORD: the drill account)
  --restore-started-at ISO   when the restore was started (the RTO is measured from it; default: now)
  --backup-at ISO            when the restored backup was taken (reported with the newest write it holds)
  --rto-target-seconds N     the RTO target (default 1800: a managed restore provisions a cluster)
  --max-backup-age-days N    fail when the restored backup (--backup-at) is older (default 8: backups have stopped)
  --method NAME              the report's method name (default fly-mpg-restore)
  --out FILE                 the report (default .data/dr/last-drill.json)`);
  process.exit(0);
}
const url = process.env.DATABASE_URL;
if (!url || !/^postgres(ql)?:\/\//.test(url)) usage('needs DATABASE_URL: the restored database (for Fly, through `fly mpg proxy`)');
const email = process.env.DR_VERIFY_EMAIL;
const password = process.env.DR_VERIFY_PASSWORD;
if (!email || !password) usage('needs DR_VERIFY_EMAIL and DR_VERIFY_PASSWORD: a candidate account kept in production for the drill, with at least one application');
const parseTime = (name) => {
  if (values[name] === undefined) return null;
  const at = Date.parse(values[name]);
  if (!Number.isFinite(at)) usage(`--${name} takes an ISO 8601 time, not "${values[name]}"`);
  return at;
};
const restoreStartedAt = parseTime('restore-started-at') ?? Date.now();
const backupAt = parseTime('backup-at');
const rtoTarget = Number(values['rto-target-seconds']);
if (!(rtoTarget > 0)) usage(`--rto-target-seconds takes a number > 0, not "${values['rto-target-seconds']}"`);
const maxBackupAgeDays = Number(values['max-backup-age-days']);
if (!(maxBackupAgeDays > 0)) usage(`--max-backup-age-days takes a number > 0, not "${values['max-backup-age-days']}"`);

const checks = [];
const check = (name, passed, detail) => {
  checks.push({ name, status: passed ? 'PASS' : 'FAIL', detail });
  console.log(`${passed ? 'PASS' : 'FAIL'}  ${name}: ${detail}`);
};

let app = null;
let counts = {};
let newestWriteAt = null;
let rtoSeconds = null;
try {
  if (backupAt !== null) {
    const ageDays = (Date.now() - backupAt) / 86_400_000;
    check('the latest backup is recent', ageDays <= maxBackupAgeDays, `taken ${new Date(backupAt).toISOString()}, ${ageDays.toFixed(1)} days ago (limit ${maxBackupAgeDays})`);
  }
  const status = await prismaMigrate('status', url);
  check('migrations at head', atHead(status), atHead(status) ? 'prisma migrate status: "Database schema is up to date!"' : status.output.trim().split('\n').slice(-3).join(' | '));

  const client = await connect(url);
  try {
    for (const table of APP_TABLES) counts[table] = Number((await client.query(`SELECT count(*)::bigint AS n FROM "${table}"`)).rows[0].n);
    const { rows } = await client.query('SELECT greatest((SELECT max("createdAt") FROM application), (SELECT max("createdAt") FROM job), (SELECT max("createdAt") FROM "user")) AS newest');
    newestWriteAt = rows[0].newest ? new Date(rows[0].newest).getTime() : null;
  } finally {
    await client.end();
  }
  check('every table readable, with users and jobs', counts.user > 0 && counts.job > 0, Object.entries(counts).map(([t, n]) => `${t} ${n.toLocaleString('en')}`).join(', '));

  app = await startApp(url, { readyWithinMs: 120_000 });
  const jobs = await fetch(`${app.base}/api/jobs?limit=20`, { signal: AbortSignal.timeout(10_000) }).then(async (r) => ({ status: r.status, body: await r.json() }));
  check('the app serves fresh reads from the restore', jobs.status === 200 && !jobs.body.degraded, `GET /api/jobs → ${jobs.status}${jobs.body.degraded ? ' (degraded)' : ''}, ${jobs.body.jobs?.length ?? 0} jobs`);
  const session = await signIn(app.base, { email, password });
  check('sign-in with the drill account', session.status === 200, `POST /api/auth/sign-in/email → ${session.status}`);
  const listed = session.cookie ? await myApplications(app.base, session.cookie) : null;
  const count = listed?.json?.applications?.length ?? 0;
  check("the drill account's applications are listed", listed?.status === 200 && count > 0 && !listed.json.degraded, `GET /api/me/applications → ${listed?.status ?? 'not called'}, ${count} applications`);
  rtoSeconds = round((Date.now() - restoreStartedAt) / 1000, 1);
} catch (error) {
  check('drill completed', false, String(error.message ?? error).split('\n')[0]);
} finally {
  if (app) await app.server.stop({ graceMs: 30_000 });
}

const result = {
  method: values.method,
  // What a disaster now would lose: everything written after the newest row this backup holds.
  rpoSeconds: newestWriteAt === null ? null : round((Date.now() - newestWriteAt) / 1000, 0),
  rtoSeconds,
  targets: { rtoSeconds: rtoTarget },
  ...(backupAt ? { backupAt: new Date(backupAt).toISOString() } : {}),
  ...(newestWriteAt ? { newestWriteAt: new Date(newestWriteAt).toISOString() } : {}),
  rows: counts,
  checks,
};
mkdirSync(path.dirname(values.out), { recursive: true });
writeFileSync(values.out, `${JSON.stringify({ finishedAt: new Date().toISOString(), methods: [result] }, null, 2)}\n`);
const missed = checks.some((c) => c.status !== 'PASS') || !(rtoSeconds <= rtoTarget);
console.log(`\n${values.method}: RTO ${rtoSeconds ?? '-'} s (target ${rtoTarget} s), newest restored write ${result.newestWriteAt ?? '-'}; report ${path.relative(process.cwd(), values.out)}`);
console.log(missed ? 'VERIFY FAILED' : 'VERIFY PASSED');
process.exit(missed ? 1 : 0);
