// The PostgreSQL client tools the drill runs (pg_dump, pg_restore, pg_basebackup, pg_receivewal,
// pg_waldump, pg_verifybackup, pg_ctl), each with a time limit, and the throw-away cluster a
// point-in-time restore starts. Debian keeps them in /usr/lib/postgresql/<major>/bin; PG_BIN
// overrides. A server refuses to run as root, so a restored cluster runs as the postgres user then.
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';

export function postgresBin() {
  if (process.env.PG_BIN) return process.env.PG_BIN;
  const root = '/usr/lib/postgresql';
  const majors = existsSync(root) ? readdirSync(root).filter((name) => /^\d+$/.test(name)).sort((a, b) => Number(a) - Number(b)) : [];
  if (!majors.length) throw new Error('PostgreSQL client tools not found: install postgresql (apt-get install postgresql) or set PG_BIN to their folder');
  return path.join(root, majors.at(-1), 'bin');
}

const asRoot = process.getuid?.() === 0;

/**
 * Runs one tool to completion within `timeoutMs`; rejects with its stderr on a non-zero exit
 * unless `allowFailure`. `asPostgres` runs it as the postgres user when this process is root.
 */
export function run(tool, args, { timeoutMs = 120_000, env = {}, asPostgres = false, allowFailure = false } = {}) {
  const bin = path.join(postgresBin(), tool);
  const [command, argv] = asPostgres && asRoot ? ['runuser', ['-u', 'postgres', '--', bin, ...args]] : [bin, args];
  return new Promise((resolve, reject) => {
    const child = spawn(command, argv, { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => (stdout += chunk));
    child.stderr.on('data', (chunk) => (stderr += chunk));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.once('error', reject);
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      if (code === 0 || allowFailure) return resolve({ code, stdout, stderr });
      const why = signal === 'SIGKILL' ? `timed out after ${timeoutMs} ms` : `exited ${code ?? signal}`;
      reject(new Error(`${tool} ${why}: ${stderr.trim().split('\n').slice(-5).join(' | ')}`));
    });
  });
}

/** libpq's connection settings for a postgres:// URL, as the tools read them from the environment. */
export function libpqEnv(url) {
  const u = new URL(url);
  return {
    PGHOST: decodeURIComponent(u.hostname.replace(/^\[|\]$/g, '')),
    PGPORT: u.port || '5432',
    PGUSER: decodeURIComponent(u.username || 'postgres'),
    ...(u.password ? { PGPASSWORD: decodeURIComponent(u.password) } : {}),
    PGDATABASE: decodeURIComponent(u.pathname.slice(1)),
    PGCONNECT_TIMEOUT: '5',
    ...(u.searchParams.get('sslmode') ? { PGSSLMODE: u.searchParams.get('sslmode') } : {}),
  };
}

/** The same URL, naming another database (or host and port). */
export function withDatabase(url, database, { host, port } = {}) {
  const u = new URL(url);
  u.pathname = `/${encodeURIComponent(database)}`;
  if (host) u.hostname = host;
  if (port) u.port = String(port);
  return u.toString();
}

/** Files the postgres user must own before a server can start on them. */
export function handToPostgres(dir) {
  if (asRoot) execFileSync('chown', ['-R', 'postgres:postgres', dir]);
}

/**
 * The newest `Database/DROP` record in pg_waldump's output: `{ lsn, xid }`, or null. Its
 * transaction is what point-in-time recovery must stop before (see firstRecordLsn).
 */
export function newestDropRecord(waldumpOutput) {
  let found = null;
  for (const line of waldumpOutput.split('\n')) {
    const match = line.match(/rmgr: Database\s.*tx:\s*(\d+), lsn: ([0-9A-F]+\/[0-9A-F]+),.*desc: DROP/);
    if (match) found = { xid: Number(match[1]), lsn: match[2] };
  }
  return found;
}

/**
 * Where point-in-time recovery stops for a DROP at `dropLsn`: the record just after the last
 * transaction committed before it (recovery_target_lsn with recovery_target_inclusive = off), so
 * everything committed before the disaster is replayed and nothing of the DROP. A target on the
 * DROP's own record or transaction is too late: by then the database was marked invalid in place
 * (15.4 and later; that record may carry no transaction id), and replaying the DROP deletes its
 * files before its commit is reached. Null when `waldumpOutput` holds no commit before the DROP.
 */
export function stopBeforeDrop(waldumpOutput, dropLsn) {
  let afterLastCommit = null;
  let previousWasCommit = false;
  for (const line of waldumpOutput.split('\n')) {
    const lsn = line.match(/\blsn: ([0-9A-F]+\/[0-9A-F]+),/)?.[1];
    if (!lsn) continue;
    if (previousWasCommit) afterLastCommit = lsn;
    if (lsn === dropLsn) return afterLastCommit;
    previousWasCommit = /rmgr: Transaction\s.*desc: COMMIT\b/.test(line);
  }
  return null;
}

/** WAL segment file names (24 hex digits), oldest first; `.partial` ones keep their suffix. */
export function walSegments(dir) {
  return readdirSync(dir)
    .filter((name) => /^[0-9A-F]{24}(\.partial)?$/.test(name))
    .sort();
}
