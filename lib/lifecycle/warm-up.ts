// Before readiness says 200, the server sends itself one request per main route, so the first
// real users (a whole load balancer's share of them during a rolling deploy) do not pay for
// loading route modules — measured: a cold instance under 150 requests/s shed hundreds of them.
import { randomUUID } from 'node:crypto';
import { logger } from '../logger';
import { markWarm } from './state';

// Warm-up requests carry a random per-process token, so that they spend nobody's rate-limit
// budget; a client cannot know it (it never leaves the process).
export const WARM_UP_HEADER = 'x-jobboard-warm-up';
const TOKEN = Symbol.for('jobboard.warmUpToken');
type GlobalWithToken = typeof globalThis & { [TOKEN]?: string };
function warmUpToken(): string {
  const store = globalThis as GlobalWithToken;
  store[TOKEN] ??= randomUUID();
  return store[TOKEN];
}
export function isWarmUpRequest(headers: Headers): boolean {
  const token = (globalThis as GlobalWithToken)[TOKEN];
  return token !== undefined && headers.get(WARM_UP_HEADER) === token;
}

const WARM_UP_REQUESTS: [string, string, string?][] = [
  ['GET', '/api/jobs?limit=1'],
  ['GET', '/api/jobs?limit=20&q=engineer'],
  ['GET', '/api/me/applications'],
  ['POST', '/api/auth/sign-in/email', '{}'],
  ['POST', '/api/auth/sign-up/email', '{}'],
  ['GET', '/'],
];

export async function warmUp(baseUrl: string): Promise<void> {
  const started = performance.now();
  try {
    const jobs = (await (await fetch(`${baseUrl}/api/jobs?limit=1`, { headers: { [WARM_UP_HEADER]: warmUpToken() }, signal: AbortSignal.timeout(10_000) })).json()) as { jobs?: { id: string }[] };
    const id = jobs.jobs?.[0]?.id ?? '00000000-0000-7000-8000-000000000000';
    const requests: [string, string, string?][] = [...WARM_UP_REQUESTS, ['GET', `/api/jobs/${id}`], ['POST', `/api/jobs/${id}/applications`, '{}'], ['GET', `/jobs/${id}`], ['POST', '/api/jobs', '{}']];
    for (const [method, path, body] of requests) {
      const headers: Record<string, string> = { [WARM_UP_HEADER]: warmUpToken(), ...(body ? { 'content-type': 'application/json' } : {}) };
      const response = await fetch(`${baseUrl}${path}`, { method, body, headers, signal: AbortSignal.timeout(10_000) });
      await response.arrayBuffer();
    }
  } catch (error) {
    // Warm-up is an optimisation: failing it must not keep the instance out of rotation forever.
    logger.warn({ event: 'warm_up_failed', error: (error as Error).message }, 'warm-up failed; serving cold');
  }
  markWarm();
  logger.info({ event: 'warm_up_completed', duration_ms: Math.round(performance.now() - started) }, 'routes warm; ready');
}
