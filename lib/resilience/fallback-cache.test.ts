// The last-known-good cache is bounded in heap bytes as well as in entries: a cache of 1,000 pages
// of long jobs would hold more than the image's whole heap (docs/performance.md).
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';

process.env.DATA_DIR = mkdtempSync(path.join(tmpdir(), 'fallback-cache-'));
process.env.LOG_LEVEL = 'silent';
process.env.FALLBACK_CACHE_ENTRIES = '1000';
process.env.FALLBACK_CACHE_MAX_MB = '1';

const { withLastKnownGood, peekLastKnownGood } = await import('./fallback-cache');
const { DatabaseUnavailableError } = await import('./policy');
const { approximateHeapBytes } = await import('./heap-size');
const { resetProcessSingletons, peekProcessSingleton } = await import('../process-singleton');

const MiB = 1024 * 1024;
// About 100 KB counted: twenty jobs of 2,500 characters.
const page = (n: number) => ({ jobs: Array.from({ length: 20 }, (_, i) => ({ id: `${n}-${i}`, description: 'x'.repeat(2_500) })), nextCursor: null });
const down = () => Promise.reject(new DatabaseUnavailableError('unreachable', 5));
// What the cache reports to its gauges (metrics.ts): entries, and bytes as the bound counts them.
const cacheSize = () => peekProcessSingleton<() => { entries: number; bytes: number }>('fallbackCacheSizeReader')!();

beforeEach(() => resetProcessSingletons());

describe('the last-known-good cache', () => {
  it('serves the last good copy, marked degraded, when the database is unavailable', async () => {
    await withLastKnownGood('listJobs', 'k', async () => page(1));
    const answer = await withLastKnownGood('listJobs', 'k', down);
    expect(answer).toEqual({ value: page(1), degraded: true });
  });

  it('holds no more than FALLBACK_CACHE_MAX_MB, evicting the least recently stored, far below its entry bound', async () => {
    const perPage = approximateHeapBytes(page(0));
    expect(perPage).toBeGreaterThan(90_000);
    for (let n = 0; n < 100; n++) await withLastKnownGood('listJobs', `page-${n}`, async () => page(n));
    const held = cacheSize();
    expect(held.bytes).toBeLessThanOrEqual(1 * MiB);
    expect(held.entries).toBe(Math.floor(MiB / perPage));
    expect(peekLastKnownGood('page-99')).toBeDefined();
    expect(peekLastKnownGood('page-0')).toBeUndefined();
    await expect(withLastKnownGood('listJobs', 'page-0', down)).rejects.toThrow('database unavailable');
  });

  it('keeps no copy larger than the whole budget, and drops the older copy under its key', async () => {
    await withLastKnownGood('listJobs', 'big', async () => page(1));
    expect(peekLastKnownGood('big')).toBeDefined();
    const huge = { jobs: [{ description: 'x'.repeat(MiB) }], nextCursor: null };
    const answer = await withLastKnownGood('listJobs', 'big', async () => huge);
    expect(answer).toEqual({ value: huge, degraded: false });
    expect(peekLastKnownGood('big')).toBeUndefined();
  });

  it('rethrows other errors without touching the copies', async () => {
    await withLastKnownGood('listJobs', 'k', async () => page(1));
    await expect(withLastKnownGood('listJobs', 'k', () => Promise.reject(new Error('bug')))).rejects.toThrow('bug');
    expect(peekLastKnownGood('k')?.value).toEqual(page(1));
  });
});
