import { describe, expect, it } from 'vitest';
import { missingFromScrape, selectorsOf } from './promql-series.mjs';
import { leMatcher } from './rules.mjs';

const scrape = [
  '# TYPE http_server_request_duration histogram',
  'http_server_request_duration_bucket{http_route="/api/jobs",http_response_status_code="200",le="0.5"} 3',
  'http_server_request_duration_bucket{http_route="/api/jobs",http_response_status_code="200",le="1"} 4',
  'http_server_request_duration_count{http_route="/api/jobs",http_response_status_code="200"} 4',
  'app_ready 1',
].join('\n');

describe('checking queries against a scrape', () => {
  it('reads selectors with their matchers, backslashes and all', () => {
    expect(selectorsOf('sum(rate(a_b{job="x", le=~"1(\\\\.0)?"}[5m])) / slo:y{slo="s"}')).toEqual([
      { metric: 'a_b', matchers: [{ label: 'job', op: '=', value: 'x' }, { label: 'le', op: '=~', value: '1(\\\\.0)?' }] },
      { metric: 'slo:y', matchers: [{ label: 'slo', op: '=', value: 's' }] },
    ]);
  });

  it('accepts what the scrape has, including a float-safe le matcher, and names what it lacks', () => {
    const expr = (le: string) => `http_server_request_duration_bucket{job="jobboard", http_route=~"x", le=~"${le}"}`;
    expect(missingFromScrape(selectorsOf(expr(leMatcher(1))), scrape)).toEqual([]);
    expect(missingFromScrape(selectorsOf(expr(leMatcher(0.5))), scrape)).toEqual([]);
    expect(missingFromScrape(selectorsOf(expr(leMatcher(2.5))), scrape)).toEqual(['http_server_request_duration_bucket: le=~"2\\\\.5" matches no bucket bound']);
    expect(missingFromScrape(selectorsOf('app_ready{job="j"} + nope_total{job="j"} + app_ready{region="ams"}'), scrape)).toEqual([
      'nope_total: not in the scrape',
      'app_ready: no sample has the label region',
    ]);
  });

  it('le matchers accept both spellings of an integral bound and only that bound', () => {
    const matches = (bound: number, le: string) => new RegExp(`^(?:${leMatcher(bound).replace(/\\\\/g, '\\')})$`).test(le);
    expect([matches(1, '1'), matches(1, '1.0'), matches(1, '10'), matches(1, '1.5')]).toEqual([true, true, false, false]);
    expect([matches(0.5, '0.5'), matches(0.5, '0x5'), matches(10, '10.0')]).toEqual([true, false, true]);
  });
});
