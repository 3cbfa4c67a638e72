import 'server-only';
import { headers as nextHeaders } from 'next/headers';
import { cache } from 'react';
import { annotateUser } from '../telemetry/operation';
import { type Actor, isRole } from './actor';
import { auth } from './auth';
import { hasSessionCookie } from './session-cookie';

/**
 * The signed-in user for these request headers, or null. Served from the signed cookie cache
 * while it is fresh, unless `revocationChecked`: then the session is looked up in the database,
 * so a session revoked by sign-out can no longer act (writes ask for this).
 */
export async function actorFromHeaders(headers: Headers, { revocationChecked = false } = {}): Promise<Actor> {
  if (!hasSessionCookie(headers.get('cookie'))) return null; // anonymous: most reads
  const session = await auth.api.getSession({ headers, query: { disableCookieCache: revocationChecked } });
  if (!session) return null;
  const role = (session.user as { role?: unknown }).role;
  return {
    userId: session.user.id,
    role: isRole(role) ? role : 'candidate',
    name: session.user.name,
    email: session.user.email,
  };
}

/** For server components and actions: the current request's actor, memoised per render. */
export const currentActor = cache(async (): Promise<Actor> => {
  const actor = await actorFromHeaders(await nextHeaders());
  annotateUser(actor?.userId);
  return actor;
});
