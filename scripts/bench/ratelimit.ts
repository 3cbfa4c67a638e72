// `npm run bench:ratelimit`: decision latency of the sliding window, in-memory vs a local
// redis-server (through the same @upstash/ratelimit + adapter the app uses). Target: p50 ≤ 1 ms
// on local Redis. Uses REDIS_URL if set, else starts a redis-server of its own.
import { Ratelimit } from '@upstash/ratelimit';
import { Redis } from 'ioredis';
import { redisAvailable, startRedis } from '../../test/support/redis-server';
import { percentile } from './load.mjs';
import { MemorySlidingWindow } from '../../lib/ratelimit/memory-limiter';
import { createRatelimitRedisAdapter } from '../../lib/ratelimit/redis-adapter';

const decisions = Number(process.env.BENCH_DECISIONS ?? 5_000);

async function measure(label: string, decide: (i: number) => Promise<unknown> | unknown) {
  for (let i = 0; i < 200; i++) await decide(i); // warm-up
  const samples: number[] = [];
  for (let i = 0; i < decisions; i++) {
    const started = performance.now();
    await decide(i);
    samples.push(performance.now() - started);
  }
  console.log(`  ${label.padEnd(34)} p50 ${percentile(samples, 50).toFixed(3)} ms   p99 ${percentile(samples, 99).toFixed(3)} ms`);
  return percentile(samples, 50);
}

console.log(`bench:ratelimit — ${decisions} sequential slidingWindow(10, 1 h) decisions per backend, 1,000 distinct keys`);
const memory = new MemorySlidingWindow();
await measure('memory', (i) => memory.limit(`user:${i % 1000}`, 10, 3_600_000));

let url = process.env.REDIS_URL;
let stop: (() => Promise<void>) | undefined;
if (!url && redisAvailable()) {
  const redis = await startRedis();
  url = redis.url;
  stop = redis.stop;
}
if (!url) {
  console.log('  redis: skipped (no REDIS_URL and no redis-server installed)');
} else {
  const client = new Redis(url);
  const limiter = new Ratelimit({ redis: createRatelimitRedisAdapter(client), limiter: Ratelimit.slidingWindow(10, '1 h'), prefix: `bench-${Date.now()}`, ephemeralCache: false, analytics: false, timeout: 0 });
  const p50 = await measure('local redis (ioredis + adapter)', (i) => limiter.limit(`user:${i % 1000}`));
  console.log(`  target p50 ≤ 1 ms on local Redis: ${p50 <= 1 ? 'met' : 'NOT met'}`);
  client.disconnect();
  await stop?.();
}
