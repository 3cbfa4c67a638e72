// JSON answers (on a node:http response; the browser-side sender is lib/client/api.ts) our own http.Server gives before (or instead of) Next: probes, metrics errors,
// load shedding, the breaker-open fast path. Never cached unless a caller says otherwise.
import type http from 'node:http';

export function writeJson(res: http.ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) {
  const payload = JSON.stringify(body);
  res.writeHead(status, {
    'Content-Type': 'application/json',
    'Content-Length': Buffer.byteLength(payload),
    'Cache-Control': 'no-store',
    ...headers,
  });
  res.end(payload);
}
