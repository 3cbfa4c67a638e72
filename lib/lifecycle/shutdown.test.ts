// The SIGTERM sequence on a fake clock, with a stand-in server and requests: what happens when,
// in which order, and how it ends (exit code), without ending the test process.
import { EventEmitter } from 'node:events';
import type http from 'node:http';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';

process.env.DATA_DIR = mkdtempSync(path.join(tmpdir(), 'shutdown-'));
process.env.PRESTOP_DELAY_MS = '5000';
process.env.SHUTDOWN_TIMEOUT_MS = '20000';
process.env.LOG_LEVEL = 'silent';

const { shutdownOnFirstSignal } = await import('./shutdown');
const { createInFlightTracker } = await import('./in-flight');
const { registerShutdownHook } = await import('./shutdown-hooks');
const { lifecycleState } = await import('./state');
const { resetProcessSingletons } = await import('../process-singleton');
const { logger } = await import('../logger');

function fakeServer(steps: string[]) {
  return {
    close: vi.fn((done?: () => void) => {
      steps.push('listener closed');
      done?.();
      return undefined as unknown as http.Server;
    }),
    closeIdleConnections: vi.fn(() => steps.push('idle connections closed')),
    closeAllConnections: vi.fn(() => steps.push('all connections closed')),
  };
}

function request(inFlight: ReturnType<typeof createInFlightTracker>, path: string) {
  const res = Object.assign(new EventEmitter(), { headersSent: false, setHeader: vi.fn() }) as unknown as http.ServerResponse;
  inFlight.track({ method: 'GET', url: `${path}?secret=x` } as http.IncomingMessage, res);
  return { res, finish: () => res.emit('finish') };
}

let exits: number[];
beforeEach(() => {
  vi.useFakeTimers();
  resetProcessSingletons();
  exits = [];
  vi.spyOn(process, 'exit').mockImplementation(((code?: number) => void exits.push(code ?? 0)) as never);
});
afterEach(() => {
  vi.useRealTimers();
  vi.restoreAllMocks();
  resetProcessSingletons();
});

describe('shutdown on SIGTERM', () => {
  it('fails readiness at once, serves through the pre-stop, closes the listener, waits for requests, runs the hooks, exits 0', async () => {
    const steps: string[] = [];
    const inFlight = createInFlightTracker();
    const slow = request(inFlight, '/api/jobs');
    registerShutdownHook('telemetry', async () => void steps.push('telemetry flushed'));
    registerShutdownHook('redis', async () => void steps.push('redis closed'));
    const server = fakeServer(steps);
    const onSignal = shutdownOnFirstSignal({ server, app: { close: async () => void steps.push('next closed') }, inFlight });

    onSignal('SIGTERM');
    expect(lifecycleState().draining).toBe(true);
    await vi.advanceTimersByTimeAsync(4_999);
    expect(server.close).not.toHaveBeenCalled(); // still accepting during the pre-stop window
    await vi.advanceTimersByTimeAsync(1);
    expect(steps).toEqual(['listener closed', 'idle connections closed']);
    expect(slow.res.setHeader).toHaveBeenCalledWith('Connection', 'close');

    await vi.advanceTimersByTimeAsync(10_000);
    expect(exits).toEqual([]); // the request is still running
    slow.finish();
    await vi.advanceTimersByTimeAsync(1_000);
    expect(steps).toEqual(['listener closed', 'idle connections closed', 'next closed', 'all connections closed', 'telemetry flushed', 'redis closed']);
    expect(exits).toEqual([0]);
    await vi.advanceTimersByTimeAsync(30_000);
    expect(exits).toEqual([0]); // the deadline was cleared
  });

  it('exits 1 at the drain deadline and names the requests still running (their paths, never their query strings)', async () => {
    const errors = vi.spyOn(logger, 'error');
    const inFlight = createInFlightTracker();
    request(inFlight, '/api/jobs/123');
    const onSignal = shutdownOnFirstSignal({ server: fakeServer([]), app: { close: async () => {} }, inFlight });
    onSignal('SIGTERM');
    await vi.advanceTimersByTimeAsync(5_000 + 19_999);
    expect(exits).toEqual([]);
    await vi.advanceTimersByTimeAsync(1);
    expect(exits).toEqual([1]);
    const [fields] = errors.mock.calls.at(-1)! as [{ event: string; in_flight: { route: string }[] }];
    expect(fields.event).toBe('shutdown_timeout');
    expect(fields.in_flight).toEqual([expect.objectContaining({ method: 'GET', route: '/api/jobs/123' })]);
  });

  it('a second signal neither restarts nor shortens the drain', async () => {
    const warnings = vi.spyOn(logger, 'warn');
    const steps: string[] = [];
    const inFlight = createInFlightTracker();
    const onSignal = shutdownOnFirstSignal({ server: fakeServer(steps), app: { close: async () => {} }, inFlight });
    onSignal('SIGTERM');
    await vi.advanceTimersByTimeAsync(2_000);
    onSignal('SIGINT');
    expect(warnings.mock.calls.some(([fields]) => (fields as { event?: string }).event === 'shutdown_signal_repeated')).toBe(true);
    await vi.advanceTimersByTimeAsync(2_999);
    expect(steps).toEqual([]); // still the first signal's pre-stop
    await vi.advanceTimersByTimeAsync(1_001);
    expect(exits).toEqual([0]);
  });
});
