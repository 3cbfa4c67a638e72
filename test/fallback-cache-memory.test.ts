// The last-known-good cache is bounded in heap bytes, so distinct reads of long pages cannot
// exhaust the image's heap (docs/performance.md, "The fallback cache in bytes"). Bounded in entries
// alone (1,000), the same reads killed a server with the image's V8 flags after about 300 pages of
// 50 jobs with 10,000-character descriptions: "JavaScript heap out of memory". A fresh embedded
// database, so that the long jobs reach no other suite's data.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { asTheImageRuns } from '../scripts/bench/image-runtime.mjs';
import { samplesNamed, samplesOf } from '../scripts/metrics-text.mjs';
import { call, signUp, validJob } from './support/api';
import { type RunningServer, startServer } from './support/server';

const METRICS_TOKEN = 'metrics-token-for-the-cache-test-0123';
const LONG_JOBS = 50;
const BUDGET_MIB = 32;
const READS = 600; // × ~0.5 MB of JSON a page: more than the image's whole 256 MB heap
const CONNECTIONS = 4;
const MiB = 1024 * 1024;

/** Every upper/lower-case spelling of a word: distinct cache keys for the same page. */
const spellings = (word: string) =>
  Array.from({ length: 1 << word.length }, (_, mask) => [...word].map((letter, i) => ((mask >> i) & 1 ? letter.toUpperCase() : letter)).join(''));

let server: RunningServer | undefined;

async function scrape(name: string): Promise<number> {
  const response = await fetch(`${server!.url}/api/metrics`, { headers: { authorization: `Bearer ${METRICS_TOKEN}` }, signal: AbortSignal.timeout(5_000) });
  const [sample] = samplesNamed(samplesOf(await response.text()), [name]);
  if (!sample) throw new Error(`${name} is not in /api/metrics`);
  return sample.value;
}

describe('the last-known-good cache under the image heap', () => {
  beforeAll(async () => {
    server = await startServer(
      { NODE_OPTIONS: asTheImageRuns().nodeFlags.join(' '), METRICS_TOKEN, FALLBACK_CACHE_MAX_MB: String(BUDGET_MIB), WARM_UP_MAX_MS: '0', LOG_LEVEL: 'warn' },
      { embedded: true, timeoutMs: 120_000 },
    );
  }, 180_000);

  afterAll(async () => {
    const code = await server?.stop();
    if (code !== 0) console.error(`server exited with ${code}:\n${server?.output().slice(-2000)}`);
  });

  it(`stays alive and within its budget through ${READS} distinct reads of pages of ${LONG_JOBS} long jobs`, { timeout: 240_000 }, async () => {
    const baseUrl = server!.url;
    const employer = await signUp('employer', {}, { baseUrl });
    const description = 'Keep the service up and the pages honest. '.repeat(238).slice(0, 10_000);
    for (let n = 0; n < LONG_JOBS; n++) {
      const posted = await call('POST', '/api/jobs', { baseUrl, session: employer, json: validJob({ title: `Long role ${n}`, description, location: 'Lisbon, Portugal', tags: ['longread'] }) });
      expect(posted.status).toBe(201);
    }

    const urls = spellings('lisbon').flatMap((location) => spellings('longread').map((tag) => `/api/jobs?limit=${LONG_JOBS}&location=${location}&tag=${tag}`));
    expect(urls.length).toBeGreaterThanOrEqual(READS);
    const statuses: number[] = [];
    let bytes = 0;
    let next = 0;
    const reader = async () => {
      while (next < READS) {
        const response = await fetch(`${baseUrl}${urls[next++]}`, { signal: AbortSignal.timeout(10_000) }).catch(() => undefined);
        const body = await response?.arrayBuffer().catch(() => undefined);
        statuses.push(response?.status ?? 0);
        bytes += body?.byteLength ?? 0;
      }
    };
    await Promise.all(Array.from({ length: CONNECTIONS }, reader));

    expect(bytes / READS).toBeGreaterThan(480_000); // each page really was ~0.5 MB
    expect(statuses.filter((status) => status !== 200)).toEqual([]);
    expect(server!.child.exitCode).toBeNull();
    const held = await scrape('app_fallback_cache_bytes');
    expect(held).toBeGreaterThan(0.5 * BUDGET_MIB * MiB);
    expect(held).toBeLessThanOrEqual(BUDGET_MIB * MiB);
    expect(await scrape('app_fallback_cache_entries')).toBeLessThan(READS);
  });
});
