import 'server-only';
// better-auth answers errors as { code, message }; the API's contract is { error: { code, message } }.
import { errorResponse } from './respond';
import { jsonResponse } from '../http/json-response';
import { annotateUser } from '../telemetry/operation';

const CODE_BY_STATUS: Record<number, string> = { 400: 'validation_failed', 401: 'invalid_credentials', 403: 'forbidden', 422: 'email_taken', 429: 'rate_limited' };

export async function toApiAuthError(response: Response): Promise<Response> {
  const body = (await response.json().catch(() => ({}))) as { code?: string; message?: string };
  const status = response.status === 422 ? 409 : response.status;
  const code = CODE_BY_STATUS[response.status] ?? (body.code ?? 'auth_error').toLowerCase();
  const message =
    code === 'email_taken' ? 'An account with this email already exists. Sign in instead.' : (body.message ?? 'Authentication failed.');
  return errorResponse(status, code, message);
}

/** The user of a successful better-auth sign-in or sign-up response, recorded (as a pseudonym) on the span and log line. */
export async function signedInUser(response: Response): Promise<{ id: string; name: string; email: string; role?: string }> {
  const { user } = (await response.clone().json()) as { user: { id: string; name: string; email: string; role?: string } };
  annotateUser(user.id);
  return user;
}

/** Copies better-auth's Set-Cookie headers onto our JSON response. */
export function withAuthCookies(source: Response, body: unknown, status = 200): Response {
  const headers = new Headers();
  for (const cookie of source.headers.getSetCookie()) headers.append('Set-Cookie', cookie);
  return jsonResponse(body, { status, headers });
}
