// Resilience series in /api/metrics: breaker state and transitions, rejected database calls,
// fallbacks served, requests shed.
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

function create() {
  const m = meter();
  m.createObservableGauge('db.circuit_breaker.state', { description: 'Database circuit breaker: 0 closed, 1 half-open, 2 open, 3 isolated.' }).addCallback((result) => {
    const readState = peekProcessSingleton<ReadState>('breakerStateReader');
    if (readState) result.observe(STATE_VALUE[readState()]);
  });
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

export const initResilienceMetrics = () => void ensure();
export const recordBreakerTransition = (to: string) => ensure().transitions.add(1, { 'db.circuit_breaker.state': to });
export const recordDbRejection = (reason: string) => ensure().rejections.add(1, { reason });
export const recordFallback = (operation: string) => ensure().fallbacks.add(1, { 'app.operation': operation });
export const recordLoadShed = (reason: string) => ensure().shed.add(1, { reason });
