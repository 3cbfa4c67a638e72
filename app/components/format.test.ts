import { describe, expect, it } from 'vitest';
import { dateLabel, keptSalaryFormats, salaryLabel } from './format';

const job = (salaryMin: number | null, salaryMax: number | null, currency: string | null) => ({ salaryMin, salaryMax, currency });
// What a formatter built for the one call says: the labels must not change with the formatters kept.
const fresh = (value: number, currency: string) =>
  new Intl.NumberFormat('en', { style: 'currency', currency, maximumFractionDigits: 0, notation: 'compact' }).format(value);

describe('salaryLabel', () => {
  it('says what a formatter built for the call says, for a range, a floor and a ceiling', () => {
    expect(salaryLabel(job(120_000, 150_000, 'USD'))).toBe(`${fresh(120_000, 'USD')} – ${fresh(150_000, 'USD')}`);
    expect(salaryLabel(job(120_000, 150_000, 'USD'))).toBe('$120K – $150K');
    expect(salaryLabel(job(90_000, null, 'EUR'))).toBe(`from ${fresh(90_000, 'EUR')}`);
    expect(salaryLabel(job(null, 80_000, null))).toBe(`up to ${fresh(80_000, 'USD')}`);
    expect(salaryLabel(job(null, null, 'USD'))).toBeNull();
  });

  it('keeps each currency its own formatter: a second currency does not reuse the first', () => {
    expect(salaryLabel(job(100_000, null, 'USD'))).toBe('from $100K');
    expect(salaryLabel(job(100_000, null, 'GBP'))).toBe('from £100K');
    expect(salaryLabel(job(100_000, null, 'USD'))).toBe('from $100K');
  });

  it('keeps at most 64 formatters, and formats currencies past the bound all the same', () => {
    // Any three capital letters pass the schema, so an employer could post 17,576 currencies.
    const codes = Array.from({ length: 100 }, (_, i) => `Q${String.fromCharCode(65 + Math.floor(i / 26))}${String.fromCharCode(65 + (i % 26))}`);
    for (const code of codes) expect(salaryLabel(job(5_000, null, code))).toBe(`from ${fresh(5_000, code)}`);
    expect(keptSalaryFormats()).toBe(64);
    expect(salaryLabel(job(5_000, null, codes.at(-1)!))).toBe(`from ${fresh(5_000, codes.at(-1)!)}`);
  });
});

describe('dateLabel', () => {
  it('says what a formatter built for the call says', () => {
    for (const iso of ['2026-01-31T23:59:59.000Z', '2026-12-06T00:00:00.000Z', '2025-07-04T12:00:00.000Z'])
      expect(dateLabel(iso)).toBe(new Intl.DateTimeFormat('en', { dateStyle: 'medium' }).format(new Date(iso)));
  });
});
