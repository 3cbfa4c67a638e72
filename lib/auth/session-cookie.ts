// better-auth's session cookie (`__Secure-` prefixed on https). Without it there is no session,
// so the session lookup — better-auth's handler and possibly a database read — is skipped.
const SESSION_COOKIE = /(?:^|;\s*)(?:__Secure-)?better-auth\.session_token=/;

export function hasSessionCookie(cookieHeader: string | null | undefined): boolean {
  return SESSION_COOKIE.test(cookieHeader ?? '');
}
