// The alerting rules and the dashboard against a real Prometheus (Debian's package) scraping the
// built app every second, with the generated rules loaded (every `for:` shortened to 10 s):
// traffic, then a database outage through the fault proxy, then recovery. Proves that every series
// the rules and dashboard read exists in a real scrape, that the SLI error ratios rise and fall
// back, that the breaker-open alert goes pending then firing, and that every panel returns data.
// Needs DATABASE_URL (the fault proxy sits in front of it) and the `prometheus` binary.
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parse } from 'yaml';
import { afterAll, describe, expect, it } from 'vitest';
import { freePort } from '../scripts/launch-server.mjs';
import { checkBurnGate } from '../scripts/deploy/burn-gate.mjs';
import { dashboardQueries } from '../scripts/slo/dashboard.mjs';
import { missingFromScrape, selectorsOf } from '../scripts/slo/promql-series.mjs';
import { behindProxyEachTest } from './support/behind-proxy';
import { type Session, signUp, TEST_PASSWORD } from './support/api';
import { startOtlpReceiver } from './support/otlp-receiver';
import { waitFor } from './support/measure';

const databaseUrl = process.env.DATABASE_URL;
const hasPrometheus = !spawnSync('prometheus', ['--version']).error;
if (!hasPrometheus && process.env.CI) throw new Error('CI needs the prometheus binary for this suite: apt-get install prometheus');
const root = path.resolve(import.meta.dirname, '..');
const SEED_JOB = '00000000-5eed-7000-8000-0000001e8481';
const FAST_BREAKER = { DB_TIMEOUT_MS: '500', DB_BREAKER_HALF_OPEN_AFTER_MS: '3000', DB_BREAKER_WINDOW_MS: '10000', DB_BREAKER_MIN_CALLS: '10', DB_RETRY_BASE_MS: '20' };
const startBehindProxy = behindProxyEachTest(databaseUrl, FAST_BREAKER);
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

type Alert = { labels: Record<string, string>; state: 'pending' | 'firing' };
let prometheusProcess: ChildProcess | undefined;
afterAll(() => {
  prometheusProcess?.kill('SIGTERM');
});

async function startPrometheus(dir: string, metricsPort: number) {
  const port = await freePort();
  const rules = readdirSync(path.join(dir, 'prometheus')).filter((name) => name.endsWith('.rules.yml'));
  writeFileSync(
    path.join(dir, 'prometheus.yml'),
    [
      'global: { scrape_interval: 1s, evaluation_interval: 1s }',
      'rule_files:',
      ...rules.map((name) => `  - ${path.join(dir, 'prometheus', name)}`),
      'scrape_configs:',
      `  - job_name: jobboard`,
      `    static_configs: [{ targets: ["127.0.0.1:${metricsPort}"] }]`,
    ].join('\n'),
  );
  let output = '';
  prometheusProcess = spawn('prometheus', [`--config.file=${path.join(dir, 'prometheus.yml')}`, `--storage.tsdb.path=${path.join(dir, 'data')}`, `--web.listen-address=127.0.0.1:${port}`], { stdio: ['ignore', 'pipe', 'pipe'] });
  prometheusProcess.stderr!.on('data', (chunk) => (output += chunk));
  const url = `http://127.0.0.1:${port}`;
  await waitFor(async () => (await fetch(`${url}/-/ready`)).ok, 30_000, 200).catch((error) => {
    throw new Error(`prometheus did not become ready: ${error.message}\n${output.slice(-2000)}`);
  });
  const api = async (endpoint: string, params: Record<string, string> = {}) => {
    const response = await fetch(`${url}/api/v1/${endpoint}?${new URLSearchParams(params)}`, { signal: AbortSignal.timeout(10_000) });
    const body = (await response.json()) as { status: string; data: any; error?: string };
    if (body.status !== 'success') throw new Error(`${endpoint} ${JSON.stringify(params)}: ${body.error}`);
    return body.data;
  };
  return { url, api, output: () => output };
}

describe.skipIf(!databaseUrl || !hasPrometheus)('a real Prometheus scraping the app, with the generated rules', () => {
  it('sees every referenced series, the SLIs rise and fall with an outage, the breaker alert pends then fires, every panel has data', { timeout: 300_000 }, async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'jobboard-prometheus-'));
    const generated = spawnSync('node', ['scripts/slo/generate.mjs', '--out', dir, '--for', '10s'], { cwd: root, encoding: 'utf8' });
    expect(generated.status, generated.stderr).toBe(0);

    const collector = await startOtlpReceiver();
    const metricsPort = await freePort();
    const { server, proxy } = await startBehindProxy({ METRICS_PORT: String(metricsPort), OTEL_EXPORTER_OTLP_ENDPOINT: collector.endpoint, OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json' });

    // 1. What the rules and the dashboard read, against a real scrape of the app.
    const ruleExprs = readdirSync(path.join(dir, 'prometheus'))
      .filter((name) => name.endsWith('.rules.yml'))
      .flatMap((name) => parse(readFileSync(path.join(dir, 'prometheus', name), 'utf8')).groups.flatMap((group: any) => group.rules.map((rule: any) => rule.expr as string)));
    const board = JSON.parse(readFileSync(path.join(dir, 'grafana/jobboard-slo.json'), 'utf8'));
    const panelQueries = dashboardQueries(board) as [string, string][];
    // Request series exist once requests were made: one of each journey first.
    const candidate = await signUp('candidate', {}, { baseUrl: server.url });
    await traffic(server.url, candidate);
    const scrape = await (await fetch(`http://127.0.0.1:${metricsPort}/metrics`)).text();
    const selectors = [...ruleExprs, ...panelQueries.map(([, expr]) => expr)].flatMap((expr) => selectorsOf(expr));
    expect(missingFromScrape(selectors, scrape)).toEqual([]);

    // promtool's lint of the exposition: clean except the one warning docs/observability.md explains
    // (the OpenTelemetry semantic-convention name of the pool gauge).
    const lint = spawnSync('promtool', ['check', 'metrics'], { input: scrape, encoding: 'utf8' });
    const warnings = `${lint.stdout}${lint.stderr}`.split('\n').filter(Boolean);
    expect(warnings).toEqual(['db_client_connection_count non-histogram and non-summary metrics should not have "_count" suffix']);

    // 2. Prometheus, scraping every second.
    const prometheus = await startPrometheus(dir, metricsPort);
    const value = async (query: string) => {
      const { result } = (await prometheus.api('query', { query })) as { result: { value: [number, string] }[] };
      return result.length ? Number(result[0]!.value[1]) : NaN;
    };
    const alertTimeline = new Map<string, { pending?: number; firing?: number; resolved?: number }>();
    let outageAt = 0;
    let stop = false;
    const watchAlerts = (async () => {
      while (!stop) {
        const alerts = ((await prometheus.api('alerts').catch(() => ({ alerts: [] }))) as { alerts: Alert[] }).alerts;
        const now = performance.now();
        const seen = new Set<string>();
        for (const alert of alerts) {
          const key = [alert.labels.alertname, alert.labels.slo, alert.labels.long_window, alert.labels.instance].filter(Boolean).join(' ');
          seen.add(key);
          const entry = alertTimeline.get(key) ?? {};
          if (outageAt && alert.state === 'pending') entry.pending ??= now - outageAt;
          if (outageAt && alert.state === 'firing') entry.firing ??= now - outageAt;
          alertTimeline.set(key, entry);
        }
        for (const [key, entry] of alertTimeline) if (!seen.has(key) && entry.firing !== undefined) entry.resolved ??= now - outageAt;
        await sleep(250);
      }
    })();
    const load = startLoad(server.url, candidate);
    try {
      // A clean baseline: the SLI series exist and read 0.
      await waitFor(async () => (await value('slo:sli_error:ratio_rate5m{slo="apply-availability"}')) === 0, 40_000, 500).catch(async (error) => {
        const seen = await prometheus.api('query', { query: 'sum by (http_route, http_request_method, http_response_status_code) (http_server_request_duration_count) or up or slo:sli_error:ratio_rate5m' });
        throw new Error(`${error.message}; Prometheus sees ${JSON.stringify(seen)}\n${prometheus.output().slice(-1500)}`);
      });
      await sleep(10_000);
      const baseline = await value('slo:sli_error:ratio_rate5m{slo="apply-availability"}');
      expect(baseline).toBe(0);

      // 3. The database goes away.
      outageAt = performance.now();
      await proxy.setMode({ kind: 'refuse' });
      const breakerFiring = await waitFor(async () => alertTimeline.get(breakerKey(alertTimeline))?.firing !== undefined, 90_000, 250);
      const breaker = alertTimeline.get(breakerKey(alertTimeline))!;
      expect(breaker.pending).toBeDefined();
      expect(breaker.pending!).toBeLessThan(breaker.firing!);
      // The burn-rate page for applying needs 10 failed applications first, then its 10 s.
      await waitFor(async () => [...alertTimeline].some(([key, entry]) => key.startsWith('JobboardAvailabilityBudgetBurn apply-availability 1h') && entry.firing !== undefined), 60_000, 250);
      // The deploy workflow's error-budget gate, asking this Prometheus, now refuses a deploy.
      const gate = await checkBurnGate(prometheus.url);
      expect(gate.firing?.map((alert) => alert.labels.slo)).toContain('apply-availability');
      const peak = await value('slo:sli_error:ratio_rate5m{slo="apply-availability"}');
      expect(peak).toBeGreaterThan(14.4 * 0.001);

      // 4. It comes back: the breaker closes, the alert resolves, the ratio falls.
      const recoveredAt = performance.now();
      await proxy.setMode({ kind: 'pass' });
      await waitFor(async () => (await value('max(db_circuit_breaker_state{job="jobboard"})')) === 0, 60_000, 500);
      await waitFor(async () => alertTimeline.get(breakerKey(alertTimeline))?.resolved !== undefined, 30_000, 250);
      await waitFor(async () => (await value('slo:sli_error:ratio_rate5m{slo="apply-availability"}')) < peak / 2, 120_000, 1_000);
      const fallen = await value('slo:sli_error:ratio_rate5m{slo="apply-availability"}');
      const recoverySeconds = (performance.now() - recoveredAt) / 1000;

      // 5. Every dashboard query returns data over the run.
      const end = Date.now() / 1000;
      const empty: string[] = [];
      for (const [title, expr] of panelQueries) {
        const query = expr.replaceAll('$__rate_interval', '1m').replaceAll('$journey', '.+');
        const { result: series } = (await prometheus.api('query_range', { query, start: String(end - 600), end: String(end), step: '5' })) as { result: { values: [number, string][] }[] };
        if (!series.some((entry) => entry.values.some(([, sample]) => !Number.isNaN(Number(sample))))) empty.push(`${title}: ${query}`);
      }
      expect(empty).toEqual([]);

      const timeline = [...alertTimeline]
        .filter(([, entry]) => entry.firing !== undefined || entry.pending !== undefined)
        .map(([key, entry]) => `${key}: pending +${((entry.pending ?? NaN) / 1000).toFixed(1)} s, firing +${((entry.firing ?? NaN) / 1000).toFixed(1)} s${entry.resolved ? `, resolved +${(entry.resolved / 1000).toFixed(1)} s` : ''}`);
      console.log(
        [
          `live Prometheus: breaker alert firing ${(breakerFiring / 1000).toFixed(1)} s after the outage began (test for: 10 s);`,
          `apply availability error ratio (5m): baseline ${baseline}, peak ${peak.toFixed(4)}, ${fallen.toFixed(4)} after ${recoverySeconds.toFixed(0)} s of recovery;`,
          `${panelQueries.length} dashboard queries returned data; ${load.sent()} requests sent. Alerts from the outage (times since it began):`,
          ...timeline.map((line) => `  ${line}`),
        ].join('\n'),
      );
    } finally {
      stop = true;
      load.stop();
      await watchAlerts;
      await collector.close();
      prometheusProcess?.kill('SIGTERM');
    }
  });
});

function breakerKey(timeline: Map<string, unknown>) {
  return [...timeline.keys()].find((key) => key.startsWith('JobboardCircuitBreakerOpen')) ?? 'JobboardCircuitBreakerOpen';
}

/** One request of each journey: browse (API and a page), apply (409 after the first), sign-in. */
async function traffic(baseUrl: string, candidate: Session, round = 0) {
  const requests = [
    fetch(`${baseUrl}/api/jobs?limit=5`),
    fetch(`${baseUrl}/api/jobs/${SEED_JOB}`),
    fetch(`${baseUrl}/api/jobs?q=uncached-${round}`),
    fetch(`${baseUrl}/`),
    fetch(`${baseUrl}/api/jobs/${SEED_JOB}/applications`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', cookie: candidate.cookie },
      body: JSON.stringify({ coverLetter: 'I keep services observable and I would like to keep yours that way.' }),
    }),
    fetch(`${baseUrl}/api/auth/sign-in/email`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email: candidate.user.email, password: TEST_PASSWORD }) }),
  ];
  const responses = await Promise.allSettled(requests.map((request) => request.then((response) => response.arrayBuffer())));
  return responses.length;
}

/** A steady trickle of every journey (a few requests per second) until stopped. */
function startLoad(baseUrl: string, candidate: Session) {
  let running = true;
  let sent = 0;
  const loop = (async () => {
    for (let round = 0; running; round++) {
      sent += await traffic(baseUrl, candidate, round);
      await sleep(300);
    }
  })();
  return {
    sent: () => sent,
    stop: () => {
      running = false;
      return loop;
    },
  };
}
