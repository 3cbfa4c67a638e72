// Traces, logs and metrics from the built server, exported to an OTLP receiver the test runs.
import { afterEach, describe, expect, it } from 'vitest';
import { percentile, timedFetch, waitFor } from './support/measure';
import { startOtlpReceiver, type OtlpReceiver, type ReceivedSpan } from './support/otlp-receiver';
import { freePort } from '../scripts/launch-server.mjs';
import { type RunningServer, startServer } from './support/server';
import { cookieHeader } from './support/cookies';

let server: RunningServer | undefined;
let receiver: OtlpReceiver | undefined;
afterEach(async () => {
  await server?.stop();
  await receiver?.close();
  server = receiver = undefined;
});

// Every test here starts its own server and none depends on warm routes (warm-up has its own
// tests: lib/lifecycle/warm-up.test.ts and the rollout rehearsal), so they skip the 3–4 s of
// warm-up (ADR 008) each start would take.
const NO_WARM_UP = { WARM_UP_MAX_MS: '0' };
const TRACE_ID = 'a1b2c3d4e5f60718293a4b5c6d7e8f90';
const traceparent = (traceId: string, spanId = '1122334455667788') => `00-${traceId}-${spanId}-01`;
const randomTraceId = () => Array.from({ length: 32 }, () => '0123456789abcdef'[Math.floor(Math.random() * 16)]).join('');

async function startWithReceiver(env: Record<string, string> = {}, receiverOptions = {}) {
  receiver = await startOtlpReceiver(receiverOptions);
  // Batches every 250 ms, not the default 5 s, so that each wait for spans here is short ('exports OTLP
  // protobuf by default' and the SIGTERM flush in lifecycle.test.ts run with the default).
  server = await startServer({ ...NO_WARM_UP, OTEL_EXPORTER_OTLP_ENDPOINT: receiver.endpoint, OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json', OTEL_BSP_SCHEDULE_DELAY: '250', ...env });
  return { server, receiver };
}

async function json(method: string, url: string, body?: unknown, headers: Record<string, string> = {}) {
  const response = await fetch(url, {
    method,
    headers: { ...(body ? { 'content-type': 'application/json' } : {}), ...headers },
    body: body ? JSON.stringify(body) : undefined,
  });
  return { status: response.status, headers: response.headers, body: await response.json().catch(() => null) };
}

function descendants(spans: ReceivedSpan[], root: ReceivedSpan): ReceivedSpan[] {
  const children = spans.filter((span) => span.parentSpanId === root.spanId);
  return children.flatMap((child) => [child, ...descendants(spans, child)]);
}

describe('traces', () => {
  it('continues an incoming traceparent: server span, business span with attributes, Prisma spans beneath; ids in headers and logs', async () => {
    const { server, receiver } = await startWithReceiver();
    const reply = await json('GET', `${server.url}/api/jobs?limit=3&q=engineer`, undefined, { traceparent: traceparent(TRACE_ID) });
    expect(reply.status).toBe(200);
    expect(reply.headers.get('x-trace-id')).toBe(TRACE_ID);
    expect(reply.headers.get('server-timing')).toMatch(new RegExp(`^traceparent;desc="00-${TRACE_ID}-[0-9a-f]{16}-01"$`));

    // The root span ends after the response, so it may arrive in a later export batch.
    const isRoot = (span: ReceivedSpan) => span.kind === 2 && span.parentSpanId === '1122334455667788';
    await waitFor(async () => {
      const spans = receiver.trace(TRACE_ID);
      return spans.some(isRoot) && spans.some((span) => span.name === 'prisma:client:db_query');
    }, 10_000);
    const spans = receiver.trace(TRACE_ID);
    const root = spans.find(isRoot);
    expect(root, 'server span parented by the caller').toBeDefined();
    expect(root!.name).toBe('GET /api/jobs');
    expect(root!.attributes).toMatchObject({ 'http.route': '/api/jobs', 'http.request.method': 'GET', 'http.response.status_code': 200 });
    // Set while the server span is hidden from Next (lib/telemetry/next-untraced.ts), still on it.
    expect(root!.attributes).toMatchObject({ 'app.ratelimit.policy': 'api', 'app.ratelimit.outcome': 'allowed' });
    expect(root!.service).toBe('jobboard');
    const serverSpanId = reply.headers.get('server-timing')!.split('-')[2];
    expect(root!.spanId).toBe(serverSpanId);

    const operation = descendants(spans, root!).find((span) => span.name === 'listJobs');
    expect(operation!.attributes).toMatchObject({ 'app.operation': 'listJobs', 'app.outcome': 'ok', 'app.jobs.returned': 3 });
    const queries = descendants(spans, operation!).filter((span) => span.name === 'prisma:client:db_query');
    expect(queries.length).toBeGreaterThan(0);

    const logLine = server.output().split('\n').find((line) => line.includes('"event":"request_completed"') && line.includes(TRACE_ID));
    expect(JSON.parse(logLine!)).toMatchObject({ trace_id: TRACE_ID, span_id: root!.spanId, route: '/api/jobs', status: 200, method: 'GET' });
  });

  it('ends the server span after Next has finished with it: no operation on an ended span, no diagnostic warning per request', async () => {
    // Next sets http.route on the active span after the response has closed. The span used to end at
    // the close, so every sampled request cost an Error with its stack and, with OTEL_LOG_LEVEL=warn
    // (what an operator sets to see failed exports), a warning line (docs/performance.md, item 13).
    const { server, receiver } = await startWithReceiver({ OTEL_LOG_LEVEL: 'warn' });
    const traceIds = Array.from({ length: 6 }, randomTraceId);
    const id = (await json('GET', `${server.url}/api/jobs?limit=1`)).body.jobs[0].id as string;
    // Next traces pages (the API reads are hidden from it: lib/telemetry/next-untraced.ts).
    const paths = ['/api/jobs?limit=5', `/api/jobs/${id}`, '/', `/jobs/${id}`, '/api/jobs?limit=2', '/api/jobs/not-a-uuid'];
    for (const [i, path] of paths.entries()) expect((await json('GET', `${server.url}${path}`, undefined, { traceparent: traceparent(traceIds[i]!) })).status).toBeLessThan(500);
    await waitFor(async () => traceIds.every((traceId) => receiver.trace(traceId).some((span) => span.kind === 2)), 10_000);
    const warnings = server.output().split('\n').filter((line) => line.includes('ended Span'));
    expect(warnings, warnings.slice(0, 2).join('\n')).toEqual([]);
  });

  it('puts business attributes on createApplication: ids, a user pseudonym (not the email), created / duplicate / invalid', async () => {
    const { server, receiver } = await startWithReceiver();
    const email = `otel-${Date.now()}@test.jobboard.test`;
    const employerEmail = `otel-emp-${Date.now()}@test.jobboard.test`;
    const employer = await fetch(`${server.url}/api/auth/sign-up/email`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ name: 'Otel Employer', email: employerEmail, password: 'correct horse battery', role: 'employer' }) });
    const employerCookie = cookieHeader(employer.headers);
    const job = await json('POST', `${server.url}/api/jobs`, { title: 'Tracing Engineer', description: 'Make every request traceable end to end.', location: 'Remote', remote: true, employmentType: 'full_time' }, { cookie: employerCookie });
    const candidate = await fetch(`${server.url}/api/auth/sign-up/email`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ name: 'Otel Candidate', email, password: 'correct horse battery' }) });
    const cookie = cookieHeader(candidate.headers);
    const letter = { coverLetter: 'I would like to make every request of yours traceable from the click to the query.' };

    const traces = [randomTraceId(), randomTraceId(), randomTraceId()];
    const created = await json('POST', `${server.url}/api/jobs/${job.body.job.id}/applications`, letter, { cookie, traceparent: traceparent(traces[0]!) });
    const duplicate = await json('POST', `${server.url}/api/jobs/${job.body.job.id}/applications`, letter, { cookie, traceparent: traceparent(traces[1]!) });
    const invalid = await json('POST', `${server.url}/api/jobs/${job.body.job.id}/applications`, { coverLetter: 'short' }, { cookie, traceparent: traceparent(traces[2]!) });
    expect([created.status, duplicate.status, invalid.status]).toEqual([201, 409, 400]);

    const operationIn = (traceId: string) => receiver.trace(traceId).find((span) => span.name === 'createApplication');
    await waitFor(async () => traces.every((traceId) => operationIn(traceId)), 10_000);
    const [first, second, third] = traces.map((traceId) => operationIn(traceId)!);
    expect(first!.attributes).toMatchObject({ 'app.outcome': 'created', 'app.job.id': job.body.job.id, 'app.application.id': created.body.application.id });
    expect(first!.attributes['app.user.id']).toMatch(/^[0-9a-f]{16}$/);
    expect(second!.attributes).toMatchObject({ 'app.outcome': 'duplicate', 'app.user.id': first!.attributes['app.user.id'] });
    expect(third!.attributes['app.outcome']).toBe('invalid');
    const everything = JSON.stringify(receiver.spans);
    expect(everything).not.toContain(email);
    expect(everything).not.toContain('Otel Candidate');
    const rejected = server.output().split('\n').find((line) => line.includes('"event":"application_rejected"') && line.includes(traces[1]!));
    expect(JSON.parse(rejected!)).toMatchObject({ outcome: 'duplicate', code: 'conflict', trace_id: traces[1] });
  });

  it('does not trace probes, metrics or static assets', async () => {
    const { server, receiver } = await startWithReceiver();
    const probeTrace = randomTraceId();
    for (const path of ['/api/healthz', '/api/readyz', '/api/metrics', '/favicon.ico']) {
      await fetch(`${server.url}${path}`, { headers: { traceparent: traceparent(probeTrace) } });
    }
    const control = randomTraceId();
    await fetch(`${server.url}/api/jobs?limit=1`, { headers: { traceparent: traceparent(control) } });
    await waitFor(async () => receiver.trace(control).length > 0, 10_000);
    await new Promise((resolve) => setTimeout(resolve, 700));
    expect(receiver.trace(probeTrace)).toEqual([]);
  });

  it('reads the standard variables: service name and resource attributes, propagators, metric push', async () => {
    await startWithReceiver({
      OTEL_SERVICE_NAME: 'jobboard-staging',
      OTEL_RESOURCE_ATTRIBUTES: 'deployment.environment.name=staging,cloud.region=ams',
      OTEL_PROPAGATORS: 'b3',
      OTEL_METRICS_EXPORTER: 'otlp',
      OTEL_METRIC_EXPORT_INTERVAL: '500',
    });
    const traceId = randomTraceId();
    const reply = await fetch(`${server!.url}/api/jobs?limit=1`, { headers: { b3: `${traceId}-1122334455667788-1` } });
    expect(reply.headers.get('x-trace-id')).toBe(traceId);
    await waitFor(async () => receiver!.trace(traceId).length > 0, 10_000);
    const [span] = receiver!.trace(traceId);
    expect(span!.service).toBe('jobboard-staging');
    expect(span!.resource).toMatchObject({ 'deployment.environment.name': 'staging', 'cloud.region': 'ams', 'service.version': expect.any(String) });
    // A W3C traceparent is not read when only b3 is configured.
    const ignored = await fetch(`${server!.url}/api/jobs?limit=1`, { headers: { traceparent: traceparent(TRACE_ID) } });
    expect(ignored.headers.get('x-trace-id')).not.toBe(TRACE_ID);
    await waitFor(async () => receiver!.metricNames.has('http.server.request.duration'), 10_000);
  });

  it('OTEL_TRACES_EXPORTER overrides the endpoint default: console prints spans, nothing is sent to the collector, ids still reach headers and logs', async () => {
    const { server, receiver } = await startWithReceiver({ OTEL_TRACES_EXPORTER: 'console' });
    const traceId = randomTraceId();
    const reply = await fetch(`${server.url}/api/jobs?limit=1`, { headers: { traceparent: traceparent(traceId) } });
    expect(reply.headers.get('x-trace-id')).toBe(traceId);
    await waitFor(async () => server.output().includes(`traceId: '${traceId}'`), 10_000);
    expect(server.output().split('\n').some((line) => line.includes('"event":"request_completed"') && line.includes(`"trace_id":"${traceId}"`))).toBe(true);
    await new Promise((resolve) => setTimeout(resolve, 700));
    expect(receiver.requests).toBe(0);
  });

  it('exports OTLP protobuf by default', async () => {
    receiver = await startOtlpReceiver();
    server = await startServer({ ...NO_WARM_UP, OTEL_EXPORTER_OTLP_ENDPOINT: receiver.endpoint });
    const traceId = randomTraceId();
    await fetch(`${server.url}/api/jobs?limit=1`, { headers: { traceparent: traceparent(traceId) } });
    const id = Buffer.from(traceId, 'hex');
    await waitFor(async () => receiver!.protobufBodies.some((body) => body.includes(id)), 10_000);
    expect(receiver.spans).toEqual([]);
  });

  it.each([
    ['down (connection refused)', async () => ({ endpoint: `http://127.0.0.1:${await freePort()}`, close: async () => {} })],
    ['slow (answers after 5 s)', async () => startOtlpReceiver({ delayMs: 5_000 })],
  ])('a collector that is %s costs requests nothing and is reported once', async (_label, makeCollector) => {
    const collector = await makeCollector();
    try {
      server = await startServer({ ...NO_WARM_UP, OTEL_EXPORTER_OTLP_ENDPOINT: collector.endpoint, OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json', OTEL_EXPORTER_OTLP_TIMEOUT: '1000' });
      // The first requests load route modules (hundreds of ms, collector or not): not measured.
      for (let i = 0; i < 5; i++) await timedFetch(`${server.url}/api/jobs?limit=5`);
      const samples: number[] = [];
      for (let i = 0; i < 60; i++) {
        const reply = await timedFetch(`${server.url}/api/jobs?limit=5`);
        expect(reply.status).toBe(200);
        samples.push(reply.ms);
        if (i % 20 === 19) await new Promise((resolve) => setTimeout(resolve, 600)); // let batches be exported (and fail)
      }
      expect(percentile(samples, 99)).toBeLessThan(250);
      await waitFor(async () => server!.output().includes('"event":"telemetry_export_failed"'), 10_000);
      await new Promise((resolve) => setTimeout(resolve, 1_500));
      expect(server.output().split('"event":"telemetry_export_failed"').length - 1).toBe(1);
      console.log(`[measured] collector ${_label}: /api/jobs p50 ${percentile(samples, 50).toFixed(1)} ms, p99 ${percentile(samples, 99).toFixed(1)} ms`);
    } finally {
      await collector.close();
    }
  });
});

describe('browser span intake', () => {
  const browserSpan = (traceId: string) => ({
    resourceSpans: [{ resource: { attributes: [{ key: 'service.name', value: { stringValue: 'pretending-to-be-server' } }] }, scopeSpans: [{ spans: [{ traceId, spanId: 'aabbccddeeff0011', name: 'apply.click', kind: 1, startTimeUnixNano: '1', endTimeUnixNano: '2' }] }] }],
  });

  it('forwards valid OTLP JSON to the collector as the jobboard-web service', async () => {
    const { server, receiver } = await startWithReceiver();
    const traceId = randomTraceId();
    const reply = await json('POST', `${server.url}/api/telemetry/traces`, browserSpan(traceId));
    expect(reply.status).toBe(202);
    expect(reply.body).toEqual({ accepted: 1, forwarded: true });
    await waitFor(async () => receiver.trace(traceId).length === 1, 5_000);
    expect(receiver.trace(traceId)[0]!.service).toBe('jobboard-web');
  });

  it('rejects malformed ids, unknown top-level fields, non-JSON and oversized bodies with 4xx', async () => {
    const { server } = await startWithReceiver();
    const bad = browserSpan('not-a-trace-id');
    expect((await json('POST', `${server.url}/api/telemetry/traces`, bad)).status).toBe(400);
    expect((await json('POST', `${server.url}/api/telemetry/traces`, { ...browserSpan(randomTraceId()), extra: 1 })).status).toBe(400);
    const notJson = await fetch(`${server.url}/api/telemetry/traces`, { method: 'POST', body: 'x', headers: { 'content-type': 'text/plain' } });
    expect(notJson.status).toBe(415);
    const huge = await fetch(`${server.url}/api/telemetry/traces`, { method: 'POST', body: 'x'.repeat(300 * 1024), headers: { 'content-type': 'application/json' } });
    expect(huge.status).toBe(413);
  });
});

describe('metrics', () => {
  it('exposes per-route duration histograms and saturation gauges after traffic; needs the token when one is set', async () => {
    const metricsPort = await freePort();
    server = await startServer({ ...NO_WARM_UP, METRICS_TOKEN: 'metrics-token-for-tests-0123', METRICS_PORT: String(metricsPort) });
    // Read each body: the server records the request when its response has finished.
    for (const path of ['/api/jobs?limit=2', '/api/jobs/00000000-0000-7000-8000-000000000000', '/api/jobs/00000000-5eed-7000-8000-0000001e8481']) {
      await (await fetch(`${server.url}${path}`)).text();
    }

    expect((await fetch(`${server.url}/api/metrics`)).status).toBe(401);
    expect((await fetch(`${server.url}/api/metrics`, { headers: { authorization: 'Bearer wrong-token-wrong-token' } })).status).toBe(401);
    const scrape = await fetch(`${server.url}/api/metrics`, { headers: { authorization: 'Bearer metrics-token-for-tests-0123' } });
    expect(scrape.status).toBe(200);
    const text = await scrape.text();
    expect(text).toMatch(/http_server_request_duration_bucket\{[^}]*http_route="\/api\/jobs"[^}]*le="0\.005"/);
    const counts = text.split('\n').filter((line) => line.startsWith('http_server_request_duration_count{') && line.includes('http_route="/api/jobs/[id]"'));
    expect(counts.some((line) => line.includes('http_response_status_code="404"'))).toBe(true);
    expect(counts.some((line) => line.includes('http_response_status_code="200"'))).toBe(true);
    expect(text).not.toContain('00000000-5eed');
    for (const gauge of ['http_server_active_requests', 'db_client_connection_count', 'db_client_connection_pending_requests', 'nodejs_eventloop_delay_p99', 'v8js_memory_heap_used']) {
      expect(text).toContain(gauge);
    }
    // Counted in tallies (lib/telemetry/tally.ts), exported as the synchronous instruments were:
    // the finished list reads are no longer in flight, and the reads' rate-limit decisions count.
    expect(text).toMatch(/^http_server_active_requests\{[^}]*http_route="\/api\/jobs"[^}]*\} 0$/m);
    const decisions = text.match(/^app_ratelimit_decisions_total\{[^}]*app_ratelimit_outcome="allowed"[^}]*\} (\d+)$/m);
    expect(Number(decisions?.[1])).toBeGreaterThanOrEqual(3);
    const internal = await fetch(`http://127.0.0.1:${metricsPort}/metrics`);
    expect(internal.status).toBe(200);
    expect(await internal.text()).toContain('http_server_request_duration_bucket');
  });
});
