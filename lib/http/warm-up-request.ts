// Warm-up requests (lib/lifecycle/warm-up.ts) carry a random per-process token, so that they spend
// nobody's rate-limit budget (lib/ratelimit/enforce.ts); a client cannot know it (it never leaves
// the process). Here, below both, so that neither imports the other.
import { randomUUID } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import { peekProcessSingleton, processSingleton } from '../process-singleton';

export const WARM_UP_HEADER = 'x-jobboard-warm-up';

/** The token this process's warm-up sends (created on first use). */
export const warmUpToken = () => processSingleton('warmUpToken', () => randomUUID());

/** Fetch `Headers` (proxy.ts) or node:http's header object (our server, before Next). */
export function isWarmUpRequest(headers: Headers | IncomingHttpHeaders): boolean {
  const token = peekProcessSingleton<string>('warmUpToken');
  const sent = headers instanceof Headers ? headers.get(WARM_UP_HEADER) : headers[WARM_UP_HEADER];
  return token !== undefined && sent === token;
}
