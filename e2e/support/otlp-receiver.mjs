// OTLP/HTTP JSON receiver for the end-to-end tests (started by playwright.config.ts):
// POST /v1/traces stores spans; GET /spans?traceId=… returns them; GET /health for readiness.
import { startOtlpReceiver } from '../../scripts/otlp-json-receiver.mjs';

await startOtlpReceiver({
  port: Number(process.env.E2E_OTLP_PORT ?? 3219),
  onRequest(req, res, spans) {
    const url = new URL(req.url, 'http://x');
    if (req.method === 'GET' && url.pathname === '/health') {
      res.end('ok');
      return true;
    }
    if (req.method !== 'GET' || url.pathname !== '/spans') return false;
    const traceId = url.searchParams.get('traceId');
    res.setHeader('content-type', 'application/json');
    res.end(JSON.stringify(spans.filter((span) => !traceId || span.traceId === traceId)));
    return true;
  },
});
