// Applies prisma/migrations to the embedded database in-process, recording them in Prisma's own
// `_prisma_migrations` table (same checksum), so `prisma migrate status/deploy` agree with it.
// Why not the CLI: PGlite allows one process per data folder, and the app holds it.
// Postgres deployments migrate with `prisma migrate deploy` (the release step); there the app
// only checks the version (docs/decisions/002-embedded-database.md).
import { createHash, randomUUID } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { Database } from './client';

export type MigrationFile = { name: string; sql: string; checksum: string };

export function migrationsDir(): string {
  return path.join(/*turbopackIgnore: true*/ process.cwd(), 'prisma', 'migrations');
}

export function readMigrations(dir = migrationsDir()): MigrationFile[] {
  return readdirSync(dir, { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .map((entry) => entry.name)
    .sort()
    .map((name) => {
      const sql = readFileSync(path.join(dir, name, 'migration.sql'), 'utf8');
      return { name, sql, checksum: createHash('sha256').update(sql).digest('hex') };
    });
}

const CREATE_MIGRATIONS_TABLE = `CREATE TABLE IF NOT EXISTS "_prisma_migrations" (
  "id" VARCHAR(36) PRIMARY KEY NOT NULL,
  "checksum" VARCHAR(64) NOT NULL,
  "finished_at" TIMESTAMPTZ,
  "migration_name" VARCHAR(255) NOT NULL,
  "logs" TEXT,
  "rolled_back_at" TIMESTAMPTZ,
  "started_at" TIMESTAMPTZ NOT NULL DEFAULT now(),
  "applied_steps_count" INTEGER NOT NULL DEFAULT 0
)`;

type AppliedRow = { migration_name: string; checksum: string };

async function appliedMigrations(db: Database): Promise<AppliedRow[]> {
  const exists = await db.prisma.$queryRawUnsafe<{ exists: boolean }[]>(
    `SELECT to_regclass('"_prisma_migrations"') IS NOT NULL AS "exists"`,
  );
  if (!exists[0]?.exists) return [];
  return db.prisma.$queryRawUnsafe<AppliedRow[]>(
    `SELECT migration_name, checksum FROM "_prisma_migrations" WHERE finished_at IS NOT NULL AND rolled_back_at IS NULL`,
  );
}

export type MigrationStatus = { expected: string | null; applied: string[]; pending: string[]; modified: string[] };

export async function migrationStatus(db: Database, files = readMigrations()): Promise<MigrationStatus> {
  const applied = await appliedMigrations(db);
  const byName = new Map(applied.map((row) => [row.migration_name, row.checksum]));
  return {
    expected: files.at(-1)?.name ?? null,
    applied: applied.map((row) => row.migration_name),
    pending: files.filter((file) => !byName.has(file.name)).map((file) => file.name),
    modified: files.filter((file) => byName.has(file.name) && byName.get(file.name) !== file.checksum).map((f) => f.name),
  };
}

/** Applies pending migrations in order, each in its own transaction. Returns their names. */
export async function applyPendingMigrations(db: Database, files = readMigrations()): Promise<string[]> {
  await db.exec(CREATE_MIGRATIONS_TABLE);
  const { pending, modified } = await migrationStatus(db, files);
  if (modified.length) {
    throw new Error(`Applied migrations were modified after they ran: ${modified.join(', ')}`);
  }
  for (const name of pending) {
    const file = files.find((candidate) => candidate.name === name)!;
    const id = randomUUID();
    const quotedName = name.replaceAll("'", "''");
    try {
      await db.exec(
        `BEGIN;\n${file.sql}\n;INSERT INTO "_prisma_migrations" (id, checksum, migration_name, started_at, finished_at, applied_steps_count) VALUES ('${id}', '${file.checksum}', '${quotedName}', now(), now(), 1);\nCOMMIT;`,
      );
    } catch (error) {
      await db.exec('ROLLBACK').catch(() => {});
      throw new Error(`Migration ${name} failed: ${(error as Error).message}`, { cause: error });
    }
  }
  return pending;
}
