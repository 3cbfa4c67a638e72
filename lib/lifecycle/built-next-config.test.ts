import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { builtNextConfig, distDirFor, applyBuiltNextConfig } from './built-next-config';

function buildDir(distDir: string, contents: string) {
  const dir = mkdtempSync(path.join(tmpdir(), 'built-config-'));
  mkdirSync(path.join(dir, distDir));
  writeFileSync(path.join(dir, distDir, 'required-server-files.json'), contents);
  return dir;
}

describe('builtNextConfig', () => {
  it('returns the config the build resolved', () => {
    const dir = buildDir('.next', JSON.stringify({ version: 1, config: { distDir: '.next', poweredByHeader: false } }));
    expect(builtNextConfig(dir, '.next')).toEqual({ distDir: '.next', poweredByHeader: false });
  });

  it('says to build when there is no build', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'built-config-'));
    expect(() => builtNextConfig(dir, '.next')).toThrow(/npm run build/);
  });

  it('refuses a file that is not a build config, or another output directory’s', () => {
    expect(() => builtNextConfig(buildDir('.next', '{"version":1}'), '.next')).toThrow(/no Next config/);
    expect(() => builtNextConfig(buildDir('.next', 'not json'), '.next')).toThrow(/could not be read/);
    expect(() => builtNextConfig(buildDir('.next', JSON.stringify({ config: { distDir: '.next-bench' } })), '.next')).toThrow(/no Next config for \.next/);
  });
});

describe('applyBuiltNextConfig', () => {
  it('hands the build config to Next’s loader through the variable its standalone server sets', () => {
    const dir = buildDir('.next', JSON.stringify({ config: { distDir: '.next', poweredByHeader: false } }));
    const env: Record<string, string | undefined> = {};
    expect(applyBuiltNextConfig(dir, '.next', env)).toEqual({ distDir: '.next', poweredByHeader: false });
    expect(JSON.parse(env.__NEXT_PRIVATE_STANDALONE_CONFIG!)).toEqual({ distDir: '.next', poweredByHeader: false });
  });

  it('sets nothing when there is no build', () => {
    const env: Record<string, string | undefined> = {};
    expect(() => applyBuiltNextConfig(mkdtempSync(path.join(tmpdir(), 'built-config-')), '.next', env)).toThrow(/npm run build/);
    expect(env.__NEXT_PRIVATE_STANDALONE_CONFIG).toBeUndefined();
  });
});

describe('distDirFor', () => {
  it('is .next unless the bench build is asked for', () => {
    expect(distDirFor({})).toBe('.next');
    expect(distDirFor({ NEXT_BENCH_BUILD: '0' })).toBe('.next');
    expect(distDirFor({ NEXT_BENCH_BUILD: '1' })).toBe('.next-bench');
  });
});
