import { createHMAC } from '@better-auth/utils/hmac';
import { afterEach, describe, expect, it, vi } from 'vitest';

const calls = vi.hoisted(() => ({ getCookieCache: 0 }));
vi.mock('better-auth/cookies', async (importOriginal) => {
  const original = await importOriginal<typeof import('better-auth/cookies')>();
  return {
    ...original,
    getCookieCache: (...args: Parameters<typeof original.getCookieCache>) => {
      calls.getCookieCache++;
      return original.getCookieCache(...args);
    },
  };
});
const { actorFromCookieCache } = await import('./cookie-cache');

const SECRET = 'cookie-cache-test-secret-of-enough-length';
const options = { secret: SECRET, secure: false };

/** A cookie cache as better-auth writes it (the compact strategy): payload, expiry and their HMAC. */
async function cookieCache({ userId = 'u1', role = 'employer', expiresInMs = 60_000, secret = SECRET } = {}) {
  const now = Date.now();
  const session = {
    session: { id: `s-${userId}`, token: `t-${userId}`, userId, expiresAt: new Date(now + 86_400_000), createdAt: new Date(now), updatedAt: new Date(now) },
    user: { id: userId, name: 'Name', email: `${userId}@example.test`, emailVerified: false, role, createdAt: new Date(now), updatedAt: new Date(now) },
    updatedAt: now,
  };
  const expiresAt = now + expiresInMs;
  const signature = await createHMAC('SHA-256', 'base64urlnopad').sign(secret, JSON.stringify({ ...session, expiresAt }));
  const value = Buffer.from(JSON.stringify({ session, expiresAt, signature })).toString('base64url');
  return new Headers({ cookie: `better-auth.session_token=t-${userId}.sig; better-auth.session_data=${value}` });
}

describe('actorFromCookieCache', () => {
  afterEach(() => {
    calls.getCookieCache = 0;
    vi.useRealTimers();
  });

  it('reads the signed-in user and role from a cache signed with our secret, and verifies each cookie value once', async () => {
    const headers = await cookieCache({ userId: 'employer-1' });
    expect(await actorFromCookieCache(headers, options)).toEqual({ userId: 'employer-1', role: 'employer', name: 'Name', email: 'employer-1@example.test' });
    expect(await actorFromCookieCache(headers, options)).toMatchObject({ userId: 'employer-1' });
    expect(calls.getCookieCache).toBe(1);
  });

  it('knows nothing from a cache signed with another secret, a missing cache or an unknown role', async () => {
    expect(await actorFromCookieCache(await cookieCache({ userId: 'forged', secret: 'someone-elses-secret-of-enough-length' }), options)).toBeUndefined();
    expect(await actorFromCookieCache(new Headers({ cookie: 'better-auth.session_token=t.sig' }), options)).toBeUndefined();
    expect(await actorFromCookieCache(await cookieCache({ userId: 'odd', role: 'admin' }), options)).toMatchObject({ role: 'candidate' });
  });

  it('forgets a remembered value once the cache inside it has expired', async () => {
    vi.useFakeTimers({ toFake: ['Date'] }); // the clock both sides read, moved by the test alone
    const headers = await cookieCache({ userId: 'short-lived', expiresInMs: 60_000 });
    expect(await actorFromCookieCache(headers, options)).toMatchObject({ userId: 'short-lived' });
    vi.advanceTimersByTime(59_000);
    expect(await actorFromCookieCache(headers, options)).toMatchObject({ userId: 'short-lived' });
    vi.advanceTimersByTime(2_000);
    expect(await actorFromCookieCache(headers, options)).toBeUndefined();
    expect(calls.getCookieCache).toBe(2);
  });
});
