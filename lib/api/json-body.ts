// The API's rules for a JSON body, one place for both readers — the routes' (read-json.ts, a web
// Request inside Next) and the breaker-open fast path's (a Node request, outside Next): JSON only
// (415), at most 64 KiB (413), parseable (400), valid against the schema (400 with per-field
// messages; unknown fields are errors). Free of `server-only` because our own server imports it.
import type http from 'node:http';
import type { z } from 'zod';
import { DomainError } from '../errors';

export const MAX_BODY_BYTES = 64 * 1024;

const tooLarge = (limit: number) => new DomainError('payload_too_large', `The body is larger than ${limit / 1024} KiB.`);

/** The content types a body may come as, and what a 415 tells the sender. */
export type BodyType = { pattern: RegExp; expected: string };
export const JSON_BODY: BodyType = { pattern: /^application\/(.+\+)?json\s*(;|$)/i, expected: 'Send the body as JSON (Content-Type: application/json).' };

/** 415 unless the content type is accepted (JSON by default); 413 when the declared length is over the limit. Before any byte is read. */
export function checkBodyHeaders(contentType: string | null | undefined, contentLength: string | null | undefined, limit: number, type: BodyType = JSON_BODY) {
  if (!type.pattern.test(contentType ?? '')) throw new DomainError('unsupported_media_type', type.expected);
  if (Number(contentLength ?? '0') > limit) throw tooLarge(limit);
}

/**
 * Field path → messages. A Map, turned into an object at the end: the client chooses the keys,
 * and a key like "__proto__" must be a field name, not the object's prototype (that was a 500).
 */
class FieldMessages {
  readonly #messages = new Map<string, string[]>();
  add(key: string, message: string) {
    const list = this.#messages.get(key);
    if (list) list.push(message);
    else this.#messages.set(key, [message]);
  }
  get size() {
    return this.#messages.size;
  }
  toObject(): Record<string, string[]> {
    return Object.fromEntries(this.#messages); // own properties, "__proto__" included
  }
}

export function fieldErrors(error: z.ZodError): Record<string, string[]> {
  const fields = new FieldMessages();
  for (const issue of error.issues) {
    if (issue.code === 'unrecognized_keys') {
      for (const key of issue.keys) fields.add(key, 'is not a known field');
      continue;
    }
    fields.add(issue.path.length ? issue.path.join('.') : '_', issue.message);
  }
  return fields.toObject();
}

/** Deeper than any body of ours needs (OTLP attributes included); walking deeper costs O(depth²). */
export const MAX_JSON_DEPTH = 32;

/**
 * Text Postgres cannot store faithfully: NUL (refused by Postgres: a 500 if it got that far) and
 * lone UTF-16 surrogates (silently stored as U+FFFD). Field path → message, for every string in
 * `value`, however deep, keys included.
 */
export function unstorableText(value: unknown): Record<string, string[]> {
  const found = new FieldMessages();
  const flag = (text: string, at: string[]) => {
    const key = at.length ? at.join('.') : '_';
    if (text.includes('\u0000')) found.add(key, 'must not contain NUL (\\u0000) characters');
    else if (!text.isWellFormed()) found.add(key, 'must be valid Unicode text (no lone surrogates)');
  };
  const walk = (item: unknown, path: string[]) => {
    if (typeof item === 'string') flag(item, path);
    else if (Array.isArray(item)) item.forEach((element, index) => walk(element, [...path, String(index)]));
    else if (item !== null && typeof item === 'object') {
      for (const [key, element] of Object.entries(item)) {
        flag(key, [...path, key]);
        walk(element, [...path, key]);
      }
    }
  };
  walk(value, []);
  return found.toObject();
}

/** How deeply `value` nests arrays and objects, counting no further than `limit + 1`. */
export function nestingDepth(value: unknown, limit = MAX_JSON_DEPTH): number {
  if (value === null || typeof value !== 'object') return 0;
  if (limit <= 0) return 1; // deeper than asked about: stop walking
  let deepest = 0;
  for (const item of Object.values(value)) {
    deepest = Math.max(deepest, nestingDepth(item, limit - 1));
    if (deepest >= limit) break;
  }
  return deepest + 1;
}

export function parseOrThrow<T extends z.ZodType>(schema: T, value: unknown): z.infer<T> {
  if (nestingDepth(value) > MAX_JSON_DEPTH) {
    throw new DomainError('validation_failed', 'Some fields are not valid.', { _: [`must not nest arrays and objects deeper than ${MAX_JSON_DEPTH} levels`] });
  }
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
