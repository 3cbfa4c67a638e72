// One interface for every policy: limit(policy, key) → { success, limit, remaining, reset }.
// Backend by env: UPSTASH_REDIS_REST_URL + _TOKEN → Upstash (REST); REDIS_URL → the same
// @upstash/ratelimit over TCP Redis (redis-adapter.ts); neither → in-memory. Failure policy: the
// shared limiter gets RATE_LIMIT_TIMEOUT_MS (300 ms); any error or timeout decides with this
// instance's in-memory limiter instead (abuse still capped per instance), logged once per
// episode and counted. A limiter outage never becomes a 500.
// Created at start-up (startRateLimiter, from server.ts) so that its Redis connection, readiness
// check and shutdown hook exist before the instance says ready; free of `server-only` for that
// reason, like lib/env.ts (server.ts runs outside React's server condition).
import { Ratelimit } from '@upstash/ratelimit';
import { Redis as UpstashRedis } from '@upstash/redis';
import { Redis as IORedis } from 'ioredis';
import { getEnv } from '../env';
import { failureEpisode } from '../failure-episode';
import { processSingleton } from '../process-singleton';
import { withTimeout } from '../with-timeout';
import { logger } from '../logger';
import { registerReadinessCheck } from '../lifecycle/probes';
import { registerShutdownHook } from '../lifecycle/shutdown-hooks';
import { type LimitResult, MemorySlidingWindow } from './memory-limiter';
import { recordLimiterDecision, recordLimiterFallback } from './metrics';
import { loadPolicies, type PolicyName } from './policies';
import { createRatelimitRedisAdapter } from './redis-adapter';

export type { LimitResult };
type Backend = 'upstash' | 'redis' | 'memory';
type SharedLimiter = { backend: Backend; limiters: Record<PolicyName, Ratelimit> | null };

function createState() {
  const env = getEnv();
  const policies = loadPolicies(env);
  const memory = new MemorySlidingWindow();
  let redis: IORedis | null = null;
  let upstash: UpstashRedis | null = null;
  let backend: Backend = 'memory';

  if (env.UPSTASH_REDIS_REST_URL && env.UPSTASH_REDIS_REST_TOKEN) {
    upstash = new UpstashRedis({ url: env.UPSTASH_REDIS_REST_URL, token: env.UPSTASH_REDIS_REST_TOKEN, retry: false });
    backend = 'upstash';
  } else if (env.REDIS_URL) {
    redis = new IORedis(env.REDIS_URL, {
      lazyConnect: false,
      enableOfflineQueue: false, // fail at once while disconnected instead of queueing
      maxRetriesPerRequest: 0,
      connectTimeout: 1_000,
      commandTimeout: env.RATE_LIMIT_TIMEOUT_MS,
      retryStrategy: (attempt) => Math.min(attempt * 200, 2_000),
    });
    redis.on('error', () => {}); // reported through decisions and readiness, not crashed on
    registerShutdownHook('redis', async () => {
      // QUIT waits for a reply that a dead Redis never sends: give it a second, then drop the socket.
      await withTimeout(redis!.quit(), 1_000, 'Redis QUIT').catch(() => undefined);
      redis?.disconnect();
    });
    registerReadinessCheck('redis', async () => {
      const started = performance.now();
      try {
        await withTimeout(redis!.ping(), env.READINESS_DB_TIMEOUT_MS, 'Redis PING');
        return { ok: true, latency_ms: Math.round(performance.now() - started) };
      } catch (error) {
        // Whether a Redis failure fails readiness is a setting (docs/rate-limiting.md).
        return { ok: !env.READINESS_REQUIRE_REDIS, latency_ms: Math.round(performance.now() - started), detail: (error as Error).message };
      }
    });
    backend = 'redis';
  } else if (env.APP_ENV === 'production') {
    logger.warn({ event: 'ratelimit_memory_backend' }, 'no REDIS_URL or UPSTASH_REDIS_REST_URL: rate limits are per instance');
  }

  const client = upstash ?? (redis ? createRatelimitRedisAdapter(redis) : null);
  const shared: SharedLimiter = {
    backend,
    limiters: client
      ? (Object.fromEntries(
          Object.values(policies).map((policy) => [
            policy.name,
            new Ratelimit({
              redis: client,
              limiter: Ratelimit.slidingWindow(policy.limit, policy.window as `${number} ${'s' | 'm' | 'h' | 'd'}`),
              prefix: `${env.RATE_LIMIT_PREFIX}:${policy.name}`,
              ephemeralCache: false, // identical semantics on every instance and in tests
              analytics: false,
              timeout: 0, // our own timeout and fallback decide instead of the library's fail-open
            }),
          ]),
        ) as Record<PolicyName, Ratelimit>)
      : null,
  };
  const episode = failureEpisode({
    failed: { event: 'ratelimit_backend_failed', message: 'shared rate limiter unavailable: deciding per instance' },
    recovered: { event: 'ratelimit_backend_recovered', message: 'the shared rate limiter answers again' },
  });
  return { env, policies, memory, shared, episode };
}

const state = () => processSingleton('ratelimit', createState);

/** Opens the shared backend (Redis: connection, readiness check, shutdown hook) once per process. */
export function startRateLimiter(): void {
  state();
}

export type Decision = LimitResult & { policy: PolicyName; backend: Backend | 'memory-fallback' };

export async function limit(name: PolicyName, key: string): Promise<Decision> {
  const s = state();
  const { limit: max, windowMs } = s.policies[name];
  const started = performance.now();
  let decision: Decision;
  const limiter = s.shared.limiters?.[name];
  if (!limiter) {
    decision = { ...s.memory.limit(`${name}:${key}`, max, windowMs), policy: name, backend: 'memory' };
  } else {
    try {
      const result = await withTimeout(limiter.limit(key), s.env.RATE_LIMIT_TIMEOUT_MS, 'rate limiter');
      decision = { success: result.success, limit: result.limit, remaining: result.remaining, reset: result.reset, policy: name, backend: s.shared.backend };
      s.episode.success({ backend: s.shared.backend, policy: name });
    } catch (error) {
      recordLimiterFallback(name);
      s.episode.failure({ backend: s.shared.backend, error: (error as Error).message });
      decision = { ...s.memory.limit(`${name}:${key}`, max, windowMs), policy: name, backend: 'memory-fallback' };
    }
  }
  recordLimiterDecision(name, decision.success ? 'allowed' : 'limited', decision.backend, (performance.now() - started) / 1000);
  return decision;
}
