import { describe, expect, it } from 'vitest';
import { containsPattern, jobFilterSql, searchTerms } from './search';

describe('searchTerms', () => {
  it('splits on whitespace, lower-cases, de-duplicates and caps the number of terms', () => {
    expect(searchTerms('  Senior  senior BACKEND ')).toEqual(['senior', 'backend']);
    expect(searchTerms('a b c d e f g h')).toHaveLength(6);
    expect(searchTerms(undefined)).toEqual([]);
  });
});

describe('containsPattern', () => {
  it('matches the text anywhere, with LIKE wildcards and the escape character taken literally', () => {
    expect(containsPattern('react')).toBe('%react%');
    expect(containsPattern('100%_off\\')).toBe('%100\\%\\_off\\\\%');
  });
});

describe('jobFilterSql', () => {
  it('only ever lists open jobs', () => {
    const filter = jobFilterSql({});
    expect(filter.text).toBe("j.status = 'open'");
    expect(filter.values).toEqual([]);
  });

  it('requires every search term to match title, description, company or a tag, as parameters', () => {
    const filter = jobFilterSql({ q: 'React berlin' });
    expect(filter.text).toBe(
      "j.status = 'open' AND " +
        '(j.title ILIKE $1 OR j.description ILIKE $2 OR c.name ILIKE $3 OR j.tags @> ARRAY[$4]::text[]) AND ' +
        '(j.title ILIKE $5 OR j.description ILIKE $6 OR c.name ILIKE $7 OR j.tags @> ARRAY[$8]::text[])',
    );
    expect(filter.values).toEqual(['%react%', '%react%', '%react%', 'react', '%berlin%', '%berlin%', '%berlin%', 'berlin']);
  });

  it('adds each filter that is present, and none that is absent', () => {
    const filter = jobFilterSql({ location: 'Berlin', remote: false, type: 'contract', tag: 'Go' });
    expect(filter.text).toBe(`j.status = 'open' AND j.location ILIKE $1 AND j.remote = $2 AND j."employmentType" = $3::"EmploymentType" AND j.tags @> ARRAY[$4]::text[]`);
    expect(filter.values).toEqual(['%Berlin%', false, 'contract', 'go']);
  });

  it('continues strictly after the cursor in (createdAt desc, id desc) order, in UTC wall time as Prisma stores it', () => {
    const filter = jobFilterSql({}, { createdAt: new Date('2026-01-01T10:20:30.456Z'), id: 'b' });
    expect(filter.text).toBe(`j.status = 'open' AND (j."createdAt" < $1::timestamp(3) OR (j."createdAt" = $2::timestamp(3) AND j.id < $3::uuid))`);
    expect(filter.values).toEqual(['2026-01-01T10:20:30.456', '2026-01-01T10:20:30.456', 'b']);
  });
});
