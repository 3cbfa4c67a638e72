// Every state-changing API route refuses a cross-site request that carries a valid session
// cookie: 403 with the JSON error, before anything is stored. Same-origin requests still work.
import { beforeAll, describe, expect, it } from 'vitest';
import { API_ROUTES } from '@/lib/http/api-routes';
import { LIMITED_BEFORE_NEXT_HEADER } from '@/lib/ratelimit/reads-before-next';
import { baseUrl, call, candidateEmployerAndJob, type Session, validApplication, validJob } from './support/api';

let candidate: Session;
let employer: Session;
let jobId: string;

beforeAll(async () => {
  ({ candidate, employer, jobId } = await candidateEmployerAndJob());
});

// Routes declared crossSite: 'accepted' (CSP reports) change nothing: test/csp-reports.test.ts.
const WRITES = API_ROUTES.filter((route) => route.method !== 'GET' && !('crossSite' in route));
const concrete = (path: string) => path.replace('[id]', jobId).replace('[...all]', 'sign-out').replace('[...path]', 'no-such-route');
const bodyFor = (path: string) => (path.endsWith('/applications') ? validApplication() : path === '/api/jobs' ? validJob() : path.startsWith('/api/jobs/') ? { title: 'Changed by another site' } : {});
const sessionFor = (path: string) => (path.endsWith('/applications') ? candidate : employer);

describe('cross-site writes', () => {
  for (const route of WRITES) {
    for (const [attack, headers] of [
      ['Origin: https://evil.example', { origin: 'https://evil.example' }],
      ['Sec-Fetch-Site: cross-site', { 'sec-fetch-site': 'cross-site' }],
    ] as const) {
      it(`${route.method} ${route.path} with a valid session and ${attack} → 403 cross_site_request`, async () => {
        const path = concrete(route.path);
        const reply = await call(route.method, path, { session: sessionFor(route.path), json: bodyFor(route.path), headers });
        expect(reply.status).toBe(403);
        expect(reply.headers.get('content-type')).toMatch(/^application\/json/);
        expect(reply.body.error).toMatchObject({ code: 'cross_site_request', message: expect.stringContaining('another site') });
      });
    }
  }

  it('a client claiming its request was limited before Next (the header our server sets on reads) still meets proxy.ts', async () => {
    const reply = await call('POST', `/api/jobs/${jobId}/applications`, {
      session: candidate,
      json: validApplication(),
      headers: { origin: 'https://evil.example', [LIMITED_BEFORE_NEXT_HEADER]: '1' },
    });
    expect(reply.status).toBe(403);
    expect(reply.body.error.code).toBe('cross_site_request');
  });

  it('stores nothing from a refused request, and the same request from our own origin works', async () => {
    const mine = async () => (await call('GET', '/api/me/applications', { session: candidate })).body.applications.length as number;
    const before = await mine();
    const path = `/api/jobs/${jobId}/applications`;
    expect((await call('POST', path, { session: candidate, json: validApplication(), headers: { origin: 'https://evil.example' } })).status).toBe(403);
    expect(await mine()).toBe(before);
    const title = (await call('GET', `/api/jobs/${jobId}`)).body.job.title;
    expect((await call('PATCH', `/api/jobs/${jobId}`, { session: employer, json: { title: 'Hijacked' }, headers: { 'sec-fetch-site': 'cross-site' } })).status).toBe(403);
    expect((await call('GET', `/api/jobs/${jobId}`)).body.job.title).toBe(title);
    const own = await call('POST', path, { session: candidate, json: validApplication(), headers: { origin: baseUrl(), 'sec-fetch-site': 'same-origin' } });
    expect(own.status).toBe(201);
    expect(await mine()).toBe(before + 1);
  });
});
