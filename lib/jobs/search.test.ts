import { describe, expect, it } from 'vitest';
import { buildJobFilter, searchTerms } from './search';

describe('searchTerms', () => {
  it('splits on whitespace, lower-cases, de-duplicates and caps the number of terms', () => {
    expect(searchTerms('  Senior  senior BACKEND ')).toEqual(['senior', 'backend']);
    expect(searchTerms('a b c d e f g h')).toHaveLength(6);
    expect(searchTerms(undefined)).toEqual([]);
  });
});

describe('buildJobFilter', () => {
  it('only ever lists open jobs', () => {
    expect(buildJobFilter({})).toEqual({ AND: [{ status: 'open' }] });
  });

  it('requires every search term to match title, description, company or a tag', () => {
    const filter = buildJobFilter({ q: 'react berlin' });
    const terms = (filter.AND as object[]).slice(1);
    expect(terms).toHaveLength(2);
    expect(terms[0]).toEqual({
      OR: [
        { title: { contains: 'react', mode: 'insensitive' } },
        { description: { contains: 'react', mode: 'insensitive' } },
        { company: { name: { contains: 'react', mode: 'insensitive' } } },
        { tags: { has: 'react' } },
      ],
    });
  });

  it('adds each filter that is present, and none that is absent', () => {
    const filter = buildJobFilter({ location: 'Berlin', remote: false, type: 'contract', tag: 'Go' });
    expect(filter.AND).toEqual([
      { status: 'open' },
      { location: { contains: 'Berlin', mode: 'insensitive' } },
      { remote: false },
      { employmentType: 'contract' },
      { tags: { has: 'go' } },
    ]);
  });

  it('continues strictly after the cursor in (createdAt desc, id desc) order', () => {
    const createdAt = new Date('2026-01-01T00:00:00Z');
    const filter = buildJobFilter({}, { createdAt, id: 'b' });
    expect((filter.AND as object[]).at(-1)).toEqual({
      OR: [{ createdAt: { lt: createdAt } }, { createdAt, id: { lt: 'b' } }],
    });
  });
});
