// The public shape of a job in API responses and pages.
import type { Prisma } from '../db/generated/client';

export const jobSelect = {
  id: true,
  title: true,
  description: true,
  location: true,
  remote: true,
  employmentType: true,
  salaryMin: true,
  salaryMax: true,
  currency: true,
  tags: true,
  status: true,
  createdAt: true,
  updatedAt: true,
  company: { select: { id: true, name: true, website: true, ownerId: true } },
} satisfies Prisma.JobSelect;

export type JobRow = Prisma.JobGetPayload<{ select: typeof jobSelect }>;

export type JobView = Omit<JobRow, 'company' | 'createdAt' | 'updatedAt'> & {
  createdAt: string;
  updatedAt: string;
  company: { id: string; name: string; website: string | null };
};

export function toJobView(job: JobRow): JobView {
  const { company, createdAt, updatedAt, ...rest } = job;
  return {
    ...rest,
    createdAt: createdAt.toISOString(),
    updatedAt: updatedAt.toISOString(),
    company: { id: company.id, name: company.name, website: company.website },
  };
}
