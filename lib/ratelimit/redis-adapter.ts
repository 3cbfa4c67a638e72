// Lets @upstash/ratelimit run on a self-hosted Redis through ioredis. Since 2.1 its Lua scripts
// start with `#!lua flags=allow-key-locking`, an Upstash-only flag Redis rejects ("Unexpected
// flag in script shebang"). We strip the shebang and map the library's script hash (sha1 of the
// original text) to the stripped script's hash. Unknown or flushed scripts answer NOSCRIPT, on
// which the library sends the full script by EVAL, and we load the stripped one.
import { createHash } from 'node:crypto';
import type { Redis } from 'ioredis';

const sha1 = (text: string) => createHash('sha1').update(text).digest('hex');
export const UPSTASH_SHEBANG = /^#!lua[^\n]*\n/;

export function createRatelimitRedisAdapter(client: Redis) {
  const stripped = new Map<string, string>(); // library hash → stripped script's hash
  const seen = new Map<string, string>(); // library hash → original script (for the tests)
  const args = (keys: string[], values: unknown[]) => [keys.length, ...keys, ...values.map((value) => String(value))] as const;
  return {
    async evalsha<TArgs extends unknown[], TData = unknown>(hash: string, keys: string[], values: TArgs): Promise<TData> {
      const target = stripped.get(hash);
      if (!target) throw new Error(`NOSCRIPT ${hash} has not been loaded through the adapter`);
      return (await client.evalsha(target, ...args(keys, values))) as TData;
    },
    async eval<TArgs extends unknown[], TData = unknown>(script: string, keys: string[], values: TArgs): Promise<TData> {
      const body = script.replace(UPSTASH_SHEBANG, '');
      stripped.set(sha1(script), sha1(body));
      seen.set(sha1(script), script);
      return (await client.eval(body, ...args(keys, values))) as TData;
    },
    async get<TData>(key: string): Promise<TData | null> {
      const value = await client.get(key);
      return value === null ? null : (JSON.parse(value) as TData);
    },
    async set<TData>(key: string, value: TData): Promise<'OK' | TData | null> {
      return (await client.set(key, JSON.stringify(value))) as 'OK' | null;
    },
    /** Scripts the library has sent, by its hash: lets a test notice when the library changes them. */
    seenScripts: () => new Map(seen),
  };
}
export type RatelimitRedisAdapter = ReturnType<typeof createRatelimitRedisAdapter>;
