// The Prometheus rules from the SLO spec: per SLO, recording rules for its error ratio and request
// rate over every window the alerts use, and the SRE workbook's multi-window, multi-burn-rate
// alerts; then the alerts no SLO covers. Pure functions of the spec: same spec, same bytes.
import { budgetOf, durationSeconds } from './spec.mjs';

/** Windows recorded for every SLO: each alert's long and short window, shortest first. */
export function recordedWindows(spec) {
  const windows = new Set(spec.burn_alerts.flatMap((alert) => [alert.long, alert.short]));
  return [...windows].sort((a, b) => durationSeconds(a) - durationSeconds(b));
}

const regexEscape = (text) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
/** A regex as it goes inside a PromQL double-quoted string (backslashes doubled). */
const promqlRegex = (alternatives) => alternatives.map(regexEscape).join('|').replace(/\\/g, '\\\\');

/**
 * Matches a bucket bound however it was written: OpenTelemetry's exporter writes `le="1"`, while
 * Prometheus 3 rewrites bounds to float form at ingestion (`le="1.0"`), so `le="1"` would match
 * nothing there. Integral bounds accept both spellings.
 */
export function leMatcher(bound) {
  const text = String(bound);
  return Number.isInteger(bound) ? `${text}(\\\\.0)?` : promqlRegex([text]);
}

/** The SLOs: one availability and one latency SLI per journey. */
export function slosOf(spec) {
  return spec.journeys.flatMap((journey) => {
    const requests = `${spec.selector}, http_route=~"${promqlRegex(journey.routes)}", http_request_method=~"${promqlRegex(journey.methods)}"`;
    const total = (window) => `sum(rate(${spec.histogram}_count{${requests}}[${window}]))`;
    const labels = (sli) => ({ slo: `${journey.name}-${sli}`, journey: journey.name, sli });
    return [
      {
        ...labels('availability'),
        objective: journey.availability.objective,
        budget: budgetOf(journey.availability.objective),
        meaning: 'answered without a 5xx',
        // No 5xx series yet is no errors (0), not no data.
        errorRatio: (window) => `(sum(rate(${spec.histogram}_count{${requests}, http_response_status_code=~"5.."}[${window}])) or vector(0))\n/\n${total(window)}`,
        total,
      },
      {
        ...labels('latency'),
        objective: journey.latency.objective,
        budget: budgetOf(journey.latency.objective),
        threshold: journey.latency.threshold,
        meaning: `answered within ${journey.latency.threshold * 1000} ms`,
        errorRatio: (window) => `1 - (\n  sum(rate(${spec.histogram}_bucket{${requests}, le=~"${leMatcher(journey.latency.threshold)}"}[${window}]))\n  /\n  ${total(window)}\n)`,
        total,
      },
    ];
  });
}

const pascal = (text) => text.replace(/(^|-)([a-z])/g, (_, __, letter) => letter.toUpperCase());
export const burnAlertName = (sli) => `Jobboard${pascal(sli)}BudgetBurn`;
const percent = (fraction) => `${Number((fraction * 100).toPrecision(6))} %`;
const number = (value) => Number(value.toPrecision(12));

function burnAlerts(spec, slo, options) {
  const match = `{slo="${slo.slo}"}`;
  return spec.burn_alerts.map((alert) => {
    const threshold = number(alert.burn * slo.budget);
    const longSeconds = durationSeconds(alert.long);
    return {
      alert: burnAlertName(slo.sli),
      expr: [
        `slo:sli_error:ratio_rate${alert.long}${match} > ${threshold}`,
        `and`,
        `slo:sli_error:ratio_rate${alert.short}${match} > ${threshold}`,
        `and`,
        `slo:sli_error:ratio_rate${alert.long}${match} * slo:sli_requests:rate${alert.long}${match} * ${longSeconds} >= ${spec.min_bad_requests}`,
      ].join('\n'),
      for: options.forOverride ?? alert.for,
      labels: { severity: alert.severity, slo: slo.slo, journey: slo.journey, sli: slo.sli, long_window: alert.long, short_window: alert.short, burn_rate: String(alert.burn) },
      annotations: {
        summary: `${slo.journey}: the ${slo.sli} error budget is burning ${alert.burn}x too fast (${alert.long} and ${alert.short} windows).`,
        description:
          `More than ${percent(threshold)} of ${slo.journey} requests were not ${slo.meaning}, over the last ${alert.long} and the last ${alert.short} ` +
          `(objective ${slo.objective} %: ${percent(slo.budget)} may fail). At this rate the ${spec.period} error budget lasts ` +
          `${Number((durationSeconds(spec.period) / alert.burn / 86400).toFixed(1))} days. At least ${spec.min_bad_requests} requests failed in the ${alert.long} window.`,
        runbook_url: `${spec.links.runbook_base}${burnAlertName(slo.sli)}.md`,
        dashboard: `${spec.links.dashboard}?var-journey=${slo.journey}`,
      },
    };
  });
}

/** One rule file per SLO (its own group: recordings first, then the alerts that read them). */
export function sloRuleFiles(spec, options = {}) {
  return slosOf(spec).map((slo) => {
    const labels = { slo: slo.slo, journey: slo.journey, sli: slo.sli };
    const recordings = recordedWindows(spec).flatMap((window) => [
      { record: `slo:sli_error:ratio_rate${window}`, expr: slo.errorRatio(window), labels },
      { record: `slo:sli_requests:rate${window}`, expr: slo.total(window), labels },
    ]);
    const budget = { record: 'slo:error_budget:ratio', expr: `vector(${slo.budget})`, labels };
    return {
      name: `slo-${slo.slo}.rules.yml`,
      content: { groups: [{ name: `slo-${slo.slo}`, rules: [budget, ...recordings, ...burnAlerts(spec, slo, options)] }] },
    };
  });
}

export function serviceAlertsFile(spec, options = {}) {
  return {
    name: 'service-alerts.rules.yml',
    content: {
      groups: [
        {
          name: `${spec.service}-service`,
          rules: spec.alerts.map((alert) => ({
            alert: alert.name,
            expr: alert.expr.replaceAll('${selector}', spec.selector),
            for: options.forOverride ?? alert.for,
            labels: { severity: alert.severity },
            annotations: {
              summary: alert.summary,
              description: alert.description,
              runbook_url: `${spec.links.runbook_base}${alert.name}.md`,
              dashboard: spec.links.dashboard,
            },
          })),
        },
      ],
    },
  };
}

/** Every alert name the rules define, for the runbook check. */
export function alertNames(spec) {
  return [...new Set([...slosOf(spec).map((slo) => burnAlertName(slo.sli)), ...spec.alerts.map((alert) => alert.name)])];
}
