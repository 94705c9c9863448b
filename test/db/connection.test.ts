import { describe, expect, test } from 'bun:test';
import { Database as Sqlite } from 'bun:sqlite';
import { sql } from 'kysely';
import { openDatabase } from '../../db/connection.ts';
import { call } from '../support/cli.ts';
import { tempDir } from '../support/tmp.ts';

describe('openDatabase', () => {
  test('creates the file with its folder, in WAL mode, with foreign keys and the busy timeout', async () => {
    using dir = tempDir();
    const db = openDatabase(dir.join('a', 'b', 'db.sqlite3'), { busyTimeout: 1234 });
    try {
      const pragma = async (name: string) => Object.values((await sql.raw(`PRAGMA ${name}`).execute(db)).rows[0] as object)[0];
      expect(await pragma('journal_mode')).toBe('wal');
      expect(await pragma('foreign_keys')).toBe(1);
      expect(await pragma('busy_timeout')).toBe(1234);
    } finally {
      await db.destroy();
    }
  });

  test('a folder, a non-database file or an empty path is one CommandError', async () => {
    using dir = tempDir();
    dir.write({ 'notes.txt': 'x'.repeat(200) });
    expect(() => openDatabase(dir.path, { busyTimeout: 0 })).toThrow(`Cannot open database ${dir.path}: it is not a file`);
    expect(() => openDatabase(dir.join('notes.txt'), { busyTimeout: 0 })).toThrow(/Cannot open database .*notes\.txt: file is not a database/);
    expect(() => openDatabase('', { busyTimeout: 0 })).toThrow('The database path is empty.');
  });

  test('verbosity 3 logs every SQL statement on stderr, never on stdout', async () => {
    using dir = tempDir();
    const result = await call(['showmigrations', '-v', '3', '--no-pretalx-information'], { cwd: dir.path });
    expect(result.stdout).toBe('confctl\n [ ] 0001_initial\n [ ] 0002_event_stamps\n [ ] 0003_event_stamps_by_time\n [ ] 0004_upstream_fields\n [ ] 0005_feed_days_and_tracks\n [ ] 0006_one_stamp_per_transaction\n [ ] 0007_text_in_byte_order\n');
    expect(result.stderr).toBe('');
    await call(['migrate', '-v', '0'], { cwd: dir.path });
    const loud = await call(['showmigrations', '-v', '3', '--no-pretalx-information'], { cwd: dir.path });
    expect(loud.stderr).toMatch(/^\(\d+\.\d{3}\) SELECT count\(\*\) AS n FROM sqlite_schema/);
    expect(loud.stderr).toContain('from "confctl_migration"');
    expect(loud.stdout).toStartWith('confctl\n [X] 0001_initial (applied at ');
  });

  test('a writing transaction holds the write lock from its start; a read-only one does not', async () => {
    using dir = tempDir();
    const path = dir.join('db.sqlite3');
    const db = openDatabase(path, { busyTimeout: 1000 });
    const other = new Sqlite(path);
    other.exec('PRAGMA busy_timeout = 50');
    try {
      await sql`CREATE TABLE t (n integer)`.execute(db);
      await sql`INSERT INTO t VALUES (1)`.execute(db);
      // Another process writing between our read and our write: it waits for us, and ours commits.
      // (With a plain BEGIN it would commit first and ours would fail with "database is locked".)
      let theirs = 'committed';
      await db.transaction().execute(async (trx) => {
        await sql`SELECT n FROM t`.execute(trx);
        try {
          other.run('INSERT INTO t VALUES (2)');
        } catch (error) {
          theirs = (error as Error).message;
        }
        await sql`INSERT INTO t VALUES (3)`.execute(trx);
      });
      expect(theirs).toBe('database is locked');
      expect(other.query('SELECT n FROM t ORDER BY n').values()).toEqual([[1], [3]]);
      // A read-only transaction leaves writers alone.
      await db.transaction().setAccessMode('read only').execute(async (trx) => {
        await sql`SELECT n FROM t`.execute(trx);
        other.run('INSERT INTO t VALUES (4)');
      });
      expect(other.query('SELECT count(*) FROM t').values()).toEqual([[3]]);
    } finally {
      other.close();
      await db.destroy();
    }
  });
});
