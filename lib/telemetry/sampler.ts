// The sampler: the standard one that OTEL_TRACES_SAMPLER / OTEL_TRACES_SAMPLER_ARG choose (built
// by NodeSDK's own code; unset: parentbased_always_on, the specification's default), except that
// a few high-volume internal *leaf* spans are never recorded (Next's module loading, better-auth's
// hook wrappers). They have no children, so dropping them breaks no parent chain; bench:otel
// measured what they cost (docs/decisions/009-sampler.md).
import type { Attributes, Context, Link, SpanKind } from '@opentelemetry/api';
// NodeSDK builds its env sampler here; it is not re-exported from the package root, and NodeSDK
// takes either that sampler or ours, not both. The version is pinned exactly (package.json), and
// sampler.test.ts fails if an upgrade moves or changes it.
import { createSamplerFromEnv } from '@opentelemetry/sdk-node/build/src/create-from-env.js';
import { AlwaysOnSampler, ParentBasedSampler, type Sampler, SamplingDecision, type SamplingResult } from '@opentelemetry/sdk-trace-base';

export const QUIET_LEAF_SPANS = [
  /^start response$/,
  /^resolve page components$/,
  /^resolve segment modules$/,
  /^(load|prepare) (app )?route module$/,
  /^NextNodeServer\.clientComponentLoading$/,
  /^hook (before|after) /,
];

/** The sampler OTEL_TRACES_SAMPLER and OTEL_TRACES_SAMPLER_ARG describe (process.env, validated in lib/env.ts). */
export function standardSamplerFromEnv(): Sampler {
  return createSamplerFromEnv() ?? new ParentBasedSampler({ root: new AlwaysOnSampler() });
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
