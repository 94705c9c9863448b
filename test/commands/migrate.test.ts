import { describe, expect, test } from 'bun:test';
import { Database as Sqlite } from 'bun:sqlite';
import { existsSync } from 'node:fs';
import { call } from '../support/cli.ts';
import { migratedDatabase, query, schemaDump } from '../support/db.ts';
import { tempDir } from '../support/tmp.ts';

const applied = [
  'Operations to perform:',
  '  Apply all migrations: confctl',
  'Running migrations:',
  '  Applying 0001_initial... OK',
  '  Applying 0002_event_stamps... OK',
  '  Applying 0003_event_stamps_by_time... OK',
  '  Applying 0004_upstream_fields... OK',
  '  Applying 0005_feed_days_and_tracks... OK',
  '  Applying 0006_one_stamp_per_transaction... OK',
  '  Applying 0007_text_in_byte_order... OK',
  '',
].join('\n');

describe('migrate', () => {
  test('on a fresh folder creates data/db.sqlite3 and applies every migration', async () => {
    using dir = tempDir();
    expect(await call(['migrate'], { cwd: dir.path })).toEqual({ stdout: applied, stderr: '', exitCode: 0 });
    const path = dir.join('data', 'db.sqlite3');
    expect(query<{ name: string }>(path, 'SELECT name FROM confctl_migration')).toEqual([{ name: '0001_initial' }, { name: '0002_event_stamps' }, { name: '0003_event_stamps_by_time' }, { name: '0004_upstream_fields' }, { name: '0005_feed_days_and_tracks' }, { name: '0006_one_stamp_per_transaction' }, { name: '0007_text_in_byte_order' }]);
  });

  test('a second run says so and changes nothing', async () => {
    using dir = tempDir();
    const path = await migratedDatabase(dir.path);
    const before = schemaDump(path);
    const history = query(path, 'SELECT * FROM confctl_migration');
    expect(await call(['migrate'], { cwd: dir.path })).toEqual({
      stdout: 'Operations to perform:\n  Apply all migrations: confctl\nRunning migrations:\n  No migrations to apply.\n',
      stderr: '',
      exitCode: 0,
    });
    expect(schemaDump(path)).toBe(before);
    expect(query(path, 'SELECT * FROM confctl_migration')).toEqual(history);
  });

  test('--plan lists what would run and writes nothing, not even the file', async () => {
    using dir = tempDir();
    const result = await call(['migrate', '--plan'], { cwd: dir.path });
    expect(result.exitCode).toBe(0);
    expect(result.stdout).toStartWith('Planned operations:\n  0001_initial\n    Create the domain schema');
    expect(existsSync(dir.join('data'))).toBe(false);
    await migratedDatabase(dir.path);
    expect((await call(['migrate', '--plan'], { cwd: dir.path })).stdout).toBe(
      'Planned operations:\n  No planned migration operations.\n',
    );
    expect((await call(['migrate', 'zero', '--plan'], { cwd: dir.path })).stdout).toStartWith(
      'Planned operations:\n  0007_text_in_byte_order (unapply)\n    PostgreSQL: text columns sort and compare byte by byte (collation "C"), as on SQLite\n  0006_one_stamp_per_transaction (unapply)\n    PostgreSQL: a transaction stamps each event it changes once, not once per row\n  0005_feed_days_and_tracks (unapply)\n    Keep a schedule feed',
    );
  });

  test('zero unapplies everything; a prefix names a migration', async () => {
    using dir = tempDir();
    const path = await migratedDatabase(dir.path);
    expect(await call(['migrate', 'zero'], { cwd: dir.path })).toEqual({
      stdout: 'Operations to perform:\n  Unapply all migrations: confctl\nRunning migrations:\n  Unapplying 0007_text_in_byte_order... OK\n  Unapplying 0006_one_stamp_per_transaction... OK\n  Unapplying 0005_feed_days_and_tracks... OK\n  Unapplying 0004_upstream_fields... OK\n  Unapplying 0003_event_stamps_by_time... OK\n  Unapplying 0002_event_stamps... OK\n  Unapplying 0001_initial... OK\n',
      stderr: '',
      exitCode: 0,
    });
    expect(query(path, 'SELECT * FROM confctl_migration')).toEqual([]);
    expect(await call(['migrate', '0001'], { cwd: dir.path })).toEqual({
      stdout: [
        'Operations to perform:',
        '  Target specific migration: 0001_initial, from confctl',
        'Running migrations:',
        '  Applying 0001_initial... OK',
        '',
      ].join('\n'),
      stderr: '',
      exitCode: 0,
    });
  });

  test('an unknown target is a CommandError and changes nothing', async () => {
    using dir = tempDir();
    expect(await call(['migrate', '0002_nope'], { cwd: dir.path })).toEqual({
      stdout: '',
      stderr: "CommandError: Cannot find a migration matching '0002_nope' from app 'confctl'.\n",
      exitCode: 1,
    });
    expect(existsSync(dir.join('data'))).toBe(false);
  });

  test('a database migrated by a newer confctl is refused and left as it is', async () => {
    using dir = tempDir();
    const path = await migratedDatabase(dir.path);
    const db = new Sqlite(path);
    db.run("INSERT INTO confctl_migration (name, timestamp) VALUES ('0002_from_the_future', '2030-01-01T00:00:00.000Z')");
    db.close();
    const before = schemaDump(path);
    const expected = {
      stdout: '',
      stderr:
        'CommandError: The database has migration 0002_from_the_future applied, which this confctl does not know: ' +
        'it was migrated by a newer confctl. Use that version, or a backup made before the upgrade.\n',
      exitCode: 1,
    };
    expect(await call(['migrate'], { cwd: dir.path })).toEqual(expected);
    expect(await call(['migrate', 'zero'], { cwd: dir.path })).toEqual(expected);
    expect(await call(['showmigrations'], { cwd: dir.path })).toEqual(expected);
    expect(schemaDump(path)).toBe(before);
  });

  test('a migration that fails is rolled back whole', async () => {
    using dir = tempDir();
    // A table in the way makes 0001_initial fail halfway through its statements.
    dir.write({ 'data/.keep': '' });
    const db = new Sqlite(dir.join('data', 'db.sqlite3'));
    db.run('CREATE TABLE schedule_room (x integer)');
    db.close();
    const result = await call(['migrate'], { cwd: dir.path });
    expect(result.exitCode).toBe(1);
    expect(result.stdout).toBe('Operations to perform:\n  Apply all migrations: confctl\nRunning migrations:\n  Applying 0001_initial... FAILED\n');
    expect(result.stderr).toBe('CommandError: Migration 0001_initial failed: table "schedule_room" already exists\n');
    const tables = query<{ name: string }>(dir.join('data', 'db.sqlite3'), "SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'confctl_%' ORDER BY name");
    expect(tables).toEqual([{ name: 'schedule_room' }]);
  });
});

describe('showmigrations', () => {
  test('lists migrations as [ ] before and [X] after, without creating the database', async () => {
    using dir = tempDir();
    expect(await call(['showmigrations'], { cwd: dir.path })).toEqual({
      stdout: 'confctl\n [ ] 0001_initial\n [ ] 0002_event_stamps\n [ ] 0003_event_stamps_by_time\n [ ] 0004_upstream_fields\n [ ] 0005_feed_days_and_tracks\n [ ] 0006_one_stamp_per_transaction\n [ ] 0007_text_in_byte_order\n',
      stderr: '',
      exitCode: 0,
    });
    expect(existsSync(dir.join('data'))).toBe(false);
    await migratedDatabase(dir.path);
    expect(await call(['showmigrations'], { cwd: dir.path })).toEqual({
      stdout: 'confctl\n [X] 0001_initial\n [X] 0002_event_stamps\n [X] 0003_event_stamps_by_time\n [X] 0004_upstream_fields\n [X] 0005_feed_days_and_tracks\n [X] 0006_one_stamp_per_transaction\n [X] 0007_text_in_byte_order\n',
      stderr: '',
      exitCode: 0,
    });
    expect((await call(['showmigrations', 'confctl', '--list'], { cwd: dir.path })).stdout).toBe('confctl\n [X] 0001_initial\n [X] 0002_event_stamps\n [X] 0003_event_stamps_by_time\n [X] 0004_upstream_fields\n [X] 0005_feed_days_and_tracks\n [X] 0006_one_stamp_per_transaction\n [X] 0007_text_in_byte_order\n');
  });

  test('--plan shows the order with app labels', async () => {
    using dir = tempDir();
    expect((await call(['showmigrations', '--plan'], { cwd: dir.path })).stdout).toBe('[ ]  confctl.0001_initial\n[ ]  confctl.0002_event_stamps\n[ ]  confctl.0003_event_stamps_by_time\n[ ]  confctl.0004_upstream_fields\n[ ]  confctl.0005_feed_days_and_tracks\n[ ]  confctl.0006_one_stamp_per_transaction\n[ ]  confctl.0007_text_in_byte_order\n');
    await migratedDatabase(dir.path);
    expect((await call(['showmigrations', '-p'], { cwd: dir.path })).stdout).toBe('[X]  confctl.0001_initial\n[X]  confctl.0002_event_stamps\n[X]  confctl.0003_event_stamps_by_time\n[X]  confctl.0004_upstream_fields\n[X]  confctl.0005_feed_days_and_tracks\n[X]  confctl.0006_one_stamp_per_transaction\n[X]  confctl.0007_text_in_byte_order\n');
  });

  test('an unknown app label is an error', async () => {
    using dir = tempDir();
    expect(await call(['showmigrations', 'event'], { cwd: dir.path })).toEqual({
      stdout: '',
      stderr: "CommandError: No installed app with label 'event'.\n",
      exitCode: 1,
    });
  });
});
