import { describe, expect, it } from 'vitest';
import { isPagePath, newNonce, pageContentSecurityPolicy, staticSecurityHeaders } from './security-headers';

describe('security headers', () => {
  it('sends HSTS for a year only when the public URL is https', () => {
    expect(staticSecurityHeaders({ https: true })['Strict-Transport-Security']).toBe('max-age=31536000; includeSubDomains');
    expect(staticSecurityHeaders({ https: false })).not.toHaveProperty('Strict-Transport-Security');
    expect(staticSecurityHeaders({ https: false })).toMatchObject({ 'X-Content-Type-Options': 'nosniff', 'Referrer-Policy': 'strict-origin-when-cross-origin', 'Cross-Origin-Opener-Policy': 'same-origin' });
  });

  it('lets only nonced scripts run on pages, and nothing frame them', () => {
    const policy = pageContentSecurityPolicy('abc', { upgradeInsecureRequests: false });
    const directives = Object.fromEntries(policy.split('; ').map((directive) => [directive.split(' ')[0], directive]));
    expect(directives['script-src']).toBe("script-src 'self' 'nonce-abc' 'strict-dynamic'");
    expect(directives['script-src']).not.toMatch(/unsafe/);
    expect(directives['style-src']).not.toMatch(/unsafe/);
    expect(directives['object-src']).toBe("object-src 'none'");
    expect(directives['frame-ancestors']).toBe("frame-ancestors 'none'");
    expect(directives['base-uri']).toBe("base-uri 'self'");
    expect(directives['form-action']).toBe("form-action 'self'");
    expect(policy).not.toContain('upgrade-insecure-requests');
    expect(pageContentSecurityPolicy('abc', { upgradeInsecureRequests: true })).toContain('; upgrade-insecure-requests;');
    // Violations are reported to the app (app/api/csp-reports/route.ts).
    expect(policy).toMatch(/; report-uri \/api\/csp-reports$/);
  });

  it('makes a fresh 128-bit nonce every time', () => {
    const nonces = new Set(Array.from({ length: 1000 }, newNonce));
    expect(nonces.size).toBe(1000);
    expect(Buffer.from([...nonces][0]!, 'base64')).toHaveLength(16);
  });

  it('tells pages from the API and static files', () => {
    expect(isPagePath('/')).toBe(true);
    expect(isPagePath('/jobs/1')).toBe(true);
    expect(isPagePath('/api/jobs')).toBe(false);
    expect(isPagePath('/_next/static/chunks/a.js')).toBe(false);
    // The bench build's bare routes: never pages, so the product's 404 there gets the strict API policy.
    expect(isPagePath('/bench-only/bare')).toBe(false);
  });
});
