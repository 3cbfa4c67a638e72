import type http from 'node:http';
import { Readable } from 'node:stream';
import { z } from 'zod';
import { describe, expect, it } from 'vitest';
import { DomainError } from '../errors';
import { readNodeJson, unstorableText } from './json-body';

const schema = z.strictObject({ title: z.string().min(3, 'at least 3 characters') });

function request(body: string | Buffer[], headers: Record<string, string> = { 'content-type': 'application/json' }) {
  const stream = Readable.from(typeof body === 'string' ? [Buffer.from(body)] : body);
  return Object.assign(stream, { headers }) as unknown as http.IncomingMessage & Readable;
}

const codeOf = (promise: Promise<unknown>) =>
  promise.then(
    () => 'accepted',
    (error: unknown) => (error instanceof DomainError ? error.code : String(error)),
  );

describe('readNodeJson: the routes’ body rules on a Node request', () => {
  it('parses a valid body', async () => {
    expect(await readNodeJson(request('{"title":"Engineer"}'), schema)).toEqual({ title: 'Engineer' });
  });

  it('answers each kind of bad body with the routes’ code, in their order', async () => {
    expect(await codeOf(readNodeJson(request('{"title":"x"}', { 'content-type': 'text/plain' }), schema))).toBe('unsupported_media_type');
    expect(await codeOf(readNodeJson(request('{}', { 'content-type': 'application/json', 'content-length': String(70_000) }), schema))).toBe('payload_too_large');
    expect(await codeOf(readNodeJson(request('{"title":'), schema))).toBe('invalid_json');
    const invalid = await readNodeJson(request('{"title":"x","extra":1}'), schema).catch((error: DomainError) => error);
    expect(invalid).toMatchObject({ code: 'validation_failed', fields: { title: ['at least 3 characters'], extra: ['is not a known field'] } });
  });

  it('stops at the limit without destroying the request, so the 413 can still be written on it', async () => {
    const req = request(Array.from({ length: 10 }, () => Buffer.alloc(10_000, 0x20)));
    expect(await codeOf(readNodeJson(req, schema, 64 * 1024))).toBe('payload_too_large');
    expect(req.destroyed).toBe(false);
  });
});

describe('unstorableText', () => {
  it('names every string Postgres would refuse or alter, however deep, keys included', () => {
    expect(unstorableText({ ok: 'fine', a: 'x\u0000y', list: ['ok', 'bad \ud800'], deep: { ['k\u0000']: 1 } })).toEqual({
      a: ['must not contain NUL (\\u0000) characters'],
      'list.1': ['must be valid Unicode text (no lone surrogates)'],
      'deep.k\u0000': ['must not contain NUL (\\u0000) characters'],
    });
    expect(unstorableText({ emoji: '🎉 ok', rtl: 'مرحبا', surrogatePair: '\ud83c\udf89' })).toEqual({});
  });
});
