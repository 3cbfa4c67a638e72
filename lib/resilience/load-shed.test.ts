// Set before the env is first read (getEnv caches it; the module is imported after, dynamically).
process.env.LOAD_SHED_MAX_IN_FLIGHT = '2';
process.env.LOG_LEVEL = 'silent';

import { EventEmitter } from 'node:events';
import type http from 'node:http';
import { afterAll, describe, expect, it } from 'vitest';
import { installMetricReader } from '../../test/support/metric-reader';

const reader = installMetricReader();
afterAll(() => reader.shutdown());

function fakeResponse() {
  const sent: { status?: number; headers?: Record<string, unknown> } = {};
  const res = {
    writeHead(status: number, headers: Record<string, unknown>) {
      sent.status = status;
      sent.headers = headers;
      return res;
    },
    setHeader() {},
    end() {},
  };
  return { res: res as unknown as http.ServerResponse, sent };
}

describe('shedding at the door', () => {
  it('answers 503 and counts the refusal in the request histogram under its route, where the availability SLIs read it', async () => {
    const { createLoadShedder } = await import('./load-shed');
    const shedder = createLoadShedder({ size: 2 });
    const { res, sent } = fakeResponse();
    expect(shedder.shed({ method: 'GET', url: '/api/jobs?limit=5', headers: {} } as http.IncomingMessage, res)).toBe(true);
    expect(sent.status).toBe(503);

    const points = await reader.dataPoints('http.server.request.duration');
    expect(points.map((point) => point.attributes)).toEqual([{ 'http.request.method': 'GET', 'http.route': '/api/jobs', 'http.response.status_code': 503 }]);

    // Below the limit nothing is refused or counted.
    expect(createLoadShedder({ size: 1 }).shed({ method: 'GET', url: '/api/jobs', headers: {} } as http.IncomingMessage, fakeResponse().res)).toBe(false);
  });
});

describe('an admitted request whose client goes away', () => {
  const closable = (closed = false) => {
    const emitter = new EventEmitter();
    return Object.assign(emitter, { closed }) as EventEmitter & { closed: boolean };
  };

  it('gives its slot back when the response closes, even if the work never settles', async () => {
    const { settledOrClosed } = await import('./load-shed');
    const res = closable();
    let released = false;
    void (settledOrClosed(new Promise(() => {}), res) as Promise<unknown>).then(() => (released = true));
    await new Promise((resolve) => setImmediate(resolve));
    expect(released).toBe(false);
    res.closed = true;
    res.emit('close');
    await new Promise((resolve) => setImmediate(resolve));
    expect(released).toBe(true);
  });

  it('waits for the work while the response is open, and keeps its result and its failure', async () => {
    const { settledOrClosed } = await import('./load-shed');
    await expect(settledOrClosed(Promise.resolve('answered'), closable())).resolves.toBe('answered');
    await expect(settledOrClosed(Promise.reject(new Error('handler failed')), closable())).rejects.toThrow('handler failed');
    // Already closed when admitted: nothing to wait for.
    await expect(settledOrClosed(new Promise(() => {}), closable(true))).resolves.toBeUndefined();
    expect(settledOrClosed(undefined, closable())).toBeUndefined();
  });
});

describe('what admit returns', () => {
  it('settles with the work itself, not when the response closes, while the slot is free again at the close', async () => {
    const { createLoadShedder } = await import('./load-shed');
    const shedder = createLoadShedder({ size: 0 });
    const res = Object.assign(new EventEmitter(), { closed: false, destroyed: false }) as unknown as http.ServerResponse & { closed: boolean };
    let answer!: (value: string) => void;
    const outcome = shedder.admit({ method: 'GET', url: '/api/jobs', headers: {} } as http.IncomingMessage, res, () => new Promise<string>((resolve) => (answer = resolve))) as Promise<unknown>;
    let settled = false;
    void outcome.then(() => (settled = true));
    await new Promise((resolve) => setImmediate(resolve));
    expect(shedder.load().active).toBe(1);

    // The response has closed (sent, or its client left) but the work is still running: Next still
    // sets attributes on the request span then, so the caller must not take the close for the end.
    res.closed = true;
    res.emit('close');
    await new Promise((resolve) => setImmediate(resolve));
    expect(shedder.load().active).toBe(0);
    expect(settled).toBe(false);

    answer('answered');
    await expect(outcome).resolves.toBe('answered');
  });
});
