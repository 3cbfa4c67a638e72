// A collector stand-in in its own process (so receiving spans costs the load generator nothing):
// accepts OTLP over HTTP, discards it, prints the byte count when stopped. It answers as a
// collector does: an empty body for protobuf (an ExportTraceServiceResponse with no partial
// success), `{}` for JSON. The exporter parses the answer: `{}` read as protobuf fails.
import http from 'node:http';

let bytes = 0;
const server = http.createServer((req, res) => {
  req.on('data', (chunk) => (bytes += chunk.length));
  req.on('end', () => {
    const protobuf = (req.headers['content-type'] ?? '').includes('protobuf');
    res.writeHead(200, { 'content-type': protobuf ? 'application/x-protobuf' : 'application/json' });
    res.end(protobuf ? '' : '{}');
  });
});
server.listen(Number(process.argv[2]), '127.0.0.1', () => process.send?.('ready'));
process.on('SIGTERM', () => {
  process.send?.({ bytes });
  process.exit(0);
});
