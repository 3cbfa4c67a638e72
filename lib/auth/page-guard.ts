import 'server-only';
import { redirect } from 'next/navigation';
import { type Actor, type Role } from './actor';
import { currentActor } from './session';

/** For pages: the signed-in user of this role; others go to sign-in, or to their own home. */
export async function requirePageRole(role: Role, next: string): Promise<NonNullable<Actor>> {
  const actor = await currentActor();
  if (!actor) redirect(`/sign-in?next=${encodeURIComponent(next)}`);
  if (actor.role !== role) redirect(role === 'employer' ? '/' : '/employer');
  return actor;
}
