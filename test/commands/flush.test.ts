import { describe, expect, test } from 'bun:test';
import { BACKENDS, newSite, type Site } from '../support/site.ts';

const env = { CONFCTL_NOW: '2026-05-01T09:00:00Z' };
const count = async (site: Site, table: string) => (await site.query<{ n: number }>(`SELECT count(*) AS n FROM ${table}`))[0]!.n;
const initialData = JSON.stringify([
  { model: 'event.organiser', pk: 1, fields: { name: { en: 'Seed Org' }, slug: 'seed' } },
]);

for (const backend of BACKENDS) {
  describe(`flush (${backend})`, () => {
    test('--noinput empties every table, keeps the migration history and restarts ids', async () => {
      await using site = await newSite(backend);
      await site.initialised();
      await site.call(['create_test_event', '--seed', '1', '-v', '0'], { env });
      expect(await site.call(['flush', '--noinput'])).toEqual({ stdout: '', stderr: '', exitCode: 0 });
      for (const table of ['person_user', 'event_event', 'submission_submission', 'schedule_talkslot', 'event_team_members']) {
        expect(await count(site, table)).toBe(0);
      }
      expect(await count(site, 'confctl_migration')).toBe(7);
      // The change counters stay and only grow: event 1 of a new life must not look unchanged to a running server.
      const stamp = async () => (await site.query<{ stamp: number }>('SELECT stamp FROM confctl_eventstamp WHERE event_id = 1'))[0]!.stamp;
      const flushed = await stamp();
      await site.call(['create_event', '--slug', 'again', '--name', 'Again', '--date-from', '2026-01-01', '--date-to', '2026-01-01', '-v', '0'], { env });
      expect(await site.query('SELECT id FROM event_event')).toEqual([{ id: 1 }]);
      expect(await stamp()).toBeGreaterThan(flushed);
    });

    test('asks first; anything but yes cancels and keeps the data', async () => {
      await using site = await newSite(backend);
      await site.initialised();
      const before = await site.dump();
      const result = await site.call(['flush'], { stdin: 'no\n', tty: { stdin: true } });
      expect(result.stdout).toBe(
        'You have requested a flush of the database.\n' +
          `This will IRREVERSIBLY DESTROY all data currently in the "${site.label}" database,\n` +
          'and return each table to an empty state.\nAre you sure you want to do this?\n\n' +
          "    Type 'yes' to continue, or 'no' to cancel: Flush cancelled.\n",
      );
      expect(await site.dump()).toBe(before);
      expect((await site.call(['flush'], { stdin: 'yes\n', tty: { stdin: true } })).exitCode).toBe(0);
      expect(await count(site, 'person_user')).toBe(0);
    });

    test('without a terminal it needs --noinput', async () => {
      await using site = await newSite(backend);
      await site.initialised();
      expect(await site.call(['flush'], { stdin: 'yes\n' })).toEqual({
        stdout: '',
        stderr: 'CommandError: This would destroy data and there is no terminal to confirm it: pass --noinput.\n',
        exitCode: 1,
      });
      expect(await count(site, 'person_user')).toBe(1);
    });

    test('installs initial_data afterwards; a broken one leaves everything as it was', async () => {
      await using site = await newSite(backend);
      await site.initialised();
      site.write({ 'data/fixtures/initial_data.json': initialData });
      expect(await site.call(['flush', '--noinput'])).toEqual({
        stdout: 'Installed 1 object(s) from the initial_data fixture\n',
        stderr: '',
        exitCode: 0,
      });
      expect(await site.query('SELECT slug FROM event_organiser')).toEqual([{ slug: 'seed' }]);
      site.write({ 'data/fixtures/initial_data.json': '[{"model": "event.organiser", "pk": 2, "fields": {"slug": "x"}}]' });
      const before = await site.dump();
      const broken = await site.call(['flush', '--noinput']);
      expect(broken.exitCode).toBe(1);
      expect(broken.stderr).toContain('NOT NULL constraint failed: event_organiser.name');
      expect(await site.dump()).toBe(before);
    });
  });

  describe(`reset (${backend})`, () => {
    test("empties one app's tables; what points at them follows its foreign keys", async () => {
      await using site = await newSite(backend);
      await site.initialised();
      await site.call(['create_test_event', '--seed', '1', '-v', '0'], { env });
      const result = await site.call(['reset', 'schedule', '--noinput']);
      expect(result.exitCode).toBe(0);
      expect(result.stdout).toMatch(/^Deleted \d+ row\(s\) from the schedule tables\.\n$/);
      expect(await count(site, 'schedule_talkslot')).toBe(0);
      expect(await count(site, 'schedule_room')).toBe(0);
      expect(await count(site, 'submission_submission')).toBeGreaterThan(50);
      expect(await site.call(['reset', 'nosuch', '--noinput'])).toEqual({
        stdout: '',
        stderr: "CommandError: No installed app with label 'nosuch'.\n",
        exitCode: 1,
      });
    });
  });

  describe(`syncdb (${backend})`, () => {
    test('migrates, then installs initial_data', async () => {
      await using site = await newSite(backend);
      site.write({ 'data/fixtures/initial_data.json': initialData });
      expect(await site.call(['syncdb'])).toEqual({
        stdout: '  Applying 0001_initial... OK\n  Applying 0002_event_stamps... OK\n  Applying 0003_event_stamps_by_time... OK\n  Applying 0004_upstream_fields... OK\n  Applying 0005_feed_days_and_tracks... OK\n  Applying 0006_one_stamp_per_transaction... OK\n  Applying 0007_text_in_byte_order... OK\nInstalled 1 object(s) from the initial_data fixture\n',
        stderr: '',
        exitCode: 0,
      });
      expect((await site.call(['syncdb'])).stdout).toBe('No migrations to apply (confctl).\nInstalled 1 object(s) from the initial_data fixture\n');
      expect(await site.call(['migrate', '-v', '0'])).toEqual({ stdout: '', stderr: '', exitCode: 0 });
    });
  });
}
