// Probes and SIGTERM against the built server and a real Postgres, with faults injected by a
// TCP proxy between them. Needs DATABASE_URL (CI sets it); without it these are reported skipped.
import { describe, expect, it } from 'vitest';
import { percentile, timedFetch, waitFor } from './support/measure';
import { behindProxyEachTest } from './support/behind-proxy';
import { startOtlpReceiver } from './support/otlp-receiver';

const databaseUrl = process.env.DATABASE_URL;
const startBehindProxy = behindProxyEachTest(databaseUrl);

/** Liveness latency as this test's client sees it: the median and the p99 of `count` probes in a row. */
async function healthzLatency(baseUrl: string, count = 200): Promise<{ p50: number; p99: number }> {
  const samples: number[] = [];
  for (let i = 0; i < count; i++) {
    const reply = await timedFetch(`${baseUrl}/api/healthz`);
    expect(reply.status).toBe(200);
    samples.push(reply.ms);
  }
  return { p50: percentile(samples, 50), p99: percentile(samples, 99) };
}

const readyStatus = async (baseUrl: string) => (await timedFetch(`${baseUrl}/api/readyz`)).status;

describe.skipIf(!databaseUrl)('probes with the database failing', () => {
  it('answers liveness with version and uptime, and readiness with every check', async () => {
    const { server } = await startBehindProxy();
    for (const path of ['/api/healthz', '/healthz', '/health']) {
      const reply = await timedFetch(`${server.url}${path}`);
      expect(reply.status).toBe(200);
      expect(reply.body).toMatchObject({ status: 'ok', version: expect.any(String), uptime_s: expect.any(Number) });
      expect(reply.headers.get('cache-control')).toBe('no-store');
    }
    for (const path of ['/api/readyz', '/readyz', '/ready']) {
      const reply = await timedFetch(`${server.url}${path}`);
      expect(reply.status).toBe(200);
      expect(reply.body.status).toBe('ready');
      expect(Object.keys(reply.body.checks).sort()).toEqual(['circuit_breaker', 'database', 'draining', 'startup']);
      expect(reply.body.capacity).toMatchObject({ pool: { max: expect.any(Number) }, in_flight: expect.any(Number), active_limit: expect.any(Number), shed_last_10s: 0 });
      expect(JSON.stringify(reply.body)).not.toContain('postgres://');
    }
  });

  it.each([
    ['unreachable (connections reset, new ones refused)', { kind: 'refuse' } as const],
    ['hanging (traffic black-holed)', { kind: 'blackhole' } as const],
  ])('database %s: liveness stays 200 and fast; readiness turns 503 within one check period and recovers without a restart', async (_label, fault) => {
    const { server, proxy } = await startBehindProxy();
    expect(await readyStatus(server.url)).toBe(200);
    const pid = server.child.pid;

    await proxy.setMode(fault);
    // One check period = the 1 s cache + the 1 s database timeout.
    const toUnready = await waitFor(async () => (await readyStatus(server.url)) === 503, 5_000, 50);
    expect(toUnready).toBeLessThanOrEqual(2_500);
    const unready = await timedFetch(`${server.url}/api/readyz`);
    expect(unready.body.checks.database.ok).toBe(false);
    // Liveness must not wait on the database: a probe that did would take the 1 s database
    // timeout. Typical probes stay under 10 ms; the p99 (the 2nd-slowest of 200 sequential
    // probes, timed by this client on 2 shared cores) is allowed one GC or scheduler stall, and
    // still sits 10× below the timeout it would show if it depended on the database. (A p99 bound of 10 ms
    // failed a clean-clone CI at 15.9 ms with the server doing nothing but answering probes.)
    const liveness = await healthzLatency(server.url);
    expect(liveness.p50).toBeLessThanOrEqual(10);
    expect(liveness.p99).toBeLessThanOrEqual(100);

    await proxy.setMode({ kind: 'pass' });
    const toReady = await waitFor(async () => (await readyStatus(server.url)) === 200, 10_000, 50);
    expect(toReady).toBeLessThanOrEqual(3_500);
    expect(server.child.pid).toBe(pid);
    expect(server.child.exitCode).toBeNull();
    const jobs = await timedFetch(`${server.url}/api/jobs?limit=1`);
    expect(jobs.status).toBe(200);
    console.log(`[measured] ${fault.kind}: readiness 503 after ${toUnready.toFixed(0)} ms, 200 again ${toReady.toFixed(0)} ms after the fault ended`);
  });

  it('stays ready while every request-pool connection is busy and requests queue for them: load is not a reason to leave rotation', async () => {
    // A slow database (150 ms each way) and a pool of 2: 40 concurrent reads keep both connections
    // busy with a queue (the bulkhead's) behind them for seconds. Readiness checks the database on
    // its own connection, live; before, it queued for a pool connection and judged the pool full.
    const { server, proxy } = await startBehindProxy({ DATABASE_POOL_SIZE: '2', READINESS_CACHE_MS: '0', LOAD_SHED_MAX_CONCURRENT: '40' });
    await proxy.setMode({ kind: 'latency', ms: 150 });
    const reads = Array.from({ length: 40 }, (_, i) => timedFetch(`${server.url}/api/jobs?limit=5&q=load${i}`));
    await new Promise((resolve) => setTimeout(resolve, 300));
    const probes = [];
    for (let i = 0; i < 5; i++) {
      probes.push(await timedFetch(`${server.url}/api/readyz`));
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    await Promise.all(reads);
    expect(probes.map((probe) => probe.status)).toEqual([200, 200, 200, 200, 200]);
    const full = probes.filter((probe) => probe.body.capacity.pool.in_use === 2);
    expect(full.length).toBeGreaterThanOrEqual(3);
    expect(full[0]!.body.capacity).toMatchObject({ pool: { max: 2 }, active: expect.any(Number) });
    expect(full[0]!.body.capacity.active).toBeGreaterThan(2);
    console.log(`[measured] pool 2/2 in use, ${full[0]!.body.capacity.active} requests active: readiness 200 in ${Math.max(...probes.map((p) => p.ms)).toFixed(0)} ms at most`);
  });

  it('a storm of 200 concurrent readiness calls costs at most 2 database checks', async () => {
    const { server, proxy } = await startBehindProxy({ READINESS_CACHE_MS: '1000' });
    await new Promise((resolve) => setTimeout(resolve, 1_100)); // let the start-up check expire
    const before = proxy.markerCount;
    const started = performance.now();
    const replies = await Promise.all(Array.from({ length: 200 }, () => timedFetch(`${server.url}/api/readyz`)));
    const wall = performance.now() - started;
    expect(replies.every((reply) => reply.status === 200)).toBe(true);
    const checks = proxy.markerCount - before;
    expect(checks).toBeGreaterThanOrEqual(1);
    expect(checks).toBeLessThanOrEqual(2);
    console.log(`[measured] 200 concurrent readyz: ${checks} database check(s), ${wall.toFixed(0)} ms wall, p99 ${percentile(replies.map((r) => r.ms), 99).toFixed(1)} ms`);
  });

  it('turns ready as soon as warm-up completes, not a readiness cache period later', async () => {
    // The start-up check was cached with the database's: the "warming up" answered by the last
    // probe before warm-up ended stood for READINESS_CACHE_MS more (a second, by default, of every
    // start). A long cache makes that visible; startServer polls every 250 ms.
    const { server } = await startBehindProxy({ READINESS_CACHE_MS: '8000' });
    const readyAt = Date.now();
    const line = server.output().split('\n').find((entry) => entry.includes('"event":"warm_up_completed"'));
    expect(line).toBeDefined();
    const lagMs = readyAt - Date.parse(JSON.parse(line!).time);
    expect(lagMs).toBeLessThan(2_000);
    console.log(`[measured] ready ${lagMs} ms after warm-up completed (readiness cache 8000 ms, polled every 250 ms)`);
  });
});

describe.skipIf(!databaseUrl)('SIGTERM', () => {
  it('drains 100 slow in-flight requests to 2xx, fails readiness during pre-stop while serving, then refuses new connections, flushes their spans and exits 0', async () => {
    const receiver = await startOtlpReceiver();
    const { server, proxy } = await startBehindProxy({
      PRESTOP_DELAY_MS: '1500',
      DATABASE_POOL_SIZE: '20',
      // Room for all 100 slow requests: this test is about draining, not shedding (resilience.test.ts).
      DB_BULKHEAD_QUEUE: '200',
      LOAD_SHED_MAX_IN_FLIGHT: '500',
      LOAD_SHED_MAX_CONCURRENT: '500',
      OTEL_EXPORTER_OTLP_ENDPOINT: receiver.endpoint,
      OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json',
    });
    await proxy.setMode({ kind: 'latency', ms: 300 });
    const inFlight = Array.from({ length: 100 }, (_, i) => timedFetch(`${server.url}/api/jobs?limit=${(i % 20) + 1}`));
    await new Promise((resolve) => setTimeout(resolve, 150));
    const exited = new Promise<number | null>((resolve) => server.child.once('exit', resolve));
    const signalled = performance.now();
    server.child.kill('SIGTERM');
    // The flip happens when the busy event loop handles the signal: measure how soon that is.
    const toUnready = await waitFor(async () => (await timedFetch(`${server.url}/api/readyz`)).status === 503, 1_000, 20);
    expect(toUnready).toBeLessThanOrEqual(1_000);
    server.child.kill('SIGTERM'); // a second signal must not cut the drain short

    // Pre-stop window: not ready, but still serving new work.
    const ready = await timedFetch(`${server.url}/api/readyz`);
    expect(ready.status).toBe(503);
    expect(ready.body.checks.draining.ok).toBe(false);
    expect((await timedFetch(`${server.url}/api/healthz`)).status).toBe(200);
    const lateRequest = await timedFetch(`${server.url}/api/jobs?limit=2`);
    expect(lateRequest.status).toBe(200);
    expect(lateRequest.headers.get('connection')).toBe('close');

    const replies = await Promise.all(inFlight);
    expect(replies.map((reply) => reply.status).filter((status) => status < 200 || status > 299)).toEqual([]);

    const code = await exited;
    const exitMs = performance.now() - signalled;
    expect(code).toBe(0);
    await expect(fetch(`${server.url}/api/healthz`)).rejects.toThrow();
    const log = server.output();
    expect(log).toContain('"event":"shutdown_signal_repeated"');
    expect(log).toContain('"event":"shutdown_completed"');
    // Telemetry was flushed before exit: every drained request's server span reached the collector.
    const traceIds = new Set(replies.map((reply) => reply.headers.get('x-trace-id')));
    const exported = new Set(receiver.spans.filter((span) => span.kind === 2 && traceIds.has(span.traceId)).map((span) => span.traceId));
    expect(traceIds.size).toBe(100);
    expect(exported.size).toBe(100);
    await receiver.close();
    console.log(`[measured] SIGTERM with 100 slow requests in flight: readiness 503 after ${toUnready.toFixed(0)} ms, exit after ${exitMs.toFixed(0)} ms (pre-stop 1500 ms)`);
  });

  it('exits 1 when a request outlives the drain deadline, and the log names it', async () => {
    const { server, proxy } = await startBehindProxy({ PRESTOP_DELAY_MS: '0', SHUTDOWN_TIMEOUT_MS: '1500' });
    await proxy.setMode({ kind: 'blackhole' });
    const stuck = fetch(`${server.url}/api/jobs/00000000-5eed-7000-8000-0000001e8481?from=test`).catch((error: Error) => error);
    await new Promise((resolve) => setTimeout(resolve, 200));
    const exited = new Promise<number | null>((resolve) => server.child.once('exit', resolve));
    const signalled = performance.now();
    server.child.kill('SIGTERM');
    expect(await exited).toBe(1);
    const exitMs = performance.now() - signalled;
    expect(exitMs).toBeGreaterThanOrEqual(1_400);
    expect(exitMs).toBeLessThan(4_000);
    const line = server.output().split('\n').find((entry) => entry.includes('"event":"shutdown_timeout"'));
    expect(line).toBeDefined();
    const record = JSON.parse(line!);
    expect(record.in_flight).toEqual([{ method: 'GET', route: '/api/jobs/00000000-5eed-7000-8000-0000001e8481', age_ms: expect.any(Number) }]);
    await stuck;
  });
});
