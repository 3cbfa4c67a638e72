// better-auth's session cookie (`__Secure-` prefixed on https). Without it there is no session,
// so the session lookup — better-auth's handler and possibly a database read — is skipped.
const SESSION_COOKIE = /(?:^|;\s*)(?:__Secure-)?better-auth\.session_token=/;

/**
 * Session cookies are `__Secure-` prefixed and `Secure` in production, and wherever the public
 * URL is https. (A production image run over plain http on loopback keeps them too: a browser
 * there would refuse them, which is the point.)
 */
export function secureCookies(env: { APP_ENV: string; APP_URL: string }): boolean {
  return env.APP_ENV === 'production' || env.APP_URL.startsWith('https://');
}

export function hasSessionCookie(cookieHeader: string | null | undefined): boolean {
  return SESSION_COOKIE.test(cookieHeader ?? '');
}
