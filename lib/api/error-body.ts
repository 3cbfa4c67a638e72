// A domain error as HTTP: its status and the one error body, { error: { code, message, fields? } }.
// Used by the routes' error mapping (respond.ts) and by the breaker-open fast path, which answers
// outside Next and so cannot import `server-only` modules.
import { randomUUID } from 'node:crypto';
import type { DomainError, DomainErrorCode } from '../errors';
import { logger } from '../logger';

const STATUS: Record<DomainErrorCode, number> = {
  unauthenticated: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  email_taken: 409,
  validation_failed: 400,
  invalid_json: 400,
  invalid_credentials: 401,
  payload_too_large: 413,
  unsupported_media_type: 415,
  idempotency_key_reused: 422,
};

export function errorBody(code: string, message: string, extra: Record<string, unknown> = {}) {
  return { error: { code, message, ...extra } };
}

export function domainErrorBody(error: DomainError): { status: number; body: ReturnType<typeof errorBody> } {
  return { status: STATUS[error.code], body: errorBody(error.code, error.message, error.fields ? { fields: error.fields } : {}) };
}

/** The unexpected: logged with an errorId the caller can quote, answered 500 with it. */
export function internalErrorBody(route: string, error: unknown): { status: 500; body: ReturnType<typeof errorBody> } {
  const errorId = randomUUID();
  logger.error({ event: 'unhandled_error', errorId, route, err: error }, 'unexpected error');
  return { status: 500, body: errorBody('internal_error', 'Something went wrong on our side. Quote the errorId if you contact us.', { errorId }) };
}
