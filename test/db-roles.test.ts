// Least-privilege database roles (ops/postgres/roles.sql, docs/deploying.md "Database roles"), on
// a fresh database of the CI Postgres: migrations run as the owner through MIGRATION_DATABASE_URL;
// the app's role cannot DROP, CREATE or ALTER, owns nothing, is no superuser, cannot migrate; and
// the built app works fully under it.
import { execFileSync, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { asTheImageRuns } from '../scripts/bench/image-runtime.mjs';
import { call, signUp, validApplication, validJob } from './support/api';
import { type RunningServer, startServer } from './support/server';

const admin = process.env.DATABASE_URL;
const root = path.resolve(import.meta.dirname, '..');
const suffix = randomBytes(4).toString('hex');
const names = { db: `jobboard_roles_${suffix}`, owner: `jr_owner_${suffix}`, app: `jr_app_${suffix}` };
const urlFor = (user: string, password: string) => {
  const url = new URL(admin!);
  url.username = user;
  url.password = password;
  url.pathname = `/${names.db}`;
  return url.toString();
};
const ownerUrl = urlFor(names.owner, 'owner-secret');
const appUrl = urlFor(names.app, 'app-secret');
let server: RunningServer | undefined;

async function asRole(url: string, sql: string) {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 5_000, statement_timeout: 10_000 });
  await client.connect();
  try {
    return await client.query(sql);
  } finally {
    await client.end();
  }
}
const refusal = (url: string, sql: string) => asRole(url, sql).then(() => 'allowed', (error: { code?: string }) => error.code);
const migrate = (env: Record<string, string>) =>
  spawnSync(process.execPath, [path.join(root, 'node_modules/prisma/build/index.js'), 'migrate', 'deploy'], {
    cwd: root,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...asTheImageRuns().env, ...env },
    encoding: 'utf8',
    timeout: 120_000,
  });

describe.skipIf(!admin)('least-privilege database roles', () => {
  beforeAll(async () => {
    await asRole(admin!, `CREATE DATABASE ${names.db}`);
    execFileSync('psql', [admin!, '-q', '-v', `db=${names.db}`, '-v', `owner=${names.owner}`, '-v', `app=${names.app}`, '-v', 'owner_password=owner-secret', '-v', 'app_password=app-secret', '-f', 'ops/postgres/roles.sql'], { cwd: root, stdio: 'pipe' });
  }, 60_000);

  afterAll(async () => {
    await server?.stop();
    await asRole(admin!, `DROP DATABASE IF EXISTS ${names.db} WITH (FORCE)`);
    await asRole(admin!, `DROP ROLE IF EXISTS ${names.app}`);
    await asRole(admin!, `DROP ROLE IF EXISTS ${names.owner}`);
  });

  it("the app's role cannot run migrations; the owner can, through MIGRATION_DATABASE_URL", { timeout: 120_000 }, () => {
    const asApp = migrate({ DATABASE_URL: appUrl });
    expect(asApp.status, asApp.stdout + asApp.stderr).not.toBe(0);
    expect(asApp.stdout + asApp.stderr).toMatch(/permission denied|42501|not allowed/i);
    const asOwner = migrate({ DATABASE_URL: appUrl, MIGRATION_DATABASE_URL: ownerUrl });
    expect(asOwner.status, asOwner.stdout + asOwner.stderr).toBe(0);
  });

  it("the app's role cannot DROP, CREATE or ALTER, owns nothing and is no superuser", async () => {
    expect(await refusal(appUrl, 'DROP TABLE job')).toBe('42501');
    expect(await refusal(appUrl, 'CREATE TABLE intruder (id int)')).toBe('42501');
    expect(await refusal(appUrl, 'ALTER TABLE job ADD COLUMN intruder int')).toBe('42501');
    expect(await refusal(appUrl, 'CREATE INDEX intruder ON job (title)')).toBe('42501');
    expect(await refusal(appUrl, 'TRUNCATE application')).toBe('42501');
    expect(await refusal(appUrl, `CREATE DATABASE intruder_${suffix}`)).toBe('42501');
    const { rows } = await asRole(appUrl, `SELECT r.rolsuper, r.rolcreatedb, r.rolcreaterole,
      (SELECT count(*)::int FROM pg_tables WHERE schemaname = 'public' AND tableowner = current_user) AS owned
      FROM pg_roles r WHERE r.rolname = current_user`);
    expect(rows[0]).toEqual({ rolsuper: false, rolcreatedb: false, rolcreaterole: false, owned: 0 });
    // It does read and write rows.
    expect((await asRole(appUrl, 'SELECT count(*)::int AS n FROM job')).rows[0].n).toBe(0);
  });

  it('the built app works fully under it: sign-up, post, apply (with a key, retried), read, edit, sign out', { timeout: 120_000 }, async () => {
    server = await startServer({ DATABASE_URL: appUrl });
    const baseUrl = server.url;
    const employer = await signUp('employer', {}, { baseUrl });
    const candidate = await signUp('candidate', {}, { baseUrl });
    const job = await call('POST', '/api/jobs', { baseUrl, session: employer, json: validJob() });
    expect(job.status).toBe(201);
    const jobId = job.body.job.id as string;
    const apply = () => call('POST', `/api/jobs/${jobId}/applications`, { baseUrl, session: candidate, json: validApplication(), headers: { 'idempotency-key': `roles-${suffix}` } });
    const [first, retry] = [await apply(), await apply()];
    expect([first.status, retry.status]).toEqual([201, 201]);
    expect(retry.body.application.id).toBe(first.body.application.id);
    expect((await call('GET', `/api/jobs/${jobId}/applications`, { baseUrl, session: employer })).body.applications).toHaveLength(1);
    expect((await call('PATCH', `/api/jobs/${jobId}`, { baseUrl, session: employer, json: { status: 'closed' } })).status).toBe(200);
    expect((await call('GET', '/api/jobs?limit=5', { baseUrl })).status).toBe(200);
    expect((await call('POST', '/api/auth/sign-out', { baseUrl, session: candidate, json: {} })).status).toBe(200);
    expect((await fetch(`${baseUrl}/api/readyz`)).status).toBe(200);
  });
});
