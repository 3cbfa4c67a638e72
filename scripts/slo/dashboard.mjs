// The Grafana dashboard as code: plain JSON in Grafana's dashboard model (schemaVersion 39), built
// from the spec so its SLO panels, selector and links stay in step with the rules. Every query is
// run against a real Prometheus scraping the app in test/prometheus-live.test.ts.
import { slosOf } from './rules.mjs';

const DATASOURCE = { type: 'prometheus', uid: '${datasource}' };
const WIDTH = 24;

/** Panels laid out left to right, `perRow` to a row of height 8, under collapsible-free row headers. */
function layout(sections) {
  const panels = [];
  let y = 0;
  let id = 1;
  for (const section of sections) {
    panels.push({ type: 'row', id: id++, title: section.title, collapsed: false, gridPos: { h: 1, w: WIDTH, x: 0, y }, panels: [] });
    y += 1;
    const width = WIDTH / section.perRow;
    section.panels.forEach((panel, index) => {
      const x = (index % section.perRow) * width;
      if (index > 0 && index % section.perRow === 0) y += 8;
      panels.push({ ...panel, id: id++, datasource: DATASOURCE, gridPos: { h: 8, w: width, x, y } });
    });
    y += 8;
  }
  return panels;
}

const target = (expr, legendFormat, refId) => ({ datasource: DATASOURCE, expr, legendFormat, refId, range: true });
function timeseries(title, description, unit, queries, extra = {}) {
  return {
    type: 'timeseries',
    title,
    description,
    fieldConfig: { defaults: { unit, min: 0, custom: { lineWidth: 1, fillOpacity: 10 } }, overrides: [] },
    options: { legend: { displayMode: 'table', placement: 'bottom', calcs: ['lastNotNull', 'max'] }, tooltip: { mode: 'multi', sort: 'desc' } },
    targets: queries.map(([expr, legend], index) => target(expr, legend, String.fromCharCode(65 + index))),
    ...extra,
  };
}

export function dashboard(spec) {
  const sel = spec.selector;
  const rate = (metric, labels = '') => `rate(${metric}{${sel}${labels}}[$__rate_interval])`;
  const slos = slosOf(spec);
  const journey = '{journey=~"$journey"}';
  const page = spec.burn_alerts[0];
  const h = spec.histogram;

  const sections = [
    {
      title: 'Service level objectives',
      perRow: 3,
      panels: [
        timeseries(
          `Error budget remaining (${spec.period})`,
          `1 − (error ratio over the SLO period ÷ error budget). Below 0: the budget is spent; see the error-budget policy in docs/slo.md.`,
          'percentunit',
          slos.map((slo) => [`1 - ((${slo.errorRatio(spec.period)}) / ${slo.budget})`, slo.slo]),
          { fieldConfig: { defaults: { unit: 'percentunit', custom: { lineWidth: 1, fillOpacity: 0 } }, overrides: [] } },
        ),
        timeseries(
          `Burn rate over ${page.long} (page at ${page.burn}x)`,
          'Error ratio ÷ error budget: 1 spends exactly the budget over the period.',
          'none',
          [[`slo:sli_error:ratio_rate${page.long}${journey} / slo:error_budget:ratio${journey}`, '{{slo}}']],
        ),
        timeseries('SLI error ratio (5m)', 'Share of requests not answered well: 5xx (availability), slower than the threshold (latency).', 'percentunit', [[`slo:sli_error:ratio_rate5m${journey}`, '{{slo}}']]),
      ],
    },
    {
      title: 'Traffic, errors and latency per route',
      perRow: 3,
      panels: [
        timeseries('Requests per second by route', 'From the server span histogram (lib/telemetry/metrics.ts).', 'reqps', [[`sum by (http_route) (${rate(`${h}_count`)})`, '{{http_route}}']]),
        timeseries('5xx per second by route', '4xx and 429 are the client’s; only 5xx count against availability.', 'reqps', [[`sum by (http_route) (${rate(`${h}_count`, ', http_response_status_code=~"5.."')})`, '{{http_route}}']]),
        timeseries(
          'Latency by route: p50, p95, p99',
          'histogram_quantile over the buckets; accurate to the bucket bounds.',
          's',
          [0.5, 0.95, 0.99].map((q) => [`histogram_quantile(${q}, sum by (http_route, le) (${rate(`${h}_bucket`)}))`, `p${q * 100} {{http_route}}`]),
        ),
      ],
    },
    {
      title: 'Saturation',
      perRow: 4,
      panels: [
        timeseries('Requests in flight', 'Per instance; shedding at the door starts at LOAD_SHED_MAX_IN_FLIGHT.', 'none', [
          [`sum by (instance) (http_server_active_requests{${sel}})`, 'in flight {{instance}}'],
          [`sum by (instance) (app_admission_active{${sel}})`, 'admitted {{instance}}'],
          [`sum by (instance) (app_admission_queued{${sel}})`, 'queued {{instance}}'],
        ]),
        timeseries('Database pool', 'Connections in use and idle, requests waiting for one, pool size.', 'none', [
          [`sum by (instance, db_client_connection_state) (db_client_connection_count{${sel}})`, '{{db_client_connection_state}} {{instance}}'],
          [`sum by (instance) (db_client_connection_pending_requests{${sel}})`, 'waiting {{instance}}'],
          [`max by (instance) (db_client_connection_max{${sel}})`, 'max {{instance}}'],
        ]),
        timeseries('Event-loop delay p99', 'Since the previous scrape; above ~100 ms requests queue behind each other.', 's', [[`max by (instance) (nodejs_eventloop_delay_p99{${sel}})`, '{{instance}}']]),
        timeseries('V8 heap in use', 'Per instance.', 'bytes', [[`max by (instance) (v8js_memory_heap_used{${sel}})`, '{{instance}}']]),
      ],
    },
    {
      title: 'Resilience',
      perRow: 4,
      panels: [
        timeseries('Circuit breaker state', '0 closed, 1 half-open, 2 open, 3 isolated.', 'none', [[`max by (instance) (db_circuit_breaker_state{${sel}})`, '{{instance}}']], {
          fieldConfig: { defaults: { unit: 'none', min: 0, max: 3, custom: { lineWidth: 2, fillOpacity: 0, lineInterpolation: 'stepAfter' } }, overrides: [] },
        }),
        timeseries('Breaker transitions and refused database calls', 'Transitions by new state; calls refused or abandoned by reason.', 'none', [
          [`sum by (db_circuit_breaker_state) (increase(db_circuit_breaker_transitions_total{${sel}}[$__rate_interval]))`, 'to {{db_circuit_breaker_state}}'],
          [`sum by (reason) (${rate('db_client_rejections_total')})`, 'refused/s: {{reason}}'],
        ]),
        timeseries('Degraded reads served', 'Last-known-good copies served while the database is unavailable, per second.', 'reqps', [[`sum by (app_operation) (${rate('app_fallback_served_total')})`, '{{app_operation}}']]),
        timeseries('Requests shed', 'Answered 503 + Retry-After before any work, per second, by reason.', 'reqps', [[`sum by (reason) (${rate('http_server_load_shed_total')})`, '{{reason}}']]),
      ],
    },
    {
      title: 'Rate limiting, readiness and telemetry',
      perRow: 4,
      panels: [
        timeseries('Rate-limit decisions', 'Per second, by policy and outcome.', 'reqps', [[`sum by (app_ratelimit_policy, app_ratelimit_outcome) (${rate('app_ratelimit_decisions_total')})`, '{{app_ratelimit_policy}} {{app_ratelimit_outcome}}']]),
        timeseries('Rate-limit fallbacks', 'Decisions made by the per-instance memory limiter because the shared one (Redis) failed.', 'reqps', [[`sum by (instance) (${rate('app_ratelimit_fallbacks_total')})`, '{{instance}}']]),
        timeseries('Ready instances', 'Instances whose readiness passes, and each failing check.', 'none', [
          [`sum(app_ready{${sel}})`, 'ready'],
          [`count(app_readiness_check{${sel}} == 0) by (check)`, 'failing: {{check}}'],
        ]),
        timeseries('Telemetry exports', 'Export batches per second by signal and outcome.', 'none', [[`sum by (signal, outcome) (${rate('app_telemetry_exports_total')})`, '{{signal}} {{outcome}}']]),
      ],
    },
  ];

  return {
    uid: `${spec.service}-slo`,
    title: `${spec.service}: service level`,
    description: 'Generated by scripts/slo/generate.mjs from ops/slo/jobboard.slo.yaml; edit those, not this file.',
    tags: [spec.service, 'slo', 'generated'],
    editable: false,
    schemaVersion: 39,
    version: 1,
    refresh: '30s',
    time: { from: 'now-6h', to: 'now' },
    timezone: 'utc',
    templating: {
      list: [
        { name: 'datasource', label: 'Prometheus', type: 'datasource', query: 'prometheus', current: {}, hide: 0 },
        {
          name: 'journey',
          label: 'Journey',
          type: 'custom',
          query: spec.journeys.map((entry) => entry.name).join(','),
          includeAll: true,
          allValue: '.+',
          multi: true,
          current: { text: 'All', value: '$__all' },
          hide: 0,
        },
      ],
    },
    annotations: { list: [] },
    links: [{ title: 'Runbooks', type: 'link', url: spec.links.runbook_base, targetBlank: true }],
    panels: layout(sections),
  };
}

/** Every PromQL query of the dashboard, for the live test: [panel title, expr]. */
export function dashboardQueries(board) {
  return board.panels.filter((panel) => panel.targets).flatMap((panel) => panel.targets.map((entry) => [panel.title, entry.expr]));
}
