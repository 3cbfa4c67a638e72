import 'server-only';
import { prisma } from '../db/client';
import { listCacheKey } from './cache-keys';
import { decodeCursor, encodeCursor } from './cursor';
import { jobSelect, type JobView, toJobView } from './job-view';
import type { ListJobsQuery } from './schemas';
import { withLastKnownGood } from '../resilience/fallback-cache';
import { annotate, withOperation } from '../telemetry/operation';
import { newestFirst } from '../db/newest-first';
import { buildJobFilter } from './search';

export type JobPage = { jobs: JobView[]; nextCursor: string | null; degraded?: true };

/**
 * Open jobs matching the query, newest first, one page at a time (keyset pagination). When the
 * database is unavailable, the last page successfully read for the same query, marked degraded.
 */
export function listOpenJobs(query: ListJobsQuery): Promise<JobPage> {
  return withOperation(
    'listJobs',
    async () => {
      const { value: page, degraded } = await withLastKnownGood('listJobs', listCacheKey(query), () => queryOpenJobs(query));
      annotate({ 'app.jobs.returned': page.jobs.length, 'app.jobs.has_more': page.nextCursor !== null });
      return degraded ? { ...page, degraded: true } : page;
    },
    (page) => (page.degraded ? 'degraded' : 'ok'),
  );
}

async function queryOpenJobs(query: ListJobsQuery): Promise<JobPage> {
  const cursor = query.cursor ? decodeCursor(query.cursor) : undefined;
  const rows = await prisma().job.findMany({
    where: buildJobFilter(query, cursor),
    orderBy: newestFirst(),
    take: query.limit + 1,
    select: jobSelect,
  });
  const page = rows.slice(0, query.limit);
  const last = page.at(-1);
  return {
    jobs: page.map(toJobView),
    nextCursor: rows.length > query.limit && last ? encodeCursor(last) : null,
  };
}
