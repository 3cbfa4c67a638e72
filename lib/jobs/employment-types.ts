// The kinds of employment a job can offer. Its own module, free of zod, so the employer's job form
// can list them without shipping zod to the browser (zod's eval probe trips the page's CSP).
export const EMPLOYMENT_TYPES = ['full_time', 'part_time', 'contract', 'internship'] as const;
export type EmploymentType = (typeof EMPLOYMENT_TYPES)[number];
