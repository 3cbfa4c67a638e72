import 'server-only';
import { type Actor, requireRole } from '../auth/actor';
import { prisma } from '../db/client';
import { isUniqueViolation } from '../db/errors';
import { DomainError, notFound } from '../errors';
import type { ApplyInput } from './schemas';
import { findJobForUpdate } from '../jobs/get-job';

export type ApplicationView = {
  id: string;
  jobId: string;
  status: string;
  coverLetter: string;
  resumeUrl: string | null;
  createdAt: string;
};

/** A candidate applies to an open job once; the database's unique key decides duplicates. */
export async function createApplication(actor: Actor, jobId: string, input: ApplyInput): Promise<ApplicationView> {
  const candidate = requireRole(actor, 'candidate');
  const job = await findJobForUpdate(jobId);
  if (!job || job.status !== 'open') throw notFound('Job');
  try {
    const application = await prisma().application.create({
      data: { jobId, candidateId: candidate.userId, coverLetter: input.coverLetter, resumeUrl: input.resumeUrl ?? null },
    });
    return {
      id: application.id,
      jobId: application.jobId,
      status: application.status,
      coverLetter: application.coverLetter,
      resumeUrl: application.resumeUrl,
      createdAt: application.createdAt.toISOString(),
    };
  } catch (error) {
    if (isUniqueViolation(error)) {
      throw new DomainError('conflict', 'You have already applied to this job.');
    }
    throw error;
  }
}
