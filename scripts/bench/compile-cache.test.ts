import { describe, expect, it } from 'vitest';
import { imageHasCompileCache } from './compile-cache.mjs';
import { readDockerfile } from './image-runtime.mjs';

describe("the image's compile cache", () => {
  it('is read by bench:start and the soak only when the Dockerfile sets NODE_COMPILE_CACHE', () => {
    expect(imageHasCompileCache('FROM node:24-slim\nENV NODE_ENV=production\n')).toBe(false);
    expect(imageHasCompileCache('FROM node:24-slim\nENV NODE_COMPILE_CACHE=/app/.cache/node-compile\n')).toBe(true);
    expect(imageHasCompileCache(readDockerfile())).toBe(true);
  });

  it('is filled in the last stage after the V8 flags, the cache directory and the user are set (Node files it under all three)', () => {
    const lastStage = readDockerfile().split(/^FROM\s/m).at(-1)!;
    const at = (pattern: RegExp) => lastStage.search(pattern);
    const fill = at(/^RUN node scripts\/fill-compile-cache\.mjs$/m);
    expect(fill).toBeGreaterThan(0);
    expect(at(/^ENV NODE_OPTIONS=/m)).toBeGreaterThan(-1);
    expect(at(/^ENV NODE_OPTIONS=/m)).toBeLessThan(fill);
    expect(at(/^ENV NODE_COMPILE_CACHE=/m)).toBeLessThan(fill);
    expect(at(/^USER app$/m)).toBeLessThan(fill);
    // Nothing after the fill changes who runs the image or with which flags.
    expect(lastStage.slice(fill)).not.toMatch(/^(USER|ENV NODE_OPTIONS)/m);
  });
});
