import 'server-only';
import { type Actor, requireRole } from '../auth/actor';
import { prisma } from '../db/client';
import { ensureCompany } from '../companies/ensure-company';
import { jobSelect, type JobView, toJobView } from './job-view';
import { logger } from '../logger';
import { annotate, withOperation } from '../telemetry/operation';
import type { CreateJobInput } from './schemas';

export function createJob(actor: Actor, input: CreateJobInput): Promise<JobView> {
  return withOperation(
    'createJob',
    async () => {
      const employer = requireRole(actor, 'employer');
      const company = await ensureCompany(employer);
      const job = await prisma().job.create({
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
