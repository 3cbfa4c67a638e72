// Last-known-good copies of reads (job list pages, job details): refreshed on every successful
// read, bounded (LRU) in entries and in heap bytes, served with `degraded: true` only when the
// database cannot answer. The byte bound is what keeps the process alive: bounded in entries
// alone, about 300 distinct reads of pages of long jobs filled the image's 256 MB heap and the server
// died of heap exhaustion (docs/performance.md, "The fallback cache in bytes").
import { LRUCache } from 'lru-cache';
import { getEnv } from '../env';
import { logger } from '../logger';
import { processSingleton } from '../process-singleton';
import { annotate } from '../telemetry/operation';
import { approximateHeapBytes } from './heap-size';
import { observeFallbackCache, recordFallback } from './metrics';
import { isDatabaseUnavailable } from './policy';

type Entry = { value: unknown; storedAt: number };
const cache = () =>
  processSingleton('fallbackCache', () => {
    const env = getEnv();
    // A copy larger than the whole budget is not kept (and drops the older copy under its key).
    // NOINLINE: the build's minifier otherwise inlined the size walk here as a function expression,
    // a new closure on every call, whose optimised code V8 dropped at every full GC and compiled
    // again ~every 1.3 s under load (docs/performance.md, item 29).
    const entries = new LRUCache<string, Entry>({ max: Math.max(1, env.FALLBACK_CACHE_ENTRIES), maxSize: env.FALLBACK_CACHE_MAX_MB * 1024 * 1024, sizeCalculation: (entry) => Math.max(1, /*#__NOINLINE__*/ approximateHeapBytes(entry.value)) });
    observeFallbackCache(() => ({ entries: entries.size, bytes: entries.calculatedSize }));
    return entries;
  });

export type MaybeDegraded<T> = { value: T; degraded: boolean };

/**
 * Runs the read; on success stores it under `key`. If the database is unavailable and a copy
 * exists, returns the copy marked degraded; otherwise rethrows (a fast 503 upstream).
 */
export async function withLastKnownGood<T>(operation: string, key: string, read: () => Promise<T>): Promise<MaybeDegraded<T>> {
  const entries = cache();
  try {
    const value = await read();
    if (getEnv().FALLBACK_CACHE_ENTRIES > 0) entries.set(key, { value, storedAt: Date.now() });
    return { value, degraded: false };
  } catch (error) {
    if (!isDatabaseUnavailable(error)) throw error;
    const copy = peekLastKnownGood<T>(key);
    if (!copy) throw error;
    noteFallbackServed(operation, copy, error.reason);
    return { value: copy.value, degraded: true };
  }
}

/** The copy under `key`, if any, without serving it (no log, no metric). */
export function peekLastKnownGood<T>(key: string): { value: T; storedAt: number } | undefined {
  return cache().get(key) as { value: T; storedAt: number } | undefined;
}

/** A copy is being served: counted, annotated on the current span and logged as a fallback. */
export function noteFallbackServed(operation: string, copy: { storedAt: number }, reason: string) {
  const ageS = Math.round((Date.now() - copy.storedAt) / 1000);
  recordFallback(operation);
  annotate({ 'app.fallback': 'last_known_good', 'app.fallback.age_s': ageS, 'app.fallback.reason': reason, 'app.outcome': 'degraded' });
  logger.warn({ event: 'fallback_served', operation, reason, age_s: ageS }, `${operation}: served the last-known-good copy`);
}
