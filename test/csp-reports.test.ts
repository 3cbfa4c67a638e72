// CSP violation reports (docs/security.md, "Violation reports"): both formats browsers send are
// logged as csp_violation with URLs cut to origin + path (no query, no fragment: nothing that
// identifies a person); bounded in size; under the per-IP API rate limit; exempt from the
// same-origin check (a report changes nothing). On a server of its own, to read its log.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningServer, startServer } from './support/server';

let server: RunningServer;
beforeAll(async () => {
  server = await startServer();
});
afterAll(async () => {
  await server?.stop();
});

const report = (body: string, contentType = 'application/csp-report', headers: Record<string, string> = {}) =>
  fetch(`${server.url}/api/csp-reports`, { method: 'POST', headers: { 'content-type': contentType, ...headers }, body });
const violations = () =>
  server
    .output()
    .split('\n')
    .filter((line) => line.includes('"event":"csp_violation"'))
    .map((line) => JSON.parse(line) as Record<string, unknown>);

describe('POST /api/csp-reports', () => {
  it("Chromium's report-uri format → 204, logged without query strings or the script sample, under the API rate limit, even from another site", async () => {
    const before = violations().length;
    const response = await report(
      JSON.stringify({
        'csp-report': {
          'document-uri': 'http://127.0.0.1/jobs/0195?q=alice%40example.org#frag',
          'effective-directive': 'script-src-elem',
          'violated-directive': 'script-src-elem',
          'blocked-uri': 'https://evil.example/steal.js?email=alice@example.org',
          'source-file': 'http://127.0.0.1/_next/static/chunks/app.js?v=1',
          'line-number': 12,
          'column-number': 7,
          disposition: 'enforce',
          'script-sample': 'alice@example.org',
          'status-code': 200,
        },
      }),
      'application/csp-report',
      { origin: 'https://evil.example', 'sec-fetch-site': 'cross-site' },
    );
    expect(response.status).toBe(204);
    expect(response.headers.get('ratelimit-limit')).not.toBeNull();
    await expect.poll(() => violations().length).toBe(before + 1);
    const logged = violations().at(-1)!;
    expect(logged).toMatchObject({ directive: 'script-src-elem', blocked: 'https://evil.example/steal.js', page: 'http://127.0.0.1/jobs/0195', source: 'http://127.0.0.1/_next/static/chunks/app.js', line: 12, column: 7, disposition: 'enforce' });
    expect(JSON.stringify(logged)).not.toContain('alice');
  });

  it('the Reporting API format (application/reports+json) → 204, one line per csp-violation entry', async () => {
    const before = violations().length;
    const entry = (blockedURL: string) => ({ type: 'csp-violation', url: 'http://127.0.0.1/', body: { documentURL: 'http://127.0.0.1/?x=1', effectiveDirective: 'style-src-attr', blockedURL, disposition: 'enforce' } });
    const response = await report(JSON.stringify([entry('inline'), entry('eval'), { type: 'deprecation', body: {} }]), 'application/reports+json');
    expect(response.status).toBe(204);
    await expect.poll(() => violations().length).toBe(before + 2);
    expect(violations().slice(-2).map((line) => line.blocked)).toEqual(['inline', 'eval']);
  });

  it('refuses other content types (415), bodies over 8 KiB (413) and malformed reports (400), with the JSON error', async () => {
    const cases: Array<[Response, number]> = [
      [await report('{}', 'text/plain'), 415],
      [await report(JSON.stringify({ 'csp-report': { 'blocked-uri': 'x'.repeat(9_000) } })), 413],
      [await report('{"csp-report": 42}'), 400],
      [await report('not json'), 400],
    ];
    for (const [response, status] of cases) {
      expect(response.status).toBe(status);
      expect(response.headers.get('content-type')).toBe('application/json; charset=utf-8');
      expect((await response.json()).error.code).toEqual(expect.any(String));
    }
  });
});
