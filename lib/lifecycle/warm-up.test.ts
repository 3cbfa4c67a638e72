import { describe, expect, it } from 'vitest';
import { isSteady } from './warm-up';

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
