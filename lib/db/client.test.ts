// No Prisma call bypasses the resilience layer: with the breaker forced open, every model
// operation and every raw query through prisma() is refused by the policy, never run.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

process.env.DATA_DIR = mkdtempSync(path.join(tmpdir(), 'client-test-'));
delete process.env.DATABASE_URL;

const { closeDatabase, openDatabase, prisma } = await import('./client');
const { applyPendingMigrations } = await import('./migrations');
const { dbPolicies, isDatabaseUnavailable } = await import('../resilience/policy');
const { Prisma } = await import('./generated/client');

beforeAll(async () => {
  await applyPendingMigrations(await openDatabase());
});
afterAll(async () => {
  await closeDatabase();
});

const delegateName = (model: string) => model.charAt(0).toLowerCase() + model.slice(1);

describe('the resilience layer around Prisma', () => {
  it('lets calls through while the breaker is closed', async () => {
    expect(await prisma().job.count()).toBe(0);
    expect(await prisma().$queryRawUnsafe<{ one: number }[]>('SELECT 1 AS one')).toEqual([{ one: 1 }]);
  });

  it('covers every model, reads and writes, and raw queries', async () => {
    const isolation = dbPolicies().breaker.isolate();
    try {
      const models = Object.values(Prisma.ModelName);
      expect(models.length).toBeGreaterThanOrEqual(7);
      const calls: [string, () => Promise<unknown>][] = [
        ...models.flatMap((model) => {
          const delegate = (prisma() as unknown as Record<string, Record<string, (args?: unknown) => Promise<unknown>>>)[delegateName(model)]!;
          return [
            [`${model}.findFirst`, () => delegate.findFirst!()],
            [`${model}.count`, () => delegate.count!()],
            [`${model}.deleteMany`, () => delegate.deleteMany!({ where: { id: 'none' } })],
          ] as [string, () => Promise<unknown>][];
        }),
        ['$queryRawUnsafe', () => prisma().$queryRawUnsafe('SELECT 1')],
        ['$executeRawUnsafe', () => prisma().$executeRawUnsafe('SELECT 1')],
        ['$queryRaw', () => prisma().$queryRaw`SELECT 1`],
      ];
      for (const [name, call] of calls) {
        const outcome = await call().then(
          () => 'ran',
          (error: unknown) => (isDatabaseUnavailable(error) ? 'refused' : `other error: ${(error as Error).message}`),
        );
        expect(outcome, name).toBe('refused');
      }
    } finally {
      isolation.dispose();
    }
    expect(await prisma().job.count()).toBe(0);
  });
});
