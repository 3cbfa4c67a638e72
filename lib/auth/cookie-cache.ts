// The signed-in user from better-auth's signed session cookie cache alone, for code that runs
// outside Next (the breaker-open fast path) and must not read the database. `undefined` when the
// cache is absent, expired or not signed by us: then only a session lookup in the database can
// tell, exactly as it is for the routes (lib/auth/session.ts, whose better-auth reads this cache
// first). Free of `server-only` for that reason; it imports nothing that reaches the database.
//
// A cookie value once verified is remembered until the cache inside it expires: the check is an
// HMAC through WebCrypto, a hop to libuv's thread pool that measured here p50 0.06 ms but p99
// 1.2 ms and max 5.5 ms per call, and a refused write should cost its client one of those per
// session, not one per request. The value carries its own signature, so the same value is the
// same verified content.
//
// better-auth/cookies is imported on the first call, not at start: this module is in the server's
// own bundle (dist/server.js), where importing it cost 32-33 ms of every start (3 processes) for a
// path that runs only while the breaker is open. The import's promise is kept: each call after the
// first awaits a settled promise, not a module lookup.
import { type Actor, isRole } from './actor';

type SignedIn = NonNullable<Actor>;
const MAX_REMEMBERED = 1_000;
const remembered = new Map<string, { actor: SignedIn; until: number }>();
let cookies: Promise<typeof import('better-auth/cookies')> | undefined;

/** The unchunked cookie-cache value in a Cookie header (`__Secure-` prefixed on https), if any. */
function cookieValue(cookieHeader: string | null, secure: boolean): string | undefined {
  const name = `${secure ? '__Secure-' : ''}better-auth.session_data=`;
  for (const part of (cookieHeader ?? '').split(';')) {
    const trimmed = part.trim();
    if (trimmed.startsWith(name)) return trimmed.slice(name.length);
  }
  return undefined;
}

/** When the cache in this (verified) value expires: its own `expiresAt`, or never remembered if unreadable. */
function cacheExpiry(value: string): number | undefined {
  try {
    const expiresAt = (JSON.parse(Buffer.from(decodeURIComponent(value), 'base64url').toString('utf8')) as { expiresAt?: unknown }).expiresAt;
    return typeof expiresAt === 'number' ? expiresAt : undefined;
  } catch {
    return undefined;
  }
}

export async function actorFromCookieCache(headers: Headers, { secret, secure }: { secret: string; secure: boolean }): Promise<Actor | undefined> {
  const value = cookieValue(headers.get('cookie'), secure);
  const known = value === undefined ? undefined : remembered.get(value);
  if (known && known.until > Date.now()) return known.actor;
  if (known) remembered.delete(value!);

  const { getCookieCache } = await (cookies ??= import('better-auth/cookies'));
  const cached = await getCookieCache(headers, { secret, isSecure: secure }).catch(() => null);
  if (!cached) return undefined;
  const role = (cached.user as { role?: unknown }).role;
  const actor: SignedIn = { userId: cached.user.id, role: isRole(role) ? role : 'candidate', name: cached.user.name, email: cached.user.email };

  const expiresAt = value === undefined ? undefined : cacheExpiry(value);
  if (value !== undefined && expiresAt !== undefined) {
    if (remembered.size >= MAX_REMEMBERED) remembered.delete(remembered.keys().next().value!);
    remembered.set(value, { actor, until: Math.min(expiresAt, new Date(cached.session.expiresAt).getTime()) });
  }
  return actor;
}
