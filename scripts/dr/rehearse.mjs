// `npm run dr:rehearse`: the disaster-recovery drill (docs/disaster-recovery.md). On the Postgres
// in DATABASE_URL, which it destroys, it runs the built app under live writes, backs up, destroys
// the database, restores, points the app at the restore and verifies it — once per method:
//   dump  pg_dump -Fc in one snapshot (verified with pg_restore --list), restored with pg_restore;
//   pitr  pg_basebackup + pg_receivewal (continuous WAL), recovered to just before the DROP.
// The dump round runs first; the point-in-time round runs on the database it restored. It prints
// what users saw, RPO and RTO per method and every check, writes the report to
// .data/dr/last-drill.json, and exits 1 when a check fails or a target is missed.
import { execFileSync, spawn } from 'node:child_process';
import { appendFileSync, chmodSync, cpSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { freePort } from '../launch-server.mjs';
import { atHead, prismaMigrate, startApp } from './app-under-drill.mjs';
import { compareManifests, connect, tableManifest, TABLES } from './manifest.mjs';
import { applyTo, createCanaryTable, myApplications, openJobIds, signIn, signUp, startAppLoad, startCanary, whatUsersSaw } from './live-load.mjs';
import { handToPostgres, libpqEnv, newestDropRecord, postgresBin, run, stopBeforeDrop, walSegments, withDatabase } from './postgres-tools.mjs';
import { acknowledgedWrites, outageBehaviour, recoveryPoint, round } from './recovery-point.mjs';
import { destroyRefusal, DESTROYABLE_MARK } from './destroyable.mjs';

const root = path.resolve(import.meta.dirname, '../..');
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
const TARGETS = { pitr: { rpoSeconds: 5, rtoSeconds: 60 }, dump: { rtoSeconds: 60 } };

function fail(message) {
  console.error(`dr:rehearse: ${message}`);
  process.exit(2);
}

let values;
try {
  ({ values } = parseArgs({
    options: {
      'yes-destroy': { type: 'boolean', default: false },
      methods: { type: 'string', default: 'dump,pitr' },
      applications: { type: 'string', default: '0' },
      out: { type: 'string', default: path.join(root, '.data/dr/last-drill.json') },
      keep: { type: 'boolean', default: false },
      help: { type: 'boolean', default: false },
    },
  }));
} catch (error) {
  fail(`${error.message} (see --help)`);
}
if (values.help) {
  console.log(`npm run dr:rehearse [-- options]
  Destroys the database in DATABASE_URL (a Postgres) and restores it, under live writes.
  --yes-destroy        destroy it even if it is not marked as destroyable (COMMENT ON DATABASE … IS '${DESTROYABLE_MARK}')
  --methods LIST       dump,pitr (default both; pitr also needs replication rights)
  --applications N     add N applications before the drill (the RTO-versus-size table)
  --out FILE           the report (default .data/dr/last-drill.json)
  --keep               keep the backups and the restored cluster's files`);
  process.exit(0);
}
const methods = values.methods.split(',').map((m) => m.trim());
if (!methods.length || methods.some((m) => !(m in TARGETS))) fail(`--methods takes dump and/or pitr, not "${values.methods}"`);
const bulkApplications = Number(values.applications);
if (!Number.isInteger(bulkApplications) || bulkApplications < 0) fail(`--applications takes a whole number ≥ 0, not "${values.applications}"`);

const startedAt = Date.now();
const elapsed = () => `${((Date.now() - startedAt) / 1000).toFixed(1).padStart(6)} s`;
const say = (message) => console.log(`[${elapsed()}] ${message}`);

const sourceUrl = process.env.DATABASE_URL;
if (!sourceUrl || !/^postgres(ql)?:\/\//.test(sourceUrl)) fail('needs DATABASE_URL to a Postgres it may destroy (the embedded default has no backups to rehearse: it is a development database)');
const database = decodeURIComponent(new URL(sourceUrl).pathname.slice(1));
if (!database || database === 'postgres') fail('DATABASE_URL must name the app\'s database (not "postgres", which the drill connects to while the app\'s is gone)');
const adminUrl = withDatabase(sourceUrl, 'postgres');

// Backups, WAL and the restored cluster's files; made once the database was accepted and prepared.
let work = null;
const cleanups = [];
const runId = Date.now().toString(36);
let app = null;
async function pointAppAt(databaseUrl) {
  app = await startApp(databaseUrl, { port: app?.port });
  return app;
}

const dirBytes = (dir) => readdirSync(dir, { recursive: true, withFileTypes: true }).reduce((sum, entry) => (entry.isFile() ? sum + statSync(path.join(entry.parentPath, entry.name)).size : sum), 0);
const mib = (bytes) => (bytes < 1024 * 1024 ? `${(bytes / 1024).toFixed(0)} KiB` : `${(bytes / 1024 / 1024).toFixed(1)} MiB`);

/** Polls `check` (an async predicate) every 100 ms until it holds; false after `timeoutMs`. */
async function waitFor(check, timeoutMs) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check().catch(() => false)) return true;
    await sleep(100);
  }
  return false;
}

// ---- before the drill: refuse a database that is not ours to destroy, then prepare it ----------

async function prepareSource() {
  const admin = await connect(adminUrl).catch((error) => fail(`cannot connect to ${new URL(adminUrl).host}: ${error.message}`));
  try {
    const { rows } = await admin.query(
      `SELECT shobj_description(d.oid, 'pg_database') AS mark, r.rolsuper, r.rolreplication
         FROM pg_database d, pg_roles r WHERE d.datname = $1 AND r.rolname = current_user`,
      [database],
    );
    const refusal = destroyRefusal({ database, exists: rows.length > 0, mark: rows[0]?.mark ?? null, yesDestroy: values['yes-destroy'] });
    if (refusal) fail(refusal);
    if (!rows[0].rolsuper) fail('the drill drops and creates databases and streams WAL: connect as a superuser of this (throw-away) cluster');
  } finally {
    await admin.end();
  }
  say(`preparing ${database}: migrations, seed${bulkApplications ? `, ${bulkApplications} applications` : ''}`);
  const migrated = await prismaMigrate('deploy', sourceUrl);
  if (migrated.code !== 0) fail(`prisma migrate deploy failed:\n${migrated.output}`);
  try {
    execFileSync(path.join(root, 'node_modules/.bin/tsx'), ['scripts/seed.ts'], { cwd: root, env: { ...process.env, DATABASE_URL: sourceUrl }, stdio: 'pipe', timeout: 120_000 });
  } catch (error) {
    fail(`seeding failed: ${error.stderr || error.stdout || error.message}`);
  }
  const client = await connect(sourceUrl, { statementTimeoutMs: 900_000 });
  try {
    await createCanaryTable(client);
    if (bulkApplications) await addApplications(client, bulkApplications);
    const { rows } = await client.query('SELECT (SELECT count(*) FROM job)::int AS jobs, (SELECT count(*) FROM application)::int AS applications, (SELECT count(*) FROM "user")::int AS users, pg_database_size(current_database())::bigint AS bytes');
    return { ...rows[0], bytes: Number(rows[0].bytes) };
  } finally {
    await client.end();
  }
}

/** `n` applications by bulk candidates, 240 jobs each at most (one application per candidate and job). */
async function addApplications(client, n) {
  const { rows } = await client.query('SELECT count(*)::int AS jobs FROM job');
  const perCandidate = rows[0].jobs;
  const candidates = Math.ceil(n / perCandidate);
  const started = Date.now();
  await client.query(
    `INSERT INTO "user" (id, name, email, "emailVerified", role, "createdAt", "updatedAt")
     SELECT 'dr-bulk-' || g, 'Bulk candidate ' || g, 'bulk-' || g || '@dr.jobboard.test', false, 'candidate', now(), now()
       FROM generate_series(1, $1::int) g ON CONFLICT DO NOTHING`,
    [candidates],
  );
  const batch = 100_000;
  for (let done = 0; done < n; done += batch) {
    const size = Math.min(batch, n - done);
    await client.query(
      `INSERT INTO application (id, "jobId", "candidateId", "coverLetter", status, "createdAt", "updatedAt")
       SELECT gen_random_uuid(), jobs.ids[1 + (k % $3::int)], 'dr-bulk-' || (1 + k / $3::int),
              'A bulk application for the drill''s data-size measurement, long enough to look like a real cover letter.', 'submitted', now(), now()
         FROM generate_series($1::int, $1::int + $2::int - 1) k,
              (SELECT array_agg(id ORDER BY id) AS ids FROM job) jobs
       ON CONFLICT DO NOTHING`,
      [done, size, perCandidate],
    );
    say(`  ${(done + size).toLocaleString('en')} / ${n.toLocaleString('en')} applications (${((Date.now() - started) / 1000).toFixed(0)} s)`);
  }
  await client.query('ANALYZE');
}

// ---- one round: live writes, backup, disaster, restore, verify ------------------------------------

async function drillRound(method, dbUrl) {
  const db = decodeURIComponent(new URL(dbUrl).pathname.slice(1));
  const checks = [];
  const check = (name, passed, detail) => {
    checks.push({ name, status: passed ? 'PASS' : 'FAIL', detail });
    say(`  ${passed ? 'PASS' : 'FAIL'}  ${name}: ${detail}`);
  };
  say(`── ${method === 'dump' ? 'logical dump (pg_dump -Fc)' : 'point in time (pg_basebackup + pg_receivewal)'} on ${db}`);
  if (!app) await pointAppAt(dbUrl);

  // Accounts and an application created before the backup, to find again after the restore.
  const password = `drill ${runId} tangerine harbour quartz`;
  const jobIds = await openJobIds(app.base);
  const candidates = [];
  for (let i = 0; i < 6; i++) candidates.push(await signUp(app.base, { name: `Drill candidate ${i}`, email: `dr-${runId}-${method}-${i}@drill.jobboard.test`, password }));
  const employer = await signUp(app.base, { name: 'Drill employer', email: `dr-${runId}-${method}-employer@drill.jobboard.test`, password, role: 'employer', companyName: 'Drill Co' });
  const before = await applyTo(app.base, jobIds[0], candidates[0].cookie, 'Applied before the backup: the restore must show this in my list of applications.');
  if (before.status !== 201) throw new Error(`the application before the backup answered ${before.status}`);
  const preBackup = { email: candidates[0].email, password, applicationId: before.json.application.id };

  const source = await connect(dbUrl);
  const { rows: seqRows } = await source.query('SELECT coalesce(max(seq), 0)::bigint AS seq FROM dr_canary');
  await source.end();
  const canary = startCanary(dbUrl, { firstSeq: Number(seqRows[0].seq) + 1 });
  const load = startAppLoad(app.base, { jobIds, candidates, employer });
  await sleep(2_000);

  // Backup, while the writes go on.
  const backup = { startedAt: Date.now() };
  let manifest;
  let manifestSnapshot = null;
  let receiver = null;
  const slot = `dr_rehearsal_${process.pid}`;
  const pgEnv = libpqEnv(dbUrl);
  if (method === 'dump') {
    const file = path.join(work, `${db}.dump`);
    const snapshotClient = await connect(dbUrl);
    try {
      await snapshotClient.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
      const { rows } = await snapshotClient.query('SELECT pg_export_snapshot() AS id');
      manifest = await tableManifest(snapshotClient);
      await run('pg_dump', ['-Fc', `--snapshot=${rows[0].id}`, '-f', file], { env: pgEnv, timeoutMs: 900_000 });
      await snapshotClient.query('COMMIT');
    } finally {
      await snapshotClient.end();
    }
    backup.takenAt = backup.startedAt;
    backup.bytes = statSync(file).size;
    backup.file = file;
    const listing = (await run('pg_restore', ['--list', file])).stdout;
    const missing = TABLES.filter((table) => !new RegExp(`TABLE DATA public ${table.replace(/[_]/g, '_')} `).test(listing));
    check('backup verified', missing.length === 0, missing.length ? `pg_restore --list has no data for ${missing.join(', ')}` : `pg_restore --list: ${listing.split('\n').filter((l) => /^\d+;/.test(l)).length} entries, data for all ${TABLES.length} tables, ${mib(backup.bytes)}`);
  } else {
    const walDir = path.join(work, 'wal');
    mkdirSync(walDir);
    await run('pg_receivewal', ['--create-slot', `--slot=${slot}`], { env: pgEnv });
    cleanups.push(async () => {
      const admin = await connect(adminUrl);
      await admin.query('SELECT pg_drop_replication_slot(slot_name) FROM pg_replication_slots WHERE slot_name = $1 AND NOT active', [slot]).finally(() => admin.end());
    });
    receiver = spawn(path.join(postgresBin(), 'pg_receivewal'), ['-D', walDir, `--slot=${slot}`, '--synchronous', '--no-loop'], { env: { ...process.env, ...pgEnv }, stdio: ['ignore', 'ignore', 'pipe'] });
    let receiverErrors = '';
    receiver.stderr.on('data', (chunk) => (receiverErrors += chunk));
    const receiverExited = new Promise((resolve) => receiver.once('exit', resolve));
    cleanups.push(async () => {
      if (receiver.exitCode === null) receiver.kill('SIGINT');
      await receiverExited;
    });
    // A standby refuses to replay WAL from a primary with higher limits than its own: restore with the source's.
    const limits = await connect(dbUrl);
    backup.settings = (await limits.query("SELECT name, setting FROM pg_settings WHERE name IN ('max_connections', 'max_worker_processes', 'max_wal_senders', 'max_prepared_transactions', 'max_locks_per_transaction')").finally(() => limits.end())).rows;
    const baseDir = path.join(work, 'base');
    await run('pg_basebackup', ['-D', baseDir, '-X', 'stream', '-c', 'fast'], { env: pgEnv, timeoutMs: 900_000 });
    backup.takenAt = Date.now();
    const verified = await run('pg_verifybackup', [baseDir], { allowFailure: true, timeoutMs: 300_000 });
    backup.bytes = dirBytes(baseDir);
    backup.baseDir = baseDir;
    backup.walDir = walDir;
    backup.receiver = { exited: receiverExited, errors: () => receiverErrors };
    check('backup verified', verified.code === 0, verified.code === 0 ? `pg_verifybackup: ${verified.stdout.trim()} (base backup ${mib(backup.bytes)}), WAL streaming to ${path.basename(walDir)}/ through slot ${slot}` : verified.stderr.trim());
  }
  say(`  backup done in ${((Date.now() - backup.startedAt) / 1000).toFixed(1)} s; writes go on for 3 s`);
  await sleep(3_000);
  if (method === 'pitr') {
    const snapshotClient = await connect(dbUrl);
    try {
      await snapshotClient.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
      manifestSnapshot = (await snapshotClient.query('SELECT pg_current_snapshot()::text AS s')).rows[0].s;
      manifest = await tableManifest(snapshotClient);
      await snapshotClient.query('COMMIT');
    } finally {
      await snapshotClient.end();
    }
  }

  // Disaster.
  const admin = await connect(adminUrl);
  const disasterAt = Date.now();
  load.setPhase('outage');
  await admin.query(`DROP DATABASE "${db}" WITH (FORCE)`);
  say(`  DISASTER: DROP DATABASE ${db} (the app keeps running)`);
  const detected = await waitFor(async () => load.readiness.some((e) => e.phase === 'outage' && e.status === 503), 15_000);
  const detectSeconds = (Date.now() - disasterAt) / 1000;
  say(`  ${detected ? `readiness 503 after ${detectSeconds.toFixed(1)} s: restoring` : 'readiness never turned 503 within 15 s: restoring anyway'}`);

  // Restore.
  const restoreStarted = Date.now();
  let restoredUrl;
  let restoredSnapshot = null;
  let recoveryTarget = null;
  if (method === 'dump') {
    const target = `${database}_dr_dump`;
    await admin.query(`DROP DATABASE IF EXISTS "${target}" WITH (FORCE)`);
    await admin.query(`CREATE DATABASE "${target}"`);
    restoredUrl = withDatabase(dbUrl, target);
    await run('pg_restore', ['-j', '2', '-d', target, backup.file], { env: libpqEnv(restoredUrl), timeoutMs: 1_800_000 });
  } else {
    // Everything the cluster wrote up to and including the DROP must be in the archive before it is read.
    const { rows } = await admin.query('SELECT pg_current_wal_lsn()::text AS lsn');
    const received = await waitFor(async () => {
      const { rows: r } = await admin.query("SELECT flush_lsn >= $1::pg_lsn AS caught FROM pg_stat_replication WHERE application_name = 'pg_receivewal'", [rows[0].lsn]);
      return r[0]?.caught === true;
    }, 10_000);
    if (!received) say(`  pg_receivewal did not confirm ${rows[0].lsn} within 10 s: recovering from what it has`);
    receiver.kill('SIGINT');
    await backup.receiver.exited;
    const archive = path.join(work, 'archive');
    mkdirSync(archive);
    for (const name of walSegments(backup.walDir)) cpSync(path.join(backup.walDir, name), path.join(archive, name.replace(/\.partial$/, '')));
    const segments = walSegments(archive);
    const waldump = (args, name) => run('pg_waldump', [...args, path.join(archive, name)], { allowFailure: true, timeoutMs: 60_000 }).then((r) => r.stdout);
    let drop = null;
    let dropSegment = -1;
    for (dropSegment = segments.length - 1; dropSegment >= 0; dropSegment--) if ((drop = newestDropRecord(await waldump(['--rmgr=Database'], segments[dropSegment])))) break;
    if (!drop) throw new Error(`no DROP DATABASE record in the archived WAL (${segments.join(', ')}); pg_receivewal said: ${backup.receiver.errors()}`);
    // The DROP's segment, and the ones before it until one holds a commit that precedes it.
    let stopAt = null;
    let text = '';
    for (const name of [...segments].reverse().slice(segments.length - 1 - dropSegment)) {
      text = (await waldump([], name)) + text;
      if ((stopAt = stopBeforeDrop(text, drop.lsn))) break;
    }
    if (!stopAt) throw new Error(`no transaction committed before the DROP at ${drop.lsn} in the archived WAL`);
    recoveryTarget = { lsn: stopAt, dropLsn: drop.lsn, dropXid: drop.xid };
    say(`  recovery target: just before LSN ${stopAt}, right after the last commit before the DROP (transaction ${drop.xid} at ${drop.lsn})`);
    const dataDir = path.join(work, 'pitr-data');
    cpSync(backup.baseDir, dataDir, { recursive: true });
    chmodSync(dataDir, 0o700);
    const pitrPort = await freePort();
    appendFileSync(
      path.join(dataDir, 'postgresql.auto.conf'),
      [
        '# dr:rehearse: point-in-time recovery',
        `port = ${pitrPort}`,
        "listen_addresses = '127.0.0.1'",
        `unix_socket_directories = '${dataDir}'`,
        `restore_command = 'cp "${archive}/%f" "%p"'`,
        `recovery_target_lsn = '${recoveryTarget.lsn}'`,
        'recovery_target_inclusive = off',
        "recovery_target_action = 'promote'",
        ...backup.settings.map(({ name, setting }) => `${name} = ${setting}`),
        '',
      ].join('\n'),
    );
    writeFileSync(path.join(dataDir, 'recovery.signal'), '');
    handToPostgres(work);
    await run('pg_ctl', ['-D', dataDir, '-l', path.join(work, 'pitr.log'), '-w', '-t', '300', 'start'], { asPostgres: true, timeoutMs: 310_000 });
    cleanups.push(() => run('pg_ctl', ['-D', dataDir, '-m', 'fast', '-w', 'stop'], { asPostgres: true, allowFailure: true }));
    restoredUrl = withDatabase(dbUrl, db, { host: '127.0.0.1', port: pitrPort });
    const promoted = await waitFor(async () => {
      const client = await connect(withDatabase(restoredUrl, 'postgres'));
      const { rows: r } = await client.query('SELECT NOT pg_is_in_recovery() AS done').finally(() => client.end());
      return r[0].done;
    }, 300_000);
    if (!promoted) throw new Error(`the restored cluster did not finish recovery within 300 s; see ${path.join(work, 'pitr.log')}`);
  }
  await admin.end();
  await canary.stop();
  const restoreSeconds = (Date.now() - restoreStarted) / 1000;
  say(`  restored in ${restoreSeconds.toFixed(1)} s`);
  if (method === 'dump') {
    const client = await connect(restoredUrl);
    restoredSnapshot = (await client.query('SELECT pg_current_snapshot()::text AS s')).rows[0].s;
    await client.end();
  }

  const statusStarted = Date.now();
  const status = await prismaMigrate('status', restoredUrl);
  check('migrations at head', atHead(status), atHead(status) ? `prisma migrate status: "Database schema is up to date!" (${((Date.now() - statusStarted) / 1000).toFixed(1)} s)` : status.output.trim().split('\n').slice(-3).join(' | '));

  // Point the app at the restore: a restart with the new DATABASE_URL, as `fly secrets set` does.
  load.setPhase('restarting');
  const restartStarted = Date.now();
  await app.server.stop({ graceMs: 30_000 });
  await pointAppAt(restoredUrl);
  const appRestartSeconds = (Date.now() - restartStarted) / 1000;
  load.setPhase('restored');

  // Verified reads: the RTO ends when they all pass.
  let signedIn = null;
  let listed = null;
  let fresh = null;
  await waitFor(async () => {
    signedIn = await signIn(app.base, preBackup);
    if (signedIn.status !== 200) return false;
    listed = await myApplications(app.base, signedIn.cookie);
    fresh = await fetch(`${app.base}/api/jobs?limit=20`, { signal: AbortSignal.timeout(5_000) }).then(async (r) => ({ status: r.status, body: await r.json() }));
    return listed.status === 200 && !listed.json.degraded && listed.json.applications.some((a) => a.id === preBackup.applicationId) && fresh.status === 200 && !fresh.body.degraded;
  }, 30_000);
  const rtoSeconds = round((Date.now() - disasterAt) / 1000, 1);
  check('sign-in with an account created before the backup', signedIn?.status === 200, `POST /api/auth/sign-in/email as ${preBackup.email} → ${signedIn?.status}`);
  const shown = listed?.status === 200 && listed.json.applications.some((a) => a.id === preBackup.applicationId);
  check("an application created before the disaster is in its candidate's list", shown, `GET /api/me/applications → ${listed?.status}, ${shown ? 'lists' : 'does not list'} application ${preBackup.applicationId}`);
  check('the app serves fresh reads from the restore', fresh?.status === 200 && !fresh.body.degraded, `GET /api/jobs → ${fresh?.status}${fresh?.body?.degraded ? ' (degraded)' : ''}, ${fresh?.body?.jobs?.length ?? 0} jobs`);
  say(`  serving verified reads ${rtoSeconds} s after the disaster`);

  await sleep(2_000); // writes on the restored database
  await load.stop();

  // Data checks.
  const restored = await connect(restoredUrl, { statementTimeoutMs: 900_000 });
  try {
    const actual = await tableManifest(restored, { snapshot: method === 'dump' ? restoredSnapshot : manifestSnapshot });
    const problems = compareManifests(manifest, actual);
    const total = Object.values(manifest).reduce((sum, t) => sum + t.rows, 0);
    check('row counts and checksums match the manifest', problems.length === 0, problems.length ? problems.join('; ') : `${TABLES.length} tables, ${total.toLocaleString('en')} rows, ${method === 'dump' ? 'as dumped' : 'every row of the snapshot taken just before the disaster'}`);

    const { rows: canaryRows } = await restored.query('SELECT seq FROM dr_canary');
    const point = recoveryPoint(canary.writes, canaryRows.map((r) => Number(r.seq)), disasterAt);
    const ackedBefore = canary.writes.filter((w) => w.ackAt !== null && w.ackAt <= disasterAt).length;
    check('every acknowledged canary up to the recovery point is restored', !point.problem && point.missing.length === 0, point.problem ?? (point.missing.length ? `missing ${point.missing.length}: ${point.missing.slice(0, 10).join(', ')}` : `${ackedBefore} acknowledged before the disaster; newest acknowledged #${point.newestAckedSeq}, newest restored #${point.newestRestoredSeq}, none missing up to it`));

    const acked = acknowledgedWrites(load.results, point.recoveryPointAt ?? 0);
    const { rows: apps } = await restored.query('SELECT id::text FROM application WHERE id = ANY($1::uuid[])', [acked.applications]);
    const { rows: jobs } = await restored.query('SELECT id::text FROM job WHERE id = ANY($1::uuid[])', [acked.jobs]);
    const lost = acked.applications.length - apps.length + (acked.jobs.length - jobs.length);
    check('every application and job the app acknowledged up to the recovery point is restored', lost === 0 && acked.applications.length > 0, `${apps.length} of ${acked.applications.length} applications, ${jobs.length} of ${acked.jobs.length} jobs`);

    const outage = outageBehaviour(load.results, load.readiness);
    check('the app degraded as designed while the database was gone', outage.problems.length === 0, outage.problems.length ? outage.problems.join('; ') : `${outage.answers} answers: ${outage.degradedReads} reads from the last-known-good copy, ${outage.refusedWrites} writes refused 503 + Retry-After, readiness 503 in ${outage.readiness503} of ${outage.readinessProbes} probes, no other error`);

    const after = load.results.filter((e) => e.phase === 'restored');
    const afterWrites = after.filter((e) => e.kind !== 'read' && e.status === 201).length;
    const afterFailed = after.filter((e) => e.error || e.status >= 500).length;
    check('writes are accepted again after the restore', afterWrites > 0 && afterFailed === 0, `${afterWrites} writes acknowledged, ${afterFailed} of ${after.length} answers failed`);

    const seen = Object.fromEntries(['before', 'outage', 'restarting', 'restored'].map((phase) => [phase, whatUsersSaw(load.results, phase)]));
    say('  what users saw:');
    for (const [phase, kinds] of Object.entries(seen)) {
      say(`    ${phase.padEnd(10)} ${Object.entries(kinds).map(([kind, outcomes]) => `${kind}: ${Object.entries(outcomes).map(([o, n]) => `${n}× ${o}`).join(', ')}`).join(' · ') || '-'}`);
    }
    return {
      result: {
        method,
        backupBytes: backup.bytes,
        backupAgeAtDisasterSeconds: round((disasterAt - backup.takenAt) / 1000, 1),
        rpoSeconds: point.rpoSeconds,
        rtoSeconds,
        targets: TARGETS[method],
        ...(recoveryTarget ? { recoveryTarget: { ...recoveryTarget, inclusive: false } } : {}),
        timings: { detectSeconds: round(detectSeconds), restoreSeconds: round(restoreSeconds), appRestartSeconds: round(appRestartSeconds) },
        usersSaw: seen,
        checks,
      },
      restoredUrl,
    };
  } finally {
    await restored.end();
  }
}

// ---- main -----------------------------------------------------------------------------------------

let exitCode = 1;
const results = [];
let current = null;
/** The report golive reads; a drill that stopped half-way is written too, as a FAIL, so an older pass is never left standing. */
function writeReport(data, stopped = null) {
  const methodsRun = stopped ? [...results, { method: current ?? 'prepare', rpoSeconds: null, rtoSeconds: null, targets: TARGETS[current] ?? {}, checks: [{ name: 'drill completed', status: 'FAIL', detail: stopped }] }] : results;
  const report = { startedAt: new Date(startedAt).toISOString(), finishedAt: new Date().toISOString(), data, methods: methodsRun };
  mkdirSync(path.dirname(values.out), { recursive: true });
  writeFileSync(values.out, `${JSON.stringify(report, null, 2)}\n`);
}
let data = null;
try {
  data = await prepareSource();
  work = mkdtempSync(path.join(os.tmpdir(), 'jobboard-dr-'));
  chmodSync(work, 0o755); // the postgres user reads the archive and runs the restored cluster in here
  say(`${database}: ${data.jobs} jobs, ${data.applications.toLocaleString('en')} applications, ${data.users} users, ${mib(data.bytes)}`);
  let url = sourceUrl;
  for (const method of methods) {
    current = method;
    const { result, restoredUrl } = await drillRound(method, url);
    results.push(result);
    url = restoredUrl;
  }
  writeReport(data);

  console.log('\nmethod  backup      RPO        RTO       checks');
  let missed = false;
  for (const r of results) {
    const rpoMissed = r.targets.rpoSeconds !== undefined && !(r.rpoSeconds <= r.targets.rpoSeconds);
    const rtoMissed = !(r.rtoSeconds <= r.targets.rtoSeconds);
    const failedChecks = r.checks.filter((c) => c.status !== 'PASS').length;
    missed ||= rpoMissed || rtoMissed || failedChecks > 0;
    console.log(
      `${r.method.padEnd(7)} ${mib(r.backupBytes).padStart(10)}  ${`${r.rpoSeconds} s`.padStart(7)}${r.targets.rpoSeconds === undefined ? ' (age) ' : rpoMissed ? ' MISSED' : ' ≤ ' + r.targets.rpoSeconds}  ${`${r.rtoSeconds} s`.padStart(7)}${rtoMissed ? ' MISSED' : ' ≤ ' + r.targets.rtoSeconds}  ${r.checks.length - failedChecks}/${r.checks.length} PASS`,
    );
  }
  console.log(`\nreport: ${path.relative(process.cwd(), values.out)}`);
  console.log(missed ? 'DRILL FAILED: a check failed or a target was missed' : 'DRILL PASSED');
  exitCode = missed ? 1 : 0;
} catch (error) {
  console.error(`dr:rehearse: the drill stopped: ${error.stack ?? error}`);
  writeReport(data, String(error.message ?? error).split('\n')[0]);
  console.error(`report (FAIL): ${path.relative(process.cwd(), values.out)}`);
  if (app) console.error(`the app's last output:\n${app.server.output().slice(-2000)}`);
} finally {
  if (app) await app.server.stop({ graceMs: 30_000 });
  for (const cleanup of cleanups.reverse()) await Promise.resolve().then(cleanup).catch((error) => console.error(`cleanup: ${error.message}`));
  if (work && values.keep) say(`kept ${work}`);
  else if (work) rmSync(work, { recursive: true, force: true });
}
process.exit(exitCode);
