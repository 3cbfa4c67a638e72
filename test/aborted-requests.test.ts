// Clients that give up mid-request (a closed tab, a proxy's timeout, wrk stopping) must not cost
// the instance its capacity. Next's handler does not always settle for an aborted request; when
// admission slots were given back only on settling, 160–640 connections closed mid-request held
// all 16 slots for good and the instance answered nothing while /api/readyz said ready.
import http from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { timedFetch, waitFor } from './support/measure';
import { type RunningServer, startServer } from './support/server';

let server: RunningServer;
beforeAll(async () => {
  server = await startServer({ LOG_LEVEL: 'warn' });
});
afterAll(async () => {
  await server?.stop();
});

/**
 * One keep-alive connection sending list reads back to back, destroyed after `forMs` with a
 * request in flight (as wrk does when it stops, and as a browser does when a tab closes).
 * Connections made fresh per request did not leave a handler pending here; reused ones did.
 */
async function abandonedConnection(url: string, forMs: number): Promise<void> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  let current: http.ClientRequest | undefined;
  let stopped = false;
  const stop = setTimeout(() => {
    stopped = true;
    current?.destroy();
    agent.destroy();
  }, forMs);
  while (!stopped) {
    await new Promise<void>((resolve) => {
      current = http.get(url, { agent }, (response) => {
        response.resume();
        response.on('close', () => resolve());
      });
      current.on('close', () => resolve());
      current.on('error', () => {});
    });
  }
  clearTimeout(stop);
  agent.destroy();
}

const capacity = async () => (await timedFetch(`${server.url}/api/readyz`)).body.capacity as { active: number; queued: number; active_limit: number };

describe('requests whose client goes away', () => {
  it('give their admission slot back: after 640 connections closed mid-request nothing stays active and the next read is answered', async () => {
    expect((await timedFetch(`${server.url}/api/jobs?limit=20`)).status).toBe(200);
    const limit = (await capacity()).active_limit;
    // 40 waves of 16 connections at once, each closed 200–300 ms in, mid-request.
    for (let wave = 0; wave < 40; wave++) {
      await Promise.all(Array.from({ length: 16 }, (_, i) => abandonedConnection(`${server.url}/api/jobs?limit=20`, 200 + ((wave * 7 + i * 13) % 100))));
    }
    // Work for clients that left ends within milliseconds; a slot that is never given back stays.
    await waitFor(async () => (await capacity()).active === 0, 5_000, 100).catch(() => {});
    expect(await capacity(), `slots still held 5 s after the last connection closed (limit ${limit})`).toMatchObject({ active: 0, queued: 0 });
    const read = await timedFetch(`${server.url}/api/jobs?limit=20`, { signal: AbortSignal.timeout(5_000) });
    expect(read.status).toBe(200);
  });
});
