// One interface for every policy: limit(policy, key) → { success, limit, remaining, reset }.
// Backend by env: UPSTASH_REDIS_REST_URL + _TOKEN → Upstash (REST); REDIS_URL → the same
// @upstash/ratelimit over TCP Redis (redis-adapter.ts); neither → in-memory. Failure policy: the
// shared limiter gets RATE_LIMIT_TIMEOUT_MS (300 ms); any error or timeout decides with this
// instance's in-memory limiter instead (abuse still capped per instance), logged once per
// episode and counted. A limiter outage never becomes a 500.
// Created at start-up (startRateLimiter, from server.ts, which registers the Redis readiness check
// and shutdown hook it returns) so they exist before the instance says ready; free of
// `server-only` for that reason, like lib/env.ts (server.ts runs outside React's server condition).
// The shared backend's client modules are loaded only when one is configured: importing ioredis,
// @upstash/redis and @upstash/ratelimit took 61–72 ms in a bare Node 24 process without the
// compile cache. With it, in the built server, the start listened ~47 ms sooner with both this and
// the embedded database's modules left out (docs/performance.md, Start → ready).
import type { Ratelimit } from '@upstash/ratelimit';
import type { Redis as UpstashRedis } from '@upstash/redis';
import type { Redis as IORedis } from 'ioredis';
import { getEnv } from '../env';
import { type FailureEpisode, failureEpisode } from '../failure-episode';
import { processSingleton } from '../process-singleton';
import { withTimeout } from '../with-timeout';
import { logger } from '../logger';
import { type LimitResult, MemorySlidingWindow } from './memory-limiter';
import { recordLimiterDecision, recordLimiterFallback } from './metrics';
import { loadPolicies, type Policy, type PolicyName } from '../rate-limit-policies';
import { createRatelimitRedisAdapter } from './redis-adapter';

export type { LimitResult };
type Backend = 'upstash' | 'redis' | 'memory';
/** What a shared (Redis/Upstash) limiter must do; @upstash/ratelimit's Ratelimit does it. */
type SharedPolicyLimiter = { limit(key: string): Promise<LimitResult> };
type SharedLimiter = { backend: Backend; limiters: Record<PolicyName, SharedPolicyLimiter> | null };
export type LimiterResources = {
  redis: { check: () => Promise<{ ok: boolean; latency_ms: number; detail?: string }>; close: () => Promise<void> } | null;
};

async function createState() {
  const env = getEnv();
  const policies = loadPolicies(env);
  const memory = new MemorySlidingWindow();
  let redis: IORedis | null = null;
  let upstash: UpstashRedis | null = null;
  let backend: Backend = 'memory';

  if (env.UPSTASH_REDIS_REST_URL && env.UPSTASH_REDIS_REST_TOKEN) {
    const { Redis: UpstashRedis } = await import('@upstash/redis');
    upstash = new UpstashRedis({ url: env.UPSTASH_REDIS_REST_URL, token: env.UPSTASH_REDIS_REST_TOKEN, retry: false });
    backend = 'upstash';
  } else if (env.REDIS_URL) {
    const { Redis: IORedis } = await import('ioredis');
    redis = new IORedis(env.REDIS_URL, {
      lazyConnect: false,
      enableOfflineQueue: false, // fail at once while disconnected instead of queueing
      maxRetriesPerRequest: 0,
      connectTimeout: 1_000,
      commandTimeout: env.RATE_LIMIT_TIMEOUT_MS,
      retryStrategy: (attempt) => Math.min(attempt * 200, 2_000),
    });
    redis.on('error', () => {}); // reported through decisions and readiness, not crashed on
    backend = 'redis';
  } else if (env.APP_ENV === 'production') {
    logger.warn({ event: 'ratelimit_memory_backend' }, 'no REDIS_URL or UPSTASH_REDIS_REST_URL: rate limits are per instance');
  }

  const client = upstash ?? (redis ? createRatelimitRedisAdapter(redis) : null);
  const shared: SharedLimiter = { backend, limiters: client ? await slidingWindows(client, policies, env.RATE_LIMIT_PREFIX) : null };
  const episode = failureEpisode({
    failed: { event: 'ratelimit_backend_failed', message: 'shared rate limiter unavailable: deciding per instance' },
    recovered: { event: 'ratelimit_backend_recovered', message: 'the shared rate limiter answers again' },
  });
  // What server.ts registers: Redis's readiness check and its shutdown hook.
  const resources: LimiterResources = { redis: redis ? redisResources(redis, env) : null };
  return { env, policies, memory, shared, episode, resources };
}

/** One @upstash/ratelimit sliding window per policy on the shared backend. */
async function slidingWindows(redis: UpstashRedis | ReturnType<typeof createRatelimitRedisAdapter>, policies: Record<PolicyName, Policy>, prefix: string): Promise<Record<PolicyName, Ratelimit>> {
  const { Ratelimit: SlidingWindowLimiter } = await import('@upstash/ratelimit');
  return Object.fromEntries(
    Object.values(policies).map((policy) => [
      policy.name,
      new SlidingWindowLimiter({
        redis,
        limiter: SlidingWindowLimiter.slidingWindow(policy.limit, policy.window as `${number} ${'s' | 'm' | 'h' | 'd'}`),
        prefix: `${prefix}:${policy.name}`,
        ephemeralCache: false, // identical semantics on every instance and in tests
        analytics: false,
        timeout: 0, // our own timeout and fallback decide instead of the library's fail-open
      }),
    ]),
  ) as Record<PolicyName, Ratelimit>;
}

function redisResources(redis: IORedis, env: ReturnType<typeof getEnv>): NonNullable<LimiterResources['redis']> {
  return {
    check: async () => {
      const started = performance.now();
      try {
        await withTimeout(redis.ping(), env.READINESS_DB_TIMEOUT_MS, 'Redis PING');
        return { ok: true, latency_ms: Math.round(performance.now() - started) };
      } catch (error) {
        // Whether a Redis failure fails readiness is a setting (docs/rate-limiting.md).
        return { ok: !env.READINESS_REQUIRE_REDIS, latency_ms: Math.round(performance.now() - started), detail: (error as Error).message };
      }
    },
    close: async () => {
      // QUIT waits for a reply that a dead Redis never sends: give it a second, then drop the socket.
      await withTimeout(redis.quit(), 1_000, 'Redis QUIT').catch(() => undefined);
      redis.disconnect();
    },
  };
}

/** Once per process; a promise, since the shared backend's modules load on first use. */
const state = () => processSingleton('ratelimit', createState);

/** Opens the shared backend once per process; the caller registers its readiness check and shutdown hook. */
export async function startRateLimiter(): Promise<LimiterResources> {
  return (await state()).resources;
}

export type Decision = LimitResult & { policy: PolicyName; backend: Backend | 'memory-fallback' };

/**
 * One decision: the shared limiter within `timeoutMs`, else (error or timeout) this instance's
 * memory limiter, with the failure episode told either way. No env, no metrics: unit-tested on a
 * fake clock (limiter.test.ts).
 */
export async function decide(
  core: { policies: Record<PolicyName, Policy>; memory: MemorySlidingWindow; shared: SharedLimiter; timeoutMs: number; episode: Pick<FailureEpisode, 'failure' | 'success'> },
  name: PolicyName,
  key: string,
): Promise<Decision> {
  const { limit: max, windowMs } = core.policies[name];
  const limiter = core.shared.limiters?.[name];
  if (!limiter) return { ...core.memory.limit(`${name}:${key}`, max, windowMs), policy: name, backend: 'memory' };
  try {
    const result = await withTimeout(limiter.limit(key), core.timeoutMs, 'rate limiter');
    core.episode.success({ backend: core.shared.backend, policy: name });
    return { success: result.success, limit: result.limit, remaining: result.remaining, reset: result.reset, policy: name, backend: core.shared.backend };
  } catch (error) {
    core.episode.failure({ backend: core.shared.backend, error: (error as Error).message });
    return { ...core.memory.limit(`${name}:${key}`, max, windowMs), policy: name, backend: 'memory-fallback' };
  }
}

export async function limit(name: PolicyName, key: string): Promise<Decision> {
  const s = await state();
  const started = performance.now();
  const decision = await decide({ ...s, timeoutMs: s.env.RATE_LIMIT_TIMEOUT_MS }, name, key);
  if (decision.backend === 'memory-fallback') recordLimiterFallback(name);
  recordLimiterDecision(name, decision.success ? 'allowed' : 'limited', decision.backend, (performance.now() - started) / 1000);
  return decision;
}
