// Next.js 16 proxy (formerly middleware). Two jobs, split by path:
// - /api: per-user and per-IP rate limits before any route runs (lib/ratelimit/enforce.ts);
// - pages: a fresh CSP nonce per request (lib/http/security-headers.ts). Next reads the policy
//   from the request headers and puts the nonce on its own scripts; the browser gets the same policy.
// Probes and metrics never get here: our server answers them first. Static files are not matched.
import { NextResponse, type NextRequest } from 'next/server';
import { getEnv } from '@/lib/env';
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

export function proxy(request: NextRequest) {
  return request.nextUrl.pathname.startsWith('/api/') ? enforceRateLimits(request) : withContentSecurityPolicy(request);
}

export const config = { matcher: ['/((?!_next/static|_next/image|favicon\\.ico).*)'] };
