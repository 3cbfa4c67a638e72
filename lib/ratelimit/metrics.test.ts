// What a rate-limit decision reports: every decision counted; its latency timed only where the
// decision waited on something (a shared backend, or the fallback after one).
import { afterAll, describe, expect, it } from 'vitest';
import { installMetricReader } from '../../test/support/metric-reader';
import { recordLimiterDecision } from './metrics';

const reader = installMetricReader();
afterAll(() => reader.shutdown());

describe('recordLimiterDecision', () => {
  it('counts every decision, and times those of the shared backends and the fallback, not the memory-only ones', async () => {
    recordLimiterDecision('read', 'allowed', 'memory', 0.00001);
    recordLimiterDecision('read', 'allowed', 'memory', 0.00001);
    recordLimiterDecision('apply', 'limited', 'redis', 0.002);
    recordLimiterDecision('apply', 'allowed', 'memory-fallback', 0.3);

    const decisions = (await reader.dataPoints('app.ratelimit.decisions')).map(({ attributes, value }) => [attributes['app.ratelimit.backend'], value]);
    expect(decisions.sort()).toEqual([
      ['memory', 2],
      ['memory-fallback', 1],
      ['redis', 1],
    ]);
    const timed = (await reader.dataPoints('app.ratelimit.duration')).map(({ attributes, value }) => [attributes['app.ratelimit.backend'], (value as { count: number }).count]);
    expect(timed.sort()).toEqual([
      ['memory-fallback', 1],
      ['redis', 1],
    ]);
  });
});
