// Load shedding: this instance refuses what it cannot serve in time with a fast 503 + Retry-After
// (the shared `overloaded` body), in two places:
//   - at the door, before any work: too many requests in flight, or an event loop so late that
//     new work would only add to the queue;
//   - at admission (lib/resilience/admission.ts), inside the request span so the wait counts in
//     the latency metrics: at most a limit of requests are worked on at once (between
//     LOAD_SHED_MIN_CONCURRENT and LOAD_SHED_MAX_CONCURRENT, adapted to the event loop's load), and
//     while the loop is saturated, arrivals are refused when the admission queue has stood longer
//     than LOAD_SHED_QUEUE_TARGET_MS for LOAD_SHED_QUEUE_INTERVAL_MS; a queued request is refused
//     once it has waited LOAD_SHED_MAX_QUEUE_WAIT_MS.
// Probes and metrics are answered before this; static assets are exempt (cheap, needed by pages).
// Every refusal is in the request-duration histogram as a 503 of its route, like any answer.
import type http from 'node:http';
import { monitorEventLoopLag } from '../event-loop-lag';
import { getEnv } from '../env';
import { writeJson } from '../http/write-json';
import { logger } from '../logger';
import { recordAnsweredBeforeHandling } from '../telemetry/http-server';
import { createAdaptiveLimit } from './adaptive-limit';
import { createAdmission } from './admission';
import { recordLoadShed } from './metrics';
import { unavailableResponse } from './unavailable';

// A late event loop with almost nothing in flight is one slow task (a first request loading its
// route modules), not overload: shedding then would help nobody.
const MIN_IN_FLIGHT_FOR_DELAY_SHEDDING = 10;
// Often enough to shrink from 16 to 4 within half a second of a CPU overload starting.
const ADAPT_EVERY_MS = 100;

type ShedReason = 'in_flight' | 'event_loop_delay' | 'queue_delay';

const isStaticAsset = (req: http.IncomingMessage) => (req.url ?? '').startsWith('/_next/static/');

/**
 * The work's result, or, if the response closes first (its client went away), a promise that
 * resolves then. Next's handler does not always settle for a request whose client aborted: here
 * about one in 30 aborted list reads left its handler pending for good, and with admission slots
 * given back only on settling, 600 aborted reads took all 16 slots and the instance answered
 * nothing while its probes said ready (test/aborted-requests.test.ts). A response that has closed
 * has nobody left to answer; its slot goes to the next request.
 */
export function settledOrClosed(result: Promise<unknown> | void, res: { readonly closed: boolean; once(event: 'close', listener: () => void): unknown }): Promise<unknown> | void {
  if (!(result instanceof Promise)) return result;
  const closed = new Promise<void>((resolve) => {
    if (res.closed) resolve();
    else res.once('close', () => resolve());
  });
  return Promise.race([result, closed]);
}

export function createLoadShedder(inFlight: { readonly size: number }) {
  const env = getEnv();
  const lag = monitorEventLoopLag();
  let recentDelayMs = 0;
  setInterval(() => {
    recentDelayMs = lag.p99Ms();
    lag.reset();
  }, 500).unref();
  // Fewer at once while the event loop is saturated, more while it waits on I/O (adaptive-limit.ts).
  const limit = createAdaptiveLimit({ min: Math.min(env.LOAD_SHED_MIN_CONCURRENT, env.LOAD_SHED_MAX_CONCURRENT), max: env.LOAD_SHED_MAX_CONCURRENT });
  const admission = createAdmission({
    maxConcurrent: env.LOAD_SHED_MAX_CONCURRENT,
    queueTargetMs: env.LOAD_SHED_QUEUE_TARGET_MS,
    standingForMs: env.LOAD_SHED_QUEUE_INTERVAL_MS,
    maxWaitMs: env.LOAD_SHED_MAX_QUEUE_WAIT_MS,
    refuseOnStandingQueue: () => limit.saturated,
  });
  setInterval(() => admission.resize(limit.step(admission.queuedSinceLastAsked())), ADAPT_EVERY_MS).unref();

  // Requests shed per second over the last 10 s, for the readiness body (capacity, not health).
  const shedPerSecond = new Array<number>(10).fill(0);
  let bucketSecond = Math.floor(Date.now() / 1000);
  const advance = () => {
    const now = Math.floor(Date.now() / 1000);
    for (let s = bucketSecond + 1; s <= Math.min(now, bucketSecond + 10); s++) shedPerSecond[s % 10] = 0;
    bucketSecond = now;
    return now;
  };

  let shedSinceLog = 0;
  let lastLog = 0;
  function refuse(res: http.ServerResponse, reason: ShedReason) {
    recordLoadShed(reason);
    shedPerSecond[advance() % 10]!++;
    shedSinceLog++;
    if (Date.now() - lastLog > 1_000) {
      const { active, queued } = admission.stats();
      logger.warn({ event: 'load_shed', reason, shed: shedSinceLog, in_flight: inFlight.size, active, queued, event_loop_delay_ms: Math.round(recentDelayMs) }, 'shedding load');
      lastLog = Date.now();
      shedSinceLog = 0;
    }
    const { status, body, headers } = unavailableResponse({ reason: 'overloaded', retryAfterS: 1 });
    writeJson(res, status, body, headers);
  }

  /** At the door. Returns true when the request was refused (and answered). */
  function shed(req: http.IncomingMessage, res: http.ServerResponse): boolean {
    if (isStaticAsset(req)) return false;
    const reason: ShedReason | null =
      inFlight.size >= env.LOAD_SHED_MAX_IN_FLIGHT
        ? 'in_flight'
        : recentDelayMs > env.LOAD_SHED_MAX_EVENT_LOOP_DELAY_MS && inFlight.size >= MIN_IN_FLIGHT_FOR_DELAY_SHEDDING
          ? 'event_loop_delay'
          : null;
    if (!reason) return false;
    refuse(res, reason);
    recordAnsweredBeforeHandling(req, 503); // before the request's span exists, so counted here
    return true;
  }

  /**
   * Runs `work` when admitted; answers 503 itself when the queue stands. Its slot is free again when
   * the work settles or the response closes. What it returns settles with the work itself, not at
   * the close: the request span (lib/telemetry/http-server.ts) ends then, because Next sets
   * `http.route` on it after the response has closed, and on an ended span that cost an Error with
   * its stack and a diagnostic warning on every sampled request (docs/performance.md, item 13).
   */
  function admit(req: http.IncomingMessage, res: http.ServerResponse, work: () => Promise<unknown> | void): Promise<unknown> | void {
    if (isStaticAsset(req)) return work();
    let result: Promise<unknown> | void;
    return admission.admit(() => settledOrClosed((result = work()), res), () => refuse(res, 'queue_delay'), () => res.destroyed).then(() => result);
  }

  function load() {
    advance();
    const { active, queued, maxConcurrent } = admission.stats();
    return {
      in_flight: inFlight.size,
      in_flight_limit: env.LOAD_SHED_MAX_IN_FLIGHT,
      active,
      active_limit: maxConcurrent,
      queued,
      event_loop_delay_p99_ms: Math.round(recentDelayMs),
      shed_last_10s: shedPerSecond.reduce((sum, n) => sum + n, 0),
    };
  }
  return { shed, admit, load };
}
