import { describe, expect, it } from 'vitest';
import { approximateHeapBytes } from './heap-size';

describe('approximateHeapBytes', () => {
  it('counts every string at two bytes a character, plus its header', () => {
    expect(approximateHeapBytes('')).toBe(16);
    expect(approximateHeapBytes('x'.repeat(10_000))).toBe(16 + 20_000);
    expect(approximateHeapBytes('é'.repeat(10)) ).toBe(approximateHeapBytes('e'.repeat(10)));
  });

  it('adds up objects and arrays through every level', () => {
    const job = { id: 'a'.repeat(36), description: 'd'.repeat(5_000), salaryMin: 90_000, remote: true, tags: ['sre', 'go'], createdAt: new Date(), closedAt: null };
    const strings = 16 + 72 + 16 + 10_000 + (16 + 6) + (16 + 4);
    const bytes = approximateHeapBytes(job);
    expect(bytes).toBeGreaterThan(strings);
    expect(bytes).toBeLessThan(strings + 400);
    const page = { jobs: Array.from({ length: 20 }, () => ({ ...job })), nextCursor: null };
    expect(approximateHeapBytes(page)).toBeGreaterThan(20 * bytes);
    expect(approximateHeapBytes(page)).toBeLessThan(20 * bytes + 500);
  });

  it('grows with the content, not with the number of entries: a page of long jobs is ~50× a page of short ones', () => {
    const page = (descriptionLength: number) => ({ jobs: Array.from({ length: 20 }, (_, i) => ({ id: String(i), description: 'x'.repeat(descriptionLength) })), nextCursor: null });
    const ratio = approximateHeapBytes(page(10_000)) / approximateHeapBytes(page(200));
    expect(ratio).toBeGreaterThan(40);
  });

  it('counts constants as nothing and numbers as boxed doubles', () => {
    expect(approximateHeapBytes(null)).toBe(0);
    expect(approximateHeapBytes(undefined)).toBe(0);
    expect(approximateHeapBytes(true)).toBe(0);
    expect(approximateHeapBytes(1.5)).toBe(16);
  });
});
