import 'server-only';
// better-auth: email + password, roles, HTTP-only SameSite=Lax cookies (Secure when APP_URL is
// https). The session cookie cache lets a request be authorised without a database read.
import { betterAuth } from 'better-auth';
import { prismaAdapter } from 'better-auth/adapters/prisma';
import { nextCookies } from 'better-auth/next-js';
import { prisma } from '../db/client';
import { getEnv } from '../env';
import { isRole } from './actor';
import { secureCookies } from './session-cookie';
import { PASSWORD_MAX_LENGTH, PASSWORD_MIN_LENGTH } from './password-length';

function trustedOrigins(env: ReturnType<typeof getEnv>): string[] {
  const origins = new Set([env.APP_URL]);
  if (env.APP_ENV !== 'production') {
    // Local use: the same port under both loopback names.
    origins.add(`http://localhost:${env.PORT}`);
    origins.add(`http://127.0.0.1:${env.PORT}`);
  }
  return [...origins];
}

function createAuth() {
  const env = getEnv();
  return betterAuth({
    appName: 'Jobboard',
    baseURL: env.APP_URL,
    secret: env.BETTER_AUTH_SECRET,
    trustedOrigins: trustedOrigins(env),
    database: prismaAdapter(prisma(), { provider: 'postgresql' }),
    emailAndPassword: {
      enabled: true,
      // The sign-up route enforces the whole policy first (lib/auth/password-policy.ts); these are better-auth's own floor and ceiling.
      minPasswordLength: PASSWORD_MIN_LENGTH,
      maxPasswordLength: PASSWORD_MAX_LENGTH,
      requireEmailVerification: env.AUTH_REQUIRE_EMAIL_VERIFICATION,
    },
    user: {
      additionalFields: {
        // Chosen at sign-up (validated in the create hook); the update hook drops any change to it.
        role: { type: 'string', required: false, defaultValue: 'candidate', input: true },
      },
    },
    session: {
      expiresIn: 60 * 60 * 24 * 7,
      updateAge: 60 * 60 * 24,
      // The signed session copy in a cookie: reads skip the session lookup while it is fresh, so a
      // revoked session still reads for at most this long; writes always check the database
      // (lib/api/route.ts). docs/security.md, "Sessions".
      cookieCache: { enabled: env.SESSION_COOKIE_CACHE_S > 0, maxAge: Math.max(1, env.SESSION_COOKIE_CACHE_S) },
    },
    databaseHooks: {
      user: {
        create: {
          before: async (user, ctx) => {
            const requested = (ctx?.body as { role?: unknown } | undefined)?.role;
            return { data: { ...user, role: isRole(requested) ? requested : 'candidate' } };
          },
        },
        update: {
          // better-auth merges what this returns into the update ({ ...data, ...returned }), so
          // leaving `role` out kept the caller's value: a candidate became an employer through
          // update-user (hidden by the cookie cache until writes checked the database). `undefined`
          // overrides it, and Prisma leaves an undefined field unchanged.
          before: async (user) => ({ data: { ...user, role: undefined } }),
        },
      },
    },
    advanced: {
      useSecureCookies: secureCookies(env),
      defaultCookieAttributes: { httpOnly: true, sameSite: 'lax' },
    },
    telemetry: { enabled: false },
    plugins: [nextCookies()],
  });
}

export type Auth = ReturnType<typeof createAuth>;
let instance: Auth | undefined;

/**
 * better-auth, created on first use. Not at import: `next build` imports this module to collect
 * page data, and creating it there opened the database (with no DATABASE_URL, an embedded one in
 * DATA_DIR) in the build.
 */
export function auth(): Auth {
  instance ??= createAuth();
  return instance;
}
