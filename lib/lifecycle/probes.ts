// Liveness and readiness (docs/operations.md). Liveness touches nothing but memory. Readiness
// checks dependencies, single-flighted and cached briefly so a probe storm costs one database
// round trip per cache period; draining is read live, so readiness flips the instant SIGTERM lands.
// Capacity (pool, in-flight requests, event-loop delay, shedding) is reported in the body but never
// judged: every instance feels the same load at once, so a readiness that failed on load would
// take the whole fleet out of rotation together. Overload is load shedding's job (fast 503s).
import { getDatabase } from '../db/client';
import { dbPolicies } from '../resilience/policy';
import { getEnv } from '../env';
import { peekProcessSingleton, processSingleton, setProcessSingleton } from '../process-singleton';
import { appVersion } from '../version';
import { lifecycleState } from './state';

export type Check = { ok: boolean; latency_ms: number; detail?: string };
export type Capacity = {
  pool: { in_use: number; idle: number; waiting: number; max: number };
  in_flight?: number;
  in_flight_limit?: number;
  active?: number;
  active_limit?: number;
  queued?: number;
  event_loop_delay_p99_ms?: number;
  shed_last_10s?: number;
};
export type ReadinessReport = { status: 'ready' | 'not_ready'; checks: Record<string, Check>; capacity?: Capacity };
type DependencyCheck = () => Promise<Check>;

const started = Date.now();

export function livenessReport() {
  return { status: 'ok' as const, uptime_s: Math.round((Date.now() - started) / 1000), version: appVersion() };
}

async function timed(run: () => Promise<string | undefined>): Promise<Check> {
  const begin = performance.now();
  try {
    const detail = await run();
    return { ok: true, latency_ms: Math.round(performance.now() - begin), ...(detail ? { detail } : {}) };
  } catch (error) {
    return { ok: false, latency_ms: Math.round(performance.now() - begin), detail: (error as Error).message };
  }
}

// Other modules add their dependency checks here (the rate limiter's Redis, at start-up); the
// breaker and draining are read directly below.
const extraChecks = () => processSingleton('readinessChecks', () => new Map<string, DependencyCheck>());
export function registerReadinessCheck(name: string, check: DependencyCheck) {
  extraChecks().set(name, check);
}

/** Read live, like draining: a cached "warming up" would keep a warm instance out for a cache period. */
function startupCheck(): Check {
  const state = lifecycleState();
  return state.startupComplete && state.warm
    ? { ok: true, latency_ms: 0, detail: `migration ${state.migration ?? 'none'}, warm` }
    : { ok: false, latency_ms: 0, detail: state.startupComplete ? 'warming up' : 'starting' };
}

async function dependencyChecks(): Promise<Record<string, Check>> {
  const env = getEnv();
  const checks: Record<string, Check> = {};
  if (!lifecycleState().startupComplete) return checks;
  const db = getDatabase();
  const named = [...extraChecks()].map(async ([name, check]) => [name, await check()] as const);
  const [database, ...extra] = await Promise.all([
    timed(async () => {
      await db.ping(env.READINESS_DB_TIMEOUT_MS);
      return undefined;
    }),
    ...named,
  ]);
  checks.database = database;
  for (const [name, check] of extra) checks[name] = check;
  return checks;
}

// Our server (server.ts) adds what only it knows: requests in flight, event-loop delay, shedding.
type ServerLoad = Omit<Capacity, 'pool'>;
export function registerServerLoadSource(source: () => ServerLoad) {
  setProcessSingleton('serverLoadSource', source);
}

/** Read live (no I/O): how busy this instance is, for operators and load balancers that weigh. */
export function capacityReport(): Capacity | undefined {
  if (!lifecycleState().startupComplete) return undefined;
  const pool = getDatabase().poolStats();
  return { pool: { in_use: pool.inUse, idle: pool.idle, waiting: pool.waiting, max: pool.max }, ...peekProcessSingleton<() => ServerLoad>('serverLoadSource')?.() };
}

/** The breaker is reported, not judged: an open breaker still serves degraded reads. */
function breakerCheck(): Check {
  const policies = dbPolicies();
  const state = policies.state();
  return { ok: true, latency_ms: 0, detail: state === 'open' ? `open, next probe in ${policies.secondsUntilProbe()} s` : state };
}

let cached: { at: number; checks: Record<string, Check> } | undefined;
let inFlight: Promise<Record<string, Check>> | undefined;

async function cachedDependencyChecks(): Promise<Record<string, Check>> {
  const maxAge = getEnv().READINESS_CACHE_MS;
  // Until start-up and warm-up are done, nothing is cached: the database is checked on every probe.
  const state = lifecycleState();
  if (cached && Date.now() - cached.at < maxAge && state.startupComplete && state.warm) return cached.checks;
  inFlight ??= dependencyChecks()
    .then((checks) => {
      // Before start-up completes there is nothing to check yet: never cache that as an answer.
      if (checks.database) cached = { at: Date.now(), checks };
      return checks;
    })
    .finally(() => {
      inFlight = undefined;
    });
  return inFlight;
}

export async function readinessReport(): Promise<ReadinessReport> {
  const draining = lifecycleState().draining;
  const dependencies = await cachedDependencyChecks();
  const checks = {
    startup: startupCheck(),
    ...dependencies,
    circuit_breaker: breakerCheck(),
    draining: { ok: !draining, latency_ms: 0, ...(draining ? { detail: 'shutting down' } : {}) },
  };
  const capacity = capacityReport();
  return { status: Object.values(checks).every((check) => check.ok) ? 'ready' : 'not_ready', checks, ...(capacity ? { capacity } : {}) };
}
