// A domain error as HTTP: its status and the one error body, { error: { code, message, fields? } }.
// Used by the routes' error mapping (respond.ts) and by the breaker-open fast path, which answers
// outside Next and so cannot import `server-only` modules.
import { type DomainError, type DomainErrorCode } from '../errors';

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
};

export function errorBody(code: string, message: string, extra: Record<string, unknown> = {}) {
  return { error: { code, message, ...extra } };
}

export function domainErrorBody(error: DomainError): { status: number; body: ReturnType<typeof errorBody> } {
  return { status: STATUS[error.code], body: errorBody(error.code, error.message, error.fields ? { fields: error.fields } : {}) };
}

