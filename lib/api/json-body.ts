// The API's rules for a JSON body, one place for both readers — the routes' (read-json.ts, a web
// Request inside Next) and the breaker-open fast path's (a Node request, outside Next): JSON only
// (415), at most 64 KiB (413), parseable (400), valid against the schema (400 with per-field
// messages; unknown fields are errors). Free of `server-only` because our own server imports it.
import type http from 'node:http';
import type { z } from 'zod';
import { DomainError } from '../errors';

export const MAX_BODY_BYTES = 64 * 1024;

const tooLarge = (limit: number) => new DomainError('payload_too_large', `The body is larger than ${limit / 1024} KiB.`);

/** 415 unless the content type is JSON; 413 when the declared length is over the limit. Before any byte is read. */
export function checkBodyHeaders(contentType: string | null | undefined, contentLength: string | null | undefined, limit: number) {
  if (!/^application\/(.+\+)?json\s*(;|$)/i.test(contentType ?? '')) {
    throw new DomainError('unsupported_media_type', 'Send the body as JSON (Content-Type: application/json).');
  }
  if (Number(contentLength ?? '0') > limit) throw tooLarge(limit);
}

export function fieldErrors(error: z.ZodError): Record<string, string[]> {
  const fields: Record<string, string[]> = {};
  for (const issue of error.issues) {
    if (issue.code === 'unrecognized_keys') {
      for (const key of issue.keys) (fields[key] ??= []).push('is not a known field');
      continue;
    }
    const key = issue.path.length ? issue.path.join('.') : '_';
    (fields[key] ??= []).push(issue.message);
  }
  return fields;
}

/**
 * Text Postgres cannot store faithfully: NUL (refused by Postgres: a 500 if it got that far) and
 * lone UTF-16 surrogates (silently stored as U+FFFD). Field path → message, for every string in
 * `value`, however deep, keys included.
 */
export function unstorableText(value: unknown, path: string[] = [], found: Record<string, string[]> = {}): Record<string, string[]> {
  const flag = (text: string, at: string[]) => {
    const key = at.length ? at.join('.') : '_';
    if (text.includes('\u0000')) (found[key] ??= []).push('must not contain NUL (\\u0000) characters');
    else if (!text.isWellFormed()) (found[key] ??= []).push('must be valid Unicode text (no lone surrogates)');
  };
  if (typeof value === 'string') flag(value, path);
  else if (Array.isArray(value)) value.forEach((item, index) => unstorableText(item, [...path, String(index)], found));
  else if (value !== null && typeof value === 'object') {
    for (const [key, item] of Object.entries(value)) {
      flag(key, [...path, key]);
      unstorableText(item, [...path, key], found);
    }
  }
  return found;
}

export function parseOrThrow<T extends z.ZodType>(schema: T, value: unknown): z.infer<T> {
  const unstorable = unstorableText(value);
  if (Object.keys(unstorable).length) throw new DomainError('validation_failed', 'Some fields are not valid.', unstorable);
  const parsed = schema.safeParse(value);
  if (!parsed.success) {
    throw new DomainError('validation_failed', 'Some fields are not valid.', fieldErrors(parsed.error));
  }
  return parsed.data;
}

/** The body's text as JSON, valid against `schema`. */
export function parseJsonText<T extends z.ZodType>(text: string, schema: T): z.infer<T> {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new DomainError('invalid_json', 'The body is not valid JSON.');
  }
  return parseOrThrow(schema, value);
}

/** Reads chunks until `limit` bytes; past it, stops reading and throws 413. */
export async function readCapped(chunks: AsyncIterable<Uint8Array>, limit: number, stop: () => void): Promise<string> {
  const parts: Uint8Array[] = [];
  let size = 0;
  for await (const chunk of chunks) {
    size += chunk.byteLength;
    if (size > limit) {
      stop();
      throw tooLarge(limit);
    }
    parts.push(chunk);
  }
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(Buffer.concat(parts));
  } catch {
    throw new DomainError('invalid_json', 'The body is not valid UTF-8.');
  }
}

/** A Node request's JSON body, by the same rules as the routes'. */
export async function readNodeJson<T extends z.ZodType>(req: http.IncomingMessage, schema: T, limit = MAX_BODY_BYTES): Promise<z.infer<T>> {
  checkBodyHeaders(req.headers['content-type'], req.headers['content-length'], limit);
  // Not destroyed when reading stops early: the 413 still has to be written on this connection.
  return parseJsonText(await readCapped(req.iterator({ destroyOnReturn: false }), limit, () => req.resume()), schema);
}
