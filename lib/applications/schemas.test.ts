import { describe, expect, it } from 'vitest';
import { applySchema } from './schemas';

const letter = (length: number) => 'x'.repeat(length);

describe('applySchema', () => {
  it('accepts a cover letter of 50 to 5,000 characters', () => {
    expect(applySchema.safeParse({ coverLetter: letter(50) }).success).toBe(true);
    expect(applySchema.safeParse({ coverLetter: letter(5000) }).success).toBe(true);
  });

  it('counts characters after trimming whitespace', () => {
    expect(applySchema.safeParse({ coverLetter: `   ${letter(49)}   ` }).success).toBe(false);
  });

  it.each([
    ['too short', { coverLetter: letter(49) }],
    ['too long', { coverLetter: letter(5001) }],
    ['not a string', { coverLetter: 42 }],
    ['a non-http résumé URL', { coverLetter: letter(60), resumeUrl: 'javascript:alert(1)' }],
    ['a résumé that is not a URL', { coverLetter: letter(60), resumeUrl: 'my cv' }],
    ['an unknown field', { coverLetter: letter(60), salary: 1 }],
  ])('rejects %s', (_label, input) => {
    expect(applySchema.safeParse(input).success).toBe(false);
  });

  it('accepts an https résumé URL and maps an empty one to null', () => {
    expect(applySchema.parse({ coverLetter: letter(60), resumeUrl: 'https://cv.example/me.pdf' }).resumeUrl).toBe('https://cv.example/me.pdf');
    expect(applySchema.parse({ coverLetter: letter(60), resumeUrl: '' }).resumeUrl).toBeNull();
  });
});
