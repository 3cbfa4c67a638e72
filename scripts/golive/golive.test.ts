// Does the go-live verifier judge correctly? Each fixture service (fixtures/service.mjs) breaks
// exactly one thing, and must get exactly that FAIL with evidence naming the cause; the healthy
// fixture with a healthy repository gets everything but the DR drill (SKIP: it has none).
import { spawn } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../launch-server.mjs';

const ROOT = path.resolve(import.meta.dirname, '../..');
const FIXTURE = path.join(import.meta.dirname, 'fixtures/service.mjs');
const FIXTURE_REPO = path.join(import.meta.dirname, 'fixtures/repo');
type Item = { id: string; status: 'PASS' | 'FAIL' | 'SKIP'; evidence: string };
type Report = { status: string; passing: number; total: number; items: Item[] };

function golive(args: string[], env: Record<string, string> = {}, timeoutMs = 150_000) {
  return new Promise<{ code: number | null; stdout: string; stderr: string; report: Report | null }>((resolve) => {
    const child = spawn(process.execPath, [path.join(ROOT, 'scripts/golive.mjs'), ...args], { cwd: ROOT, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => (stdout += chunk));
    child.stderr.on('data', (chunk) => (stderr += chunk));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('exit', (code) => {
      clearTimeout(timer);
      let report: Report | null = null;
      try {
        report = JSON.parse(stdout) as Report;
      } catch {
        report = null;
      }
      resolve({ code, stdout, stderr, report });
    });
  });
}

async function until(check: () => Promise<boolean>, timeoutMs = 10_000) {
  for (const started = Date.now(); Date.now() - started < timeoutMs; await new Promise((resolve) => setTimeout(resolve, 100))) {
    if (await check().catch(() => false)) return;
  }
  throw new Error(`not true within ${timeoutMs} ms`);
}

const failures = (report: Report | null) => (report?.items ?? []).filter((item) => item.status === 'FAIL');
const statusOf = (report: Report | null, id: string) => report?.items.find((item) => item.id === id)?.status;

// The fixture's "database": echoes each line back.
let database: net.Server;
let databaseUrl: string;
beforeAll(async () => {
  database = net.createServer((socket) => socket.on('data', (chunk) => socket.write(chunk)).on('error', () => {}));
  await new Promise<void>((resolve) => database.listen(0, '127.0.0.1', resolve));
  databaseUrl = `tcp://127.0.0.1:${(database.address() as net.AddressInfo).port}/fixture`;
});
afterAll(() => new Promise<void>((resolve) => database.close(() => resolve())));

const startFixture = (flaw: string, extra: string[] = []) =>
  golive(['--start', `node ${FIXTURE}`, '--database-url', databaseUrl, '--read-path', '/api/items', '--api-path', '/api/items', '--breaker-settle-s', '12', '--json', ...extra], { FIXTURE_FLAW: flaw });

describe('the go-live verifier', () => {
  it('approves the healthy fixture and repository: every item PASS but the DR drill it does not have', async () => {
    const { code, report, stderr } = await startFixture('none', ['--repo', FIXTURE_REPO]);
    expect(failures(report), stderr).toEqual([]);
    expect(report?.items.map((item) => [item.id, item.status])).toEqual([
      ['tracing', 'PASS'],
      ['liveness', 'PASS'],
      ['readiness', 'PASS'],
      ['rate-limiting', 'PASS'],
      ['security-headers', 'PASS'],
      ['smoke', 'PASS'],
      ['graceful-shutdown', 'PASS'],
      ['circuit-breaker', 'PASS'],
      ['readiness-follows-deps', 'PASS'],
      ['deploy-config', 'PASS'],
      ['alerting', 'PASS'],
      ['disaster-recovery', 'SKIP'],
    ]);
    expect(code).toBe(0);
  }, 150_000);

  it('in URL mode, probes the rate limit until a 429 with Retry-After', async () => {
    const port = await freePort();
    const fixture = spawn(process.execPath, [FIXTURE], { env: { ...process.env, PORT: String(port), DATABASE_URL: databaseUrl }, stdio: 'ignore' });
    try {
      await until(() => fetch(`http://127.0.0.1:${port}/healthz`).then((response) => response.ok));
      const { code, report } = await golive([`http://127.0.0.1:${port}`, '--api-path', '/api/items', '--rate-limit-probe', '/api/items', '--json']);
      expect(report?.items.find((item) => item.id === 'rate-limiting')?.evidence).toMatch(/\/api\/items: 429 after 9\d requests, Retry-After \d+ s/);
      expect(report?.items.map((item) => item.id)).toEqual(['tracing', 'liveness', 'readiness', 'rate-limiting', 'security-headers', 'smoke']);
      expect(code).toBe(0);
    } finally {
      fixture.kill('SIGKILL');
    }
  });

  const flaws: [flaw: string, item: string, evidence: RegExp][] = [
    ['no-trace', 'tracing', /No traceparent propagated/],
    ['no-ready', 'readiness', /not found \(404\): no readiness endpoint/],
    ['health-queries-db', 'circuit-breaker', /^\/healthz answered no answer within 2 s .* liveness depends on the database, so the platform would restart every instance$/],
    ['no-sigterm', 'graceful-shutdown', /20 of 20 in-flight requests did not complete with 2xx .*SIGTERM killed the process/],
    ['no-breaker', 'circuit-breaker', /no circuit breaker on database calls: .* p99 \d{4,} ms/],
  ];
  for (const [flaw, item, evidence] of flaws) {
    it(`blocks the fixture with ${flaw}: exactly one FAIL, on ${item}, naming the cause`, async () => {
      const { code, report, stderr } = await startFixture(flaw);
      expect(report, stderr).not.toBeNull();
      expect(failures(report).map((failure) => failure.id)).toEqual([item]);
      expect(failures(report)[0]!.evidence).toMatch(evidence);
      expect(report?.status).toBe('BLOCKED');
      expect(code).toBe(1);
    }, 150_000);
  }

  it('with --otlp-port, receives the server span and checks that its parent is the span it sent', async () => {
    const good = await golive(['--start', `node ${FIXTURE}`, '--otlp-port', '0', '--api-path', '/api/items', '--skip', 'graceful-shutdown', '--json'], { FIXTURE_FLAW: 'none', DATABASE_URL: databaseUrl });
    expect(good.report?.items[0]).toMatchObject({ id: 'tracing', status: 'PASS', evidence: expect.stringMatching(/its server span "GET \/" arrived on :\d+ as a child of our span/) });
    const detached = await golive(['--start', `node ${FIXTURE}`, '--otlp-port', '0', '--api-path', '/api/items', '--skip', 'graceful-shutdown', '--json'], { FIXTURE_FLAW: 'detached-span', DATABASE_URL: databaseUrl });
    expect(failures(detached.report)).toEqual([expect.objectContaining({ id: 'tracing', evidence: expect.stringMatching(/spans of our trace arrived on :\d+, but no server span \(kind SERVER\) whose parent is our span [0-9a-f]{16}/) })]);
  }, 60_000);

  it('blocks a repository whose kill_timeout is shorter than the pre-stop delay and the drain', async () => {
    const repo = mkdtempSync(path.join(tmpdir(), 'golive-repo-'));
    cpSync(FIXTURE_REPO, repo, { recursive: true });
    const fly = path.join(repo, 'fly.toml');
    writeFileSync(fly, readFileSync(fly, 'utf8').replace('kill_timeout = 10', 'kill_timeout = 5'));
    const { code, report } = await golive(['--repo', repo, '--json']);
    expect(failures(report).map((failure) => failure.id)).toEqual(['deploy-config']);
    expect(failures(report)[0]!.evidence).toBe('kill_timeout 5 s does not cover the pre-stop delay (1 s) + drain (5 s) + 2 s margin');
    expect(code).toBe(1);
  });

  it('exits 2 with a clear message on an unreachable URL', async () => {
    const port = await freePort();
    const { code, stderr, stdout } = await golive([`http://127.0.0.1:${port}`]);
    expect(code).toBe(2);
    expect(stderr).toContain(`golive: http://127.0.0.1:${port} is unreachable: ECONNREFUSED`);
    expect(stdout).toBe('');
  });

  it('exits 2 when the --start command exits before answering, with its exit code and output', async () => {
    const { code, stderr } = await golive(['--start', `node -e "console.error('no config'); process.exit(3)"`]);
    expect(code).toBe(2);
    expect(stderr).toContain('the service exited (3) before answering; last output: no config');
    expect(stderr).not.toContain('usage:');
  });

  it('exits 2 on bad usage, naming the problem', async () => {
    expect(await golive([])).toMatchObject({ code: 2, stderr: expect.stringContaining('give the service URL') });
    expect(await golive(['ftp://example.test'])).toMatchObject({ code: 2, stderr: expect.stringContaining('is not an http(s) URL') });
    expect(await golive(['--repo', '.', '--skip', 'nonsense'])).toMatchObject({ code: 2, stderr: expect.stringContaining('--skip nonsense: no such item') });
    expect(await golive(['--start', 'node x.js', '--rate-limit-probe', '/api'])).toMatchObject({ code: 2, stderr: expect.stringContaining('URL mode only') });
  });

  it('blocks a service that answers the same HTML page everywhere, item by item', async () => {
    const { code, report } = await startFixture('html-everywhere');
    expect(statusOf(report, 'liveness')).toBe('FAIL');
    expect(report?.items.find((item) => item.id === 'liveness')?.evidence).toMatch(/answers an HTML page: a catch-all route/);
    expect(statusOf(report, 'readiness')).toBe('FAIL');
    expect(statusOf(report, 'tracing')).toBe('PASS'); // the fixture still continues traces
    expect(statusOf(report, 'rate-limiting')).toBe('FAIL');
    expect(statusOf(report, 'smoke')).toBe('PASS');
    expect(code).toBe(1);
  }, 150_000);

  it('blocks a service that never becomes ready, and says so', async () => {
    const { code, report } = await startFixture('never-ready', ['--ready-timeout-s', '3']);
    expect(report?.items.find((item) => item.id === 'readiness')?.evidence).toMatch(/never became ready: \/readyz never answered 200 within 3 s of start \(last: 503/);
    expect(statusOf(report, 'readiness-follows-deps')).toBe('SKIP');
    expect(code).toBe(1);
  }, 150_000);
});
