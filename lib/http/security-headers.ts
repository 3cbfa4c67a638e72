// The browser-facing security headers (docs/security.md). Two halves:
// - staticSecurityHeaders(): the same on every response, set by our http.Server (server.ts)
//   before anything answers, so probes, shed 503s and Next's own responses all carry them;
// - pageContentSecurityPolicy(nonce): the per-request policy for HTML, set by proxy.ts with a
//   fresh nonce that Next puts on its own <script> tags (Next 16's documented nonce pattern).
// Responses that are not pages (the API, probes, metrics) get API_CONTENT_SECURITY_POLICY: they
// never need to run, load or frame anything.

/** Where pages report violations (app/api/csp-reports/route.ts). */
export const CSP_REPORT_PATH = '/api/csp-reports';

export const ONE_YEAR_S = 31_536_000;

/** Headers every response carries. HSTS only when the public URL is https (Fly terminates TLS for us). */
export function staticSecurityHeaders({ https }: { https: boolean }): Record<string, string> {
  return {
    'X-Content-Type-Options': 'nosniff',
    'Referrer-Policy': 'strict-origin-when-cross-origin',
    'Permissions-Policy': 'camera=(), microphone=(), geolocation=(), payment=(), usb=(), browsing-topics=()',
    'Cross-Origin-Opener-Policy': 'same-origin',
    // For browsers without CSP frame-ancestors; the policies below say the same.
    'X-Frame-Options': 'DENY',
    ...(https ? { 'Strict-Transport-Security': `max-age=${ONE_YEAR_S}; includeSubDomains` } : {}),
  };
}

export const API_CONTENT_SECURITY_POLICY = "default-src 'none'; frame-ancestors 'none'";

/**
 * The policy for HTML. 'strict-dynamic' lets the scripts Next marked with the nonce load the
 * chunks they need (the browser tracer's included); nothing else runs, not even same-origin files.
 */
export function pageContentSecurityPolicy(nonce: string, { upgradeInsecureRequests }: { upgradeInsecureRequests: boolean }): string {
  return [
    "default-src 'self'",
    `script-src 'self' 'nonce-${nonce}' 'strict-dynamic'`,
    `style-src 'self' 'nonce-${nonce}'`,
    "img-src 'self' data:",
    "font-src 'self'",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
    ...(upgradeInsecureRequests ? ['upgrade-insecure-requests'] : []),
    `report-uri ${CSP_REPORT_PATH}`,
  ].join('; ');
}

/** 128 random bits, base64: unguessable and fresh for every page. */
export function newNonce(): string {
  return Buffer.from(crypto.getRandomValues(new Uint8Array(16))).toString('base64');
}

/**
 * The bench build's bare routes (scripts/bench/run.mjs) live here. proxy.ts's matcher skips the
 * prefix, so in the product these paths are Next's 404 with the strict API policy, never a page.
 */
export const BENCH_ONLY_PREFIX = '/bench-only/';

/** Paths whose responses are pages (HTML or Next's RSC payloads) and get the nonce policy from proxy.ts. */
export function isPagePath(pathname: string): boolean {
  return !pathname.startsWith('/api/') && pathname !== '/api' && !pathname.startsWith('/_next/') && !pathname.startsWith(BENCH_ONLY_PREFIX);
}
