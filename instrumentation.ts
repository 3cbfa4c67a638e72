// Runs once per server process before the first request. Our production server (server.ts)
// has already started both by then, so these calls are no-ops there; under `next dev` they do the work.
export async function register() {
  if (process.env.NEXT_RUNTIME !== 'nodejs') return;
  const { startTelemetry } = await import('./lib/telemetry/start');
  startTelemetry();
  const { startup } = await import('./lib/lifecycle/startup');
  await startup();
  const { startRateLimiter } = await import('./lib/ratelimit/limiter');
  startRateLimiter();
}
