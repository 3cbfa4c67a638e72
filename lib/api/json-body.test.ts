import type http from 'node:http';
import { Readable } from 'node:stream';
import { z } from 'zod';
import { describe, expect, it } from 'vitest';
import { DomainError } from '../errors';
import { MAX_JSON_DEPTH, nestingDepth, parseJsonText, readNodeJson, unstorableText } from './json-body';

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

describe('keys and shapes the client chooses', () => {
  const fieldsOf = (text: string, target: z.ZodType = schema) => {
    try {
      parseJsonText(text, target);
    } catch (error) {
      return (error as DomainError).fields;
    }
    return 'accepted';
  };

  it('"__proto__" and other Object.prototype names are field names like any other (was a 500)', () => {
    const fields = fieldsOf('{"title":"A fine title","__proto__":[],"constructor":1,"toString":"x"}') as Record<string, string[]>;
    expect(Object.keys(fields).sort()).toEqual(['__proto__', 'constructor', 'toString']);
    expect(Object.hasOwn(fields, '__proto__')).toBe(true);
    for (const key of ['__proto__', 'constructor', 'toString']) expect(Object.getOwnPropertyDescriptor(fields, key)?.value).toEqual(['is not a known field']);
    expect(JSON.stringify(fields)).toContain('"__proto__":["is not a known field"]');
    expect(Object.getOwnPropertyDescriptor(unstorableText(JSON.parse('{"__proto__":"a\\u0000b"}')), '__proto__')?.value).toEqual(['must not contain NUL (\\u0000) characters']);
  });

  it(`nesting deeper than ${MAX_JSON_DEPTH} levels is a 400, found without walking the whole body`, () => {
    const nested = (depth: number) => `${'['.repeat(depth)}${']'.repeat(depth)}`;
    expect(nestingDepth(JSON.parse(nested(MAX_JSON_DEPTH)))).toBe(MAX_JSON_DEPTH);
    expect(fieldsOf(nested(MAX_JSON_DEPTH), z.array(z.unknown()))).toBe('accepted');
    expect(fieldsOf(nested(MAX_JSON_DEPTH + 1), z.array(z.unknown()))).toEqual({ _: [`must not nest arrays and objects deeper than ${MAX_JSON_DEPTH} levels`] });
    const started = performance.now();
    expect(fieldsOf(nested(20_000), z.array(z.unknown()))).toEqual({ _: [expect.stringContaining('deeper than')] });
    expect(performance.now() - started).toBeLessThan(1_000); // was minutes of CPU: the walk copied the path at every level
  });
});
