import { describe, expect, it } from 'vitest';
import { isSteady, warmUpRequests } from './warm-up';

describe('warm-up steadiness', () => {
  it('needs two windows of five rounds before judging', () => {
    expect(isSteady([100, 100, 100, 100, 100, 100, 100, 100, 100])).toBe(false);
    expect(isSteady([100, 100, 100, 100, 100, 100, 100, 100, 100, 100])).toBe(true);
  });

  it('keeps warming while the last five rounds are more than 10 % faster than the five before, by their medians', () => {
    const improving = [800, 300, 250, 240, 230, 200, 190, 185, 180, 170];
    expect(isSteady(improving)).toBe(false); // median 185 vs 240: 23 % faster
    expect(isSteady([...improving, 180, 175, 170, 172, 168])).toBe(true); // 172 vs 185: 7 % faster
  });

  it('is not fooled by one slow or one fast round (medians)', () => {
    expect(isSteady([200, 200, 200, 200, 200, 200, 200, 20, 200, 200])).toBe(true);
    expect(isSteady([200, 200, 900, 200, 200, 150, 150, 150, 150, 150])).toBe(false);
  });
});

describe('warm-up requests', () => {
  it('visits the routes the table marks for warm-up, with the job id filled in, and the main pages', () => {
    const id = '0190a1b2-c3d4-7e5f-8a6b-7c8d9e0f1a2b';
    expect(warmUpRequests(id)).toEqual([
      ['GET', '/api/jobs?limit=1', undefined],
      ['GET', '/api/jobs?limit=20&q=engineer', undefined],
      ['POST', '/api/jobs', '{}'],
      ['GET', `/api/jobs/${id}`, undefined],
      ['POST', `/api/jobs/${id}/applications`, '{}'],
      ['GET', '/api/me/applications', undefined],
      ['POST', '/api/auth/sign-in/email', '{}'],
      ['POST', '/api/auth/sign-up/email', '{}'],
      ['GET', '/'],
      ['GET', `/jobs/${id}`],
    ]);
  });
});
