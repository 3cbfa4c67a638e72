// Next.js 16 proxy (formerly middleware): per-user and per-IP rate limits before any route runs
// (lib/ratelimit/enforce.ts). Probes and metrics never get here: our server answers them first.
import type { NextRequest } from 'next/server';
import { enforceRateLimits } from '@/lib/ratelimit/enforce';

export function proxy(request: NextRequest) {
  return enforceRateLimits(request);
}

export const config = { matcher: ['/api/:path*'] };
