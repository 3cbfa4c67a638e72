// The series selectors a PromQL expression reads (`name{labels}`), for checking rules and
// dashboard queries against what the app really exports. Every selector in our rules and
// dashboard has braces (the deployment selector is always in them), so this needs no parser.
import { samplesOf } from '../metrics-text.mjs';

const SELECTOR = /([a-zA-Z_:][a-zA-Z0-9_:]*)\{([^}]*)\}/g;
const MATCHER = /([a-zA-Z_][a-zA-Z0-9_]*)\s*(=~|!~|!=|=)\s*"((?:[^"\\]|\\.)*)"/g;

/** [{ metric, matchers: [{ label, op, value }] }] in order of appearance. */
export function selectorsOf(expr) {
  return [...expr.matchAll(SELECTOR)].map(([, metric, body]) => ({
    metric,
    matchers: [...body.matchAll(MATCHER)].map(([, label, op, value]) => ({ label, op, value })),
  }));
}

/**
 * What a real scrape lacks for these selectors: metrics it does not export, label names no
 * sample of that metric carries, and `le` matchers that match no bucket bound. Labels the
 * scraper adds (`targetLabels`, e.g. job, instance) and recorded `slo:` series are not the app's.
 */
export function missingFromScrape(selectors, exposition, targetLabels = ['job', 'instance', 'app']) {
  const samples = samplesOf(exposition);
  const problems = new Set();
  for (const { metric, matchers } of selectors) {
    if (metric.includes(':')) continue;
    const ofMetric = samples.filter((sample) => sample.name === metric);
    if (!ofMetric.length) {
      problems.add(`${metric}: not in the scrape`);
      continue;
    }
    for (const { label, op, value } of matchers) {
      if (targetLabels.includes(label)) continue;
      if (!ofMetric.some((sample) => label in sample.labels)) problems.add(`${metric}: no sample has the label ${label}`);
      if (label === 'le' && op === '=~' && !ofMetric.some((sample) => new RegExp(`^(?:${value.replace(/\\\\/g, '\\')})$`).test(sample.labels.le ?? ''))) {
        problems.add(`${metric}: le=~"${value}" matches no bucket bound`);
      }
    }
  }
  return [...problems];
}
