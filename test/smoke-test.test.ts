// The post-deploy smoke test (scripts/smoke-test.mjs) against real built servers: it passes on a
// healthy release, and fails — quickly, naming the check — on the wrong release, on a release
// that is not ready, and when nothing answers.
import { spawn } from 'node:child_process';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { startBehindProxy } from './support/behind-proxy';
import { freePort } from '../scripts/launch-server.mjs';
import { type RunningServer, startServer } from './support/server';

const root = path.resolve(import.meta.dirname, '..');
const databaseUrl = process.env.DATABASE_URL;

function smoke(...args: string[]): Promise<{ code: number | null; output: string; ms: number }> {
  const started = performance.now();
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [path.join(root, 'scripts/smoke-test.mjs'), ...args], { cwd: root });
    let output = '';
    child.stdout.on('data', (chunk) => (output += chunk));
    child.stderr.on('data', (chunk) => (output += chunk));
    child.on('exit', (code) => resolve({ code, output, ms: performance.now() - started }));
  });
}

describe('smoke test against a release built from a known commit', () => {
  const sha = 'abc123def4567890abc123def4567890abc123de';
  let server: RunningServer;
  beforeAll(async () => {
    server = await startServer({ GIT_SHA: sha });
  });
  afterAll(async () => {
    await server?.stop();
  });

  it('passes every check, including the trace id we send coming back', async () => {
    const result = await smoke(server.url, '--expect-version', sha, '--timeout-s', '20');
    expect(result.output).toContain('✓ liveness');
    expect(result.output).toContain('✓ read      GET /api/jobs/:id');
    expect(result.output).toContain('✓ page');
    expect(result.output).toContain('Smoke test passed');
    expect(result.code).toBe(0);
  });

  it('fails when the live release is not the one just deployed', async () => {
    const result = await smoke(server.url, '--expect-version', 'ffffffffffff', '--timeout-s', '2');
    expect(result.code).toBe(1);
    expect(result.output).toMatch(/✗ liveness .*expected …\+ffffffffffff/);
    expect(result.output).toContain('Smoke test FAILED');
  });
});

describe('smoke test failures', () => {
  it('fails within its deadline when nothing answers', async () => {
    const port = await freePort();
    const result = await smoke(`http://127.0.0.1:${port}`, '--timeout-s', '3');
    expect(result.code).toBe(1);
    expect(result.output).toMatch(/✗ liveness .*ECONNREFUSED/);
    expect(result.ms).toBeLessThan(8_000);
  });

  it('rejects a bad URL with a usage message (exit 2)', async () => {
    const result = await smoke('not-a-url');
    expect(result.code).toBe(2);
    expect(result.output).toContain('usage:');
  });

  it('passes against the shared test server without a version to expect', async () => {
    const result = await smoke(inject('baseUrl'), '--timeout-s', '20');
    expect(result.code).toBe(0);
  });

  it.skipIf(!databaseUrl)('fails on readiness when the release cannot reach its database', async () => {
    const { server, proxy } = await startBehindProxy(databaseUrl!);
    try {
      await proxy.setMode({ kind: 'refuse' });
      // Readiness checks are cached for 1 s: wait until the instance itself says it is not ready.
      for (let i = 0; i < 50 && (await fetch(`${server.url}/api/readyz`)).status !== 503; i++) await new Promise((resolve) => setTimeout(resolve, 100));
      const result = await smoke(server.url, '--timeout-s', '4');
      expect(result.code).toBe(1);
      expect(result.output).toContain('✓ liveness');
      expect(result.output).toMatch(/✗ readiness .*status 503/);
    } finally {
      await server.stop();
      await proxy.close();
    }
  });
});
