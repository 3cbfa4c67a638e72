// Keys of the last-known-good copies (lib/resilience/fallback-cache.ts), shared by the read paths
// in Next and the breaker-open fast path in our server (lib/api/breaker-fast-path.ts).
import type { ListJobsQuery } from './schemas';

/** A list query's key: its parameters in a fixed order. */
export const listCacheKey = (query: ListJobsQuery) =>
  `jobs:${JSON.stringify([query.q ?? '', query.location ?? '', query.remote ?? '', query.type ?? '', query.tag ?? '', query.cursor ?? '', query.limit])}`;

export const jobCacheKey = (id: string) => `job:${id}`;
