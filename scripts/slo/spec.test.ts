import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { DURATION_BUCKETS_S } from '../../lib/telemetry/metrics';
import { generatedFiles } from './generate.mjs';
import { loadSpec, SPEC_PATH } from './spec.mjs';

const text = readFileSync(SPEC_PATH, 'utf8');
const root = path.resolve(import.meta.dirname, '../..');

/** Page routes as the metrics label them: app/jobs/[id]/page.tsx → /jobs/[id]. */
function pageRoutes(dir = path.join(root, 'app'), prefix = ''): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    if (entry.isDirectory()) return entry.name === 'api' ? [] : pageRoutes(path.join(dir, entry.name), `${prefix}/${entry.name}`);
    return entry.name === 'page.tsx' ? [prefix || '/'] : [];
  });
}

describe('the SLO spec', () => {
  it('uses the histogram buckets the app really has', () => {
    expect(loadSpec().buckets).toEqual(DURATION_BUCKETS_S);
  });

  it('counts every page of the app in the browse journey, so a new page cannot escape the SLO', () => {
    const browse = loadSpec().journeys.find((journey) => journey.name === 'browse')!;
    expect(pageRoutes().sort()).toEqual(browse.routes.filter((route) => !route.startsWith('/api/')).sort());
  });

  it('refuses a latency threshold between bucket bounds, naming the field', () => {
    expect(() => loadSpec(text.replace('threshold: 0.5', 'threshold: 0.3'))).toThrow(/journeys\.browse\.latency\.threshold: 0\.3 s is not a bucket boundary/);
  });

  it('refuses an unknown field or a bad duration with its path', () => {
    expect(() => loadSpec(text.replace('period: 30d', 'period: 30 days'))).toThrow(/period: a Prometheus duration/);
    expect(() => loadSpec(`${text}\nextra: 1\n`)).toThrow(/ops\/slo\/jobboard\.slo\.yaml/);
  });

  it('generates the same bytes twice', () => {
    expect(generatedFiles(loadSpec())).toEqual(generatedFiles(loadSpec()));
  });
});
