import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { checkBurnGate } from './burn-gate.mjs';

const alert = (labels: Record<string, string>, state = 'firing') => ({ labels, state, activeAt: '2026-11-24T10:00:00Z', annotations: {} });
let server: http.Server | undefined;
afterEach(() => server?.close());

async function prometheusAnswering(status: number, body: unknown, seen: { authorization?: string } = {}) {
  server = http.createServer((req, res) => {
    seen.authorization = req.headers.authorization;
    res.writeHead(req.url === '/prom/api/v1/alerts' ? status : 404, { 'content-type': 'application/json' });
    res.end(JSON.stringify(body));
  });
  await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}/prom`;
}

describe('the error-budget gate before a deploy', () => {
  it('blocks on a firing page-level burn alert only: not pending, not a ticket, not another page', async () => {
    const seen: { authorization?: string } = {};
    const url = await prometheusAnswering(
      200,
      {
        status: 'success',
        data: {
          alerts: [
            alert({ alertname: 'JobboardAvailabilityBudgetBurn', severity: 'page', slo: 'apply-availability', long_window: '1h', short_window: '5m' }),
            alert({ alertname: 'JobboardLatencyBudgetBurn', severity: 'page', slo: 'browse-latency' }, 'pending'),
            alert({ alertname: 'JobboardAvailabilityBudgetBurn', severity: 'ticket', slo: 'browse-availability' }),
            alert({ alertname: 'JobboardCircuitBreakerOpen', severity: 'page' }),
          ],
        },
      },
      seen,
    );
    const { firing } = await checkBurnGate(url, { token: 's3cret' });
    expect(firing?.map((entry) => entry.labels.slo)).toEqual(['apply-availability']);
    expect(seen.authorization).toBe('Bearer s3cret');
  });

  it('passes when nothing burns', async () => {
    const url = await prometheusAnswering(200, { status: 'success', data: { alerts: [] } });
    expect(await checkBurnGate(url)).toEqual({ firing: [] });
  });

  it('reports, rather than decides, when Prometheus cannot be asked', async () => {
    const url = await prometheusAnswering(503, { status: 'error' });
    expect((await checkBurnGate(url)).error).toMatch(/could not read alerts from .*\/prom\/api\/v1\/alerts: HTTP 503/);
    const notPrometheus = await prometheusAnswering(200, { hello: 'world' });
    expect((await checkBurnGate(notPrometheus)).error).toMatch(/not a Prometheus \/api\/v1\/alerts answer/);
    expect((await checkBurnGate('http://127.0.0.1:9', { timeoutMs: 2_000 })).error).toMatch(/could not read alerts/);
  });
});
