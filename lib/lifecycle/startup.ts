// Start-up before traffic: validate env, prepare the database. server.ts awaits this before it
// listens; instrumentation.ts calls it too (for `next dev`), where it is then a no-op.
import { getEnv } from '../env';
import { prepareDatabase } from '../db/prepare';
import { logger } from '../logger';
import { processSingleton } from '../process-singleton';
import { appTracer } from '../telemetry/app-tracer';
import { lifecycleState, markStartupComplete } from './state';


async function runStartup(): Promise<void> {
  const started = performance.now();
  getEnv();
  const db = await prepareDatabase();
  markStartupComplete({ migration: db.migration });
  logger.info(
    { event: 'database_ready', db_kind: db.kind, migration: db.migration, migrations_applied: db.appliedNow.length, seeded: db.seeded, duration_ms: Math.round(performance.now() - started) },
    'database ready',
  );
}

export function startup(): Promise<void> {
  if (lifecycleState().startupComplete) return Promise.resolve();
  // One trace for start-up, so its queries do not appear as stray root spans. Through appTracer(), as
  // every span of ours: a span through the global proxy under our tracer's name would let Next's
  // patch of the proxy wrap that tracer for good (lib/telemetry/app-tracer.test.ts).
  return processSingleton('startup', () => appTracer().startActiveSpan('startup', (span) => runStartup().finally(() => span.end())));
}
