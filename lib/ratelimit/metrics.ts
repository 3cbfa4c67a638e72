import { metrics } from '@opentelemetry/api';
import { processSingleton } from '../process-singleton';
import { tally } from '../telemetry/tally';

// One set per process: server.ts (reads, before Next) and proxy.ts (inside Next's bundle) both
// decide, and the decisions' tally is one Map reported by one callback.
function create() {
  const m = metrics.getMeter('jobboard');
  return {
    // Counted in a tally (lib/telemetry/tally.ts): a decision is made on every request.
    decisions: tally(m.createObservableCounter('app.ratelimit.decisions', { description: 'Rate-limit decisions by policy, outcome and backend.' })),
    latency: m.createHistogram('app.ratelimit.duration', {
      unit: 's',
      description: 'Time to reach a rate-limit decision.',
      advice: { explicitBucketBoundaries: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1] },
    }),
    fallbacks: m.createCounter('app.ratelimit.fallbacks', { description: 'Decisions made by the in-memory limiter because the shared one failed.' }),
  };
}
const ensure = () => processSingleton('ratelimit.metrics', create);

export function recordLimiterDecision(policy: string, outcome: 'allowed' | 'limited', backend: string, seconds: number) {
  const { decisions, latency } = ensure();
  decisions.add(`${policy} ${outcome} ${backend}`, () => ({ 'app.ratelimit.policy': policy, 'app.ratelimit.outcome': outcome, 'app.ratelimit.backend': backend }), 1);
  // Timed only where there is something to wait for: the shared backends, and the fallback, which
  // waited for the shared one first. Without a shared limiter a decision is a Map lookup; recording
  // it here was ~0.2 % of an unsampled read's profile samples, most of that the histogram's record
  // (docs/performance.md, item 26).
  if (backend !== 'memory') latency.record(seconds, { 'app.ratelimit.policy': policy, 'app.ratelimit.backend': backend });
}
/** The fallback series at 0 for each policy, so the alert on them has a series from the first scrape. */
export function initLimiterMetrics(policies: readonly string[]) {
  for (const policy of policies) ensure().fallbacks.add(0, { 'app.ratelimit.policy': policy });
}
export const recordLimiterFallback = (policy: string) => ensure().fallbacks.add(1, { 'app.ratelimit.policy': policy });
