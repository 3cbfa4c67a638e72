// The one body and header set of "the database cannot be used right now": a 503 with when to
// come back. Used by the route error mapping (lib/api/respond.ts) and by the breaker-open fast
// path in our server (lib/api/breaker-fast-path.ts), which must answer identically.
import type { DatabaseUnavailableError } from './policy';

export function unavailableResponse(error: Pick<DatabaseUnavailableError, 'reason' | 'retryAfterS'>) {
  const overloaded = error.reason === 'overloaded';
  return {
    status: 503,
    body: {
      error: {
        code: overloaded ? 'overloaded' : 'db_unavailable',
        message: overloaded ? 'We are busy right now. Please retry shortly.' : 'The database is unavailable right now. Please retry shortly.',
        retryAfter: error.retryAfterS,
      },
    },
    headers: { 'Cache-Control': 'no-store', 'Retry-After': String(error.retryAfterS) },
  };
}
