import { describe, expect, test } from 'bun:test';
import { Database as Sqlite } from 'bun:sqlite';
import { existsSync } from 'node:fs';
import { call } from '../support/cli.ts';
import { migratedDatabase } from '../support/db.ts';
import { tempDir } from '../support/tmp.ts';

describe('check', () => {
  test('a migrated database passes', async () => {
    using dir = tempDir();
    await migratedDatabase(dir.path);
    expect(await call(['check'], { cwd: dir.path })).toEqual({
      stdout: 'System check identified no issues (0 silenced).\n',
      stderr: '',
      exitCode: 0,
    });
    expect((await call(['validate'], { cwd: dir.path })).exitCode).toBe(0);
  });

  test('public events without a site URL are a warning (exit 0); a site URL or no public event is none', async () => {
    using dir = tempDir();
    await migratedDatabase(dir.path);
    const event = (slug: string, ...more: string[]) =>
      call(['create_event', '--slug', slug, '--name', slug, '--date-from', '2026-01-01', '--date-to', '2026-01-02', '-v', '0', ...more], { cwd: dir.path });
    await event('hidden');
    expect((await call(['check'], { cwd: dir.path })).stderr).toBe('');
    await event('shown', '--public');
    expect(await call(['check'], { cwd: dir.path })).toEqual({
      stdout: 'System check identified 1 issue (0 silenced).\n',
      stderr: [
        'System check identified some issues:',
        '',
        'WARNINGS:',
        '?: (confctl.W001) 1 public event(s), but no site URL is set: their feeds, calendar UIDs and API links point at http://localhost:8000.',
        '\tHINT: Set [site] url = "https://…" in the settings file (export_schedule_html also takes --site-url).',
        '',
        '',
      ].join('\n'),
      exitCode: 0,
    });
    dir.write({ 'confctl.toml': '[site]\nurl = "https://schedule.example.org"\n' });
    expect(await call(['check'], { cwd: dir.path })).toEqual({ stdout: 'System check identified no issues (0 silenced).\n', stderr: '', exitCode: 0 });
  });

  test('a missing database is an error, and check does not create it', async () => {
    using dir = tempDir();
    expect(await call(['check'], { cwd: dir.path })).toEqual({
      stdout: '',
      stderr: [
        'SystemCheckError: System check identified some issues:',
        '',
        'ERRORS:',
        `?: (confctl.E002) The database ${dir.join('data', 'db.sqlite3')} does not exist.`,
        '\tHINT: Run "confctl migrate" to create it.',
        '',
        'System check identified 1 issue (0 silenced).',
        '',
      ].join('\n'),
      exitCode: 1,
    });
    expect(existsSync(dir.join('data'))).toBe(false);
  });

  test('unapplied migrations are an error', async () => {
    using dir = tempDir();
    await migratedDatabase(dir.path);
    await call(['migrate', 'zero', '-v', '0'], { cwd: dir.path });
    const result = await call(['check'], { cwd: dir.path });
    expect(result.exitCode).toBe(1);
    expect(result.stderr).toContain('?: (confctl.E003) You have 6 unapplied migration(s): 0001_initial, 0002_event_stamps, 0003_event_stamps_by_time, 0004_upstream_fields, 0005_feed_days_and_tracks, 0006_one_stamp_per_transaction.\n\tHINT: Run "confctl migrate" to apply them.');
  });

  test('rows pointing at missing rows are an error', async () => {
    using dir = tempDir();
    const path = await migratedDatabase(dir.path);
    const db = new Sqlite(path);
    db.run('PRAGMA foreign_keys = OFF');
    db.run('INSERT INTO schedule_room (event_id, name) VALUES (42, \'{"en": "Orphan"}\')');
    db.close();
    const result = await call(['check'], { cwd: dir.path });
    expect(result.exitCode).toBe(1);
    expect(result.stderr).toContain('?: (confctl.E004) 1 row(s) point at rows that do not exist, in: schedule_room.');
  });

  test('a broken settings file fails before any check, naming file, line and column', async () => {
    using dir = tempDir();
    dir.write({ 'confctl.toml': '[database]\nbusy_timeout = \n' });
    expect(await call(['check'], { cwd: dir.path })).toEqual({
      stdout: '',
      stderr: `CommandError: ${dir.join('confctl.toml')}:2:16: invalid value\n`,
      exitCode: 1,
    });
  });

  test('--fail-level CRITICAL reports errors without failing', async () => {
    using dir = tempDir();
    const result = await call(['check', '--fail-level', 'CRITICAL'], { cwd: dir.path });
    expect(result.exitCode).toBe(0);
    expect(result.stderr).toContain('(confctl.E002)');
    expect(result.stdout).toBe('System check identified 1 issue (0 silenced).\n');
  });
});
