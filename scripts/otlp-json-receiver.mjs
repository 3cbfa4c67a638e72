// A minimal OTLP/HTTP receiver for JSON-encoded traces (OTEL_EXPORTER_OTLP_PROTOCOL=http/json):
// POST /v1/traces stores the spans in memory. Used by the go-live verifier's --otlp-port and by
// the end-to-end tests (e2e/support/otlp-receiver.mjs). Protobuf bodies are refused with 415 and
// counted, so a caller can say why no spans arrived.
import http from 'node:http';

const valueOf = (v) => v.stringValue ?? (v.intValue !== undefined ? Number(v.intValue) : (v.boolValue ?? v.doubleValue));
const record = (attributes = []) => Object.fromEntries(attributes.map((kv) => [kv.key, valueOf(kv.value)]));

/** Listens on host:port (0 = any free port); resolves with { port, spans, refusedProtobuf, close }. */
export async function startOtlpReceiver({ port = 0, host = '127.0.0.1', onRequest } = {}) {
  const spans = [];
  let refusedProtobuf = 0;
  const server = http.createServer((req, res) => {
    if (onRequest?.(req, res, spans)) return;
    if (req.method !== 'POST' || !req.url.startsWith('/v1/traces')) {
      res.statusCode = 404;
      return res.end('{}');
    }
    if (!String(req.headers['content-type']).includes('json')) {
      refusedProtobuf++;
      req.resume();
      res.statusCode = 415;
      return res.end('{"error":"send OTLP/HTTP JSON (OTEL_EXPORTER_OTLP_PROTOCOL=http/json)"}');
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
        res.setHeader('content-type', 'application/json');
        res.end('{}');
      } catch {
        res.statusCode = 400;
        res.end('{}');
      }
    });
  });
  await new Promise((resolve, reject) => server.once('error', reject).listen(port, host, resolve));
  return {
    port: server.address().port,
    spans,
    get refusedProtobuf() {
      return refusedProtobuf;
    },
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
