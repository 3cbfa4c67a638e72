// @upstash/ratelimit on a real redis-server through the adapter: the sliding window, resets,
// losing the script cache, and a tripwire for when the library changes its scripts.
import { Ratelimit } from '@upstash/ratelimit';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { redisAvailable, startRedis } from '../../test/support/redis-server';
import { createRatelimitRedisAdapter, UPSTASH_SHEBANG } from './redis-adapter';

// sha1 of each script the sliding window uses, as shipped by @upstash/ratelimit 2.2.0 (verified
// by hand against Redis 7.0 with the shebang stripped). A new library version that changes its
// scripts fails here: re-verify the stripping, then update the list.
const VERIFIED_SCRIPT_HASHES = ['74740bb3d7792848093cdef586b6b6037c455fd6', '7ca36169e0fc9caedd81b4eef8e99854c157f9b5', '54bd274ddc59fb3be0f42deee2f64322a10e2b50'].sort();

describe.skipIf(!redisAvailable())('rate limiting on a self-hosted Redis', () => {
  let redis: Awaited<ReturnType<typeof startRedis>>;
  let client: Redis;
  const adapter = () => createRatelimitRedisAdapter(client);
  const limiter = (a: ReturnType<typeof adapter>, prefix: string, limit = 3) =>
    new Ratelimit({ redis: a, limiter: Ratelimit.slidingWindow(limit, '1 h'), prefix, ephemeralCache: false, analytics: false });

  beforeAll(async () => {
    redis = await startRedis();
    client = new Redis(redis.url);
  });
  afterAll(async () => {
    client?.disconnect();
    await redis?.stop();
  });

  it('the library’s scripts carry an Upstash-only flag this Redis rejects (why the adapter exists)', async () => {
    const a = adapter();
    await limiter(a, `probe-${Date.now()}`).limit('x');
    const [script] = [...a.seenScripts().values()];
    expect(script).toMatch(UPSTASH_SHEBANG);
    await expect(client.eval(script!, 2, 'k1', 'k2', '1', String(Date.now()), '3600000', '1')).rejects.toThrow(/Unexpected flag|shebang/i);
  });

  it('enforces the sliding window with the library’s own result shape', async () => {
    const rl = limiter(adapter(), `sw-${Date.now()}`);
    const results = [];
    for (let i = 0; i < 4; i++) results.push(await rl.limit('user:1'));
    expect(results.map((r) => r.success)).toEqual([true, true, true, false]);
    expect(results.map((r) => r.remaining)).toEqual([2, 1, 0, 0]);
    expect(results[3]!.reset).toBeGreaterThan(Date.now());
    expect((await rl.limit('user:2')).success).toBe(true);
  });

  it('resets a key’s budget', async () => {
    const rl = limiter(adapter(), `reset-${Date.now()}`);
    for (let i = 0; i < 3; i++) await rl.limit('user:1');
    expect((await rl.limit('user:1')).success).toBe(false);
    await rl.resetUsedTokens('user:1');
    expect((await rl.limit('user:1')).success).toBe(true);
    expect((await rl.getRemaining('user:1')).remaining).toBe(2);
  });

  it('survives SCRIPT FLUSH: the lost scripts are loaded again on the next call', async () => {
    const rl = limiter(adapter(), `flush-${Date.now()}`, 5);
    expect((await rl.limit('user:1')).remaining).toBe(4);
    expect(redis.cli('SCRIPT', 'FLUSH')).toBe('OK');
    expect((await rl.limit('user:1')).remaining).toBe(3);
    expect((await rl.limit('user:1')).remaining).toBe(2);
  });

  it('has only seen the scripts verified against this Redis (fails if the library changes them)', async () => {
    const a = adapter();
    const rl = limiter(a, `hashes-${Date.now()}`);
    await rl.limit('u');
    await rl.getRemaining('u');
    await rl.resetUsedTokens('u');
    expect([...a.seenScripts().keys()].sort()).toEqual(VERIFIED_SCRIPT_HASHES);
    for (const script of a.seenScripts().values()) expect(script.replace(UPSTASH_SHEBANG, '')).not.toMatch(/^#!/);
  });
});
