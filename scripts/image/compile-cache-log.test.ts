import { describe, expect, it } from 'vitest';
import { compileCacheOutcomes } from './compile-cache-log.mjs';

// Lines as Node 24 prints them (NODE_DEBUG_NATIVE=COMPILE_CACHE), trimmed of the byte counts.
const log = [
  '[compile cache] resolved path /app/.cache/node-compile + v24.22.3-x64-964aae3f-0 -> /app/.cache/node-compile/v24.22.3-x64-964aae3f-0',
  '[compile cache] reading cache from /app/.cache/node-compile/v24.22.3-x64-964aae3f-0/06d53b4a for ESM file:///app/dist/server.js... success, size=141280',
  '[compile cache] V8 code cache for ESM file:///app/dist/server.js was accepted, keeping the in-memory entry',
  '[compile cache] V8 code cache for CommonJS /app/node_modules/next/dist/server/next.js was accepted, keeping the in-memory entry',
  '[compile cache] reading cache from /app/.cache/node-compile/v24.22.3-x64-964aae3f-0/269d3fbc for CommonJS /app/node_modules/pg/lib/index.js... no such file or directory',
  '[compile cache] V8 code cache for CommonJS /app/node_modules/pg/lib/index.js was not initialized, initializing the in-memory entry',
  '[compile cache] V8 code cache for CommonJS /app/node_modules/pg/lib/client.js was rejected, initializing the in-memory entry',
  '[compile cache] V8 code cache for CommonJS [eval] was accepted, keeping the in-memory entry',
  '{"level":"info","msg":"V8 code cache for CommonJS /app/x.js was accepted"}',
].join('\n');

describe('compileCacheOutcomes', () => {
  it("counts each of the app's modules by where its code came from, with examples of those compiled", () => {
    expect(compileCacheOutcomes(log, '/app/')).toEqual({
      fromCache: 2,
      compiled: 1,
      rejected: 1,
      examples: ['/app/node_modules/pg/lib/index.js', '/app/node_modules/pg/lib/client.js'],
    });
  });

  it('counts nothing when the cache was not read at all (no debug lines, or other paths)', () => {
    expect(compileCacheOutcomes('{"level":"info","msg":"listening"}', '/app/')).toEqual({ fromCache: 0, compiled: 0, rejected: 0, examples: [] });
    expect(compileCacheOutcomes(log, '/srv/')).toMatchObject({ fromCache: 0, compiled: 0 });
  });
});
