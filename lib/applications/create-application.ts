import 'server-only';
import { type Actor, requireRole } from '../auth/actor';
import { type Db, prisma } from '../db/client';
import { isUniqueViolation } from '../db/errors';
import { DomainError, notFound } from '../errors';
import { logger } from '../logger';
import { annotate, withOperation } from '../telemetry/operation';
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
/** `db`: where to write (the Idempotency-Key's transaction, lib/idempotency/create-once.ts). */
export function createApplication(actor: Actor, jobId: string, input: ApplyInput, db: Db = prisma()): Promise<ApplicationView> {
  return withOperation('createApplication', () => insertApplication(actor, jobId, input, db), 'created');
}

async function insertApplication(actor: Actor, jobId: string, input: ApplyInput, db: Db): Promise<ApplicationView> {
  annotate({ 'app.job.id': jobId });
  const candidate = requireRole(actor, 'candidate');
  const job = await findJobForUpdate(jobId, db);
  if (!job || job.status !== 'open') throw notFound('Job');
  try {
    const application = await db.application.create({
      data: { jobId, candidateId: candidate.userId, coverLetter: input.coverLetter, resumeUrl: input.resumeUrl ?? null },
    });
    annotate({ 'app.application.id': application.id });
    logger.info({ event: 'application_created', application_id: application.id, job_id: jobId }, 'application created');
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
