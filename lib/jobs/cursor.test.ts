import { describe, expect, it } from 'vitest';
import { DomainError } from '../errors';
import { decodeCursor, encodeCursor } from './cursor';

describe('job cursor', () => {
  it('round-trips the sort key of the last job on a page', () => {
    const cursor = { createdAt: new Date('2026-11-01T10:00:00.123Z'), id: '00000000-5eed-7000-8000-000000000001' };
    const decoded = decodeCursor(encodeCursor(cursor));
    expect(decoded.createdAt.toISOString()).toBe('2026-11-01T10:00:00.123Z');
    expect(decoded.id).toBe(cursor.id);
  });

  it('is opaque URL-safe text', () => {
    const encoded = encodeCursor({ createdAt: new Date(0), id: '00000000-5eed-7000-8000-000000000001' });
    expect(encoded).toMatch(/^[A-Za-z0-9_-]+$/);
  });

  it.each(['', 'zzz', Buffer.from('["not a date","x"]').toString('base64url'), Buffer.from('{"a":1}').toString('base64url')])(
    'rejects a forged or damaged cursor %j as a validation error',
    (raw) => {
      expect(() => decodeCursor(raw)).toThrowError(DomainError);
      try {
        decodeCursor(raw);
      } catch (error) {
        expect((error as DomainError).code).toBe('validation_failed');
      }
    },
  );
});
