// The golden signals, per route: latency and traffic/errors (one histogram), saturation (in-flight
// requests, event-loop delay, heap; the database pool and admission queue are observed where they
// are known, lib/lifecycle/capacity-metrics.ts). Semantic-convention names where they exist.
import { type Attributes, metrics } from '@opentelemetry/api';
import { monitorEventLoopLag } from '../event-loop-lag';
import { tally } from './tally';

// Seconds; fine enough for p50/p95/p99 from 5 ms to 10 s.
export const DURATION_BUCKETS_S = [0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 0.75, 1, 2.5, 5, 7.5, 10];

const meter = () => metrics.getMeter('jobboard');
let instruments: ReturnType<typeof createInstruments> | undefined;

function createInstruments() {
  const m = meter();
  const duration = m.createHistogram('http.server.request.duration', {
    unit: 's',
    description: 'Duration of HTTP server requests.',
    advice: { explicitBucketBoundaries: DURATION_BUCKETS_S },
  });
  const active = tally(m.createObservableUpDownCounter('http.server.active_requests', { unit: '{request}', description: 'HTTP requests in flight.' }));

  const loopLag = monitorEventLoopLag();
  m.createObservableGauge('nodejs.eventloop.delay.p99', { unit: 's', description: 'Event loop delay, 99th percentile since the last scrape.' }).addCallback((result) => {
    result.observe(loopLag.p99Ms() / 1000);
    loopLag.reset();
  });
  m.createObservableGauge('v8js.memory.heap.used', { unit: 'By', description: 'V8 heap in use.' }).addCallback((result) => {
    result.observe(process.memoryUsage().heapUsed);
  });

  return { duration, active };
}

function ensureInstruments() {
  instruments ??= createInstruments();
  return instruments;
}

export function recordRequest(durationS: number, attributes: Attributes) {
  ensureInstruments().duration.record(durationS, attributes);
}

/** `route` is the request's method and route template, as every series of the request is labelled. */
export function changeActiveRequests(delta: number, route: { 'http.request.method': string; 'http.route': string }) {
  ensureInstruments().active.add(`${route['http.request.method']} ${route['http.route']}`, () => route, delta);
}

/** Creates the instruments now, so the saturation gauges are in the first scrape. */
export function initMetrics() {
  ensureInstruments();
}
