import { describe, expect, test } from 'bun:test';
import { existsSync } from 'node:fs';
import { BACKENDS, newSite } from '../support/site.ts';

for (const backend of BACKENDS) {
  describe(`check (${backend})`, () => {
    test('a migrated database passes', async () => {
      await using site = await newSite(backend);
      await site.migrated();
      expect(await site.call(['check'])).toEqual({
        stdout: 'System check identified no issues (0 silenced).\n',
        stderr: '',
        exitCode: 0,
      });
      expect((await site.call(['validate'])).exitCode).toBe(0);
    });

    test('public events without a site URL are a warning (exit 0); a site URL or no public event is none', async () => {
      await using site = await newSite(backend);
      await site.migrated();
      const event = (slug: string, ...more: string[]) =>
        site.call(['create_event', '--slug', slug, '--name', slug, '--date-from', '2026-01-01', '--date-to', '2026-01-02', '-v', '0', ...more]);
      await event('hidden');
      expect((await site.call(['check'])).stderr).toBe('');
      await event('shown', '--public');
      expect(await site.call(['check'])).toEqual({
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
      site.write({ 'confctl.toml': '[site]\nurl = "https://schedule.example.org"\n' });
      expect(await site.call(['check'])).toEqual({ stdout: 'System check identified no issues (0 silenced).\n', stderr: '', exitCode: 0 });
    });

    test('a missing database is an error, and check does not create it', async () => {
      await using site = await newSite(backend);
      if (backend === 'postgres') {
        // A server has no database until someone creates it: the connection itself says so.
        const url = site.label.replace(/^postgres:\/\/\/\w+\?/, 'postgres:///nosuchdb?');
        const line = /socket (\S+), /.exec((await site.call(['check'], { env: { CONFCTL_DATABASE: url } })).stderr);
        for (const argv of [['check'], ['check', '--fail-level', 'CRITICAL']]) {
          expect(await site.call(argv, { env: { CONFCTL_DATABASE: url } })).toEqual({
            stdout: '',
            stderr: `CommandError: Cannot connect to PostgreSQL at socket ${line?.[1]}, database "nosuchdb": the database "nosuchdb" does not exist: create it first (createdb nosuchdb, or CREATE DATABASE)\n`,
            exitCode: 1,
          });
        }
        return;
      }
      expect(await site.call(['check'])).toEqual({
        stdout: '',
        stderr: [
          'SystemCheckError: System check identified some issues:',
          '',
          'ERRORS:',
          `?: (confctl.E002) The database ${site.join('data', 'db.sqlite3')} does not exist.`,
          '\tHINT: Run "confctl migrate" to create it.',
          '',
          'System check identified 1 issue (0 silenced).',
          '',
        ].join('\n'),
        exitCode: 1,
      });
      expect(existsSync(site.join('data'))).toBe(false);
      // --fail-level CRITICAL reports errors without failing.
      const critical = await site.call(['check', '--fail-level', 'CRITICAL']);
      expect(critical.exitCode).toBe(0);
      expect(critical.stderr).toContain('(confctl.E002)');
      expect(critical.stdout).toBe('System check identified 1 issue (0 silenced).\n');
    });

    test('unapplied migrations are an error', async () => {
      await using site = await newSite(backend);
      await site.migrated();
      await site.call(['migrate', 'zero', '-v', '0']);
      const result = await site.call(['check']);
      expect(result.exitCode).toBe(1);
      expect(result.stderr).toContain('?: (confctl.E003) You have 7 unapplied migration(s): 0001_initial, 0002_event_stamps, 0003_event_stamps_by_time, 0004_upstream_fields, 0005_feed_days_and_tracks, 0006_one_stamp_per_transaction, 0007_text_in_byte_order.\n\tHINT: Run "confctl migrate" to apply them.');
    });

    test('rows pointing at missing rows are an error', async () => {
      await using site = await newSite(backend);
      await site.migrated();
      // A row written where the foreign key was not enforced (SQLite: a connection without foreign_keys; PostgreSQL: its triggers off).
      const orphan = 'INSERT INTO schedule_room (event_id, name) VALUES (42, \'{"en": "Orphan"}\')';
      if (backend === 'postgres') {
        await site.run('ALTER TABLE schedule_room DISABLE TRIGGER ALL');
        await site.run(orphan);
        await site.run('ALTER TABLE schedule_room ENABLE TRIGGER ALL');
      } else {
        await site.run(orphan);
      }
      const result = await site.call(['check']);
      expect(result.exitCode).toBe(1);
      expect(result.stderr).toContain('?: (confctl.E004) 1 row(s) point at rows that do not exist, in: schedule_room.');
    });

    test('a broken settings file fails before any check, naming file, line and column', async () => {
      await using site = await newSite(backend);
      site.write({ 'confctl.toml': '[database]\nbusy_timeout = \n' });
      expect(await site.call(['check'])).toEqual({
        stdout: '',
        stderr: `CommandError: ${site.join('confctl.toml')}:2:16: invalid value\n`,
        exitCode: 1,
      });
    });
  });
}
