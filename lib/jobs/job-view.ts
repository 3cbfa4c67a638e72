// The public shape of a job in API responses and pages.
import { Prisma } from '../db/generated/client';

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

/**
 * The same shape for the job list's one query (lib/jobs/list-jobs.ts), flat: the job as `j`, its
 * company joined as `c`. Enums are read as text, as Prisma reads them; the two timestamps are
 * formatted by Postgres exactly as toISOString() would (UTC wall time, as Prisma stores DateTime),
 * so a list of 20 jobs builds no Date objects only to print them.
 */
export const JOB_LIST_COLUMNS = Prisma.sql`j.id, j.title, j.description, j.location, j.remote, j."employmentType"::text AS "employmentType",
  j."salaryMin", j."salaryMax", j.currency, j.tags, j.status::text AS status,
  to_char(j."createdAt", 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS "createdAt", to_char(j."updatedAt", 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS "updatedAt",
  c.id AS "companyId", c.name AS "companyName", c.website AS "companyWebsite"`;

export type JobListRow = Omit<JobRow, 'company' | 'createdAt' | 'updatedAt'> & {
  createdAt: string;
  updatedAt: string;
  companyId: string;
  companyName: string;
  companyWebsite: string | null;
};

export function listRowToJobView(row: JobListRow): JobView {
  const { companyId, companyName, companyWebsite, ...job } = row;
  return { ...job, company: { id: companyId, name: companyName, website: companyWebsite } };
}
