// The capacity readiness reports (lib/lifecycle/probes.ts: the database pool, the admission
// queue) and readiness itself (`app_ready`, `app_readiness_check{check}`: what /api/readyz would
// answer, 1 or 0) as metrics, read once per scrape. Here rather than in lib/telemetry, which sits below
// the database and the server and imports neither.
import { metrics } from '@opentelemetry/api';
import { processSingleton } from '../process-singleton';
import { capacityReport, readinessReport } from './probes';

/** Once per process (server.ts, and instrumentation.ts under `next dev`). */
export function startCapacityMetrics() {
  processSingleton('capacityMetrics', registerGauges);
}

function registerGauges() {
  const m = metrics.getMeter('jobboard');
  const poolName = { 'db.client.connection.pool.name': 'jobboard' };
  const connections = m.createObservableGauge('db.client.connection.count', { unit: '{connection}', description: 'Database connections by state.' });
  const pending = m.createObservableGauge('db.client.connection.pending_requests', { unit: '{request}', description: 'Requests waiting for a database connection.' });
  const max = m.createObservableGauge('db.client.connection.max', { unit: '{connection}', description: 'Database pool size.' });
  const admissionActive = m.createObservableGauge('app.admission.active', { unit: '{request}', description: 'Requests being worked on (at most LOAD_SHED_MAX_CONCURRENT).' });
  const admissionQueued = m.createObservableGauge('app.admission.queued', { unit: '{request}', description: 'Requests waiting for an admission slot.' });
  m.addBatchObservableCallback(
    (result) => {
      const capacity = capacityReport(); // undefined until start-up is complete
      if (!capacity) return;
      result.observe(connections, capacity.pool.in_use, { ...poolName, 'db.client.connection.state': 'used' });
      result.observe(connections, capacity.pool.idle, { ...poolName, 'db.client.connection.state': 'idle' });
      result.observe(pending, capacity.pool.waiting, poolName);
      result.observe(max, capacity.pool.max, poolName);
      if (capacity.active !== undefined) result.observe(admissionActive, capacity.active);
      if (capacity.queued !== undefined) result.observe(admissionQueued, capacity.queued);
    },
    [connections, pending, max, admissionActive, admissionQueued],
  );
  // The same single-flighted, briefly cached checks as the probe: a scrape costs at most one
  // database round trip per READINESS_CACHE_MS, bounded by READINESS_DB_TIMEOUT_MS.
  const ready = m.createObservableGauge('app.ready', { description: 'Whether /api/readyz would answer 200 (1) or 503 (0).' });
  const readinessCheck = m.createObservableGauge('app.readiness.check', { description: 'Each readiness check: 1 passing, 0 failing.' });
  m.addBatchObservableCallback(
    async (result) => {
      const report = await readinessReport();
      result.observe(ready, report.status === 'ready' ? 1 : 0);
      for (const [check, { ok }] of Object.entries(report.checks)) result.observe(readinessCheck, ok ? 1 : 0, { check });
    },
    [ready, readinessCheck],
  );
  return true;
}
