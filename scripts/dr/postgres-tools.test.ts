import { describe, expect, it } from 'vitest';
import { destroyRefusal, DESTROYABLE_MARK } from './destroyable.mjs';
import { libpqEnv, newestDropRecord, stopBeforeDrop, withDatabase } from './postgres-tools.mjs';

describe('newestDropRecord', () => {
  it('finds the last DROP of pg_waldump --rmgr=Database output', () => {
    const output = [
      'rmgr: Database    len (rec/tot):     42/    42, tx:        741, lsn: 0/03000108, prev 0/030000D0, desc: CREATE_WAL_LOG create dir 1663/16390',
      'rmgr: Database    len (rec/tot):     34/    34, tx:        802, lsn: 0/0301A2B8, prev 0/0301A280, desc: DROP dir 1663/16384',
      'rmgr: Database    len (rec/tot):     34/    34, tx:        955, lsn: 0/05C0FFEE, prev 0/05C0FF00, desc: DROP dir 1663/16390',
      'pg_waldump: error: error in WAL record at 0/5C10000: invalid record length at 0/5C10010: wanted 24, got 0',
    ].join('\n');
    expect(newestDropRecord(output)).toEqual({ xid: 955, lsn: '0/05C0FFEE' });
  });

  it('is null without one', () => {
    expect(newestDropRecord('rmgr: Database len (rec/tot): 42/42, tx: 741, lsn: 0/03000108, prev 0/0, desc: CREATE_WAL_LOG create dir 1663/16390')).toBeNull();
  });
});

describe('stopBeforeDrop', () => {
  // pg_waldump of a Postgres 15.18 DROP DATABASE … WITH (FORCE), as recorded by a drill here: the
  // database is first marked invalid in place, by a record that carries no transaction id.
  const wal = [
    'rmgr: Heap        len (rec/tot):     71/    71, tx:       2000, lsn: 0/0900A1B8, prev 0/0900A190, desc: INSERT off 80 flags 0x00, blkref #0: rel 1663/17238/17409 blk 0',
    'rmgr: Transaction len (rec/tot):     34/    34, tx:       2000, lsn: 0/0900A240, prev 0/0900A200, desc: COMMIT 2026-11-24 22:55:39.974554 UTC',
    'rmgr: Heap        len (rec/tot):     53/  1513, tx:          0, lsn: 0/0900A268, prev 0/0900A240, desc: INPLACE off 11, blkref #0: rel 1664/0/1262 blk 0 FPW',
    'rmgr: Heap        len (rec/tot):     54/    54, tx:       2001, lsn: 0/0900A858, prev 0/0900A268, desc: DELETE off 11 flags 0x00 KEYS_UPDATED , blkref #0: rel 1664/0/1262 blk 0',
    'rmgr: XLOG        len (rec/tot):    114/   114, tx:          0, lsn: 0/0900A8C8, prev 0/0900A890, desc: CHECKPOINT_ONLINE redo 0/900A890',
    'rmgr: Database    len (rec/tot):     38/    38, tx:       2001, lsn: 0/0900A940, prev 0/0900A8C8, desc: DROP dir 1663/17238',
    'rmgr: Transaction len (rec/tot):     34/    34, tx:       2001, lsn: 0/0900A968, prev 0/0900A940, desc: COMMIT 2026-11-24 22:55:40.1 UTC',
  ].join('\n');

  it('stops right after the last commit before the DROP, before the in-place invalidation', () => {
    expect(stopBeforeDrop(wal, '0/0900A940')).toBe('0/0900A268');
  });

  it('is null when no commit precedes the DROP in what was read', () => {
    expect(stopBeforeDrop(wal.split('\n').slice(2).join('\n'), '0/0900A940')).toBeNull();
    expect(stopBeforeDrop(wal, '0/FFFFFFFF')).toBeNull();
  });
});

describe('connection settings', () => {
  it('turns a URL into libpq variables, decoding what the URL encodes', () => {
    expect(libpqEnv('postgres://app%40x:p%2Fss@db.internal:6543/jobs?sslmode=require')).toEqual({
      PGHOST: 'db.internal', PGPORT: '6543', PGUSER: 'app@x', PGPASSWORD: 'p/ss', PGDATABASE: 'jobs', PGCONNECT_TIMEOUT: '5', PGSSLMODE: 'require',
    });
    expect(libpqEnv('postgres://127.0.0.1/jobboard')).toMatchObject({ PGPORT: '5432', PGUSER: 'postgres' });
  });

  it('names another database, host or port', () => {
    expect(withDatabase('postgres://u@127.0.0.1:5432/jobboard?sslmode=disable', 'postgres')).toBe('postgres://u@127.0.0.1:5432/postgres?sslmode=disable');
    expect(withDatabase('postgres://u@10.0.0.1:5432/jobboard', 'jobboard', { host: '127.0.0.1', port: 6000 })).toBe('postgres://u@127.0.0.1:6000/jobboard');
  });
});

describe('destroyRefusal', () => {
  it('refuses an unmarked database without --yes-destroy, and says how to mark it', () => {
    const refusal = destroyRefusal({ database: 'jobboard', exists: true, mark: 'production', yesDestroy: false });
    expect(refusal).toMatch(/refusing to run: the drill DROPS the database "jobboard"/);
    expect(refusal).toContain(`COMMENT ON DATABASE \\"jobboard\\" IS '${DESTROYABLE_MARK}'`);
  });

  it('accepts a marked database, or any with --yes-destroy', () => {
    expect(destroyRefusal({ database: 'jobboard', exists: true, mark: DESTROYABLE_MARK, yesDestroy: false })).toBeNull();
    expect(destroyRefusal({ database: 'jobboard', exists: true, mark: null, yesDestroy: true })).toBeNull();
  });

  it('names a database that is not there', () => {
    expect(destroyRefusal({ database: 'nope', exists: false, mark: null, yesDestroy: true })).toMatch(/"nope" does not exist/);
  });
});
