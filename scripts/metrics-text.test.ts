import { describe, expect, it } from 'vitest';
import { samplesNamed, samplesOf } from './metrics-text.mjs';

const exposition = [
  '# HELP http_server_load_shed_total Requests answered 503 before any work, by reason.',
  '# TYPE http_server_load_shed_total counter',
  'http_server_load_shed_total{reason="in_flight",otel_scope_name="jobboard"} 41',
  'http_server_request_duration_seconds_bucket{http_route="/api/jobs",le="0.025"} 900 1733500000000',
  'http_server_request_duration_seconds_bucket{http_route="/api/jobs",le="+Inf"} 1.5e3',
  'v8js_memory_heap_used 123456789',
  'weird_label{detail="a } b, c=\\"d\\""} 7',
].join('\n');

describe('samples of a Prometheus text exposition', () => {
  it('reads every sample line: its name, labels and value (not comments, not timestamps)', () => {
    expect(samplesOf(exposition)).toEqual([
      { name: 'http_server_load_shed_total', labels: { reason: 'in_flight', otel_scope_name: 'jobboard' }, value: 41 },
      { name: 'http_server_request_duration_seconds_bucket', labels: { http_route: '/api/jobs', le: '0.025' }, value: 900 },
      { name: 'http_server_request_duration_seconds_bucket', labels: { http_route: '/api/jobs', le: '+Inf' }, value: 1500 },
      { name: 'v8js_memory_heap_used', labels: {}, value: 123456789 },
      { name: 'weird_label', labels: { detail: 'a } b, c=\\"d\\"' }, value: 7 },
    ]);
    expect(samplesOf('')).toEqual([]);
  });

  it('finds a metric under the first of its spellings that the exposition has', () => {
    expect(samplesNamed(samplesOf(exposition), ['http_server_load_shed', 'http_server_load_shed_total']).map((s) => s.value)).toEqual([41]);
    expect(samplesNamed(samplesOf(exposition), ['http_server_request_duration_bucket', 'http_server_request_duration_seconds_bucket'])).toHaveLength(2);
    expect(samplesNamed(samplesOf(exposition), ['missing'])).toEqual([]);
  });
});
