// Builds the Prisma filter for the public job list from validated query parameters.
import type { Prisma } from '../db/generated/client';
import type { JobCursor } from './cursor';
import type { ListJobsQuery } from './schemas';

const MAX_TERMS = 6;

export function searchTerms(q: string | undefined): string[] {
  if (!q) return [];
  return [...new Set(q.toLowerCase().split(/\s+/).filter(Boolean))].slice(0, MAX_TERMS);
}

/** Every term must match somewhere: title, company name, description or a tag. */
export function buildJobFilter(query: Omit<ListJobsQuery, 'limit' | 'cursor'>, cursor?: JobCursor): Prisma.JobWhereInput {
  const and: Prisma.JobWhereInput[] = [{ status: 'open' }];
  for (const term of searchTerms(query.q)) {
    and.push({
      OR: [
        { title: { contains: term, mode: 'insensitive' } },
        { description: { contains: term, mode: 'insensitive' } },
        { company: { name: { contains: term, mode: 'insensitive' } } },
        { tags: { has: term } },
      ],
    });
  }
  if (query.location) and.push({ location: { contains: query.location, mode: 'insensitive' } });
  if (query.remote !== undefined) and.push({ remote: query.remote });
  if (query.type) and.push({ employmentType: query.type });
  if (query.tag) and.push({ tags: { has: query.tag.toLowerCase() } });
  if (cursor) {
    and.push({
      OR: [{ createdAt: { lt: cursor.createdAt } }, { createdAt: cursor.createdAt, id: { lt: cursor.id } }],
    });
  }
  return { AND: and };
}

