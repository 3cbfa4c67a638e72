// A tally reports what was added, per series, as its instrument's kind says: the same numbers a
// synchronous counter would have reported.
import { AggregationTemporality, DataPointType, InMemoryMetricExporter, MeterProvider, PeriodicExportingMetricReader } from '@opentelemetry/sdk-metrics';
import { afterEach, describe, expect, it } from 'vitest';
import { tally } from './tally';

const providers: MeterProvider[] = [];
afterEach(async () => Promise.all(providers.splice(0).map((provider) => provider.shutdown())));

function meterWithReader() {
  const exporter = new InMemoryMetricExporter(AggregationTemporality.CUMULATIVE);
  const reader = new PeriodicExportingMetricReader({ exporter, exportIntervalMillis: 60_000 });
  const provider = new MeterProvider({ readers: [reader] });
  providers.push(provider);
  const collect = async () => {
    const { resourceMetrics } = await reader.collect();
    return resourceMetrics.scopeMetrics.flatMap((scope) => scope.metrics);
  };
  return { meter: provider.getMeter('test'), collect };
}

const points = (metric: { dataPoints: { attributes: object; value: unknown }[] } | undefined) =>
  (metric?.dataPoints ?? []).map(({ attributes, value }) => ({ attributes, value })).sort((a, b) => JSON.stringify(a.attributes).localeCompare(JSON.stringify(b.attributes)));

describe('tally', () => {
  it('reports each series of an up-down counter at collection, zeros included, building its attributes once', async () => {
    const { meter, collect } = meterWithReader();
    const active = tally(meter.createObservableUpDownCounter('active'));
    let built = 0;
    const route = (name: string) => () => (built++, { 'http.route': name });
    active.add('GET /a', route('/a'), 1);
    active.add('GET /a', route('/a'), 1);
    active.add('GET /b', route('/b'), 1);
    active.add('GET /b', route('/b'), -1);
    const [metric] = await collect();
    expect(metric?.dataPointType).toBe(DataPointType.SUM);
    expect(metric && 'isMonotonic' in metric ? metric.isMonotonic : undefined).toBe(false);
    expect(points(metric)).toEqual([
      { attributes: { 'http.route': '/a' }, value: 2 },
      { attributes: { 'http.route': '/b' }, value: 0 },
    ]);
    expect(built).toBe(2);
  });

  it('reports a counter cumulatively across collections', async () => {
    const { meter, collect } = meterWithReader();
    const decisions = tally(meter.createObservableCounter('decisions'));
    const allowed = () => ({ outcome: 'allowed' });
    decisions.add('allowed', allowed, 1);
    expect(points((await collect())[0])).toEqual([{ attributes: { outcome: 'allowed' }, value: 1 }]);
    decisions.add('allowed', allowed, 1);
    decisions.add('allowed', allowed, 1);
    const [metric] = await collect();
    expect(metric && 'isMonotonic' in metric ? metric.isMonotonic : undefined).toBe(true);
    expect(points(metric)).toEqual([{ attributes: { outcome: 'allowed' }, value: 3 }]);
  });
});
