import 'server-only';
// The one error-to-HTTP mapping. Every error body is { error: { code, message, fields?, errorId? } }.
import { DomainError } from '../errors';
import { domainErrorBody, errorBody, internalErrorBody } from './error-body';
import { isDatabaseUnavailable } from '../resilience/policy';
import { unavailableResponse } from '../resilience/unavailable';

export function errorResponse(status: number, code: string, message: string, extra: Record<string, unknown> = {}, headers: Record<string, string> = {}) {
  return Response.json(errorBody(code, message, extra), { status, headers: { 'Cache-Control': 'no-store', ...headers } });
}

const uncached = ({ status, body }: { status: number; body: unknown }) => Response.json(body, { status, headers: { 'Cache-Control': 'no-store' } });

export function domainErrorResponse(error: DomainError) {
  return uncached(domainErrorBody(error));
}

/** Maps a thrown error to a response; anything unexpected is a logged 500 with an errorId. */
export function toErrorResponse(error: unknown, route: string): Response {
  if (error instanceof DomainError) return domainErrorResponse(error);
  if (isDatabaseUnavailable(error)) {
    // Not the caller's fault and not a bug: a fast, explicit 503 with when to come back.
    const { status, body, headers } = unavailableResponse(error);
    return Response.json(body, { status, headers });
  }
  return uncached(internalErrorBody(route, error));
}
