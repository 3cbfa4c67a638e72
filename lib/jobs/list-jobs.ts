import 'server-only';
import { prisma } from '../db/client';
import { decodeCursor, encodeCursor } from './cursor';
import { jobSelect, type JobView, toJobView } from './job-view';
import type { ListJobsQuery } from './schemas';
import { annotate, withOperation } from '../telemetry/operation';
import { buildJobFilter, JOB_LIST_ORDER } from './search';

export type JobPage = { jobs: JobView[]; nextCursor: string | null };

/** Open jobs matching the query, newest first, one page at a time (keyset pagination). */
export function listOpenJobs(query: ListJobsQuery): Promise<JobPage> {
  return withOperation('listJobs', async () => {
    const page = await queryOpenJobs(query);
    annotate({ 'app.jobs.returned': page.jobs.length, 'app.jobs.has_more': page.nextCursor !== null });
    return page;
  });
}

async function queryOpenJobs(query: ListJobsQuery): Promise<JobPage> {
  const cursor = query.cursor ? decodeCursor(query.cursor) : undefined;
  const rows = await prisma().job.findMany({
    where: buildJobFilter(query, cursor),
    orderBy: JOB_LIST_ORDER,
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
