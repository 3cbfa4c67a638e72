// The one Prisma client. With DATABASE_URL it talks to Postgres through a bounded `pg` pool;
// without it, to PGlite (Postgres compiled to WASM) in-process under DATA_DIR, the zero-setup
// default. The handle lives on globalThis so every bundle of this process shares one pool.
// The embedded database's modules are loaded only when it is used (openDatabase): importing PGlite
// and its Prisma adapter took 30–45 ms in a bare Node 24 process without the compile cache.
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import type { PGlite } from '@electric-sql/pglite';
import { PrismaPg } from '@prisma/adapter-pg';
import pg from 'pg';
import type { PrismaPGlite } from 'pglite-prisma-adapter';
import { getEnv } from '../env';
import { peekProcessSingleton, processSingleton, setProcessSingleton, takeProcessSingleton } from '../process-singleton';
import { runDbCall } from '../resilience/policy';
import { withTimeout } from '../with-timeout';
import { PrismaClient } from './generated/client';

const READ_OPERATIONS = new Set(['findUnique', 'findUniqueOrThrow', 'findFirst', 'findFirstOrThrow', 'findMany', 'count', 'aggregate', 'groupBy', '$queryRaw', '$queryRawUnsafe']);

/** Every Prisma operation (models and raw queries) runs through the resilience policies. */
function withResilience(client: PrismaClient) {
  return client.$extends({
    name: 'resilience',
    query: {
      $allOperations({ operation, args, query }) {
        return runDbCall(READ_OPERATIONS.has(operation) ? 'read' : 'write', () => query(args));
      },
    },
  });
}
export type AppPrisma = ReturnType<typeof withResilience>;
/** The client inside `prisma().$transaction(async (tx) => …)`. */
export type TransactionDb = Parameters<Parameters<AppPrisma['$transaction']>[0]>[0];
/**
 * Where a query runs: the client, or an open transaction. Code that may run inside a transaction
 * takes one, because the embedded database has a single connection: a query outside the
 * transaction would wait for it forever.
 */
export type Db = AppPrisma | TransactionDb;

type DatabaseBase = {
  prisma: AppPrisma;
  exec(sql: string): Promise<void>;
  /** `SELECT 1` outside Prisma and outside the request pool (a busy pool is not an unreachable
   *  database), abandoned (and its connection discarded) after `timeoutMs`. */
  ping(timeoutMs: number): Promise<void>;
  /** Connections in use, idle, waiting for one, and the maximum. */
  poolStats(): { inUse: number; idle: number; waiting: number; max: number };
  close(): Promise<void>;
};
export type Database = (DatabaseBase & { kind: 'postgres'; pool: pg.Pool }) | (DatabaseBase & { kind: 'pglite'; pglite: PGlite });

/** The readiness query carries a marker so that tests (and DBAs) can count probes on the wire. */
export const PING_SQL = 'SELECT 1 AS readiness_probe';


function openPostgres(url: string): Database {
  const env = getEnv();
  const pool = new pg.Pool({
    connectionString: url,
    max: env.DATABASE_POOL_SIZE,
    connectionTimeoutMillis: env.DATABASE_CONNECT_TIMEOUT_MS,
    idleTimeoutMillis: 30_000,
    // The database call timeout, enforced twice: the server cancels the statement, and pg drops
    // the query (destroying its connection) if the server does not answer at all.
    statement_timeout: env.DB_TIMEOUT_MS,
    query_timeout: env.DB_TIMEOUT_MS,
    application_name: 'jobboard',
  });
  // An idle client losing its connection must not crash the process; the pool replaces it.
  pool.on('error', () => {});
  // Readiness asks "can this instance reach its database?", not "is the pool free right now?":
  // under load every request pool in the fleet is busy at once, and a probe queued behind them
  // would take every instance out of rotation together (docs/operations.md). So the probe has a
  // connection of its own, one per instance.
  const probePool = new pg.Pool({
    connectionString: url,
    max: 1,
    connectionTimeoutMillis: env.READINESS_DB_TIMEOUT_MS,
    idleTimeoutMillis: 0,
    application_name: 'jobboard-readiness',
  });
  probePool.on('error', () => {});
  const base = new PrismaClient({ adapter: new PrismaPg(pool) });
  const prisma = withResilience(base);
  return {
    kind: 'postgres',
    prisma,
    pool,
    exec: async (sql) => {
      await pool.query(sql);
    },
    // query_timeout makes pg drop the query and destroy its connection, so a hung database
    // leaves no half-open probe connection behind; the next probe opens a fresh one.
    ping: (timeoutMs) => withTimeout(probePool.query({ text: PING_SQL, query_timeout: timeoutMs } as pg.QueryConfig).then(() => undefined), timeoutMs, 'database ping'),
    poolStats: () => ({ inUse: pool.totalCount - pool.idleCount, idle: pool.idleCount, waiting: pool.waitingCount, max: env.DATABASE_POOL_SIZE }),
    close: async () => {
      await base.$disconnect();
      await Promise.all([pool.end(), probePool.end()]);
    },
  };
}

type EmbeddedDriver = { PGlite: typeof PGlite; PrismaPGlite: typeof PrismaPGlite };
const EMBEDDED_DRIVER = 'embeddedDatabaseDriver';

function openPglite(dataDir: string): Database {
  const driver = peekProcessSingleton<EmbeddedDriver>(EMBEDDED_DRIVER);
  if (!driver) throw new Error('no DATABASE_URL: the embedded database must be opened with openDatabase() (start-up does) before getDatabase()');
  const dir = path.resolve(dataDir, 'pglite');
  mkdirSync(dir, { recursive: true });
  const pglite = new driver.PGlite({ dataDir: dir });
  const base = new PrismaClient({ adapter: new driver.PrismaPGlite(pglite) });
  const prisma = withResilience(base);
  return {
    kind: 'pglite',
    prisma,
    pglite,
    exec: async (sql) => {
      await pglite.exec(sql);
    },
    ping: (timeoutMs) => withTimeout(pglite.query(PING_SQL).then(() => undefined), timeoutMs, 'database ping'),
    // One in-process connection; PGlite queues queries itself.
    poolStats: () => ({ inUse: 0, idle: 1, waiting: 0, max: 1 }),
    close: async () => {
      await base.$disconnect();
      // PGlite keeps the event loop alive until it is closed.
      await pglite.close();
    },
  };
}

/** Opens the process's database once, loading the embedded database's modules first if it is the one. */
export async function openDatabase(): Promise<Database> {
  if (!getEnv().DATABASE_URL && !peekProcessSingleton(EMBEDDED_DRIVER)) {
    const [{ PGlite }, { PrismaPGlite }] = await Promise.all([import('@electric-sql/pglite'), import('pglite-prisma-adapter')]);
    setProcessSingleton<EmbeddedDriver>(EMBEDDED_DRIVER, { PGlite, PrismaPGlite });
  }
  return getDatabase();
}

/** The database openDatabase() opened (on Postgres, opened here on first use). */
export function getDatabase(): Database {
  return processSingleton('database', () => {
    const env = getEnv();
    return env.DATABASE_URL ? openPostgres(env.DATABASE_URL) : openPglite(env.DATA_DIR);
  });
}

/** Closes the pool (or the embedded database) once; later calls are no-ops. */
export async function closeDatabase(): Promise<void> {
  await takeProcessSingleton<Database>('database')?.close();
}

export function prisma(): AppPrisma {
  return getDatabase().prisma;
}
