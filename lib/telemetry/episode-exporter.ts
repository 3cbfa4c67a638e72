// Wraps the push exporters (spans, and metrics when OTLP metrics are on) so that collector trouble
// is visible but quiet: one warning when exports start failing, one info line when they recover,
// and every export counted by outcome in `app_telemetry_exports_total{signal, outcome}`, which the
// JobboardTelemetryExportFailing alert reads (docs/runbooks/JobboardTelemetryExportFailing.md).
import { type Counter, metrics } from '@opentelemetry/api';
import { type ExportResult, ExportResultCode } from '@opentelemetry/core';
import type { PushMetricExporter, ResourceMetrics } from '@opentelemetry/sdk-metrics';
import type { ReadableSpan, SpanExporter } from '@opentelemetry/sdk-trace-base';
import { failureEpisode } from '../failure-episode';

export type Signal = 'traces' | 'metrics';

let exportsCounter: Counter | undefined;
// Created on first use, after the SDK has registered its meter provider (before that, getMeter
// returns a no-op meter for good).
const exportCounter = () =>
  (exportsCounter ??= metrics.getMeter('jobboard').createCounter('app.telemetry.exports', { description: 'Export batches sent by the push exporters, by signal and outcome.' }));

/** Creates the outcome series at 0 for each signal that has an exporter (call after the SDK starts). */
export function initExportMetrics(signals: Signal[]) {
  for (const signal of signals) for (const outcome of ['success', 'failure']) exportCounter().add(0, { signal, outcome });
}

function watchExports(signal: Signal) {
  const episode = failureEpisode({
    failed: { event: 'telemetry_export_failed', message: `${signal} export is failing; batches are dropped until it recovers` },
    recovered: { event: 'telemetry_export_recovered', message: `${signal} export works again` },
    countField: signal === 'traces' ? 'dropped_spans' : 'dropped_batches',
  });
  return (result: ExportResult, lost: number) => {
    const ok = result.code === ExportResultCode.SUCCESS;
    exportCounter().add(1, { signal, outcome: ok ? 'success' : 'failure' });
    if (ok) episode.success({ signal });
    else episode.failure({ signal, error: result.error?.message }, lost);
  };
}

export class EpisodeLoggingExporter implements SpanExporter {
  private readonly settle = watchExports('traces');

  constructor(private readonly inner: SpanExporter) {}

  export(spans: ReadableSpan[], done: (result: ExportResult) => void): void {
    this.inner.export(spans, (result) => {
      this.settle(result, spans.length);
      done(result);
    });
  }

  shutdown(): Promise<void> {
    return this.inner.shutdown();
  }

  forceFlush(): Promise<void> {
    return this.inner.forceFlush?.() ?? Promise.resolve();
  }
}

/** The same for an OTLP or console metric exporter; its temporality and aggregation choices are kept. */
export function episodeLoggingMetricExporter(inner: PushMetricExporter): PushMetricExporter {
  const settle = watchExports('metrics');
  return {
    export(batch: ResourceMetrics, done: (result: ExportResult) => void) {
      inner.export(batch, (result) => {
        settle(result, 1);
        done(result);
      });
    },
    forceFlush: () => inner.forceFlush(),
    shutdown: () => inner.shutdown(),
    ...(inner.selectAggregationTemporality ? { selectAggregationTemporality: inner.selectAggregationTemporality.bind(inner) } : {}),
    ...(inner.selectAggregation ? { selectAggregation: inner.selectAggregation.bind(inner) } : {}),
  };
}
