// Wraps a span exporter so that collector trouble is visible but quiet: one warning when exports
// start failing, one info line when they recover, a count of dropped batches in between.
import { type ExportResult, ExportResultCode } from '@opentelemetry/core';
import type { ReadableSpan, SpanExporter } from '@opentelemetry/sdk-trace-base';
import { logger } from '../logger';

export class EpisodeLoggingExporter implements SpanExporter {
  private failing = false;
  private droppedSpans = 0;

  constructor(private readonly inner: SpanExporter) {}

  export(spans: ReadableSpan[], done: (result: ExportResult) => void): void {
    this.inner.export(spans, (result) => {
      if (result.code === ExportResultCode.SUCCESS) {
        if (this.failing) {
          logger.info({ event: 'telemetry_export_recovered', dropped_spans: this.droppedSpans }, 'trace export works again');
          this.failing = false;
          this.droppedSpans = 0;
        }
      } else {
        this.droppedSpans += spans.length;
        if (!this.failing) {
          this.failing = true;
          logger.warn({ event: 'telemetry_export_failed', error: result.error?.message }, 'trace export is failing; spans are dropped until it recovers');
        }
      }
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
