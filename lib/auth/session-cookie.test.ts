import { describe, expect, it } from 'vitest';
import { hasSessionCookie } from './session-cookie';

describe('hasSessionCookie', () => {
  it('finds the session cookie, with or without the __Secure- prefix, anywhere in the header', () => {
    expect(hasSessionCookie('better-auth.session_token=abc.def')).toBe(true);
    expect(hasSessionCookie('theme=dark; __Secure-better-auth.session_token=abc')).toBe(true);
    expect(hasSessionCookie('a=1;better-auth.session_token=abc')).toBe(true);
  });

  it('is not fooled by other cookies or values that merely mention it', () => {
    expect(hasSessionCookie(undefined)).toBe(false);
    expect(hasSessionCookie('')).toBe(false);
    expect(hasSessionCookie('better-auth.session_data=xyz')).toBe(false);
    expect(hasSessionCookie('note=better-auth.session_token')).toBe(false);
    expect(hasSessionCookie('xbetter-auth.session_token=abc')).toBe(false);
  });
});
