import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { WARM_UP_HEADER, warmUpToken } from '../http/warm-up-request';
import { lifecycleState, markCold } from './state';
import { isSteady, warmUp, warmUpRequests } from './warm-up';

describe('warm-up steadiness', () => {
  it('needs two windows of three rounds before judging', () => {
    expect(isSteady([100, 100, 100, 100, 100])).toBe(false);
    expect(isSteady([100, 100, 100, 100, 100, 100])).toBe(true);
  });

  it('keeps warming while the last three rounds are more than 10 % faster than the three before, by their medians', () => {
    const improving = [800, 300, 250, 240, 200, 190];
    expect(isSteady(improving)).toBe(false); // median 200 vs 300: 33 % faster
    expect(isSteady([...improving, 185])).toBe(false); // 190 vs 250: 24 % faster
    expect(isSteady([...improving, 185, 182, 184])).toBe(true); // 184 vs 200: 8 % faster
  });

  it('is not fooled by one slow or one fast round (medians)', () => {
    expect(isSteady([200, 200, 200, 200, 20, 200])).toBe(true);
    expect(isSteady([200, 900, 200, 150, 150, 150])).toBe(false);
  });
});

describe('warm-up requests', () => {
  it('visits the routes the table marks for warm-up, with the job id filled in, and the main pages', () => {
    const id = '0190a1b2-c3d4-7e5f-8a6b-7c8d9e0f1a2b';
    expect(warmUpRequests(id)).toEqual([
      ['GET', '/api/jobs?limit=1', undefined],
      ['GET', '/api/jobs?limit=20&q=engineer', undefined],
      ['POST', '/api/jobs', '{}'],
      ['GET', `/api/jobs/${id}`, undefined],
      ['POST', `/api/jobs/${id}/applications`, '{}'],
      ['GET', '/api/me/applications', undefined],
      ['POST', '/api/auth/sign-in/email', '{}'],
      ['POST', '/api/auth/sign-up/email', '{}'],
      ['GET', '/'],
      ['GET', `/jobs/${id}`],
    ]);
  });
});

describe('warmUp against a server', () => {
  type Seen = { method: string; url: string; headers: http.IncomingHttpHeaders; body: string };
  const servers: http.Server[] = [];
  afterEach(async () => {
    await Promise.all(servers.splice(0).map((server) => new Promise((resolve) => server.close(resolve))));
  });

  async function serve(answer: (seen: Seen, res: http.ServerResponse) => void): Promise<{ url: string; seen: Seen[] }> {
    const seen: Seen[] = [];
    const server = http.createServer((req, res) => {
      let body = '';
      req.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')));
      req.on('end', () => {
        const request = { method: req.method!, url: req.url!, headers: req.headers, body };
        seen.push(request);
        answer(request, res);
      });
    });
    servers.push(server);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, seen };
  }

  it('asks for a job id, then sends every warm-up request in rounds of two clients, each with the token; then marks the server warm', async () => {
    const id = '0190a1b2-c3d4-7e5f-8a6b-7c8d9e0f1a2b';
    const { url, seen } = await serve((request, res) => {
      if (request.url === '/api/jobs?limit=1' && request.headers['accept-encoding'] === 'identity') res.end(JSON.stringify({ jobs: [{ id }] }));
      else res.end('{}');
    });
    markCold();
    await warmUp(url, 5_000);
    expect(lifecycleState().warm).toBe(true);

    const [first, ...rounds] = seen;
    expect(first).toMatchObject({ method: 'GET', url: '/api/jobs?limit=1', headers: { 'accept-encoding': 'identity' } });
    const perRound = warmUpRequests(id);
    // At least the two windows of three rounds that steadiness needs, every round complete.
    expect(rounds.length).toBeGreaterThanOrEqual(6 * 2 * perRound.length);
    expect(rounds.length % (2 * perRound.length)).toBe(0);
    for (const request of seen) expect(request.headers[WARM_UP_HEADER]).toBe(warmUpToken());
    // Gzip, as browsers ask, for everything but the one answer warm-up reads; bodies sent as JSON.
    for (const request of rounds) expect(request.headers['accept-encoding']).toBe('gzip');
    const sent = new Set(rounds.map(({ method, url, body }) => `${method} ${url} ${body}`));
    expect(sent).toEqual(new Set(perRound.map(([method, path, body]) => `${method} ${path} ${body ?? ''}`)));
    for (const request of rounds.filter(({ method }) => method === 'POST')) expect(request.headers['content-type']).toBe('application/json');
  });

  it('serves cold rather than never: a server that drops the connection ends warm-up, and the server is marked warm', async () => {
    const { url, seen } = await serve((_request, res) => res.socket?.destroy());
    markCold();
    await warmUp(url, 5_000);
    expect(lifecycleState().warm).toBe(true);
    expect(seen).toHaveLength(1);
  });
});
