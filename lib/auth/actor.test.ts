import { describe, expect, it } from 'vitest';
import { DomainError } from '../errors';
import { type Actor, requireJobOwner, requireRole, requireSignedIn } from './actor';

const candidate: Actor = { userId: 'c1', role: 'candidate', name: 'C', email: 'c@x.test' };
const employer: Actor = { userId: 'e1', role: 'employer', name: 'E', email: 'e@x.test' };
const otherEmployer: Actor = { userId: 'e2', role: 'employer', name: 'F', email: 'f@x.test' };
const job = { company: { ownerId: 'e1' } };

function codeOf(fn: () => unknown): string | undefined {
  try {
    fn();
    return undefined;
  } catch (error) {
    return error instanceof DomainError ? error.code : 'not a domain error';
  }
}

describe('authorization rules', () => {
  it('anonymous callers are unauthenticated everywhere', () => {
    expect(codeOf(() => requireSignedIn(null))).toBe('unauthenticated');
    expect(codeOf(() => requireRole(null, 'candidate'))).toBe('unauthenticated');
    expect(codeOf(() => requireJobOwner(null, job))).toBe('unauthenticated');
  });

  it('only candidates apply and only employers post', () => {
    expect(codeOf(() => requireRole(candidate, 'candidate'))).toBeUndefined();
    expect(codeOf(() => requireRole(employer, 'candidate'))).toBe('forbidden');
    expect(codeOf(() => requireRole(candidate, 'employer'))).toBe('forbidden');
  });

  it('only the owning employer manages a job', () => {
    expect(codeOf(() => requireJobOwner(employer, job))).toBeUndefined();
    expect(codeOf(() => requireJobOwner(otherEmployer, job))).toBe('forbidden');
    expect(codeOf(() => requireJobOwner(candidate, job))).toBe('forbidden');
  });
});
