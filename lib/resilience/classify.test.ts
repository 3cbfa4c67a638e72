import { describe, expect, it } from 'vitest';
import { isCallerError, isDatabaseFailure } from './classify';

// The shapes below are what Prisma 7.10 with @prisma/adapter-pg threw on this machine (recorded
// from a real Postgres 15 and an unreachable port).
const known = (code: string, cause: Record<string, unknown>) =>
  Object.assign(new Error(`prisma error ${code}`), { name: 'PrismaClientKnownRequestError', code, meta: { driverAdapterError: { name: 'DriverAdapterError', cause } } });

describe('error classification', () => {
  it('a raw query (P2010) on an unreachable or terminated database is a database failure', () => {
    const unreachable = known('P2010', { kind: 'DatabaseNotReachable', host: '127.0.0.1', port: 1 });
    const terminated = known('P2010', { originalCode: '57P01', kind: 'postgres', code: '57P01', severity: 'FATAL' });
    for (const error of [unreachable, terminated]) {
      expect(isCallerError(error)).toBe(false);
      expect(isDatabaseFailure(error)).toBe(true);
    }
  });

  it("a raw query (P2010) failing on the statement's own data or syntax is the caller's", () => {
    for (const state of ['22012', '23505', '42601']) {
      const error = known('P2010', { originalCode: state, kind: 'postgres', code: state });
      expect(isCallerError(error)).toBe(true);
      expect(isDatabaseFailure(error)).toBe(false);
    }
  });

  it('model operations: a unique violation is the caller’s, an unreachable database is not', () => {
    expect(isDatabaseFailure(known('P2002', { originalCode: '23505', kind: 'UniqueConstraintViolation' }))).toBe(false);
    expect(isDatabaseFailure(known('P1001', { kind: 'DatabaseNotReachable' }))).toBe(true);
  });
});
