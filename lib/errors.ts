// Domain errors carry a stable code; lib/api/respond.ts maps them to HTTP in one place.
export type DomainErrorCode =
  | 'unauthenticated'
  | 'forbidden'
  | 'not_found'
  | 'conflict'
  | 'validation_failed'
  | 'invalid_json'
  | 'unsupported_media_type'
  | 'payload_too_large'
  | 'invalid_credentials'
  | 'email_taken'
  | 'idempotency_key_reused';

export class DomainError extends Error {
  constructor(
    readonly code: DomainErrorCode,
    message: string,
    readonly fields?: Record<string, string[]>,
  ) {
    super(message);
    this.name = 'DomainError';
  }
}

export const notFound = (what: string) => new DomainError('not_found', `${what} not found.`);
export const forbidden = (message: string) => new DomainError('forbidden', message);
export const unauthenticated = () => new DomainError('unauthenticated', 'Sign in to continue.');
