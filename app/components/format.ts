import type { EmploymentType } from '@/lib/jobs/employment-types';

// Keyed by the schema's list, so a new employment type cannot ship without its label.
const TYPE_LABELS: Record<EmploymentType, string> = { full_time: 'Full-time', part_time: 'Part-time', contract: 'Contract', internship: 'Internship' };

export const employmentTypeLabel = (type: string) => TYPE_LABELS[type as keyof typeof TYPE_LABELS] ?? type;

export function salaryLabel(job: { salaryMin: number | null; salaryMax: number | null; currency: string | null }): string | null {
  if (job.salaryMin == null && job.salaryMax == null) return null;
  const format = (value: number) =>
    new Intl.NumberFormat('en', { style: 'currency', currency: job.currency ?? 'USD', maximumFractionDigits: 0, notation: 'compact' }).format(value);
  if (job.salaryMin != null && job.salaryMax != null) return `${format(job.salaryMin)} – ${format(job.salaryMax)}`;
  return job.salaryMin != null ? `from ${format(job.salaryMin)}` : `up to ${format(job.salaryMax!)}`;
}

export function dateLabel(iso: string): string {
  return new Intl.DateTimeFormat('en', { dateStyle: 'medium' }).format(new Date(iso));
}
