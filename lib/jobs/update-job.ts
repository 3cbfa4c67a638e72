import 'server-only';
import { type Actor, requireJobOwner, requireRole } from '../auth/actor';
import { prisma } from '../db/client';
import { newestFirst } from '../db/newest-first';
import { notFound } from '../errors';
import { findJobForUpdate } from './get-job';
import { jobSelect, type JobView, toJobView } from './job-view';
import type { UpdateJobInput } from './schemas';

/** Edits or closes (status: "closed") a job of the caller's own company. */
export async function updateJob(actor: Actor, id: string, input: UpdateJobInput): Promise<JobView> {
  requireRole(actor, 'employer');
  const existing = await findJobForUpdate(id);
  if (!existing) throw notFound('Job');
  requireJobOwner(actor, existing);
  const closing = input.status === 'closed' && existing.status !== 'closed';
  const reopening = input.status === 'open' && existing.status === 'closed';
  const job = await prisma().job.update({
    where: { id },
    data: { ...input, ...(closing ? { closedAt: new Date() } : {}), ...(reopening ? { closedAt: null } : {}) },
    select: jobSelect,
  });
  return toJobView(job);
}

/** The caller's own jobs (all statuses), newest first, for the employer dashboard. */
export async function listCompanyJobs(actor: Actor): Promise<(JobView & { applicationCount: number })[]> {
  const employer = requireRole(actor, 'employer');
  const jobs = await prisma().job.findMany({
    where: { company: { ownerId: employer.userId } },
    orderBy: newestFirst(),
    select: { ...jobSelect, _count: { select: { applications: true } } },
    take: 200,
  });
  return jobs.map(({ _count, ...job }) => ({ ...toJobView(job), applicationCount: _count.applications }));
}
