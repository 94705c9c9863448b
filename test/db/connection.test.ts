import { describe, expect, test } from 'bun:test';
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
    expect(result.stdout).toBe('confctl\n [ ] 0001_initial\n');
    expect(result.stderr).toBe('');
    await call(['migrate', '-v', '0'], { cwd: dir.path });
    const loud = await call(['showmigrations', '-v', '3', '--no-pretalx-information'], { cwd: dir.path });
    expect(loud.stderr).toMatch(/^\(\d+\.\d{3}\) SELECT count\(\*\) AS n FROM sqlite_schema/);
    expect(loud.stderr).toContain('from "confctl_migration"');
    expect(loud.stdout).toStartWith('confctl\n [X] 0001_initial (applied at ');
  });
});
