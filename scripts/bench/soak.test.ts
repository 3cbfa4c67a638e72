import { describe, expect, it } from 'vitest';
import { imageHeapMiB, imageNodeOptions, imageSemiSpaceMiB } from './image-runtime.mjs';
import { samplesOf } from '../metrics-text.mjs';
import { isFlat, linearFit, shedByReason } from './soak.mjs';

describe('soak helpers', () => {
  it("reads the image's V8 flags and heap sizes from the Dockerfile", () => {
    const dockerfile = 'FROM x\nENV NODE_OPTIONS="--max-old-space-size=256 --max-semi-space-size=16"\nENV NODE_ENV=production\n';
    expect(imageNodeOptions(dockerfile)).toEqual(['--max-old-space-size=256', '--max-semi-space-size=16']);
    expect(imageHeapMiB(dockerfile)).toBe(256);
    expect(imageSemiSpaceMiB(dockerfile)).toBe(16);
    expect(imageNodeOptions('ENV NODE_OPTIONS=--max-old-space-size=300')).toEqual(['--max-old-space-size=300']);
    expect(imageHeapMiB('ENV NODE_ENV=production')).toBeUndefined();
    expect(imageNodeOptions('ENV NODE_ENV=production')).toEqual([]);
  });

  it('fits a line: slope per unit and the noise around it', () => {
    const fit = linearFit([0, 1, 2, 3, 4].map((x) => ({ x, y: 100 + 2 * x })));
    expect(fit.slope).toBeCloseTo(2);
    expect(fit.sd).toBeCloseTo(0);
    expect(fit.mean).toBeCloseTo(104);
  });

  it('calls a noisy level series flat and a steady climb growing', () => {
    const noisy = [300, 310, 296, 305, 299, 309, 301, 304].map((y, x) => ({ x, y }));
    expect(isFlat(linearFit(noisy), 7)).toBe(true);
    const climbing = [300, 306, 312, 318, 324, 330, 336, 342].map((y, x) => ({ x, y }));
    expect(isFlat(linearFit(climbing), 7)).toBe(false);
  });

  it("reads the app's load-shed counter by reason from its metrics text", () => {
    const text = [
      '# HELP http_server_load_shed_total Requests answered 503 before any work, by reason.',
      '# TYPE http_server_load_shed_total counter',
      'http_server_load_shed_total{reason="in_flight",otel_scope_name="jobboard"} 41',
      'http_server_load_shed_total{reason="queue_delay",otel_scope_name="jobboard"} 3',
      'http_server_request_duration_seconds_count{http_route="/api/jobs"} 900',
    ].join('\n');
    expect(shedByReason(samplesOf(text))).toEqual({ in_flight: 41, queue_delay: 3 });
    expect(shedByReason(samplesOf(''))).toEqual({});
  });
});
