// Reads and checks ops/slo/jobboard.slo.yaml (the SLO spec): every mistake is one clear line
// naming the field, before anything is generated.
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { z } from 'zod';

export const SPEC_PATH = new URL('../../ops/slo/jobboard.slo.yaml', import.meta.url);

const DURATION = /^(\d+)(s|m|h|d)$/;
const UNIT_SECONDS = { s: 1, m: 60, h: 3600, d: 86400 };
export function durationSeconds(text) {
  const match = DURATION.exec(text);
  if (!match) throw new Error(`not a duration: ${text}`);
  return Number(match[1]) * UNIT_SECONDS[match[2]];
}

const duration = z.string().regex(DURATION, 'a Prometheus duration such as 5m, 1h, 3d');
const percent = z.number().gt(0).lt(100);
const schema = z.strictObject({
  version: z.literal(1),
  service: z.string().regex(/^[a-z][a-z0-9-]*$/),
  selector: z.string().min(1),
  links: z.strictObject({ runbook_base: z.url().endsWith('/'), dashboard: z.url() }),
  period: duration,
  burn_alerts: z
    .array(z.strictObject({ severity: z.enum(['page', 'ticket']), burn: z.number().positive(), long: duration, short: duration, for: duration }))
    .min(1),
  min_bad_requests: z.number().int().min(0),
  histogram: z.string().regex(/^[a-zA-Z_][a-zA-Z0-9_]*$/),
  buckets: z.array(z.number().positive()).min(1),
  journeys: z
    .array(
      z.strictObject({
        name: z.string().regex(/^[a-z][a-z0-9-]*$/),
        description: z.string(),
        methods: z.array(z.enum(['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE'])).min(1),
        routes: z.array(z.string().startsWith('/')).min(1),
        availability: z.strictObject({ objective: percent }),
        latency: z.strictObject({ objective: percent, threshold: z.number().positive() }),
      }),
    )
    .min(1),
  alerts: z.array(
    z.strictObject({
      name: z.string().regex(/^[A-Z][A-Za-z0-9]*$/),
      expr: z.string(),
      for: duration,
      severity: z.enum(['page', 'ticket']),
      summary: z.string(),
      description: z.string(),
    }),
  ),
});

/** The spec, checked; `text` lets tests check a variant without a file. */
export function loadSpec(text = readFileSync(SPEC_PATH, 'utf8')) {
  const parsed = schema.safeParse(parse(text));
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new Error(`ops/slo/jobboard.slo.yaml: ${issue.path.join('.') || '(top)'}: ${issue.message}`);
  }
  const spec = parsed.data;
  for (const journey of spec.journeys) {
    if (!spec.buckets.includes(journey.latency.threshold)) {
      throw new Error(`ops/slo/jobboard.slo.yaml: journeys.${journey.name}.latency.threshold: ${journey.latency.threshold} s is not a bucket boundary (${spec.buckets.join(', ')}); a latency SLI can only count requests at a boundary`);
    }
  }
  for (const alert of spec.burn_alerts) {
    if (durationSeconds(alert.short) >= durationSeconds(alert.long)) throw new Error(`ops/slo/jobboard.slo.yaml: burn_alerts: the short window (${alert.short}) must be shorter than the long one (${alert.long})`);
  }
  const names = spec.journeys.map((journey) => journey.name);
  if (new Set(names).size !== names.length) throw new Error('ops/slo/jobboard.slo.yaml: journeys: two journeys share a name');
  return spec;
}

/** Error budget as a fraction (99.9 → 0.001), rounded so that 100 − 99.9 prints as 0.001. */
export const budgetOf = (objective) => Number(((100 - objective) / 100).toPrecision(12));
