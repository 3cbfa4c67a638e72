import 'server-only';
// The one error-to-HTTP mapping. Every error body is { error: { code, message, fields?, errorId? } }.
import { DomainError } from '../errors';
import { jsonResponse } from '../http/json-response';
import { domainErrorBody, errorBody, internalErrorBody } from './error-body';
import { isDatabaseUnavailable } from '../resilience/policy';
import { unavailableResponse } from '../resilience/unavailable';

export function errorResponse(status: number, code: string, message: string, extra: Record<string, unknown> = {}, headers: Record<string, string> = {}) {
  return jsonResponse(errorBody(code, message, extra), { status, headers });
}

const uncached = ({ status, body }: { status: number; body: unknown }) => jsonResponse(body, { status });

export function domainErrorResponse(error: DomainError) {
  return uncached(domainErrorBody(error));
}

/** Maps a thrown error to a response; anything unexpected is a logged 500 with an errorId. */
export function toErrorResponse(error: unknown, route: string): Response {
  if (error instanceof DomainError) return domainErrorResponse(error);
  if (isDatabaseUnavailable(error)) {
    // Not the caller's fault and not a bug: a fast, explicit 503 with when to come back.
    const { status, body, headers } = unavailableResponse(error);
    return jsonResponse(body, { status, headers });
  }
  return uncached(internalErrorBody(route, error));
}
