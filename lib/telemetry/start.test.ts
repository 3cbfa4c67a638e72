// In its own file (its own worker): the require hook is installed once per process, by the first
// instrumentation constructed, so this must be the first construction the process sees.
import Module from 'node:module';
import { metrics, trace } from '@opentelemetry/api';
import { describe, expect, it } from 'vitest';

describe('startTelemetry', () => {
  it('starts NodeSDK with our instrumentations and leaves no require hook behind; shutdown stops it', async () => {
    const plainRequire = Module.prototype.require;
    process.env.OTEL_TRACES_EXPORTER = 'none';
    const { startTelemetry } = await import('./start');
    const telemetry = startTelemetry();
    try {
      expect(telemetry).not.toBeNull();
      expect(Module.prototype.require).toBe(plainRequire);
      // Spans are recorded with no exporter (ids for logs and headers), and metrics have a provider.
      const span = trace.getTracer('test').startSpan('GET /api/jobs');
      expect(span.isRecording()).toBe(true);
      span.end();
      expect(metrics.getMeterProvider().constructor.name).toBe('MeterProvider');
    } finally {
      await telemetry?.shutdown();
      delete process.env.OTEL_TRACES_EXPORTER;
    }
  });
});
