import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
// @ts-expect-error -- a plain .mjs script without types
import { previousImage } from './previous-image.mjs';

const script = path.join(import.meta.dirname, 'previous-image.mjs');
const run = (input: string) => spawnSync(process.execPath, [script], { input, encoding: 'utf8' });

// The shape `flyctl releases --json` prints (fly-go's Release, Go field names, newest first).
const releases = [
  { ID: 'r3', Version: 43, Stable: false, Status: 'failed', Description: 'Release', ImageRef: 'registry.fly.io/jobboard:deployment-03', CreatedAt: '2026-11-23T10:02:00Z' },
  { ID: 'r2', Version: 42, Stable: true, Status: 'complete', Description: 'Release', ImageRef: 'registry.fly.io/jobboard:deployment-02', CreatedAt: '2026-11-22T10:02:00Z' },
  { ID: 'r1', Version: 41, Stable: true, Status: 'complete', Description: 'Release', ImageRef: 'registry.fly.io/jobboard:deployment-01', CreatedAt: '2026-11-21T10:02:00Z' },
];

describe('previous-image', () => {
  it('picks the newest complete release, skipping failed ones and ignoring order', () => {
    expect(previousImage([...releases].reverse())?.ImageRef).toBe('registry.fly.io/jobboard:deployment-02');
  });

  it('prints the image on stdout', () => {
    const result = run(JSON.stringify(releases));
    expect(result.status).toBe(0);
    expect(result.stdout.trim()).toBe('registry.fly.io/jobboard:deployment-02');
    expect(result.stderr).toContain('v42');
  });

  it('exits 3 on a first deploy (nothing complete yet)', () => {
    const result = run(JSON.stringify([releases[0]]));
    expect(result.status).toBe(3);
    expect(result.stdout).toBe('');
    expect(result.stderr).toContain('nothing to roll back to');
  });

  it('exits 2 on output that is not the releases JSON', () => {
    expect(run('Error: not authorized').status).toBe(2);
    expect(run('{"Version": 1}').status).toBe(2);
  });
});
