// Resilience series in /api/metrics: breaker state and transitions, rejected database calls,
// fallbacks served and the copies they are served from, requests shed.
import { metrics } from '@opentelemetry/api';
import { peekProcessSingleton, setProcessSingleton } from '../process-singleton';

const meter = () => metrics.getMeter('jobboard');
let instruments: ReturnType<typeof create> | undefined;

const STATE_VALUE = { closed: 0, half_open: 1, open: 2, isolated: 3 } as const;
// Set by the policy that owns the breaker (policy.ts), which imports this file, not the reverse. A
// process singleton, like the policy itself: the gauge may be registered by our server's copy of
// this module and the policy created by Next's copy.
type ReadState = () => keyof typeof STATE_VALUE;
export function observeBreakerState(read: ReadState) {
  setProcessSingleton('breakerStateReader', read);
}
// Set by the last-known-good cache (fallback-cache.ts) when it is created, the same way.
type ReadCacheSize = () => { entries: number; bytes: number };
export function observeFallbackCache(read: ReadCacheSize) {
  setProcessSingleton('fallbackCacheSizeReader', read);
}

function create() {
  const m = meter();
  m.createObservableGauge('db.circuit_breaker.state', { description: 'Database circuit breaker: 0 closed, 1 half-open, 2 open, 3 isolated.' }).addCallback((result) => {
    const readState = peekProcessSingleton<ReadState>('breakerStateReader');
    if (readState) result.observe(STATE_VALUE[readState()]);
  });
  // 0 until the cache exists (its first read).
  const cacheSize = () => peekProcessSingleton<ReadCacheSize>('fallbackCacheSizeReader')?.() ?? { entries: 0, bytes: 0 };
  m.createObservableGauge('app.fallback_cache.entries', { description: 'Last-known-good copies held.' }).addCallback((result) => result.observe(cacheSize().entries));
  m.createObservableGauge('app.fallback_cache.bytes', { description: 'Heap held by the last-known-good copies, as their byte bound counts it (FALLBACK_CACHE_MAX_MB).' }).addCallback((result) =>
    result.observe(cacheSize().bytes),
  );
  return {
    transitions: m.createCounter('db.circuit_breaker.transitions', { description: 'Breaker state changes, by new state.' }),
    rejections: m.createCounter('db.client.rejections', { description: 'Database calls refused or abandoned by the resilience layer, by reason.' }),
    fallbacks: m.createCounter('app.fallback.served', { description: 'Responses served from the last-known-good cache, by operation.' }),
    shed: m.createCounter('http.server.load_shed', { description: 'Requests answered 503 before any work, by reason.' }),
  };
}

function ensure() {
  instruments ??= create();
  return instruments;
}

// Every series an alert or dashboard reads exists from the first scrape, at 0: `rate()` of a
// counter that appears only with its first event misses that event, and a query on a series that
// does not exist yet returns nothing rather than 0 (docs/observability.md, docs/slo.md).
const TRANSITION_STATES = ['open', 'half_open', 'closed'] as const;
const REJECTION_REASONS = ['circuit_open', 'overloaded', 'timeout', 'unreachable'] as const;
const SHED_REASONS = ['in_flight', 'event_loop_delay', 'queue_delay'] as const;
// The reads with last-known-good copies (lib/jobs/list-jobs.ts, get-job.ts).
const FALLBACK_OPERATIONS = ['listJobs', 'getJob'] as const;

export const initResilienceMetrics = () => {
  const { transitions, rejections, shed, fallbacks } = ensure();
  for (const state of TRANSITION_STATES) transitions.add(0, { 'db.circuit_breaker.state': state });
  for (const reason of REJECTION_REASONS) rejections.add(0, { reason });
  for (const reason of SHED_REASONS) shed.add(0, { reason });
  for (const operation of FALLBACK_OPERATIONS) fallbacks.add(0, { 'app.operation': operation });
};
export const recordBreakerTransition = (to: (typeof TRANSITION_STATES)[number]) => ensure().transitions.add(1, { 'db.circuit_breaker.state': to });
export const recordDbRejection = (reason: (typeof REJECTION_REASONS)[number]) => ensure().rejections.add(1, { reason });
export const recordFallback = (operation: string) => ensure().fallbacks.add(1, { 'app.operation': operation });
export const recordLoadShed = (reason: (typeof SHED_REASONS)[number]) => ensure().shed.add(1, { reason });
