// Warm-up requests (lib/lifecycle/warm-up.ts) carry a random per-process token, so that they spend
// nobody's rate-limit budget (lib/ratelimit/enforce.ts); a client cannot know it (it never leaves
// the process). Here, below both, so that neither imports the other.
import { randomUUID } from 'node:crypto';
import { peekProcessSingleton, processSingleton } from '../process-singleton';

export const WARM_UP_HEADER = 'x-jobboard-warm-up';

/** The token this process's warm-up sends (created on first use). */
export const warmUpToken = () => processSingleton('warmUpToken', () => randomUUID());

export function isWarmUpRequest(headers: Headers): boolean {
  const token = peekProcessSingleton<string>('warmUpToken');
  return token !== undefined && headers.get(WARM_UP_HEADER) === token;
}
