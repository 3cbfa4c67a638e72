// Requests Node's HTTP parser refuses before any handler of ours runs: a URL or headers over
// Node's 16 KiB limit, malformed framing, a request that took too long to arrive. Node's default
// answer is a bare status line; ours is the API's JSON error shape (docs/api.md, "Errors").
import { STATUS_CODES } from 'node:http';
import type { Duplex } from 'node:stream';
import { JSON_CONTENT_TYPE } from './json-response';

const ANSWERS: Record<string, [number, string, string]> = {
  HPE_HEADER_OVERFLOW: [431, 'headers_too_large', 'The URL and headers together are too large (at most 16 KiB).'],
  ERR_HTTP_REQUEST_TIMEOUT: [408, 'request_timeout', 'The request took too long to arrive.'],
};
const MALFORMED: [number, string, string] = [400, 'bad_request', 'The request is not valid HTTP.'];

/** For http.Server's 'clientError' event. */
export function answerClientError(error: Error & { code?: string }, socket: Duplex): void {
  // The client is gone (or the response already started): nothing to answer.
  if (error.code === 'ECONNRESET' || !socket.writable) {
    socket.destroy();
    return;
  }
  const [status, code, message] = ANSWERS[error.code ?? ''] ?? MALFORMED;
  const body = JSON.stringify({ error: { code, message } });
  socket.end(
    `HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\n` +
      `Content-Type: ${JSON_CONTENT_TYPE}\r\nContent-Length: ${Buffer.byteLength(body)}\r\n` +
      'Cache-Control: no-store\r\nX-Content-Type-Options: nosniff\r\nConnection: close\r\n\r\n' +
      body,
  );
}
