import { describe, expect, it } from 'vitest';
import { loadPolicies, parsePolicy } from './rate-limit-policies';

describe('rate-limit policies', () => {
  it('has the documented defaults', () => {
    const policies = loadPolicies({});
    expect(Object.keys(policies)).toEqual(['apply', 'sign-in', 'sign-up', 'post-job', 'api']);
    expect(policies.apply).toMatchObject({ limit: 10, windowMs: 3_600_000, window: '1 h' });
    expect(policies['sign-in']).toMatchObject({ limit: 5, windowMs: 900_000 });
    expect(policies['sign-up']).toMatchObject({ limit: 10, windowMs: 3_600_000 });
    expect(policies['post-job']).toMatchObject({ limit: 20, windowMs: 86_400_000 });
    expect(policies.api).toMatchObject({ limit: 300, windowMs: 60_000 });
  });

  it('reads RATE_LIMIT_<POLICY> and explains a bad value', () => {
    expect(loadPolicies({ RATE_LIMIT_SIGN_IN: '3/10m' })['sign-in']).toMatchObject({ limit: 3, windowMs: 600_000, window: '10 m' });
    expect(() => parsePolicy('apply', 'ten per hour')).toThrowError(/RATE_LIMIT_APPLY: expected N\/<number><s\|m\|h\|d>/);
    expect(() => parsePolicy('apply', '0/1h')).toThrowError(/positive/);
  });
});
