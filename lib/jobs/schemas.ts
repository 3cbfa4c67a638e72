// Input and output shapes of the jobs API; the same schemas validate the UI's forms.
import { z } from 'zod';
import { EMPLOYMENT_TYPES } from './employment-types';

export const employmentTypeSchema = z.enum(EMPLOYMENT_TYPES);

const tag = z
  .string()
  .trim()
  .min(1)
  .max(30)
  .regex(/^[\p{L}\p{N}][\p{L}\p{N} .+#-]*$/u, 'letters, digits, spaces and . + # - only')
  .transform((value) => value.toLowerCase());

const jobFields = {
  title: z.string().trim().min(3).max(120),
  description: z.string().trim().min(20).max(10_000),
  location: z.string().trim().min(2).max(120),
  remote: z.boolean(),
  employmentType: employmentTypeSchema,
  salaryMin: z.number().int().min(0).max(10_000_000).nullable().optional(),
  salaryMax: z.number().int().min(0).max(10_000_000).nullable().optional(),
  currency: z
    .string()
    .regex(/^[A-Z]{3}$/, 'an ISO 4217 code such as USD or EUR')
    .nullable()
    .optional(),
  tags: z.array(tag).max(10).default([]),
};

function salaryRangeIsOrdered(job: { salaryMin?: number | null; salaryMax?: number | null }) {
  return job.salaryMin == null || job.salaryMax == null || job.salaryMin <= job.salaryMax;
}
const salaryRangeIssue = { message: 'must be at least salaryMin', path: ['salaryMax'] };

export const createJobSchema = z.strictObject(jobFields).refine(salaryRangeIsOrdered, salaryRangeIssue);
export type CreateJobInput = z.infer<typeof createJobSchema>;

export const updateJobSchema = z
  .strictObject({
    title: jobFields.title.optional(),
    description: jobFields.description.optional(),
    location: jobFields.location.optional(),
    remote: jobFields.remote.optional(),
    employmentType: jobFields.employmentType.optional(),
    salaryMin: jobFields.salaryMin,
    salaryMax: jobFields.salaryMax,
    currency: jobFields.currency,
    tags: z.array(tag).max(10).optional(),
    status: z.enum(['open', 'closed']).optional(),
  })
  .refine((input) => Object.keys(input).length > 0, { message: 'send at least one field to change' })
  .refine(salaryRangeIsOrdered, salaryRangeIssue);
export type UpdateJobInput = z.infer<typeof updateJobSchema>;

/** A search parameter Postgres can compare: no NUL (it refuses them), no lone surrogates. The page reads these too. */
const searchText = (max: number) =>
  z
    .string()
    .trim()
    .max(max)
    .refine((value) => !value.includes('\u0000') && value.isWellFormed(), 'must be plain text (no NUL characters)');

const booleanParam = z.enum(['true', 'false']).transform((value) => value === 'true');

/** GET /api/jobs query string; empty parameters count as absent. */
export const listJobsQuerySchema = z.strictObject({
  q: searchText(200).optional(),
  location: searchText(120).optional(),
  remote: booleanParam.optional(),
  type: employmentTypeSchema.optional(),
  tag: searchText(30).optional(),
  cursor: searchText(200).optional(),
  limit: z.coerce.number().int().min(1).max(50).default(20),
});
export type ListJobsQuery = z.infer<typeof listJobsQuerySchema>;

export function searchParamsToObject(params: URLSearchParams): Record<string, string> {
  const result: Record<string, string> = {};
  for (const [key, value] of params) if (value !== '') result[key] = value;
  return result;
}
