// The sampler: the standard OTEL_TRACES_SAMPLER / OTEL_TRACES_SAMPLER_ARG choice (default
// parentbased_traceidratio at 1.0), except that a few high-volume internal *leaf* spans are
// never recorded (Next's module loading, better-auth's hook wrappers). They have no children,
// so dropping them breaks no parent chain; bench:otel measured what they cost.
import type { Attributes, Context, Link, SpanKind } from '@opentelemetry/api';
import {
  AlwaysOffSampler,
  AlwaysOnSampler,
  ParentBasedSampler,
  type Sampler,
  SamplingDecision,
  type SamplingResult,
  TraceIdRatioBasedSampler,
} from '@opentelemetry/sdk-trace-base';

export const QUIET_LEAF_SPANS = [
  /^start response$/,
  /^resolve page components$/,
  /^resolve segment modules$/,
  /^(load|prepare) (app )?route module$/,
  /^NextNodeServer\.clientComponentLoading$/,
  /^hook (before|after) /,
];

export function samplerFromEnv(env: Record<string, string | undefined> = process.env): Sampler {
  const name = env.OTEL_TRACES_SAMPLER || 'parentbased_traceidratio';
  const arg = Number(env.OTEL_TRACES_SAMPLER_ARG ?? '1');
  const ratio = Number.isFinite(arg) && arg >= 0 && arg <= 1 ? arg : 1;
  switch (name) {
    case 'always_on':
      return new AlwaysOnSampler();
    case 'always_off':
      return new AlwaysOffSampler();
    case 'traceidratio':
      return new TraceIdRatioBasedSampler(ratio);
    case 'parentbased_always_on':
      return new ParentBasedSampler({ root: new AlwaysOnSampler() });
    case 'parentbased_always_off':
      return new ParentBasedSampler({ root: new AlwaysOffSampler() });
    default:
      return new ParentBasedSampler({ root: new TraceIdRatioBasedSampler(ratio) });
  }
}

export class QuietLeavesSampler implements Sampler {
  constructor(private readonly delegate: Sampler) {}

  shouldSample(context: Context, traceId: string, spanName: string, spanKind: SpanKind, attributes: Attributes, links: Link[]): SamplingResult {
    if (QUIET_LEAF_SPANS.some((pattern) => pattern.test(spanName))) return { decision: SamplingDecision.NOT_RECORD };
    return this.delegate.shouldSample(context, traceId, spanName, spanKind, attributes, links);
  }

  toString(): string {
    return `QuietLeaves{${this.delegate.toString()}}`;
  }
}
