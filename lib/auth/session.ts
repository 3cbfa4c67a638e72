import 'server-only';
import { headers as nextHeaders } from 'next/headers';
import { cache } from 'react';
import { getEnv } from '../env';
import { isDatabaseUnavailable } from '../resilience/policy';
import { annotateUser } from '../telemetry/operation';
import { type Actor, isRole } from './actor';
import { type Auth, auth } from './auth';
import { actorFromCookieCache } from './cookie-cache';
import { hasSessionCookie, secureCookies } from './session-cookie';

/**
 * The signed-in user for these request headers, or null. Served from the signed cookie cache
 * while it is fresh, unless `revocationChecked`: then the session is looked up in the database,
 * so a session revoked by sign-out can no longer act (writes ask for this).
 */
export async function actorFromHeaders(headers: Headers, { revocationChecked = false } = {}): Promise<Actor> {
  if (!hasSessionCookie(headers.get('cookie'))) return null; // anonymous: most reads
  if (revocationChecked) {
    try {
      return toActor(await auth().api.getSession({ headers, query: { disableCookieCache: true } }));
    } catch (error) {
      // The database can neither say whether the session was revoked nor take the write: who is
      // asking comes from the signed cookie cache, as on the breaker's fast path
      // (lib/api/breaker-fast-path.ts), so 401/403/400 stay the same; the write then gets its 503.
      const unavailable = databaseUnavailableIn(error);
      if (!unavailable) throw error;
      const env = getEnv();
      const cached = await actorFromCookieCache(headers, { secret: env.BETTER_AUTH_SECRET, secure: secureCookies(env) });
      if (cached === undefined) throw unavailable;
      return cached;
    }
  }
  return toActor(await auth().api.getSession({ headers }));
}

/** better-auth wraps what failed underneath (as `cause`); the database being unavailable, if that is what it was. */
function databaseUnavailableIn(error: unknown): Error | undefined {
  for (let current = error, depth = 0; current && depth < 5; current = (current as { cause?: unknown }).cause, depth += 1) {
    if (isDatabaseUnavailable(current)) return current;
  }
  return undefined;
}

function toActor(session: Awaited<ReturnType<Auth['api']['getSession']>>): Actor {
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
