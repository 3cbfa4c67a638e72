// Start-up work for the database, run once before the server accepts traffic (lib/lifecycle/startup.ts,
// from server.ts or, under `next dev`, instrumentation.ts) and by scripts/seed.ts: the embedded database migrates itself; a Postgres must already be
// migrated by `prisma migrate deploy` (the release step), which we verify instead of guessing.
import { getEnv } from '../env';
import { openDatabase } from './client';
import { applyPendingMigrations, migrationStatus } from './migrations';
import { seedDatabase } from './seed';

export type PreparedDatabase = { kind: 'postgres' | 'pglite'; migration: string | null; appliedNow: string[]; seeded: boolean };

export async function prepareDatabase(options: { seed?: boolean } = {}): Promise<PreparedDatabase> {
  const env = getEnv();
  const db = await openDatabase();
  let appliedNow: string[] = [];
  if (db.kind === 'pglite') {
    appliedNow = await applyPendingMigrations(db);
  }
  const status = await migrationStatus(db);
  if (status.pending.length || status.modified.length) {
    throw new Error(
      `The database is not at the expected migration (${status.expected}): pending ${status.pending.join(', ') || 'none'}, modified ${status.modified.join(', ') || 'none'}. Run \`npm run db:migrate\`.`,
    );
  }
  let seeded = false;
  const wantSeed = options.seed ?? env.SEED_ON_FIRST_START;
  if (wantSeed && (options.seed || (await db.prisma.job.count()) === 0)) {
    await seedDatabase(db.prisma);
    seeded = true;
  }
  return { kind: db.kind, migration: status.expected, appliedNow, seeded };
}
