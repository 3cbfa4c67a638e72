// The machine's ceiling for the bench: plain node:http answering the bench build's bare payload
// (fetched once from `argv[3]`), serialised on every request as Response.json does.
import http from 'node:http';

const [port, payloadUrl] = [Number(process.argv[2]), process.argv[3]];
const payload = await (await fetch(payloadUrl, { signal: AbortSignal.timeout(10_000) })).json();
const server = http.createServer((req, res) => {
  const body = JSON.stringify(payload);
  res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) });
  res.end(body);
});
server.keepAliveTimeout = 65_000;
server.listen(port, '127.0.0.1', () => process.send?.('ready'));
process.on('SIGTERM', () => server.close(() => process.exit(0)) && server.closeAllConnections());
