import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
// @ts-expect-error plain ESM script without types
import { findUnreviewedDestructive } from './check-migrations.mjs';

function migrations(files: Record<string, string>) {
  const dir = mkdtempSync(path.join(tmpdir(), 'migrations-'));
  for (const [name, sql] of Object.entries(files)) {
    mkdirSync(path.join(dir, name));
    writeFileSync(path.join(dir, name, 'migration.sql'), sql);
  }
  return dir;
}

describe('migration policy check', () => {
  it('passes the project’s own migrations', () => {
    expect(findUnreviewedDestructive(path.resolve(import.meta.dirname, '../prisma/migrations'))).toEqual([]);
  });

  it.each([
    ['ALTER TABLE "job" DROP COLUMN "slug";', 'DROP COLUMN'],
    ['ALTER TABLE "job" RENAME COLUMN "title" TO "name";', 'RENAME'],
    ['ALTER TABLE "job" ALTER COLUMN "salaryMin" SET DATA TYPE BIGINT;', 'TYPE'],
    ['DROP TABLE "company";', 'DROP TABLE'],
  ])('flags %s', (sql, what) => {
    const problems = findUnreviewedDestructive(migrations({ '20270101000000_change': `-- CreateTable\n${sql}\n` }));
    expect(problems).toHaveLength(1);
    expect(problems[0].statement.toUpperCase()).toContain(what);
  });

  it('accepts additive changes, comments mentioning DROP, and reviewed destructive ones', () => {
    const dir = migrations({
      '20270101000000_add': 'ALTER TABLE "job" ADD COLUMN "slug" TEXT; -- we will DROP "old" later\n',
      '20270102000000_contract': '-- reviewed-destructive: "old" unused since release 41 (expand/contract step 3)\nALTER TABLE "job" DROP COLUMN "old";\n',
    });
    expect(findUnreviewedDestructive(dir)).toEqual([]);
  });
});
