import v8 from 'node:v8';
import vm from 'node:vm';
import { describe, expect, it } from 'vitest';
import { approximateHeapBytes } from './heap-size';

v8.setFlagsFromString('--expose-gc');
const collectGarbage = vm.runInNewContext('gc') as () => void;

/** The heap `count` copies made by `make` really hold, each, after full collections. */
function measuredHeapBytes(make: () => unknown, count: number): number {
  collectGarbage();
  const before = process.memoryUsage().heapUsed;
  const kept = Array.from({ length: count }, make);
  collectGarbage();
  const bytes = (process.memoryUsage().heapUsed - before) / count;
  expect(kept).toHaveLength(count);
  return bytes;
}

/** A list page as the database driver leaves it: every string decoded from bytes (a copy of its own), dates as Dates. */
const listPage = (jobs: number, descriptionLength: number) => () => ({
  jobs: Array.from({ length: jobs }, (_, i) => ({
    id: Buffer.from(`0b6a3f52-1c2d-4e5f-8a9b-${String(i).padStart(12, '0')}`).toString(),
    title: Buffer.from(`Senior platform engineer ${i}`).toString(),
    description: Buffer.from('Keep the service up and the pages honest. '.repeat(Math.ceil(descriptionLength / 43)).slice(0, descriptionLength)).toString(),
    location: Buffer.from('Lisbon, Portugal').toString(),
    remote: true,
    employmentType: Buffer.from('full_time').toString(),
    salaryMin: 90_000,
    salaryMax: 120_000,
    currency: Buffer.from('EUR').toString(),
    tags: [Buffer.from('sre').toString(), Buffer.from('kubernetes').toString()],
    status: Buffer.from('open').toString(),
    createdAt: new Date(),
    updatedAt: new Date(),
    company: { id: Buffer.from('7c1e2d3f-4a5b-4c6d-8e7f-000000000001').toString(), name: Buffer.from('Acme Hosting').toString(), website: null },
  })),
  nextCursor: Buffer.from('eyJjcmVhdGVkQXQiOiIyMDI2LTEyLTA2VDA0OjAwOjAwLjAwMFoiLCJpZCI6IjBiNmEzZjUyIn0').toString(),
});

describe('approximateHeapBytes', () => {
  it('counts every string at two bytes a character, plus its header', () => {
    expect(approximateHeapBytes('')).toBe(16);
    expect(approximateHeapBytes('x'.repeat(10_000))).toBe(16 + 20_000);
    expect(approximateHeapBytes('é'.repeat(10))).toBe(approximateHeapBytes('e'.repeat(10)));
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

  it('counts more than a page really holds on the heap, and not more than 2.5× it (measured, for short and long jobs)', () => {
    for (const [make, copies] of [[listPage(20, 500), 1_000], [listPage(50, 10_000), 100]] as const) {
      const real = measuredHeapBytes(make, copies);
      const counted = approximateHeapBytes(make());
      expect(counted).toBeGreaterThan(real);
      expect(counted).toBeLessThan(2.5 * real);
    }
  });
});
