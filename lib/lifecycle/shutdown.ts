// SIGTERM/SIGINT (docs/operations.md): readiness fails at once, we keep serving for the pre-stop
// window so load balancers stop routing, then stop accepting, let in-flight requests and Next's
// after() work finish, flush telemetry, close clients and the pool, and exit 0 — or exit 1 naming
// the requests still running if the drain deadline passes. A second signal never cuts it short.
import type http from 'node:http';
import { closeDatabase } from '../db/client';
import { getEnv } from '../env';
import { logger } from '../logger';
import type { InFlightTracker } from './in-flight';
import { shutdownHooks } from './shutdown-hooks';
import { markDraining } from './state';

type Closable = { close(): Promise<void> };
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const since = (start: number) => Math.round(performance.now() - start);

type Server = Pick<http.Server, 'close' | 'closeIdleConnections' | 'closeAllConnections'>;

/** The whole sequence after the first signal; ends the process (exported for its unit test). */
export async function drain(signal: NodeJS.Signals, server: Server, app: Closable, inFlight: InFlightTracker) {
  const env = getEnv();
  const started = performance.now();
  markDraining();
  logger.info(
    { event: 'shutdown_started', signal, in_flight: inFlight.size, prestop_ms: env.PRESTOP_DELAY_MS, timeout_ms: env.SHUTDOWN_TIMEOUT_MS },
    'draining: readiness now fails',
  );
  await sleep(env.PRESTOP_DELAY_MS);

  const closing = performance.now();
  const deadline = setTimeout(() => {
    logger.error(
      { event: 'shutdown_timeout', in_flight: inFlight.list(), duration_ms: since(started), timeout_ms: env.SHUTDOWN_TIMEOUT_MS },
      `drain deadline passed with ${inFlight.size} request(s) still running`,
    );
    process.exit(1);
  }, env.SHUTDOWN_TIMEOUT_MS);

  const listenerClosed = new Promise<void>((resolve) => server.close(() => resolve()));
  inFlight.markAllConnectionClose();
  server.closeIdleConnections();
  await inFlight.idle();
  const drainMs = since(closing);
  await app.close().catch((error: unknown) => logger.warn({ event: 'shutdown_step_failed', step: 'next', err: error }, 'closing Next failed'));
  // Sockets whose last response just finished close on their own (Connection: close); give
  // them a moment, then close whatever is left idle.
  await Promise.race([listenerClosed, sleep(1_000)]);
  server.closeAllConnections();

  for (const hook of shutdownHooks()) {
    const hookStarted = performance.now();
    await hook.run().catch((error: unknown) => logger.warn({ event: 'shutdown_step_failed', step: hook.name, err: error }, `${hook.name} failed to close`));
    logger.debug({ event: 'shutdown_step_completed', step: hook.name, duration_ms: since(hookStarted) }, `${hook.name} closed`);
  }
  await closeDatabase().catch((error: unknown) => logger.warn({ event: 'shutdown_step_failed', step: 'database', err: error }, 'closing the database failed'));
  clearTimeout(deadline);
  logger.info(
    { event: 'shutdown_completed', signal, duration_ms: since(started), prestop_ms: env.PRESTOP_DELAY_MS, drain_ms: drainMs, close_ms: since(closing) - drainMs },
    'drained, exiting 0',
  );
  process.exit(0);
}

/** The signal handler: the first signal starts the drain, later ones are logged and change nothing. */
export function shutdownOnFirstSignal({ server, app, inFlight }: { server: Server; app: Closable; inFlight: InFlightTracker }) {
  let shuttingDown = false;
  return (signal: NodeJS.Signals) => {
    if (shuttingDown) {
      logger.warn({ event: 'shutdown_signal_repeated', signal, in_flight: inFlight.size }, 'already draining; the drain continues');
      return;
    }
    shuttingDown = true;
    void drain(signal, server, app, inFlight);
  };
}

export function installShutdownHandlers(parts: { server: http.Server; app: Closable; inFlight: InFlightTracker }) {
  const onSignal = shutdownOnFirstSignal(parts);
  process.on('SIGTERM', onSignal);
  process.on('SIGINT', onSignal);
}
