import { describe, expect, it } from 'vitest';
import { asTheImageRuns, imageEnv, readDockerfile } from './image-runtime.mjs';

describe('servers started from this checkout run as the image runs them', () => {
  it("takes NODE_ENV, malloc's arena limit and the V8 flags from this repository's Dockerfile", () => {
    const { env, nodeFlags } = asTheImageRuns();
    expect(env).toEqual({ NODE_ENV: 'production', MALLOC_ARENA_MAX: '1' });
    expect(nodeFlags).toEqual(expect.arrayContaining([expect.stringMatching(/^--max-old-space-size=\d+$/)]));
    expect(imageEnv(readDockerfile())).toMatchObject({ NODE_ENV: 'production', NEXT_TELEMETRY_DISABLED: '1' });
  });

  it("reads the last stage's ENV instructions only, and leaves out values from build args", () => {
    const dockerfile = [
      'FROM node AS build',
      'ENV NODE_ENV=development BUILD_ONLY=1',
      'FROM node AS runtime',
      'ARG GIT_SHA=""',
      'ENV NODE_ENV=production PORT=3000 GIT_SHA=${GIT_SHA} GREETING="hello world"',
      'ENV NODE_OPTIONS="--max-old-space-size=200"',
    ].join('\n');
    expect(imageEnv(dockerfile)).toEqual({ NODE_ENV: 'production', PORT: '3000', GREETING: 'hello world', NODE_OPTIONS: '--max-old-space-size=200' });
    expect(asTheImageRuns(dockerfile)).toEqual({ nodeFlags: ['--max-old-space-size=200'], env: { NODE_ENV: 'production' } });
  });

  it("passes on malloc's arena limit when the image sets one, and refuses one glibc would not read", () => {
    const dockerfile = 'FROM node\nENV NODE_ENV=production\nENV MALLOC_ARENA_MAX=2\n';
    expect(asTheImageRuns(dockerfile).env).toEqual({ NODE_ENV: 'production', MALLOC_ARENA_MAX: '2' });
    expect(() => asTheImageRuns('FROM node\nENV NODE_ENV=production MALLOC_ARENA_MAX=0\n')).toThrow(/MALLOC_ARENA_MAX=0: a positive whole number/);
    expect(() => asTheImageRuns('FROM node\nENV NODE_ENV=production MALLOC_ARENA_MAX=two\n')).toThrow(/MALLOC_ARENA_MAX=two/);
  });

  it('refuses a Dockerfile whose image sets no NODE_ENV, or one Node libraries do not know', () => {
    expect(() => asTheImageRuns('FROM node AS build\nENV NODE_ENV=production\nFROM node\nENV PORT=3000\n')).toThrow(/sets no NODE_ENV/);
    expect(() => asTheImageRuns('FROM node\nENV NODE_ENV=prod\n')).toThrow(/NODE_ENV=prod: production, development or test expected/);
  });
});
