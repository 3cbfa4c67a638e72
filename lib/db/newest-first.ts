// Newest first, ties broken by id: the one order of every list (jobs, applications) and the order
// the job list's keyset cursor walks (the job list writes the same order in SQL: lib/jobs/list-jobs.ts).
// A function, so Prisma gets its own array.
export const newestFirst = () => [{ createdAt: 'desc' as const }, { id: 'desc' as const }];
