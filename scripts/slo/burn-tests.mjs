// promtool unit tests for the burn-rate alerts, one file per SLO, generated from the spec like
// the rules. The expected alerts do not come from the rules: a small simulator here replays each
// scenario minute by minute with the SRE workbook's arithmetic (error ratio over a window = bad
// increase / total increase; both windows above burn × budget; at least min_bad_requests bad in
// the long window; held for `for:`), and promtool must agree with it. Each scenario also asserts
// what it is meant to show (this alert fires; only the short window is high; traffic too low), so
// a change to the spec that makes a scenario meaningless stops the generator.
import { burnAlertName, slosOf } from './rules.mjs';
import { durationSeconds } from './spec.mjs';

const START_TOTAL = 10_000_000; // large counters: rate()'s extrapolation is never capped at zero
const START_BAD = 100_000;
const minutes = (duration) => durationSeconds(duration) / 60;

// Per-minute increments are multiples of 1/1024: every counter value is then exact in binary
// floating point, in this simulator and in promtool's `start+stepxN` expansion alike (a run
// ending a hair above the next run's start would read as a counter reset).
const exact = (value) => Math.round(value * 1024) / 1024;

/** Per-minute counters for segments of { minutes, perMinute, badFraction | bad }. */
function buildCounters(segments) {
  const total = [START_TOTAL];
  const bad = [START_BAD];
  for (const segment of segments) {
    for (let i = 0; i < segment.minutes; i++) {
      const badThisMinute = segment.bad !== undefined ? (i < segment.bad ? 1 : 0) : segment.perMinute * segment.badFraction;
      total.push(total.at(-1) + exact(segment.perMinute));
      bad.push(bad.at(-1) + exact(badThisMinute));
    }
  }
  return { total, bad };
}

/**
 * The error ratio over `window` minutes at minute t, or null when rate() would return nothing.
 * `closed`: Prometheus 2 includes a sample exactly at the window's start; Prometheus 3 does not.
 */
function windowIncrease(series, t, window, closed) {
  const first = Math.max(0, closed ? t - window : t - window + 1);
  if (t - first < 1) return null;
  return series[t] - series[first];
}

function conditionAt(counters, pair, budget, minBad, t, closed) {
  const threshold = pair.burn * budget;
  const ratio = (window) => {
    const total = windowIncrease(counters.total, t, window, closed);
    if (!total) return null;
    return windowIncrease(counters.bad, t, window, closed) / total;
  };
  const long = ratio(minutes(pair.long));
  const short = ratio(minutes(pair.short));
  const badInLong = windowIncrease(counters.bad, t, minutes(pair.long), closed) ?? 0;
  return { long, short, burning: long !== null && short !== null && long > threshold && short > threshold, guardPasses: badInLong >= minBad };
}

/** Which burn pairs are firing at minute `at`, replaying every minute's evaluation. */
function simulate(counters, spec, budget, at, { closed, minBad = spec.min_bad_requests }) {
  return spec.burn_alerts.map((pair) => {
    const forMinutes = minutes(pair.for);
    let activeSince = null;
    for (let t = 0; t <= at; t++) {
      const { burning, guardPasses } = conditionAt(counters, pair, budget, minBad, t, closed);
      activeSince = burning && guardPasses ? (activeSince ?? t) : null;
    }
    return activeSince !== null && at - activeSince >= forMinutes;
  });
}

function expectFiring(counters, spec, slo, at, minBad) {
  const closed = simulate(counters, spec, slo.budget, at, { closed: true, minBad });
  const open = simulate(counters, spec, slo.budget, at, { closed: false, minBad });
  if (closed.some((firing, i) => firing !== open[i])) {
    throw new Error(`${slo.slo}: a scenario sits on a window boundary (Prometheus 2 and 3 would disagree at minute ${at}); move it`);
  }
  return closed;
}

/** promtool's expanding notation: a run of constant steps as `start+stepxN` (N steps after start). */
function seriesValues(values) {
  const parts = [];
  for (let i = 0; i < values.length; ) {
    const step = i + 1 < values.length ? values[i + 1] - values[i] : 0;
    let end = i;
    while (end + 1 < values.length && values[end + 1] - values[end] === step) end++;
    parts.push(end === i ? `${values[i]}` : `${values[i]}+${step}x${end - i}`);
    i = end + 1;
  }
  return parts.join(' ');
}

function labelsOfSelector(selector) {
  const labels = {};
  const rest = selector.replace(/(\w+)="([^"]*)"\s*,?\s*/g, (_, name, value) => {
    labels[name] = value;
    return '';
  });
  if (rest.trim()) throw new Error(`the tests need a selector of plain name="value" matchers, got: ${selector}`);
  return labels;
}
const promLabels = (labels) => `{${Object.entries(labels).map(([name, value]) => `${name}="${value}"`).join(', ')}}`;

function inputSeries(spec, journey, slo, counters, le) {
  const base = { ...labelsOfSelector(spec.selector), http_route: journey.routes[0], http_request_method: journey.methods[0] };
  if (slo.sli === 'availability') {
    return [
      { series: `${spec.histogram}_count${promLabels({ ...base, http_response_status_code: journey.methods[0] === 'POST' ? '201' : '200' })}`, values: seriesValues(counters.total.map((total, i) => total - counters.bad[i])) },
      { series: `${spec.histogram}_count${promLabels({ ...base, http_response_status_code: '503' })}`, values: seriesValues(counters.bad) },
    ];
  }
  const withStatus = { ...base, http_response_status_code: '200' };
  return [
    { series: `${spec.histogram}_count${promLabels(withStatus)}`, values: seriesValues(counters.total) },
    { series: `${spec.histogram}_bucket${promLabels({ ...withStatus, le })}`, values: seriesValues(counters.total.map((total, i) => total - counters.bad[i])) },
  ];
}

function expectedAlerts(rules, firing) {
  const alerts = rules.filter((rule) => rule.alert);
  return alerts.filter((_, i) => firing[i]).map((rule) => ({ exp_labels: rule.labels, exp_annotations: rule.annotations }));
}

/**
 * `le`: how the bound is spelled in the input series. Every other latency SLO with an integral
 * bound gets Prometheus 3's float form ("1.0") instead of OpenTelemetry's ("1"), so both spellings
 * are exercised against the matcher.
 */
export function burnTestFile(spec, ruleFile, sloIndex) {
  const slo = slosOf(spec)[sloIndex];
  const journey = spec.journeys.find((candidate) => candidate.name === slo.journey);
  const rules = ruleFile.content.groups[0].rules;
  const integralLatencySlos = slosOf(spec).filter((candidate) => Number.isInteger(candidate.threshold));
  const floatForm = integralLatencySlos.findIndex((candidate) => candidate.slo === slo.slo) % 2 === 0;
  const le = slo.threshold === undefined ? undefined : floatForm ? `${slo.threshold}.0` : String(slo.threshold);
  const alertname = burnAlertName(slo.sli);
  const tests = [];
  const add = (name, segments, check) => {
    const counters = buildCounters(segments);
    const at = counters.total.length - 1;
    const firing = expectFiring(counters, spec, slo, at);
    check({ counters, at, firing });
    tests.push({
      name: `${slo.slo}: ${name}`,
      interval: '1m',
      input_series: inputSeries(spec, journey, slo, counters, le),
      alert_rule_test: [{ eval_time: `${at}m`, alertname, exp_alerts: expectedAlerts(rules, firing) }],
    });
    return { counters, at };
  };

  spec.burn_alerts.forEach((pair, index) => {
    const threshold = pair.burn * slo.budget;
    const errors = Math.min(1, 3 * threshold);
    const short = minutes(pair.short);
    const label = `${pair.severity} at ${pair.burn}x over ${pair.long} and ${pair.short}`;
    // 1. A sustained burn at 3x the alert's rate: it fires.
    const history = Math.max(short, 60);
    add(`${label}: fires on a sustained burn`, [{ minutes: history, perMinute: 600, badFraction: 0 }, { minutes: history + minutes(pair.for), perMinute: 600, badFraction: errors }], ({ firing }) => {
      if (!firing[index]) throw new Error(`${slo.slo}: the sustained-burn scenario does not fire ${label}`);
    });
    // 2. The same error rate for only the short window after a long clean stretch: the short
    //    window is above the threshold, the long one is not, and this pair stays quiet.
    add(`${label}: quiet when only the short window burns`, [{ minutes: 4 * short, perMinute: 600, badFraction: 0 }, { minutes: short, perMinute: 600, badFraction: errors }], ({ counters, at, firing }) => {
      const state = conditionAt(counters, pair, slo.budget, spec.min_bad_requests, at, true);
      if (!(state.short > threshold && state.long < threshold) || firing[index]) throw new Error(`${slo.slo}: the short-window scenario does not isolate the short window for ${label}`);
    });
    // 3. Night traffic: three failed requests are enough to put both windows over the threshold,
    //    yet fewer than min_bad_requests failed, so nothing fires. Without the guard it would.
    //    The clean stretch before is at most four short windows: the long window then holds less
    //    than its length of data, which rate() handles, and the test stays quick.
    const quietHistory = Math.min(minutes(pair.long), 4 * short);
    const perMinute = Math.min(1, 1.5 / (threshold * quietHistory));
    // Evaluated `for` + 1 minutes after the failures, while the short window still holds them.
    const { at } = add(`${label}: quiet on three failures at night`, [{ minutes: quietHistory, perMinute, badFraction: 0 }, { minutes: 3, perMinute: Math.max(perMinute, 1), bad: 3 }, { minutes: minutes(pair.for) + 1, perMinute, badFraction: 0 }], ({ counters, at, firing }) => {
      const state = conditionAt(counters, pair, slo.budget, spec.min_bad_requests, at, true);
      const unguarded = expectFiring(counters, spec, slo, at, 0);
      if (!state.burning || state.guardPasses || firing[index] || !unguarded[index]) throw new Error(`${slo.slo}: the low-traffic scenario does not show the guard for ${label}`);
    });
    // Promtool's own view that the burn condition holds there: the guard, not the ratio, keeps it quiet.
    tests.at(-1).promql_expr_test = [
      {
        expr: `(slo:sli_error:ratio_rate${pair.long}{slo="${slo.slo}"} > bool ${Number(threshold.toPrecision(12))}) * (slo:sli_error:ratio_rate${pair.short}{slo="${slo.slo}"} > bool ${Number(threshold.toPrecision(12))})`,
        eval_time: `${at}m`,
        exp_samples: [{ labels: promLabels({ journey: slo.journey, sli: slo.sli, slo: slo.slo }), value: 1 }],
      },
    ];
  });

  return {
    name: `slo-${slo.slo}.test.yml`,
    content: { rule_files: [`../${ruleFile.name}`], evaluation_interval: '1m', tests },
  };
}
