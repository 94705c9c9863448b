import { describe, expect, test } from 'bun:test';
import { call } from '../support/cli.ts';
import { canonicalDump, initialisedDatabase, migratedDatabase, query } from '../support/db.ts';
import { tempDir } from '../support/tmp.ts';

const env = { CONFCTL_NOW: '2026-05-01T09:00:00Z' };
const count = (path: string, table: string) => query<{ n: number }>(path, `SELECT count(*) AS n FROM ${table}`)[0]!.n;
const initialData = JSON.stringify([
  { model: 'event.organiser', pk: 1, fields: { name: { en: 'Seed Org' }, slug: 'seed' } },
]);

describe('flush', () => {
  test('--noinput empties every table, keeps the migration history and restarts ids', async () => {
    using dir = tempDir();
    const path = await initialisedDatabase(dir.path);
    await call(['create_test_event', '--seed', '1', '-v', '0'], { cwd: dir.path, env });
    expect(await call(['flush', '--noinput'], { cwd: dir.path })).toEqual({ stdout: '', stderr: '', exitCode: 0 });
    for (const table of ['person_user', 'event_event', 'submission_submission', 'schedule_talkslot', 'event_team_members']) {
      expect(count(path, table)).toBe(0);
    }
    expect(count(path, 'confctl_migration')).toBe(6);
    // The change counters stay and only grow: event 1 of a new life must not look unchanged to a running server.
    const stamp = () => query<{ stamp: number }>(path, 'SELECT stamp FROM confctl_eventstamp WHERE event_id = 1')[0]!.stamp;
    const flushed = stamp();
    await call(['create_event', '--slug', 'again', '--name', 'Again', '--date-from', '2026-01-01', '--date-to', '2026-01-01', '-v', '0'], { cwd: dir.path, env });
    expect(query(path, 'SELECT id FROM event_event')).toEqual([{ id: 1 }]);
    expect(stamp()).toBeGreaterThan(flushed);
  });

  test('asks first; anything but yes cancels and keeps the data', async () => {
    using dir = tempDir();
    const path = await initialisedDatabase(dir.path);
    const before = canonicalDump(path);
    const result = await call(['flush'], { cwd: dir.path, stdin: 'no\n', tty: { stdin: true } });
    expect(result.stdout).toBe(
      'You have requested a flush of the database.\n' +
        `This will IRREVERSIBLY DESTROY all data currently in the "${path}" database,\n` +
        'and return each table to an empty state.\nAre you sure you want to do this?\n\n' +
        "    Type 'yes' to continue, or 'no' to cancel: Flush cancelled.\n",
    );
    expect(canonicalDump(path)).toBe(before);
    expect((await call(['flush'], { cwd: dir.path, stdin: 'yes\n', tty: { stdin: true } })).exitCode).toBe(0);
    expect(count(path, 'person_user')).toBe(0);
  });

  test('without a terminal it needs --noinput', async () => {
    using dir = tempDir();
    const path = await initialisedDatabase(dir.path);
    expect(await call(['flush'], { cwd: dir.path, stdin: 'yes\n' })).toEqual({
      stdout: '',
      stderr: 'CommandError: This would destroy data and there is no terminal to confirm it: pass --noinput.\n',
      exitCode: 1,
    });
    expect(count(path, 'person_user')).toBe(1);
  });

  test('installs initial_data afterwards; a broken one leaves everything as it was', async () => {
    using dir = tempDir();
    const path = await initialisedDatabase(dir.path);
    dir.write({ 'data/fixtures/initial_data.json': initialData });
    expect(await call(['flush', '--noinput'], { cwd: dir.path })).toEqual({
      stdout: 'Installed 1 object(s) from the initial_data fixture\n',
      stderr: '',
      exitCode: 0,
    });
    expect(query(path, 'SELECT slug FROM event_organiser')).toEqual([{ slug: 'seed' }]);
    dir.write({ 'data/fixtures/initial_data.json': '[{"model": "event.organiser", "pk": 2, "fields": {"slug": "x"}}]' });
    const before = canonicalDump(path);
    const broken = await call(['flush', '--noinput'], { cwd: dir.path });
    expect(broken.exitCode).toBe(1);
    expect(broken.stderr).toContain('NOT NULL constraint failed: event_organiser.name');
    expect(canonicalDump(path)).toBe(before);
  });
});

describe('reset', () => {
  test("empties one app's tables; what points at them follows its foreign keys", async () => {
    using dir = tempDir();
    const path = await initialisedDatabase(dir.path);
    await call(['create_test_event', '--seed', '1', '-v', '0'], { cwd: dir.path, env });
    const result = await call(['reset', 'schedule', '--noinput'], { cwd: dir.path });
    expect(result.exitCode).toBe(0);
    expect(result.stdout).toMatch(/^Deleted \d+ row\(s\) from the schedule tables\.\n$/);
    expect(count(path, 'schedule_talkslot')).toBe(0);
    expect(count(path, 'schedule_room')).toBe(0);
    expect(count(path, 'submission_submission')).toBeGreaterThan(50);
    expect(await call(['reset', 'nosuch', '--noinput'], { cwd: dir.path })).toEqual({
      stdout: '',
      stderr: "CommandError: No installed app with label 'nosuch'.\n",
      exitCode: 1,
    });
  });
});

describe('syncdb', () => {
  test('migrates, then installs initial_data', async () => {
    using dir = tempDir();
    dir.write({ 'data/fixtures/initial_data.json': initialData });
    expect(await call(['syncdb'], { cwd: dir.path })).toEqual({
      stdout: '  Applying 0001_initial... OK\n  Applying 0002_event_stamps... OK\n  Applying 0003_event_stamps_by_time... OK\n  Applying 0004_upstream_fields... OK\n  Applying 0005_feed_days_and_tracks... OK\n  Applying 0006_one_stamp_per_transaction... OK\nInstalled 1 object(s) from the initial_data fixture\n',
      stderr: '',
      exitCode: 0,
    });
    expect((await call(['syncdb'], { cwd: dir.path })).stdout).toBe('No migrations to apply (confctl).\nInstalled 1 object(s) from the initial_data fixture\n');
    await migratedDatabase(dir.path);
  });
});
