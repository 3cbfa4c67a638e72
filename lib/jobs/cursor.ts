// Opaque keyset cursor over the list order (createdAt desc, id desc): stable while jobs are added.
import { z } from 'zod';
import { DomainError } from '../errors';

export type JobCursor = { createdAt: Date; id: string };

const payload = z.tuple([z.iso.datetime(), z.uuid()]);

export function encodeCursor(cursor: JobCursor): string {
  return Buffer.from(JSON.stringify([cursor.createdAt.toISOString(), cursor.id])).toString('base64url');
}

export function decodeCursor(raw: string): JobCursor {
  try {
    const [createdAt, id] = payload.parse(JSON.parse(Buffer.from(raw, 'base64url').toString('utf8')));
    return { createdAt: new Date(createdAt), id };
  } catch {
    throw new DomainError('validation_failed', 'The cursor is not valid; start again from the first page.', {
      cursor: ['not a cursor returned by this API'],
    });
  }
}
