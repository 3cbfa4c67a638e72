// Session hardening (docs/security.md, "Sessions"), on servers of its own:
// - with an https APP_URL (and in production) the cookies are __Secure- prefixed, Secure, HttpOnly, SameSite=Lax;
// - sign-in issues a new session: a token planted before sign-in is never promoted (no fixation);
// - sign-out revokes the session on the server: a copy of its cookies can no longer write at
//   all, and reads stop once the signed cookie cache expires. The window is measured here.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, type Session, signUp, TEST_PASSWORD } from './support/api';
import { cookieHeader } from './support/cookies';
import { type RunningServer, startServer } from './support/server';

const CACHE_S = 3;
let server: RunningServer;

beforeAll(async () => {
  server = await startServer({ SESSION_COOKIE_CACHE_S: String(CACHE_S) });
});
afterAll(async () => {
  await server?.stop();
});

const tokenOf = (cookie: string) => /better-auth\.session_token=([^;.]+)/.exec(cookie)?.[1];

describe('cookies', () => {
  it('with an https APP_URL: __Secure- prefixed, Secure, HttpOnly, SameSite=Lax', async () => {
    const secure = await startServer({ APP_URL: 'https://jobs.example.test' });
    try {
      const reply = await call('POST', '/api/auth/sign-up/email', {
        baseUrl: secure.url,
        json: { name: 'Secure Cookie', email: `secure-${Date.now()}@test.jobboard.test`, password: TEST_PASSWORD, role: 'candidate' },
      });
      expect(reply.status).toBe(200);
      const cookies = reply.headers.getSetCookie();
      expect(cookies.length).toBeGreaterThanOrEqual(2); // session token and its signed cache
      for (const cookie of cookies) {
        expect(cookie).toMatch(/^__Secure-better-auth\./);
        expect(cookie).toMatch(/; Secure/i);
        expect(cookie).toMatch(/; HttpOnly/i);
        expect(cookie).toMatch(/; SameSite=Lax/i);
      }
    } finally {
      await secure.stop();
    }
  });
});

describe('rotation and revocation', () => {
  let candidate: Session;

  beforeAll(async () => {
    candidate = await signUp('candidate', {}, { baseUrl: server.url });
  });

  it('sign-in issues a new session; a token planted in the browser before sign-in stays what it was', async () => {
    const attacker = await signUp('candidate', {}, { baseUrl: server.url });
    const reply = await call('POST', '/api/auth/sign-in/email', { baseUrl: server.url, json: { email: candidate.user.email, password: TEST_PASSWORD }, headers: { cookie: attacker.cookie } });
    expect(reply.status).toBe(200);
    const fresh = cookieHeader(reply.headers);
    expect(tokenOf(fresh)).toBeDefined();
    expect(tokenOf(fresh)).not.toBe(tokenOf(attacker.cookie));
    expect(tokenOf(fresh)).not.toBe(tokenOf(candidate.cookie));
    const as = async (cookie: string) => (await call('GET', '/api/auth/get-session', { baseUrl: server.url, headers: { cookie } })).body?.user?.id;
    expect(await as(fresh)).toBe(candidate.user.id);
    expect(await as(attacker.cookie)).toBe(attacker.user.id); // the planted session did not become the candidate's
  });

  it(`after sign-out, a copy of the cookies cannot write at once, and reads stop within the ${CACHE_S} s cookie cache`, async () => {
    const reply = await call('POST', '/api/auth/sign-in/email', { baseUrl: server.url, json: { email: candidate.user.email, password: TEST_PASSWORD } });
    const stolen = cookieHeader(reply.headers); // what an attacker copied
    const read = () => call('GET', '/api/me/applications', { baseUrl: server.url, headers: { cookie: stolen } });
    expect((await read()).status).toBe(200);

    const signOut = await call('POST', '/api/auth/sign-out', { baseUrl: server.url, headers: { cookie: stolen, origin: server.url }, json: {} });
    expect(signOut.status).toBe(200);
    const revokedAt = performance.now();
    // Writes check the database: refused at once, whatever the cache says.
    const write = await call('POST', '/api/jobs/00000000-0000-4000-8000-000000000000/applications', { baseUrl: server.url, headers: { cookie: stolen }, json: { coverLetter: 'x'.repeat(60) } });
    expect(write.status).toBe(401);
    // Reads: served from the signed cache until it expires, then refused.
    let acceptedFor = 0;
    for (;;) {
      const status = (await read()).status;
      const elapsed = performance.now() - revokedAt;
      if (status === 401) break;
      expect(status).toBe(200);
      acceptedFor = elapsed;
      expect(elapsed, 'a revoked session must stop reading once the cookie cache expires').toBeLessThan((CACHE_S + 1.5) * 1000);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    console.log(`[measured] revoked session: writes refused at once; reads accepted for ${(acceptedFor / 1000).toFixed(2)} s after sign-out (cookie cache ${CACHE_S} s)`);
  });
});
