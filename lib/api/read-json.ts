import 'server-only';
// Reads a route's JSON body from the web Request by the API's rules (lib/api/json-body.ts).
import type { z } from 'zod';
import { type BodyType, checkBodyHeaders, JSON_BODY, MAX_BODY_BYTES, parseJsonText, readCapped } from './json-body';

export { MAX_BODY_BYTES, parseOrThrow } from './json-body';

export function readJson<T extends z.ZodType>(request: Request, schema: T): Promise<z.infer<T>> {
  return readJsonWithLimit(request, schema, MAX_BODY_BYTES);
}

export async function readJsonWithLimit<T extends z.ZodType>(request: Request, schema: T, limit: number, type: BodyType = JSON_BODY): Promise<z.infer<T>> {
  checkBodyHeaders(request.headers.get('content-type'), request.headers.get('content-length'), limit, type);
  if (!request.body) return parseJsonText('', schema);
  const body = request.body;
  return parseJsonText(await readCapped(body, limit, () => void body.cancel().catch(() => {})), schema);
}
