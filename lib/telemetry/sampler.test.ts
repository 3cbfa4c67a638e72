import { type Context, ROOT_CONTEXT, SpanKind } from '@opentelemetry/api';
import { SamplingDecision } from '@opentelemetry/sdk-trace-base';
import { afterEach, describe, expect, it } from 'vitest';
import { QuietLeavesSampler, standardSamplerFromEnv } from './sampler';

const traceId = 'a1b2c3d4e5f60718293a4b5c6d7e8f90';
const sample = (sampler: { shouldSample: (...args: never[]) => { decision: SamplingDecision } }, name: string, context: Context = ROOT_CONTEXT) =>
  (sampler.shouldSample as (...args: unknown[]) => { decision: SamplingDecision })(context, traceId, name, SpanKind.SERVER, {}, []).decision;

describe('sampler', () => {
  const saved = { ...process.env };
  afterEach(() => {
    process.env = { ...saved };
  });

  it('is the standard sampler that OTEL_TRACES_SAMPLER and its argument name, as NodeSDK builds it', () => {
    delete process.env.OTEL_TRACES_SAMPLER;
    delete process.env.OTEL_TRACES_SAMPLER_ARG;
    expect(standardSamplerFromEnv().toString()).toMatch(/^ParentBased\{root=AlwaysOnSampler/);
    process.env.OTEL_TRACES_SAMPLER = 'parentbased_traceidratio';
    process.env.OTEL_TRACES_SAMPLER_ARG = '0.1';
    expect(standardSamplerFromEnv().toString()).toMatch(/^ParentBased\{root=TraceIdRatioBased\{0\.1\}/);
    process.env.OTEL_TRACES_SAMPLER = 'always_off';
    expect(sample(standardSamplerFromEnv(), 'GET /api/jobs')).toBe(SamplingDecision.NOT_RECORD);
    process.env.OTEL_TRACES_SAMPLER = 'traceidratio';
    process.env.OTEL_TRACES_SAMPLER_ARG = '0.5';
    expect(standardSamplerFromEnv().toString()).toBe('TraceIdRatioBased{0.5}');
    process.env.OTEL_TRACES_SAMPLER = 'always_on';
    expect(sample(standardSamplerFromEnv(), 'GET /api/jobs')).toBe(SamplingDecision.RECORD_AND_SAMPLED);
  });

  it('never records the quiet leaf spans, and delegates every other span', () => {
    const sampler = new QuietLeavesSampler(standardSamplerFromEnv());
    expect(sample(sampler, 'start response')).toBe(SamplingDecision.NOT_RECORD);
    expect(sample(sampler, 'hook before /sign-in/email')).toBe(SamplingDecision.NOT_RECORD);
    expect(sample(sampler, 'GET /api/jobs')).toBe(SamplingDecision.RECORD_AND_SAMPLED);
    expect(sampler.toString()).toMatch(/^QuietLeaves\{ParentBased/);
  });
});
