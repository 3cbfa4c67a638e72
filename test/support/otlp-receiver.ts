// A minimal OTLP/HTTP receiver for tests: stores JSON trace exports decoded (with their resource),
// the names of JSON metric exports, and protobuf exports raw.
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export type ReceivedSpan = {
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  name: string;
  kind: number;
  service: string;
  resource: Record<string, unknown>;
  attributes: Record<string, unknown>;
  status?: { code?: number; message?: string };
  events: { name: string }[];
};

type AnyValue = { stringValue?: string; intValue?: string | number; boolValue?: boolean; doubleValue?: number };
type KeyValue = { key: string; value: AnyValue };

const valueOf = (value: AnyValue) => value.stringValue ?? (value.intValue !== undefined ? Number(value.intValue) : (value.boolValue ?? value.doubleValue));
const toRecord = (attributes: KeyValue[] = []) => Object.fromEntries(attributes.map((kv) => [kv.key, valueOf(kv.value)]));

export async function startOtlpReceiver(options: { delayMs?: number; status?: number } = {}) {
  const spans: ReceivedSpan[] = [];
  const protobufBodies: Buffer[] = [];
  const metricNames = new Set<string>();
  let requests = 0;
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      requests++;
      const body = Buffer.concat(chunks);
      if ((req.headers['content-type'] ?? '').includes('json')) {
        const payload = JSON.parse(body.toString('utf8'));
        for (const resourceMetrics of payload.resourceMetrics ?? []) {
          for (const scopeMetrics of resourceMetrics.scopeMetrics ?? []) for (const metric of scopeMetrics.metrics ?? []) metricNames.add(metric.name);
        }
        for (const resourceSpans of payload.resourceSpans ?? []) {
          const resource = toRecord(resourceSpans.resource?.attributes);
          const service = String(resource['service.name'] ?? '');
          for (const scopeSpans of resourceSpans.scopeSpans ?? []) {
            for (const span of scopeSpans.spans ?? []) {
              spans.push({
                traceId: span.traceId,
                spanId: span.spanId,
                parentSpanId: span.parentSpanId || undefined,
                name: span.name,
                kind: span.kind,
                service,
                resource,
                attributes: toRecord(span.attributes),
                status: span.status,
                events: span.events ?? [],
              });
            }
          }
        }
      } else {
        protobufBodies.push(body);
      }
      setTimeout(() => {
        res.writeHead(options.status ?? 200, { 'Content-Type': 'application/json' });
        res.end('{}');
      }, options.delayMs ?? 0);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    spans,
    protobufBodies,
    metricNames,
    get requests() {
      return requests;
    },
    trace: (traceId: string) => spans.filter((span) => span.traceId === traceId),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
export type OtlpReceiver = Awaited<ReturnType<typeof startOtlpReceiver>>;
