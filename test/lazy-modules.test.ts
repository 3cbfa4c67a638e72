// The built server loads a backend's client modules only when that backend is configured: the
// embedded database's (PGlite and its Prisma adapter) only without DATABASE_URL, and the shared
// rate limiter's (ioredis, @upstash/redis, @upstash/ratelimit) only with REDIS_URL or Upstash.
// Each was measured in a start's time (docs/performance.md, Start → ready). Every package the
// server resolves is recorded by a preloaded hook (support/record-packages.mjs).
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { type RunningServer, startServer } from './support/server';

const hook = path.resolve(import.meta.dirname, 'support/record-packages.mjs');
const EMBEDDED = ['@electric-sql/pglite', 'pglite-prisma-adapter'];
const SHARED_LIMITER = ['ioredis', '@upstash/redis', '@upstash/ratelimit'];

const servers: RunningServer[] = [];
afterAll(async () => {
  await Promise.all(servers.map((server) => server.stop()));
});

/** A server recording the packages it resolves; returns them after a read, a write and a probe. */
async function packagesResolvedBy(env: Record<string, string>, options: { embedded?: boolean } = {}) {
  const file = path.join(mkdtempSync(path.join(tmpdir(), 'packages-')), 'resolved.txt');
  const server = await startServer({ WARM_UP_MAX_MS: '0', RECORD_PACKAGES_FILE: file, NODE_OPTIONS: `${process.env.NODE_OPTIONS ?? ''} --import=${hook}`.trim(), ...env }, options);
  servers.push(server);
  // A list read, a write the rate limiter decides on (refused unsigned), and readiness.
  expect((await fetch(`${server.url}/api/jobs?limit=5`)).status).toBe(200);
  expect((await fetch(`${server.url}/api/jobs`, { method: 'POST', headers: { 'content-type': 'application/json', origin: server.url }, body: '{}' })).status).toBe(401);
  expect((await fetch(`${server.url}/api/readyz`)).status).toBe(200);
  return readFileSync(file, 'utf8').split('\n').filter(Boolean);
}

describe('backend client modules, loaded only when configured', () => {
  it("the suite's database, no Redis: the embedded database's modules only without DATABASE_URL, no shared limiter's", async () => {
    const resolved = await packagesResolvedBy({});
    // The hook sees the server's own packages, so an empty record is not a pass.
    expect(resolved).toContain('next');
    expect(resolved).toContain('@prisma/client');
    for (const name of EMBEDDED) expect(resolved.includes(name), name).toBe(!process.env.DATABASE_URL);
    for (const name of SHARED_LIMITER) expect(resolved, name).not.toContain(name);
  });

  it('the embedded database: its modules, loaded', async () => {
    const resolved = await packagesResolvedBy({}, { embedded: true });
    for (const name of EMBEDDED) expect(resolved, name).toContain(name);
  });

  it('REDIS_URL set (here a closed port, readiness not requiring it): ioredis and @upstash/ratelimit loaded', async () => {
    const resolved = await packagesResolvedBy({ REDIS_URL: 'redis://127.0.0.1:9/0', READINESS_REQUIRE_REDIS: 'false' });
    expect(resolved).toContain('ioredis');
    expect(resolved).toContain('@upstash/ratelimit');
    expect(resolved).not.toContain('@upstash/redis');
  });
});
