// For unit tests of instruments: a global meter provider whose metrics a test reads on demand.
import { metrics } from '@opentelemetry/api';
import { AggregationTemporality, type DataPoint, InMemoryMetricExporter, MeterProvider, PeriodicExportingMetricReader } from '@opentelemetry/sdk-metrics';

/** Installs the provider (call once per test file, before the code under test creates instruments). */
export function installMetricReader() {
  const exporter = new InMemoryMetricExporter(AggregationTemporality.CUMULATIVE);
  const reader = new PeriodicExportingMetricReader({ exporter, exportIntervalMillis: 60_000 });
  metrics.setGlobalMeterProvider(new MeterProvider({ readers: [reader] }));
  return {
    /** The data points of one instrument as of now (none if it has recorded nothing). */
    async dataPoints(name: string): Promise<DataPoint<unknown>[]> {
      await reader.forceFlush();
      const found = exporter.getMetrics().at(-1)?.scopeMetrics.flatMap((scope) => scope.metrics).find((metric) => metric.descriptor.name === name);
      return (found?.dataPoints ?? []) as DataPoint<unknown>[];
    },
    shutdown: () => reader.shutdown(),
  };
}
