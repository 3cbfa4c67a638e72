import { createHash } from 'node:crypto';
import { PGlite } from '@electric-sql/pglite';
import { PrismaPGlite } from 'pglite-prisma-adapter';
import { afterAll, describe, expect, it } from 'vitest';
import type { Database } from './client';
import { PrismaClient } from './generated/client';
import { applyPendingMigrations, migrationStatus, readMigrations } from './migrations';

const pglite = new PGlite();
const prisma = new PrismaClient({ adapter: new PrismaPGlite(pglite) });
const db = { kind: 'pglite', prisma: prisma as unknown as Database['prisma'], pglite, exec: async (sql: string) => void (await pglite.exec(sql)), close: async () => {} } as Database;

afterAll(async () => {
  await prisma.$disconnect();
  await pglite.close();
});

describe('embedded migrations', () => {
  it('reads migrations in name order with the checksum Prisma records (sha256 of the file)', () => {
    const files = readMigrations();
    expect(files.length).toBeGreaterThan(0);
    expect(files.map((file) => file.name)).toEqual([...files.map((file) => file.name)].sort());
    for (const file of files) expect(file.checksum).toBe(createHash('sha256').update(file.sql).digest('hex'));
  });

  it('applies every pending migration once, then reports the database up to date', async () => {
    const files = readMigrations();
    expect(await applyPendingMigrations(db)).toEqual(files.map((file) => file.name));
    expect(await applyPendingMigrations(db)).toEqual([]);
    const status = await migrationStatus(db);
    expect(status.pending).toEqual([]);
    expect(status.expected).toBe(files.at(-1)!.name);
    // The schema really exists: a query through Prisma works.
    expect(await prisma.job.count()).toBe(0);
  });

  it('refuses to continue when an applied migration was edited afterwards', async () => {
    const edited = readMigrations().map((file) => ({ ...file, checksum: 'f'.repeat(64) }));
    await expect(applyPendingMigrations(db, edited)).rejects.toThrow(/modified/);
  });

  it('rolls back a failing migration completely', async () => {
    const broken = [...readMigrations(), { name: '99999999999999_broken', sql: 'CREATE TABLE "half" (id int); SELECT no_such_function();', checksum: 'x' }];
    await expect(applyPendingMigrations(db, broken)).rejects.toThrow(/99999999999999_broken/);
    const half = await prisma.$queryRawUnsafe<{ t: string | null }[]>(`SELECT to_regclass('half')::text AS t`);
    expect(half[0]!.t).toBeNull();
    expect((await migrationStatus(db, broken)).pending).toEqual(['99999999999999_broken']);
  });
});
