import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { assertBuildCurrent, newestSourceAfter } from './build-freshness.mjs';

const BUILT_AT = new Date('2026-12-06T10:00:00Z');
const later = (seconds: number) => new Date(BUILT_AT.getTime() + seconds * 1000);
const earlier = new Date(BUILT_AT.getTime() - 3_600_000);

let root: string;
/** Writes `file` under the work tree with the given modification time. */
const put = (file: string, mtime: Date) => {
  const full = path.join(root, file);
  mkdirSync(path.dirname(full), { recursive: true });
  writeFileSync(full, file);
  utimesSync(full, mtime, mtime);
};

describe('build freshness (a git work tree, a build, sources older or newer than it)', () => {
  beforeEach(() => {
    root = mkdtempSync(path.join(tmpdir(), 'build-freshness-'));
    execFileSync('git', ['init', '-q'], { cwd: root });
    writeFileSync(path.join(root, '.gitignore'), '.next/\ndist/\n');
    for (const file of ['lib/jobs/list.ts', 'lib/jobs/list.test.ts', 'app/page.tsx', 'server.ts', 'docs/performance.md', 'scripts/bench/run.mjs']) put(file, earlier);
    execFileSync('git', ['add', '-A'], { cwd: root });
    put('.next/BUILD_ID', BUILT_AT);
    put('dist/server.js', later(2));
  });
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  it('passes a build newer than every source file', () => {
    expect(newestSourceAfter(root, BUILT_AT.getTime())).toBeUndefined();
    expect(() => assertBuildCurrent(root, ['.next/BUILD_ID', 'dist/server.js'], 'npm run build')).not.toThrow();
  });

  it('names the newest source file edited after the oldest of the build files, and the command to run', () => {
    put('lib/jobs/list.ts', later(1)); // after BUILD_ID, before dist/server.js: Next's build misses it
    put('server.ts', later(30));
    expect(newestSourceAfter(root, BUILT_AT.getTime())?.file).toBe('server.ts');
    expect(() => assertBuildCurrent(root, ['.next/BUILD_ID', 'dist/server.js'], 'npm run build:bench')).toThrow(/server\.ts changed 30 s after \.next\/BUILD_ID and dist\/server\.js.*npm run build:bench/);
    put('server.ts', earlier);
    expect(() => assertBuildCurrent(root, ['.next/BUILD_ID', 'dist/server.js'], 'npm run build')).toThrow(/lib\/jobs\/list\.ts changed 1 s after/);
  });

  it('counts a new file not yet committed, and ignores tests, docs, scripts and ignored files', () => {
    for (const file of ['lib/jobs/list.test.ts', 'docs/performance.md', 'scripts/bench/run.mjs', '.next/cache/x.json']) put(file, later(60));
    expect(newestSourceAfter(root, BUILT_AT.getTime())).toBeUndefined();
    put('app/jobs/new/page.tsx', later(5));
    expect(newestSourceAfter(root, BUILT_AT.getTime())?.file).toBe('app/jobs/new/page.tsx');
  });

  it('has nothing to compare with outside a git work tree', () => {
    rmSync(path.join(root, '.git'), { recursive: true, force: true });
    put('lib/jobs/list.ts', later(60));
    expect(newestSourceAfter(root, BUILT_AT.getTime())).toBeUndefined();
  });
});
