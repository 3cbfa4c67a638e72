// A backup's manifest: per table, the row count and a checksum of every row, taken in one
// snapshot, and how a restored database is compared with it. The restored side counts only the
// rows visible in a snapshot: for a point-in-time restore the source's own snapshot (transaction
// ids survive a physical restore), for a logical restore the one taken just after pg_restore,
// before the app writes again. So rows written later never make a restore look wrong.
import pg from 'pg';

/** Every table of the schema plus the drill's canary; `_prisma_migrations` proves the schema's history came back. */
export const TABLES = ['user', 'account', 'session', 'verification', 'company', 'job', 'application', 'idempotency_key', '_prisma_migrations', 'dr_canary'];

export async function connect(url, { statementTimeoutMs = 120_000 } = {}) {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 5_000, statement_timeout: statementTimeoutMs, query_timeout: statementTimeoutMs + 5_000 });
  await client.connect();
  // Row text is compared byte for byte: the same time zone on both sides.
  await client.query("SET TimeZone = 'UTC'");
  return client;
}

// A row's xmin as a full 64-bit transaction id (the epoch comes from the snapshot's own xmax).
const fullXmin = `(((pg_snapshot_xmax(pg_current_snapshot())::text::bigint >> 32)
  - CASE WHEN xmin::text::bigint > (pg_snapshot_xmax(pg_current_snapshot())::text::bigint & 4294967295) THEN 1 ELSE 0 END) * 4294967296
  + xmin::text::bigint)::text::xid8`;

/** `{ table: { rows, checksum } }` in `client`'s current snapshot, or only the rows visible in `snapshot`. */
export async function tableManifest(client, { snapshot = null, tables = TABLES } = {}) {
  const manifest = {};
  for (const table of tables) {
    const where = snapshot ? `WHERE pg_visible_in_snapshot(${fullXmin}, $1::pg_snapshot)` : '';
    const { rows } = await client.query(
      `SELECT count(*)::bigint AS rows, coalesce(md5(string_agg(h, '' ORDER BY h)), '') AS checksum
         FROM (SELECT md5(t::text) AS h FROM "${table}" t ${where}) hashed`,
      snapshot ? [snapshot] : [],
    );
    manifest[table] = { rows: Number(rows[0].rows), checksum: rows[0].checksum };
  }
  return manifest;
}

/** Tables whose count or checksum differ, as readable lines (empty when they all match). */
export function compareManifests(expected, actual) {
  const problems = [];
  for (const [table, want] of Object.entries(expected)) {
    const got = actual[table];
    if (!got) problems.push(`${table}: missing`);
    else if (got.rows !== want.rows) problems.push(`${table}: ${got.rows} rows, expected ${want.rows}`);
    else if (got.checksum !== want.checksum) problems.push(`${table}: ${got.rows} rows as expected, checksum differs`);
  }
  return problems;
}
