import 'server-only';
import { type Actor, requireRole } from '../auth/actor';
import { prisma } from '../db/client';
import { ensureCompany } from '../companies/ensure-company';
import { jobSelect, type JobView, toJobView } from './job-view';
import type { CreateJobInput } from './schemas';

export async function createJob(actor: Actor, input: CreateJobInput): Promise<JobView> {
  const employer = requireRole(actor, 'employer');
  const company = await ensureCompany(employer);
  const job = await prisma().job.create({
    data: { ...input, companyId: company.id, currency: input.currency ?? (input.salaryMin != null || input.salaryMax != null ? 'USD' : null) },
    select: jobSelect,
  });
  return toJobView(job);
}
