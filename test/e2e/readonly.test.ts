import { describe, expect, test } from 'bun:test';
import { chmodSync, existsSync, mkdirSync, readdirSync } from 'node:fs';
import { installBinary, spawnBinary } from '../support/binary.ts';
import { tempDir } from '../support/tmp.ts';

/**
 * A database in a folder this user cannot write (a backup, another user's instance): the commands
 * that only read work there, and leave no -wal or -shm file. Run as `nobody` through setpriv, since
 * root may write anywhere.
 */
describe('a read-only database folder', () => {
  test('list_events, dumpdata, check, showmigrations, migrate --plan, inspectdb and export_schedule_html read it; writing is one line', async () => {
    using dir = tempDir();
    const confctl = installBinary(dir.path);
    // Made by the binary, which closes the database fully: no -wal or -shm is left beside it.
    const admin = { DJANGO_SUPERUSER_EMAIL: 'a@example.org', DJANGO_SUPERUSER_PASSWORD: 'a-long-s3cret-phrase', PRETALX_INIT_ORGANISER_NAME: 'O', PRETALX_INIT_ORGANISER_SLUG: 'o', CONFCTL_NOW: '2026-05-01T09:00:00Z' };
    for (const argv of [['migrate'], ['init', '--noinput'], ['create_test_event', '--seed', '2']]) expect(spawnBinary(confctl, [...argv, '-v', '0'], dir.path, admin).exitCode).toBe(0);
    expect(readdirSync(dir.join('data'))).toEqual(['db.sqlite3']);
    mkdirSync(dir.join('out'));
    chmodSync(dir.path, 0o755);
    chmodSync(dir.join('out'), 0o777);
    chmodSync(dir.join('data', 'db.sqlite3'), 0o444);
    chmodSync(dir.join('data'), 0o555);
    const asNobody = (argv: string[]) => {
      const result = Bun.spawnSync(['setpriv', '--reuid=65534', '--regid=65534', '--clear-groups', confctl, ...argv], {
        cwd: dir.path,
        env: { PATH: '/usr/bin:/bin', NO_COLOR: '1', TZ: 'UTC', HOME: dir.join('out') },
      });
      return { stdout: result.stdout.toString(), stderr: result.stderr.toString(), exitCode: result.exitCode };
    };
    expect(asNobody(['list_events'])).toMatchObject({ stderr: '', exitCode: 0 });
    expect(asNobody(['list_events']).stdout).toStartWith('slug     name     from');
    expect(JSON.parse(asNobody(['dumpdata', 'event.event']).stdout)).toHaveLength(1);
    expect(asNobody(['check'])).toMatchObject({ stdout: 'System check identified 1 issue (0 silenced).\n', exitCode: 0 }); // W001: no site URL
    expect(asNobody(['showmigrations'])).toEqual({ stdout: 'confctl\n [X] 0001_initial\n [X] 0002_event_stamps\n [X] 0003_event_stamps_by_time\n [X] 0004_upstream_fields\n [X] 0005_feed_days_and_tracks\n [X] 0006_one_stamp_per_transaction\n [X] 0007_text_in_byte_order\n', stderr: '', exitCode: 0 });
    expect(asNobody(['migrate', '--plan'])).toEqual({ stdout: 'Planned operations:\n  No planned migration operations.\n', stderr: '', exitCode: 0 });
    expect(asNobody(['inspectdb', 'event_event'])).toMatchObject({ stderr: '', exitCode: 0 });
    expect(asNobody(['export_schedule_html', 'democon', '--output-dir', 'out', '--site-url', 'https://x.example.org'])).toEqual({ stdout: `${dir.join('out', 'democon')}\n`, stderr: '', exitCode: 0 });
    expect(existsSync(dir.join('out', 'democon', 'schedule.json'))).toBe(true);
    expect(asNobody(['create_event', '--slug', 'x', '--name', 'X', '--date-from', '2026-01-01', '--date-to', '2026-01-02'])).toMatchObject({ stdout: '', exitCode: 1 });
    expect(asNobody(['create_event', '--slug', 'x', '--name', 'X', '--date-from', '2026-01-01', '--date-to', '2026-01-02']).stderr.trim().split('\n')).toHaveLength(1);
    expect(readdirSync(dir.join('data'))).toEqual(['db.sqlite3']);
    // Root may write anywhere; a file without write permission is still read as read-only.
    chmodSync(dir.join('data'), 0o755);
    expect(spawnBinary(confctl, ['list_events'], dir.path)).toMatchObject({ stderr: '', exitCode: 0 });
    expect(readdirSync(dir.join('data'))).toEqual(['db.sqlite3']);
  }, 60_000);
});
