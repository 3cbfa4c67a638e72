// Who is calling, and the authorization rules that depend only on that (unit-tested beside).
import { forbidden, unauthenticated } from '../errors';

export type Role = 'candidate' | 'employer';
export type Actor = { userId: string; role: Role; name: string; email: string } | null;

export function requireSignedIn(actor: Actor): NonNullable<Actor> {
  if (!actor) throw unauthenticated();
  return actor;
}

export function requireRole(actor: Actor, role: Role): NonNullable<Actor> {
  const signedIn = requireSignedIn(actor);
  if (signedIn.role !== role) {
    throw forbidden(role === 'employer' ? 'Only employers can do this.' : 'Only candidates can apply to jobs.');
  }
  return signedIn;
}

/** An employer may manage a job only if it belongs to their own company. */
export function requireJobOwner(actor: Actor, job: { company: { ownerId: string } }): NonNullable<Actor> {
  const employer = requireRole(actor, 'employer');
  if (job.company.ownerId !== employer.userId) throw forbidden('This job belongs to another company.');
  return employer;
}

export function isRole(value: unknown): value is Role {
  return value === 'candidate' || value === 'employer';
}

