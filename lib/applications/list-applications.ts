import 'server-only';
import { type Actor, requireJobOwner, requireRole } from '../auth/actor';
import { prisma } from '../db/client';
import { newestFirst } from '../db/newest-first';
import { notFound } from '../errors';
import { findJobForUpdate } from '../jobs/get-job';

type ApplicationRow = { id: string; status: string; coverLetter: string; resumeUrl: string | null; createdAt: Date };

/** The fields every application view shares. */
function applicationFields(row: ApplicationRow) {
  return { id: row.id, status: row.status, coverLetter: row.coverLetter, resumeUrl: row.resumeUrl, createdAt: row.createdAt.toISOString() };
}

/** The caller's own applications, newest first, with the job they are for. */
export async function listMyApplications(actor: Actor) {
  const candidate = requireRole(actor, 'candidate');
  const rows = await prisma().application.findMany({
    where: { candidateId: candidate.userId },
    orderBy: newestFirst(),
    take: 500,
    include: { job: { select: { id: true, title: true, status: true, location: true, company: { select: { name: true } } } } },
  });
  return rows.map((row) => ({
    ...applicationFields(row),
    job: { id: row.job.id, title: row.job.title, status: row.job.status, location: row.job.location, companyName: row.job.company.name },
  }));
}

/** Applicants of one job, only for the employer who owns it. */
export async function listJobApplications(actor: Actor, jobId: string) {
  requireRole(actor, 'employer');
  const job = await findJobForUpdate(jobId);
  if (!job) throw notFound('Job');
  requireJobOwner(actor, job);
  const rows = await prisma().application.findMany({
    where: { jobId },
    orderBy: newestFirst(),
    take: 1000,
    include: { candidate: { select: { id: true, name: true, email: true } } },
  });
  return rows.map((row) => ({
    ...applicationFields(row),
    candidate: row.candidate,
  }));
}
