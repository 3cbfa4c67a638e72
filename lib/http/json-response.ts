// Every JSON answer of the API says its charset (docs/api.md): `Response.json` sends a bare
// `application/json`, which leaves the decoding to the client's guess.
export const JSON_CONTENT_TYPE = 'application/json; charset=utf-8';

/** Response.json with the charset, and never cached unless the caller says otherwise. */
export function jsonResponse(body: unknown, init: ResponseInit = {}): Response {
  const headers = new Headers(init.headers);
  headers.set('Content-Type', JSON_CONTENT_TYPE);
  if (!headers.has('Cache-Control')) headers.set('Cache-Control', 'no-store');
  return new Response(JSON.stringify(body), { ...init, headers });
}

/**
 * A response from code we do not own (better-auth's session routes): the same body and cookies,
 * with the charset declared on JSON and never cached (a session is personal).
 */
export function asApiJson(response: Response): Response {
  const headers = new Headers(response.headers);
  if (/^application\/json\s*(;|$)/i.test(headers.get('content-type') ?? '')) headers.set('Content-Type', JSON_CONTENT_TYPE);
  headers.set('Cache-Control', 'no-store');
  return new Response(response.body, { status: response.status, statusText: response.statusText, headers });
}
