// Which errors say "the database is unhealthy" (they count toward opening the breaker and may be
// retried on reads) and which are the caller's own (never count): docs/resilience.md.
import { DomainError } from '../errors';

/** Prisma codes for requests that were wrong, not a database that is unwell. */
const CALLER_ERROR_CODES = new Set([
  'P2000', // value too long
  'P2002', // unique constraint (e.g. a duplicate application)
  'P2003', // foreign key
  'P2004', // constraint
  // Not P2010 ("raw query failed"): it wraps every failure of a raw query, a reset connection as
  // much as a bad statement, so its driver error's SQLSTATE decides (below).
  'P2005', 'P2006', 'P2007', 'P2008', 'P2009', 'P2011', 'P2012', 'P2013', 'P2014', 'P2015', 'P2016', 'P2017', 'P2018', 'P2019', 'P2020',
  'P2025', // record not found
  'P2026', 'P2029', 'P2033',
]);
/** Postgres SQLSTATE classes that are the statement's own fault (22 data, 23 integrity, 42 syntax/access). */
const CALLER_SQLSTATE = /^(22|23|42)/;

function code(error: unknown): string | undefined {
  const value = (error as { code?: unknown } | null)?.code;
  return typeof value === 'string' ? value : undefined;
}

function sqlState(error: unknown): string | undefined {
  const cause = (error as { cause?: { originalCode?: unknown; code?: unknown } } | null)?.cause;
  const meta = (error as { meta?: { driverAdapterError?: { cause?: { originalCode?: unknown } } } } | null)?.meta;
  const candidate = cause?.originalCode ?? meta?.driverAdapterError?.cause?.originalCode;
  return typeof candidate === 'string' ? candidate : undefined;
}

export function isCallerError(error: unknown): boolean {
  if (error instanceof DomainError) return true;
  const name = (error as { name?: unknown } | null)?.name;
  if (name === 'PrismaClientValidationError') return true;
  const prismaCode = code(error);
  if (prismaCode && CALLER_ERROR_CODES.has(prismaCode)) return true;
  const state = sqlState(error);
  return state !== undefined && CALLER_SQLSTATE.test(state);
}

/** Counts toward the breaker: timeouts, connection failures, and anything server-side unexplained. */
export function isDatabaseFailure(error: unknown): boolean {
  if ((error as { isBrokenCircuitError?: boolean })?.isBrokenCircuitError) return false;
  if ((error as { isBulkheadRejectedError?: boolean })?.isBulkheadRejectedError) return false;
  return !isCallerError(error);
}

export function isTimeout(error: unknown): boolean {
  const message = String((error as { message?: unknown })?.message ?? '');
  return Boolean((error as { isTaskCancelledError?: boolean })?.isTaskCancelledError) || /timeout|timed out|canceling statement/i.test(message);
}
