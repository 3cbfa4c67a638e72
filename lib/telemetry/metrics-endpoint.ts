// GET /api/metrics (Prometheus text format). On the public port it needs
// `Authorization: Bearer $METRICS_TOKEN`; without a token it is open outside production and
// absent in production. METRICS_PORT adds an internal listener (no token) for scrapers on a
// private network, e.g. Fly's [metrics] or a Kubernetes ServiceMonitor.
import { timingSafeEqual } from 'node:crypto';
import http from 'node:http';
import { getEnv } from '../env';
import { writeJson } from '../http/write-json';
import { logger } from '../logger';
import { telemetry } from './start';

export const METRICS_PATHS = new Set(['/api/metrics', '/metrics']);

function reply(res: http.ServerResponse, status: number, code: string, message: string, headers: Record<string, string> = {}) {
  writeJson(res, status, { error: { code, message } }, headers);
}

function bearerMatches(header: string | undefined, token: string): boolean {
  const given = Buffer.from(header?.startsWith('Bearer ') ? header.slice(7) : '');
  const expected = Buffer.from(token);
  return given.length === expected.length && timingSafeEqual(given, expected);
}

function serve(res: http.ServerResponse, req: http.IncomingMessage) {
  const active = telemetry();
  if (!active) return reply(res, 404, 'not_found', 'Metrics are off (OTEL_SDK_DISABLED=true).');
  active.prometheus.getMetricsRequestHandler(req, res);
}

/** Public port: returns true when the request was for metrics and has been answered. */
export function handleMetricsRequest(req: http.IncomingMessage, res: http.ServerResponse): boolean {
  const path = (req.url ?? '/').split('?', 1)[0]!;
  if (path !== '/api/metrics' || (req.method !== 'GET' && req.method !== 'HEAD')) return false;
  const env = getEnv();
  if (env.METRICS_TOKEN) {
    if (!bearerMatches(req.headers.authorization, env.METRICS_TOKEN)) {
      reply(res, 401, 'unauthenticated', 'Send Authorization: Bearer <METRICS_TOKEN>.', { 'WWW-Authenticate': 'Bearer realm="metrics"' });
      return true;
    }
  } else if (env.APP_ENV === 'production') {
    reply(res, 404, 'not_found', 'No such API endpoint. See docs/api.md.');
    return true;
  }
  serve(res, req);
  return true;
}

export function startInternalMetricsServer(): http.Server | null {
  const env = getEnv();
  if (!env.METRICS_PORT) return null;
  const server = http.createServer((req, res) => {
    const path = (req.url ?? '/').split('?', 1)[0]!;
    if (METRICS_PATHS.has(path)) serve(res, req);
    else reply(res, 404, 'not_found', 'Only /metrics is served on this port.');
  });
  server.listen(env.METRICS_PORT, env.HOSTNAME, () => logger.info({ event: 'metrics_listening', port: env.METRICS_PORT }, 'metrics on the internal port'));
  return server;
}
