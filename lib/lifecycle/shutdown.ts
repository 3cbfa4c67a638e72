// SIGTERM/SIGINT: stop routing (readiness 503), keep serving through a short pre-stop window,
// stop accepting, drain in-flight requests, close the database, exit 0 (or 1 past the deadline).
import type http from 'node:http';
import { logger } from '../logger';
import { markDraining } from './state';

type Closable = { close(): Promise<void> };

const DATABASE = Symbol.for('jobboard.database');

function numberFromEnv(name: string, fallback: number): number {
  const value = Number(process.env[name]);
  return Number.isFinite(value) && value >= 0 ? value : fallback;
}

export function installShutdownHandlers({ server, app }: { server: http.Server; app: Closable }) {
  let shuttingDown = false;
  const onSignal = async (signal: NodeJS.Signals) => {
    if (shuttingDown) {
      logger.warn({ event: 'shutdown_signal_repeated', signal }, 'already draining; the drain continues');
      return;
    }
    shuttingDown = true;
    const started = performance.now();
    const preStopMs = numberFromEnv('PRESTOP_DELAY_MS', 5_000);
    const timeoutMs = numberFromEnv('SHUTDOWN_TIMEOUT_MS', 20_000);
    markDraining();
    logger.info({ event: 'shutdown_started', signal, prestop_ms: preStopMs, timeout_ms: timeoutMs }, 'draining');
    const deadline = setTimeout(() => {
      logger.error({ event: 'shutdown_timeout', duration_ms: Math.round(performance.now() - started) }, 'drain deadline passed');
      process.exit(1);
    }, preStopMs + timeoutMs);
    deadline.unref();
    await new Promise((resolve) => setTimeout(resolve, preStopMs));
    await new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeIdleConnections();
    });
    await app.close().catch(() => {});
    const db = (globalThis as { [DATABASE]?: Closable })[DATABASE];
    await db?.close().catch(() => {});
    logger.info({ event: 'shutdown_completed', duration_ms: Math.round(performance.now() - started) }, 'drained');
    process.exit(0);
  };
  process.on('SIGTERM', (signal) => void onSignal(signal));
  process.on('SIGINT', (signal) => void onSignal(signal));
}
