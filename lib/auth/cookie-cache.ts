// The signed-in user from better-auth's signed session cookie cache alone, for code that runs
// outside Next (the breaker-open fast path) and must not read the database. `undefined` when the
// cache is absent, expired or not signed by us: then only a session lookup in the database can
// tell, exactly as it is for the routes (lib/auth/session.ts, whose better-auth reads this cache
// first). Free of `server-only` for that reason; it imports nothing that reaches the database.
import { getCookieCache } from 'better-auth/cookies';
import { type Actor, isRole } from './actor';

export async function actorFromCookieCache(headers: Headers, { secret, secure }: { secret: string; secure: boolean }): Promise<Actor | undefined> {
  const cached = await getCookieCache(headers, { secret, isSecure: secure }).catch(() => null);
  if (!cached) return undefined;
  const role = (cached.user as { role?: unknown }).role;
  return { userId: cached.user.id, role: isRole(role) ? role : 'candidate', name: cached.user.name, email: cached.user.email };
}
