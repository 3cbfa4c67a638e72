// Answers 503 + Retry-After before doing any work when this instance is past its limits: too
// many requests in flight, or an event loop so late that new work would only add to the queue.
// Probes and metrics are answered before this; static assets are exempt (cheap, needed by pages).
import type http from 'node:http';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { getEnv } from '../env';
import { writeJson } from '../http/write-json';
import { logger } from '../logger';
import { recordLoadShed } from './metrics';
import { unavailableResponse } from './unavailable';

// A late event loop with almost nothing in flight is one slow task (a first request loading its
// route modules), not overload: shedding then would help nobody.
const MIN_IN_FLIGHT_FOR_DELAY_SHEDDING = 10;

export function createLoadShedder(inFlight: { readonly size: number }) {
  const env = getEnv();
  const histogram = monitorEventLoopDelay({ resolution: 10 });
  histogram.enable();
  let recentDelayMs = 0;
  setInterval(() => {
    recentDelayMs = histogram.percentile(99) / 1e6;
    histogram.reset();
  }, 500).unref();

  let shedSinceLog = 0;
  let lastLog = 0;
  return function shed(req: http.IncomingMessage, res: http.ServerResponse): boolean {
    if ((req.url ?? '').startsWith('/_next/static/')) return false;
    const reason =
      inFlight.size >= env.LOAD_SHED_MAX_IN_FLIGHT
        ? 'in_flight'
        : recentDelayMs > env.LOAD_SHED_MAX_EVENT_LOOP_DELAY_MS && inFlight.size >= MIN_IN_FLIGHT_FOR_DELAY_SHEDDING
          ? 'event_loop_delay'
          : null;
    if (!reason) return false;
    recordLoadShed(reason);
    shedSinceLog++;
    if (Date.now() - lastLog > 1_000) {
      logger.warn({ event: 'load_shed', reason, shed: shedSinceLog, in_flight: inFlight.size, event_loop_delay_ms: Math.round(recentDelayMs) }, 'shedding load');
      lastLog = Date.now();
      shedSinceLog = 0;
    }
    const { status, body, headers } = unavailableResponse({ reason: 'overloaded', retryAfterS: 1 });
    writeJson(res, status, body, headers);
    return true;
  };
}
