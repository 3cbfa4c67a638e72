// The production process: Next's request handler inside our own http.Server, so that we own
// start-up order, probes, the root span of every request and the SIGTERM drain
// (docs/decisions/003-own-server.md). Built to dist/server.js by esbuild; run with
// `node dist/server.js` (never through npm in images, so signals reach it).
import http from 'node:http';
import next from 'next';
import { getEnv } from './lib/env';
import { answerClientError } from './lib/http/client-error';
import { CoalescingResponse } from './lib/http/coalescing-response';
import { refuseMalformedPath } from './lib/http/malformed-url';
import { API_CONTENT_SECURITY_POLICY, isPagePath, staticSecurityHeaders } from './lib/http/security-headers';
import { routeConsoleToLogger } from './lib/console-to-logger';
import { logger } from './lib/logger';
import { createInFlightTracker } from './lib/lifecycle/in-flight';
import { handleProbe } from './lib/lifecycle/probe-handler';
import { startCapacityMetrics } from './lib/lifecycle/capacity-metrics';
import { registerReadinessCheck, registerServerLoadSource } from './lib/lifecycle/probes';
import { installShutdownHandlers } from './lib/lifecycle/shutdown';
import { registerShutdownHook } from './lib/lifecycle/shutdown-hooks';
import { distDirFor, applyBuiltNextConfig } from './lib/lifecycle/built-next-config';
import { startup } from './lib/lifecycle/startup';
import { lifecycleState, markCold } from './lib/lifecycle/state';
import { warmUp } from './lib/lifecycle/warm-up';
import { RATE_LIMIT_ADDRESS_HEADER, rateLimitAddress, resolveClientIp } from './lib/ratelimit/client-ip';
import { startRateLimiter } from './lib/ratelimit/limiter';
import { forgetClientClaim, limitReadBeforeNext, readLimitedBeforeNext } from './lib/ratelimit/reads-before-next';
import { initLimiterMetrics } from './lib/ratelimit/metrics';
import { POLICY_NAMES } from './lib/rate-limit-policies';
import { answerWhileBreakerOpen } from './lib/api/breaker-fast-path';
import { createLoadShedder } from './lib/resilience/load-shed';
import { initResilienceMetrics } from './lib/resilience/metrics';
import { instrumentRequest } from './lib/telemetry/http-server';
import { handleMetricsRequest, startInternalMetricsServer } from './lib/telemetry/metrics-endpoint';
import { startTelemetry } from './lib/telemetry/start';

async function main() {
  const started = performance.now();
  const env = getEnv();
  markCold(); // readiness waits for warmUp() below
  // Every resource starts here, in this order, and registers its readiness check and shutdown hook here.
  // Every request Next handles runs beneath the root span instrumentRequest opens (below).
  const telemetry = startTelemetry({ rootSpansOpenedByServer: true });
  if (telemetry) registerShutdownHook('telemetry', telemetry.shutdown);
  // Next and the libraries print with console.*: as JSON lines of our logger, like the rest.
  routeConsoleToLogger(logger);
  // The config the build resolved, not next.config.ts (which the image does not ship): lib/lifecycle/built-next-config.ts.
  applyBuiltNextConfig(process.cwd(), distDirFor(process.env));
  const app = next({ dev: false, dir: process.cwd(), hostname: env.HOSTNAME, port: env.PORT });
  // Database migrated (embedded) or verified (Postgres), seeded if asked, before we listen.
  await startup();
  // The shared rate limiter and its Redis before the first request.
  const limiter = await startRateLimiter();
  if (limiter.redis) {
    registerReadinessCheck('redis', limiter.redis.check);
    registerShutdownHook('redis', limiter.redis.close);
  }
  await app.prepare();
  const handle = app.getRequestHandler();
  const inFlight = createInFlightTracker();
  const { shed, admit, load } = createLoadShedder(inFlight);
  registerServerLoadSource(load);
  startCapacityMetrics();
  initResilienceMetrics();
  initLimiterMetrics(POLICY_NAMES);
  const securityHeaders = Object.entries(staticSecurityHeaders({ https: env.APP_URL.startsWith('https://') }));
  const server = http.createServer({ ServerResponse: CoalescingResponse }, (req, res) => {
    // On every response, whoever answers it; pages get their nonce policy from proxy.ts instead.
    for (const [name, value] of securityHeaders) res.setHeader(name, value);
    if (!isPagePath((req.url ?? '/').split('?', 1)[0]!)) res.setHeader('Content-Security-Policy', API_CONTENT_SECURITY_POLICY);
    // Probes and metrics first: no Next, no proxy, no rate limit, no tracing, never shed.
    if (handleProbe(req, res) || handleMetricsRequest(req, res) || refuseMalformedPath(req, res) || shed(req, res)) return;
    // The client IP from trusted sources only, as the per-IP rate limits count it (an IPv6 client by
    // its /64), overwriting anything the client sent under this name.
    const rateLimitIp = rateLimitAddress(resolveClientIp(req, { header: env.CLIENT_IP_HEADER, trustedProxies: env.TRUSTED_PROXIES }));
    req.headers[RATE_LIMIT_ADDRESS_HEADER] = rateLimitIp;
    // Only this server may tell proxy.ts that a read is already limited.
    forgetClientClaim(req);
    // While draining, every response asks the client to reconnect (to another instance).
    if (lifecycleState().draining) res.setHeader('Connection', 'close');
    inFlight.track(req, res);
    // API reads: their per-IP limit here, before Next and before an admission slot; proxy.ts then
    // does not run for them (lib/ratelimit/reads-before-next.ts). Everything else: proxy.ts. Next
    // traces none of those reads: each span it would start there is one we drop (lib/telemetry/next-untraced.ts).
    const read = readLimitedBeforeNext(req.method ?? 'GET', (req.url ?? '/').split('?', 1)[0]!);
    instrumentRequest(req, res, () => {
      // With the breaker open, degraded reads and refused writes need no Next (lib/api/breaker-fast-path.ts),
      // and no admission slot: they take about a millisecond.
      if (env.BREAKER_FAST_PATH && answerWhileBreakerOpen(req, res)) return;
      const toNext = () => admit(req, res, () => handle(req, res));
      if (!read) return toNext();
      return limitReadBeforeNext(req, res, read, rateLimitIp).then((answered) => (answered ? undefined : toNext()));
    }, { nextTraces: !read });
  });
  // What Node's parser refuses (URL over 16 KiB, malformed HTTP) still gets a JSON error.
  server.on('clientError', answerClientError);
  // Longer than the proxies' idle timeouts (Fly: 60 s) so the proxy, not us, closes idle sockets.
  server.keepAliveTimeout = 65_000;
  server.headersTimeout = 66_000;
  server.requestTimeout = 60_000;
  installShutdownHandlers({ server, app, inFlight });
  const metricsServer = startInternalMetricsServer();
  if (metricsServer) registerShutdownHook('metrics-server', () => new Promise<void>((resolve) => metricsServer.close(() => resolve())));
  server.listen(env.PORT, env.HOSTNAME, () => {
    logger.info(
      { event: 'server_listening', port: env.PORT, hostname: env.HOSTNAME, url: env.APP_URL, duration_ms: Math.round(performance.now() - started) },
      `listening on http://${env.HOSTNAME}:${env.PORT}`,
    );
    void warmUp(`http://127.0.0.1:${env.PORT}`, env.WARM_UP_MAX_MS);
  });
}

main().catch((error: unknown) => {
  logger.fatal({ event: 'startup_failed', err: error }, (error as Error)?.message ?? 'start-up failed');
  process.exitCode = 1;
  setTimeout(() => process.exit(1), 100).unref();
});
