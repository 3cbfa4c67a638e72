// Answers the probe paths inside our http.Server, before Next: no routing, no proxy, no rate
// limit, no tracing, and still answering when Next itself is busy or shutting down.
import type http from 'node:http';
import { writeJson } from '../http/write-json';
import { livenessReport, readinessReport } from './probes';

export const LIVENESS_PATHS = new Set(['/api/healthz', '/healthz', '/health']);
export const READINESS_PATHS = new Set(['/api/readyz', '/readyz', '/ready']);

/** Returns true when the request was a probe and has been answered. */
export function handleProbe(req: http.IncomingMessage, res: http.ServerResponse): boolean {
  if (req.method !== 'GET' && req.method !== 'HEAD') return false;
  const path = (req.url ?? '/').split('?', 1)[0]!;
  if (LIVENESS_PATHS.has(path)) {
    writeJson(res, 200, livenessReport());
    return true;
  }
  if (READINESS_PATHS.has(path)) {
    readinessReport().then(
      (report) => writeJson(res, report.status === 'ready' ? 200 : 503, report),
      (error: unknown) => writeJson(res, 503, { status: 'not_ready', checks: { readiness: { ok: false, latency_ms: 0, detail: (error as Error).message } } }),
    );
    return true;
  }
  return false;
}
