import { describe, expect, test } from 'bun:test';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { call } from '../support/cli.ts';
import { tempDir } from '../support/tmp.ts';

/**
 * Before `migrate`, every command that needs the schema says so in one line and creates nothing
 * (it used to print a raw "SQLiteError: no such table", or exit 0 for flush and reset, and leave an
 * empty data/db.sqlite3 behind). Only migrate, syncdb and testserver create a database.
 */
const needSchema: string[][] = [
  ['init', '--noinput'],
  ['createsuperuser', '--noinput', '--email', 'a@example.org', '--name', 'A'],
  ['changepassword', 'a@example.org'],
  ['create_event', '--slug', 'x', '--name', 'X', '--date-from', '2026-01-01', '--date-to', '2026-01-02'],
  ['list_events'],
  ['create_test_event'],
  ['move_event', '--event', 'democon'],
  ['clearsessions'],
  ['createcachetable'],
  ['runperiodic'],
  ['sync_pretalx', '--conference', 'democon'],
  ['import_schedule', 'schedule.json', '--event', 'democon'],
  ['export_schedule_html', 'democon'],
  ['regenerate_css'],
  ['shell', '--override', '-c', '1'],
  ['flush', '--noinput'],
  ['reset', 'event', '--noinput'],
  ['dumpdata'],
  ['loaddata', 'fixture.json'],
  ['runserver', '127.0.0.1:0'],
];
const env = { DJANGO_SUPERUSER_EMAIL: 'a@example.org', DJANGO_SUPERUSER_PASSWORD: 'a-long-s3cret-phrase', PRETALX_INIT_ORGANISER_NAME: 'O', PRETALX_INIT_ORGANISER_SLUG: 'o' };

describe('a database that is not ready', () => {
  test('missing: every command that needs the schema says to run migrate, exits 1, and creates no file or folder', async () => {
    for (const argv of needSchema) {
      using dir = tempDir();
      dir.write({ 'schedule.json': '{}', 'fixture.json': '[]' });
      const result = await call(argv, { cwd: dir.path, env });
      expect({ argv, ...result }).toEqual({ argv, stdout: '', stderr: `CommandError: The database ${dir.join('data', 'db.sqlite3')} does not exist: run "confctl migrate" to create it.\n`, exitCode: 1 });
      expect({ argv, data: existsSync(dir.join('data')) }).toEqual({ argv, data: false });
    }
  });

  test('not migrated (an empty file, or one made by another program): the same line, and the file is left as it was', async () => {
    for (const argv of needSchema) {
      using dir = tempDir();
      dir.write({ 'schedule.json': '{}', 'fixture.json': '[]', 'data/db.sqlite3': '' });
      const result = await call(argv, { cwd: dir.path, env });
      expect({ argv, ...result }).toEqual({ argv, stdout: '', stderr: `CommandError: The database ${dir.join('data', 'db.sqlite3')} is not migrated: run "confctl migrate" first.\n`, exitCode: 1 });
      expect({ argv, size: readFileSync(dir.join('data', 'db.sqlite3')).length }).toEqual({ argv, size: 0 });
    }
  });

  test('partly migrated or migrated by a newer confctl: one line each', async () => {
    using dir = tempDir();
    expect((await call(['migrate', '-v', '0'], { cwd: dir.path })).exitCode).toBe(0);
    const { Database } = await import('bun:sqlite');
    const db = new Database(dir.join('data', 'db.sqlite3'));
    db.run("INSERT INTO confctl_migration (name, timestamp) VALUES ('9999_from_the_future', '2030-01-01T00:00:00Z')");
    db.close();
    expect(await call(['list_events'], { cwd: dir.path })).toEqual({
      stdout: '',
      stderr:
        'CommandError: The database has migration 9999_from_the_future applied, which this confctl does not know: it was migrated by a newer confctl. Use that version, or a backup made before the upgrade.\n',
      exitCode: 1,
    });
  });

  test('migrate, syncdb and testserver are the ones that create it', async () => {
    for (const argv of [['migrate', '-v', '0'], ['syncdb', '--noinput', '-v', '0']]) {
      using dir = tempDir();
      expect({ argv, ...(await call(argv, { cwd: dir.path })) }).toEqual({ argv, stdout: '', stderr: '', exitCode: 0 });
      expect(existsSync(dir.join('data', 'db.sqlite3'))).toBe(true);
      writeFileSync(dir.join('x'), '');
    }
  });
});
