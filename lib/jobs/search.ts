// Builds the SQL condition of the public job list from validated query parameters. The list is
// one query (jobs joined to their companies), written in SQL rather than through Prisma's model
// API: the model API took two round trips and its result mapping was most of what a list read cost
// beyond Next itself (docs/performance.md). `j` is the job, `c` its company.
import { Prisma } from '../db/generated/client';
import type { JobCursor } from './cursor';
import type { ListJobsQuery } from './schemas';

const MAX_TERMS = 6;

export function searchTerms(q: string | undefined): string[] {
  if (!q) return [];
  return [...new Set(q.toLowerCase().split(/\s+/).filter(Boolean))].slice(0, MAX_TERMS);
}

/** An ILIKE pattern matching `text` anywhere, literally: `%`, `_` and `\` in it match themselves. */
export function containsPattern(text: string): string {
  return `%${text.replace(/[\\%_]/g, (character) => `\\${character}`)}%`;
}

/** Prisma writes DateTime columns (timestamp(3) without time zone) as UTC wall time: compare in the same terms. */
const utcTimestamp = (date: Date) => Prisma.sql`${date.toISOString().slice(0, -1)}::timestamp(3)`;

/**
 * Open jobs only; every search term must match the title, the description, the company's name or a
 * tag; each other filter that is present narrows further; the cursor continues strictly after
 * the last job of the previous page in (createdAt desc, id desc) order.
 */
export function jobFilterSql(query: Omit<ListJobsQuery, 'limit' | 'cursor'>, cursor?: JobCursor): Prisma.Sql {
  const conditions: Prisma.Sql[] = [Prisma.sql`j.status = 'open'`];
  for (const term of searchTerms(query.q)) {
    const pattern = containsPattern(term);
    conditions.push(Prisma.sql`(j.title ILIKE ${pattern} OR j.description ILIKE ${pattern} OR c.name ILIKE ${pattern} OR j.tags @> ARRAY[${term}]::text[])`);
  }
  if (query.location) conditions.push(Prisma.sql`j.location ILIKE ${containsPattern(query.location)}`);
  if (query.remote !== undefined) conditions.push(Prisma.sql`j.remote = ${query.remote}`);
  if (query.type) conditions.push(Prisma.sql`j."employmentType" = ${query.type}::"EmploymentType"`);
  if (query.tag) conditions.push(Prisma.sql`j.tags @> ARRAY[${query.tag.toLowerCase()}]::text[]`);
  if (cursor) {
    const createdAt = utcTimestamp(cursor.createdAt);
    conditions.push(Prisma.sql`(j."createdAt" < ${createdAt} OR (j."createdAt" = ${createdAt} AND j.id < ${cursor.id}::uuid))`);
  }
  return Prisma.join(conditions, ' AND ');
}
