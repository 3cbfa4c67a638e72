// Runs once per server process before the first request. Our production server (server.ts)
// has already started all of these by then, so these calls are no-ops there; under `next dev` they
// do the work (no shutdown hooks: `next dev` is stopped, not drained).
export async function register() {
  if (process.env.NEXT_RUNTIME !== 'nodejs') return;
  const { startTelemetry } = await import('./lib/telemetry/start');
  startTelemetry();
  const { startup } = await import('./lib/lifecycle/startup');
  await startup();
  const { startRateLimiter } = await import('./lib/ratelimit/limiter');
  const limiter = await startRateLimiter();
  if (limiter.redis) {
    const { registerReadinessCheck } = await import('./lib/lifecycle/probes');
    registerReadinessCheck('redis', limiter.redis.check);
  }
  const { startCapacityMetrics } = await import('./lib/lifecycle/capacity-metrics');
  startCapacityMetrics();
}
