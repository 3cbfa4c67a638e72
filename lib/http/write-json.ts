// JSON answers our own http.Server gives before (or instead of) Next, on a node:http response:
// probes, metrics errors, load shedding, the breaker-open fast path. Never cached unless a caller
// says otherwise. (The browser's JSON sender is lib/client/api.ts.)
import type http from 'node:http';
import { JSON_CONTENT_TYPE } from './json-response';

export function writeJson(res: http.ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) {
  const payload = JSON.stringify(body);
  res.writeHead(status, {
    'Content-Type': JSON_CONTENT_TYPE,
    'Content-Length': Buffer.byteLength(payload),
    'Cache-Control': 'no-store',
    ...headers,
  });
  res.end(payload);
}
