import 'server-only';
import { type Actor, requireRole } from '../auth/actor';
import { type Db, prisma } from '../db/client';
import { ensureCompany } from '../companies/ensure-company';
import { jobSelect, type JobView, toJobView } from './job-view';
import { logger } from '../logger';
import { annotate, withOperation } from '../telemetry/operation';
import type { CreateJobInput } from './schemas';

/** `db`: where to write (the Idempotency-Key's transaction, lib/idempotency/create-once.ts). */
export function createJob(actor: Actor, input: CreateJobInput, db: Db = prisma()): Promise<JobView> {
  return withOperation(
    'createJob',
    async () => {
      const employer = requireRole(actor, 'employer');
      const company = await ensureCompany(employer, undefined, db);
      const job = await db.job.create({
        data: { ...input, companyId: company.id, currency: input.currency ?? (input.salaryMin != null || input.salaryMax != null ? 'USD' : null) },
        select: jobSelect,
      });
      annotate({ 'app.job.id': job.id });
      logger.info({ event: 'job_created', job_id: job.id, company_id: company.id }, 'job created');
      return toJobView(job);
    },
    'created',
  );
}
