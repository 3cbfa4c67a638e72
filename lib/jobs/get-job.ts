import 'server-only';
import { z } from 'zod';
import { type Actor } from '../auth/actor';
import { type Db, prisma } from '../db/client';
import { notFound } from '../errors';
import { withLastKnownGood } from '../resilience/fallback-cache';
import { annotate, withOperation } from '../telemetry/operation';
import { jobCacheKey } from './cache-keys';
import { jobSelect, type JobView, toJobView } from './job-view';

const jobId = z.uuid();

/** A job by id. Closed jobs are visible only to the employer who owns them. */
export type JobDetail = { job: JobView; degraded: boolean };

/** A job by id (the last-known-good copy, marked degraded, when the database is unavailable). */
export function getJob(id: string, actor: Actor = null): Promise<JobDetail> {
  return withOperation(
    'getJob',
    async () => {
      annotate({ 'app.job.id': id });
      if (!jobId.safeParse(id).success) throw notFound('Job');
      const { value: job, degraded } = await withLastKnownGood('getJob', jobCacheKey(id), () =>
        prisma().job.findUnique({ where: { id }, select: jobSelect }),
      );
      if (!job) throw notFound('Job');
      if (job.status !== 'open' && job.company.ownerId !== actor?.userId) throw notFound('Job');
      return { job: toJobView(job), degraded };
    },
    (detail) => (detail.degraded ? 'degraded' : 'ok'),
  );
}

/** The job with its owner, for authorization checks by the write paths. */
export async function findJobForUpdate(id: string, db: Db = prisma()) {
  if (!jobId.safeParse(id).success) return null;
  return db.job.findUnique({ where: { id }, select: { id: true, status: true, company: { select: { ownerId: true } } } });
}
