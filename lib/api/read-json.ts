import 'server-only';
// Reads a JSON body with the API's limits: JSON only (415), at most 64 KiB (413), parseable (400),
// and valid against the schema (400 with per-field messages; unknown fields are errors).
import type { z } from 'zod';
import { DomainError } from '../errors';

export const MAX_BODY_BYTES = 64 * 1024;

async function readCapped(request: Request, limit: number): Promise<string> {
  const declared = Number(request.headers.get('content-length') ?? '0');
  if (declared > limit) throw new DomainError('payload_too_large', `The body is larger than ${limit / 1024} KiB.`);
  if (!request.body) return '';
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > limit) {
      await reader.cancel();
      throw new DomainError('payload_too_large', `The body is larger than ${limit / 1024} KiB.`);
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks).toString('utf8');
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

export function parseOrThrow<T extends z.ZodType>(schema: T, value: unknown): z.infer<T> {
  const parsed = schema.safeParse(value);
  if (!parsed.success) {
    throw new DomainError('validation_failed', 'Some fields are not valid.', fieldErrors(parsed.error));
  }
  return parsed.data;
}

export function readJson<T extends z.ZodType>(request: Request, schema: T): Promise<z.infer<T>> {
  return readJsonWithLimit(request, schema, MAX_BODY_BYTES);
}

export async function readJsonWithLimit<T extends z.ZodType>(request: Request, schema: T, limit: number): Promise<z.infer<T>> {
  const type = request.headers.get('content-type') ?? '';
  if (!/^application\/(.+\+)?json\s*(;|$)/i.test(type)) {
    throw new DomainError('unsupported_media_type', 'Send the body as JSON (Content-Type: application/json).');
  }
  const text = await readCapped(request, limit);
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new DomainError('invalid_json', 'The body is not valid JSON.');
  }
  return parseOrThrow(schema, value);
}
