// Most scripts here run only in CI's later steps (the bench, the rehearsals, the image), where an
// early error (a name declared twice, say) would surface after 20 minutes; ESLint's parser does not
// report every one. `node --check` compiles each without running it.
import { execFileSync, spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';

const files = execFileSync('git', ['ls-files', '--cached', '--others', '--exclude-standard', '*.mjs'], { encoding: 'utf8' }).split('\n').filter(Boolean);

describe('every .mjs script', () => {
  it('is found', () => expect(files.length).toBeGreaterThan(40));

  it('compiles', () => {
    const broken = files
      .map((file) => ({ file, check: spawnSync(process.execPath, ['--check', file], { encoding: 'utf8', timeout: 10_000 }) }))
      .filter(({ check }) => check.status !== 0)
      .map(({ file, check }) => `${file}: ${(check.stderr || check.error?.message || '').trim().split('\n').slice(0, 5).join(' | ')}`);
    expect(broken).toEqual([]);
  });
});
