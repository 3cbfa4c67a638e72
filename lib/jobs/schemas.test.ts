import { describe, expect, it } from 'vitest';
import { createJobSchema, listJobsQuerySchema, searchParamsToObject, updateJobSchema } from './schemas';

const valid = {
  title: 'Backend Engineer',
  description: 'Build and run the services behind our product.',
  location: 'Berlin',
  remote: true,
  employmentType: 'full_time',
};

describe('createJobSchema', () => {
  it('accepts a complete job and normalises tags to lower case', () => {
    const parsed = createJobSchema.parse({ ...valid, salaryMin: 1, salaryMax: 2, currency: 'EUR', tags: [' Node ', 'C++'] });
    expect(parsed.tags).toEqual(['node', 'c++']);
  });

  it('defaults tags to an empty list', () => {
    expect(createJobSchema.parse(valid).tags).toEqual([]);
  });

  it.each([
    ['title too short', { title: 'ab' }, 'title'],
    ['unknown employment type', { employmentType: 'gig' }, 'employmentType'],
    ['remote as a string', { remote: 'yes' }, 'remote'],
    ['lower-case currency', { currency: 'eur' }, 'currency'],
    ['fractional salary', { salaryMin: 10.5 }, 'salaryMin'],
    ['salary range reversed', { salaryMin: 10, salaryMax: 5 }, 'salaryMax'],
    ['too many tags', { tags: Array.from({ length: 11 }, (_, i) => `t${i}`) }, 'tags'],
    ['unknown field', { bonus: true }, ''],
  ])('rejects %s', (_label, change, path) => {
    const result = createJobSchema.safeParse({ ...valid, ...change });
    expect(result.success).toBe(false);
    if (path) expect(result.error!.issues.map((issue) => issue.path.join('.'))).toContain(path);
  });
});

describe('updateJobSchema', () => {
  it('accepts a partial change such as closing the job', () => {
    expect(updateJobSchema.parse({ status: 'closed' })).toEqual({ status: 'closed' });
  });
  it('rejects an empty change and an unknown status', () => {
    expect(updateJobSchema.safeParse({}).success).toBe(false);
    expect(updateJobSchema.safeParse({ status: 'archived' }).success).toBe(false);
  });
});

describe('listJobsQuerySchema', () => {
  it('treats empty parameters as absent and defaults the limit to 20', () => {
    const query = listJobsQuerySchema.parse(searchParamsToObject(new URLSearchParams('q=&remote=true&limit=')));
    expect(query).toEqual({ remote: true, limit: 20 });
  });
  it.each(['limit=0', 'limit=51', 'limit=abc', 'remote=yes', 'type=gig', 'unknown=1'])('rejects %s', (qs) => {
    expect(listJobsQuerySchema.safeParse(searchParamsToObject(new URLSearchParams(qs))).success).toBe(false);
  });
});
