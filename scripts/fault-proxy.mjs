// A fault-injecting TCP proxy, placed between a service and its database on loopback: used by the
// integration tests (test/support/tcp-proxy.ts re-exports it) and by the go-live verifier's --start
// mode. Modes: pass, latency (delay every server→client chunk), blackhole (hold all traffic until
// healed; connections stay open and hang), reset (RST every connection, now and new), refuse
// (stop listening: ECONNREFUSED), flaky (reset at every n-th query). It also counts a marker
// string in client→server traffic.
import net from 'node:net';

function countOccurrences(haystack, needle) {
  let count = 0;
  for (let at = haystack.indexOf(needle); at !== -1; at = haystack.indexOf(needle, at + needle.length)) count++;
  return count;
}

export async function startTcpProxy(target, options = {}) {
  let mode = { kind: 'pass' };
  const pairs = new Set();
  const marker = Buffer.from(options.marker ?? 'readiness_probe');
  let markerCount = 0;
  let connections = 0;
  let clientMessages = 0;

  const server = net.createServer((client) => {
    if (mode.kind === 'reset') return void client.resetAndDestroy();
    connections++;
    const upstream = net.connect(target.port, target.host);
    const pair = { client, upstream, held: [], nextSendAt: 0 };
    let messagesOnThisConnection = 0;
    pairs.add(pair);
    const end = () => {
      pairs.delete(pair);
      client.destroy();
      upstream.destroy();
    };
    client.on('error', end).on('close', end);
    upstream.on('error', end).on('close', end);
    const send = (to, chunk) => {
      if (!to.destroyed) to.write(chunk);
    };
    client.on('data', (chunk) => {
      markerCount += countOccurrences(chunk, marker);
      const isStartup = messagesOnThisConnection++ === 0;
      if (mode.kind === 'flaky' && !isStartup && ++clientMessages % mode.every === 0) {
        client.resetAndDestroy();
        upstream.destroy();
        return;
      }
      if (mode.kind === 'blackhole') pair.held.push([upstream, chunk]);
      else send(upstream, chunk);
    });
    upstream.on('data', (chunk) => {
      if (mode.kind === 'blackhole') return void pair.held.push([client, chunk]);
      if (mode.kind !== 'latency') return send(client, chunk);
      // Keep order across chunks even if the delay changes.
      const at = Math.max(Date.now() + mode.ms, pair.nextSendAt);
      pair.nextSendAt = at;
      setTimeout(() => send(client, chunk), at - Date.now());
    });
  });

  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = server.address().port;
  let listening = true;

  return {
    port,
    url(databaseUrl) {
      const url = new URL(databaseUrl);
      url.hostname = '127.0.0.1';
      url.port = String(port);
      return url.toString();
    },
    get markerCount() {
      return markerCount;
    },
    get connections() {
      return connections;
    },
    get openConnections() {
      return pairs.size;
    },
    async setMode(next) {
      mode = next;
      if (next.kind === 'reset' || next.kind === 'refuse') {
        for (const pair of [...pairs]) {
          pair.client.resetAndDestroy();
          pair.upstream.destroy();
        }
      }
      if (next.kind === 'refuse' && listening) {
        listening = false;
        await new Promise((resolve) => server.close(() => resolve()));
      } else if (next.kind !== 'refuse' && !listening) {
        listening = true;
        await new Promise((resolve) => server.listen(port, '127.0.0.1', resolve));
      }
      if (next.kind !== 'blackhole') {
        // Healing a blackhole delivers what was held, in order.
        for (const pair of pairs) for (const [to, chunk] of pair.held.splice(0)) if (!to.destroyed) to.write(chunk);
      }
    },
    async close() {
      for (const pair of [...pairs]) {
        pair.client.destroy();
        pair.upstream.destroy();
      }
      if (listening) await new Promise((resolve) => server.close(() => resolve()));
    },
  };
}
