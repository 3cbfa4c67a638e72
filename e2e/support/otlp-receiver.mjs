// OTLP/HTTP JSON receiver for the end-to-end tests (started by playwright.config.ts):
// POST /v1/traces stores spans; GET /spans?traceId=… returns them; GET /health for readiness.
import http from 'node:http';

const port = Number(process.env.E2E_OTLP_PORT ?? 3219);
const spans = [];
const valueOf = (v) => v.stringValue ?? (v.intValue !== undefined ? Number(v.intValue) : (v.boolValue ?? v.doubleValue));
const record = (attributes = []) => Object.fromEntries(attributes.map((kv) => [kv.key, valueOf(kv.value)]));

http
  .createServer((req, res) => {
    const url = new URL(req.url, 'http://x');
    if (req.method === 'GET' && url.pathname === '/health') return res.end('ok');
    if (req.method === 'GET' && url.pathname === '/spans') {
      const traceId = url.searchParams.get('traceId');
      res.setHeader('content-type', 'application/json');
      return res.end(JSON.stringify(spans.filter((span) => !traceId || span.traceId === traceId)));
    }
    const chunks = [];
    req.on('data', (chunk) => chunks.push(chunk));
    req.on('end', () => {
      try {
        const payload = JSON.parse(Buffer.concat(chunks).toString('utf8'));
        for (const rs of payload.resourceSpans ?? []) {
          const service = record(rs.resource?.attributes)['service.name'];
          for (const ss of rs.scopeSpans ?? [])
            for (const s of ss.spans ?? [])
              spans.push({ traceId: s.traceId, spanId: s.spanId, parentSpanId: s.parentSpanId || undefined, name: s.name, kind: s.kind, service, attributes: record(s.attributes) });
        }
        res.end('{}');
      } catch {
        res.statusCode = 400;
        res.end('{}');
      }
    });
  })
  .listen(port, '127.0.0.1');
