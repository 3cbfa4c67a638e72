// Before readiness says 200, the server sends itself its main routes, round after round until the
// rounds stop getting faster, so the first real users (a whole load balancer's share of them
// during a rolling deploy) do not pay for loading route modules and unoptimised code — measured:
// a cold instance under 150 requests/s shed hundreds of them (docs/operations.md).
import http from 'node:http';
import { logger } from '../logger';
import { API_ROUTES, type WarmUp } from '../http/api-routes';
import { WARM_UP_HEADER, warmUpToken } from '../http/warm-up-request';
import { markWarm } from './state';

type WarmUpRequest = [method: string, path: string, body?: string];

/** The API routes declared with warm-up requests (lib/http/api-routes.ts), then the main pages. */
export function warmUpRequests(jobId: string): WarmUpRequest[] {
  const api = API_ROUTES.flatMap((route) =>
    route.warmUp.map((request: WarmUp): WarmUpRequest => [route.method, `${route.path.replace('[id]', jobId)}${request.query ? `?${request.query}` : ''}`, request.body]),
  );
  return [...api, ['GET', '/'], ['GET', `/jobs/${jobId}`]];
}

// Steady: the median of the last WINDOW rounds is no more than STEADY_GAIN faster than the median
// of the WINDOW rounds before (medians, because single rounds on a shared machine are noisy).
// Windows of 3, not 5 (2026-12-06): 8 starts on Postgres ran 40 rounds each (docs/performance.md,
// item 18). Rounds fall from ~390 ms to ~100 ms by the third, then slowly to a plateau of ~70 ms by
// the thirtieth. Windows of 5 stopped after 10-14 rounds (1.37-1.76 s of rounds) with the next
// rounds 1.04-1.19x the plateau; windows of 3 after 6-9 (0.92-1.26 s), at 1.12-1.29x. The first
// round is 5-6x the plateau; what is left after round 6 is the JIT's slow tail.
const WINDOW = 3;
const STEADY_GAIN = 0.1;
// Clients at once: more calls per second through the hot paths than one sequential client gives.
const PARALLEL = 2;

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

// The client is node:http on a keep-alive agent, not fetch: it runs on the thread it warms, so its
// cost is in every round (measured: rounds 2-10 took a median 0.85x as long as with fetch, 8
// alternated starts). Nor is it traced: undici's instrumentation made each warm-up fetch a root
// span, so every warm-up request was sampled as a client span's child, not as a user's would be.
// It asks for gzip, as browsers do, and drains the bodies unread; only the first answer (identity) is read.
const REQUEST_TIMEOUT_MS = 10_000;

/** Sends one request; resolves with its body when `read`, else once the body has been drained unread. */
function send(agent: http.Agent, baseUrl: string, [method, path, body]: WarmUpRequest, { read = false } = {}): Promise<Buffer> {
  const headers: Record<string, string> = { [WARM_UP_HEADER]: warmUpToken(), 'accept-encoding': read ? 'identity' : 'gzip', ...(body ? { 'content-type': 'application/json' } : {}) };
  return new Promise((resolve, reject) => {
    const request = http.request(`${baseUrl}${path}`, { method, headers, agent, signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS) }, (response) => {
      const chunks: Buffer[] = [];
      if (read) response.on('data', (chunk: Buffer) => chunks.push(chunk));
      else response.resume();
      response.on('end', () => resolve(Buffer.concat(chunks)));
      response.on('error', reject);
    });
    request.on('error', (error) => reject(error.name === 'AbortError' ? new Error(`${method} ${path} took over ${REQUEST_TIMEOUT_MS} ms`) : error));
    request.end(body);
  });
}

async function warmUpRound(agent: http.Agent, baseUrl: string, requests: WarmUpRequest[]): Promise<number> {
  const started = performance.now();
  const client = async () => {
    for (const request of requests) await send(agent, baseUrl, request);
  };
  await Promise.all(Array.from({ length: PARALLEL }, client));
  return performance.now() - started;
}

export function isSteady(rounds: number[]): boolean {
  if (rounds.length < 2 * WINDOW) return false;
  const recent = median(rounds.slice(-WINDOW));
  const before = median(rounds.slice(-2 * WINDOW, -WINDOW));
  return recent >= before * (1 - STEADY_GAIN);
}

/**
 * Requests every main route in rounds until a round stops getting faster (the JIT has compiled the
 * hot paths and the caches are filled), or `maxMs` has passed. One request per route only loads the
 * modules: an instance that joined rotation then was still several times slower than its steady
 * state for its first seconds, at the moment it takes a whole share of the traffic.
 */
export async function warmUp(baseUrl: string, maxMs: number): Promise<void> {
  const started = performance.now();
  const rounds: number[] = [];
  const agent = new http.Agent({ keepAlive: true, maxSockets: PARALLEL });
  try {
    const first = await send(agent, baseUrl, ['GET', '/api/jobs?limit=1'], { read: true }).then((bytes) => JSON.parse(bytes.toString('utf8')) as { jobs?: { id: string }[] });
    const id = first.jobs?.[0]?.id ?? '00000000-0000-7000-8000-000000000000';
    const requests = warmUpRequests(id);
    while (performance.now() - started < maxMs && !isSteady(rounds)) rounds.push(await warmUpRound(agent, baseUrl, requests));
  } catch (error) {
    // Warm-up is an optimisation: failing it must not keep the instance out of rotation forever.
    logger.warn({ event: 'warm_up_failed', error: (error as Error).message }, 'warm-up failed; serving cold');
  } finally {
    agent.destroy();
  }
  markWarm();
  logger.info(
    {
      event: 'warm_up_completed',
      duration_ms: Math.round(performance.now() - started),
      rounds: rounds.length,
      round_ms: rounds.map(Math.round),
    },
    'routes warm; ready',
  );
}
