import { ExportResultCode } from '@opentelemetry/core';
import { AggregationTemporality, type PushMetricExporter, type ResourceMetrics } from '@opentelemetry/sdk-metrics';
import type { ReadableSpan, SpanExporter } from '@opentelemetry/sdk-trace-base';
import { afterAll, describe, expect, it } from 'vitest';
import { installMetricReader } from '../../test/support/metric-reader';
import { EpisodeLoggingExporter, episodeLoggingMetricExporter, initExportMetrics } from './episode-exporter';

const reader = installMetricReader();
afterAll(() => reader.shutdown());

async function exportsCounted() {
  const points = await reader.dataPoints('app.telemetry.exports');
  return Object.fromEntries(points.map((point) => [`${point.attributes.signal} ${point.attributes.outcome}`, point.value]));
}

/** An exporter whose next results are scripted. */
function scripted(results: ExportResultCode[]): SpanExporter {
  return {
    export: (_spans, done) => {
      const code = results.shift()!;
      done(code === ExportResultCode.SUCCESS ? { code } : { code, error: new Error('collector refused') });
    },
    shutdown: async () => {},
  };
}

describe('export outcomes are counted for the JobboardTelemetryExportFailing alert', () => {
  it('starts each configured signal at 0, then counts span and metric batches by outcome', async () => {
    initExportMetrics(['traces', 'metrics']);
    expect(await exportsCounted()).toEqual({ 'traces success': 0, 'traces failure': 0, 'metrics success': 0, 'metrics failure': 0 });

    const spans = new EpisodeLoggingExporter(scripted([ExportResultCode.SUCCESS, ExportResultCode.FAILED, ExportResultCode.FAILED]));
    for (let i = 0; i < 3; i++) spans.export([{} as ReadableSpan], () => {});
    const inner: PushMetricExporter = { export: (_batch, done) => done({ code: ExportResultCode.FAILED }), forceFlush: async () => {}, shutdown: async () => {}, selectAggregationTemporality: () => AggregationTemporality.DELTA };
    const wrapped = episodeLoggingMetricExporter(inner);
    wrapped.export({} as ResourceMetrics, () => {});

    expect(await exportsCounted()).toEqual({ 'traces success': 1, 'traces failure': 2, 'metrics success': 0, 'metrics failure': 1 });
    // The wrapper keeps the inner exporter's temporality choice.
    expect(wrapped.selectAggregationTemporality?.(0 as never)).toBe(AggregationTemporality.DELTA);
  });
});
