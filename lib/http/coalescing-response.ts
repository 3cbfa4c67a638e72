// Next sends a response's headers on their own (`res.flushHeaders()` right before it writes the
// first chunk of the body): two socket writes per response where one would do, and a socket
// write is among the costliest steps of a small API answer here (docs/performance.md). This
// response corks the socket when the headers are flushed and uncorks it on the next tick, as Node
// itself does for every chunk it writes: headers, body and the chunked terminator then leave in
// one write when the body is ready in the same turn of the event loop, and a streamed page's
// headers still leave at once. Given to http.createServer in server.ts.
import http from 'node:http';

export class CoalescingResponse<Request extends http.IncomingMessage = http.IncomingMessage> extends http.ServerResponse<Request> {
  override flushHeaders(): void {
    this.cork();
    super.flushHeaders();
    process.nextTick(() => this.uncork());
  }
}
