// Wraps a span exporter so that collector trouble is visible but quiet: one warning when exports
// start failing, one info line when they recover, a count of dropped batches in between.
import { type ExportResult, ExportResultCode } from '@opentelemetry/core';
import type { ReadableSpan, SpanExporter } from '@opentelemetry/sdk-trace-base';
import { failureEpisode } from '../failure-episode';

export class EpisodeLoggingExporter implements SpanExporter {
  private readonly episode = failureEpisode({
    failed: { event: 'telemetry_export_failed', message: 'trace export is failing; spans are dropped until it recovers' },
    recovered: { event: 'telemetry_export_recovered', message: 'trace export works again' },
    countField: 'dropped_spans',
  });

  constructor(private readonly inner: SpanExporter) {}

  export(spans: ReadableSpan[], done: (result: ExportResult) => void): void {
    this.inner.export(spans, (result) => {
      if (result.code === ExportResultCode.SUCCESS) this.episode.success();
      else this.episode.failure({ error: result.error?.message }, spans.length);
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
