import 'server-only';
import { prisma } from '../db/client';
import { listCacheKey } from './cache-keys';
import { decodeCursor, encodeCursor } from './cursor';
import { JOB_LIST_COLUMNS, type JobListRow, type JobView, listRowToJobView } from './job-view';
import type { ListJobsQuery } from './schemas';
import { withLastKnownGood } from '../resilience/fallback-cache';
import { annotate, withOperation } from '../telemetry/operation';
import { jobFilterSql } from './search';

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
  // One round trip, jobs joined to their companies, in the order of lib/db/newest-first.ts and of
  // the keyset cursor (job_status_createdAt_id_idx): one row more than the page says whether there is more.
  const rows = await prisma().$queryRaw<JobListRow[]>`
    SELECT ${JOB_LIST_COLUMNS}
    FROM job j JOIN company c ON c.id = j."companyId"
    WHERE ${jobFilterSql(query, cursor)}
    ORDER BY j."createdAt" DESC, j.id DESC
    LIMIT ${query.limit + 1}`;
  const page = rows.slice(0, query.limit);
  const last = page.at(-1);
  return {
    jobs: page.map(listRowToJobView),
    nextCursor: rows.length > query.limit && last ? encodeCursor({ createdAt: new Date(last.createdAt), id: last.id }) : null,
  };
}
