import { EventEmitter } from 'node:events';
import type http from 'node:http';
import { describe, expect, it } from 'vitest';
import { createInFlightTracker } from './in-flight';

function fakeExchange(url: string) {
  const res = Object.assign(new EventEmitter(), { headersSent: false, headers: {} as Record<string, string>, setHeader(name: string, value: string) { this.headers[name] = value; } });
  return { req: { method: 'GET', url } as http.IncomingMessage, res };
}

describe('in-flight tracker', () => {
  it('counts requests until they finish or close, and resolves idle() when the last one ends', async () => {
    const tracker = createInFlightTracker();
    const a = fakeExchange('/api/jobs?q=secret');
    const b = fakeExchange('/api/jobs/1');
    tracker.track(a.req, a.res as unknown as http.ServerResponse);
    tracker.track(b.req, b.res as unknown as http.ServerResponse);
    expect(tracker.size).toBe(2);
    // Paths only: the query string may hold personal data.
    expect(tracker.list().map((entry) => entry.route)).toEqual(['/api/jobs', '/api/jobs/1']);
    let idle = false;
    const waiting = tracker.idle().then(() => (idle = true));
    a.res.emit('finish');
    await Promise.resolve();
    expect(idle).toBe(false);
    b.res.emit('close');
    await waiting;
    expect(tracker.size).toBe(0);
  });

  it('asks unfinished responses to close their connection', () => {
    const tracker = createInFlightTracker();
    const open = fakeExchange('/a');
    const started = fakeExchange('/b');
    started.res.headersSent = true;
    tracker.track(open.req, open.res as unknown as http.ServerResponse);
    tracker.track(started.req, started.res as unknown as http.ServerResponse);
    tracker.markAllConnectionClose();
    expect(open.res.headers).toEqual({ Connection: 'close' });
    expect(started.res.headers).toEqual({});
  });
});
