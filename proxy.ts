// Next.js 16 proxy (formerly middleware). Two jobs, split by path:
// - /api: cross-site writes refused (lib/http/same-origin.ts), then per-user and per-IP rate
//   limits before any route runs (lib/ratelimit/enforce.ts). The per-IP limit of GET/HEAD reads
//   is enforced from the same declaration by our server before Next, which then skips this proxy
//   (see the matcher); under `next dev` (no server.ts) this proxy enforces it too;
// - pages: a fresh CSP nonce per request (lib/http/security-headers.ts). Next reads the policy
//   from the request headers and puts the nonce on its own scripts; the browser gets the same policy.
// Probes and metrics never get here: our server answers them first. Static files are not matched.
import { NextResponse, type NextRequest } from 'next/server';
import { getEnv } from '@/lib/env';
import { errorBody } from '@/lib/api/error-body';
import { jsonResponse } from '@/lib/http/json-response';
import { matchApiRoute } from '@/lib/http/api-routes';
import { crossSiteWriteReason } from '@/lib/http/same-origin';
import { newNonce, pageContentSecurityPolicy } from '@/lib/http/security-headers';
import { enforceRateLimits } from '@/lib/ratelimit/enforce';

function withContentSecurityPolicy(request: NextRequest) {
  const policy = pageContentSecurityPolicy(newNonce(), { upgradeInsecureRequests: getEnv().APP_URL.startsWith('https://') });
  const requestHeaders = new Headers(request.headers);
  requestHeaders.set('Content-Security-Policy', policy);
  const response = NextResponse.next({ request: { headers: requestHeaders } });
  response.headers.set('Content-Security-Policy', policy);
  return response;
}

/** A state-changing API request from another site: 403 before it is counted or handled. */
function refuseCrossSite(request: NextRequest) {
  const reason = crossSiteWriteReason(request.method, request.headers, getEnv().APP_URL);
  if (!reason) return null;
  // Only a request about to be refused looks up its declaration: routes that change nothing accept any site.
  if (matchApiRoute(request.method, request.nextUrl.pathname)?.crossSite === 'accepted') return null;
  return jsonResponse(errorBody('cross_site_request', `Refused: this request came from another site (${reason}). Changes can only be made from this site's own pages.`), {
    status: 403,
  });
}

export function proxy(request: NextRequest) {
  if (!request.nextUrl.pathname.startsWith('/api/')) return withContentSecurityPolicy(request);
  return refuseCrossSite(request) ?? enforceRateLimits(request);
}

// Not matched: static files; the bench build's bare route (lib/http/security-headers.ts
// BENCH_ONLY_PREFIX); and the API reads our server has already limited per client IP before Next
// (lib/ratelimit/reads-before-next.ts): it sets this header on them and removes any a client sent.
// Running this proxy cost 1.36 ms of CPU per read, limiter included (docs/decisions/012-reads-limited-before-next.md).
export const config = {
  matcher: [{ source: '/((?!_next/static|_next/image|favicon\\.ico|bench-only/).*)', missing: [{ type: 'header', key: 'x-jobboard-limited-before-next' }] }],
};
