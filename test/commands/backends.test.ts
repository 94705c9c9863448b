import { describe, expect, test } from 'bun:test';
import { BACKENDS, backend } from '../support/backends.ts';
import { call, type CallResult } from '../support/cli.ts';
import { filesBelow, tempDir } from '../support/tmp.ts';

/**
 * The commands that run on PostgreSQL give the same output, exit status and files as on SQLite
 * (issue 16): the same steps on both, compared line by line and byte by byte.
 */
const env = {
  CONFCTL_NOW: '2026-05-01T09:00:00Z',
  DJANGO_SUPERUSER_EMAIL: 'admin@example.org',
  DJANGO_SUPERUSER_PASSWORD: 'correct-horse-9',
  PRETALX_INIT_ORGANISER_NAME: 'Org',
  PRETALX_INIT_ORGANISER_SLUG: 'org',
};

const steps: { argv: string[]; stdin?: string }[] = [
  { argv: ['migrate'] },
  { argv: ['init', '--noinput'] },
  { argv: ['createsuperuser', '--noinput', '--email', 'Second@Example.org', '--name', 'Second'] },
  { argv: ['createsuperuser', '--noinput', '--email', 'second@example.ORG'] },
  { argv: ['create_event', '--slug', 'camp', '--name', 'Camp', '--date-from', '2019-08-21', '--date-to', '2019-08-25', '--timezone', 'Europe/Berlin'] },
  { argv: ['create_event', '--slug', 'CAMP', '--name', 'Again', '--date-from', '2019-08-21', '--date-to', '2019-08-25'] },
  { argv: ['create_event', '--slug', 'late', '--name', 'Late', '--date-from', '2019-08-25', '--date-to', '2019-08-21'] },
  { argv: ['create_test_event', '--seed', '3'] },
  { argv: ['list_events'] },
  { argv: ['move_event', '--event', 'democon', '--date', '2026-06-01'] },
  { argv: ['list_events'] },
  { argv: ['export_schedule_html', 'democon', '--output-dir', 'out/folder', '--site-url', 'https://schedule.example.org'] },
  { argv: ['export_schedule_html', 'democon', '--zip', '--output-dir', 'out/zip', '--site-url', 'https://schedule.example.org'] },
  { argv: ['export_schedule_html', 'nosuchevent', '--output-dir', 'out/none'] },
  { argv: ['regenerate_css'] },
  { argv: ['rebuild'] },
  { argv: ['clearsessions'] },
  { argv: ['changepassword', 'admin@example.org'], stdin: 'another-horse-7\nanother-horse-7\n' },
  { argv: ['changepassword', 'nobody@example.org'], stdin: 'x\n' },
  // The users' codes and password salts are random: the rest byte for byte.
  { argv: ['dumpdata', '-e', 'person.User'] },
  { argv: ['dumpdata', '-e', 'person.User', '--format', 'xml', '--indent', '2'] },
  { argv: ['dumpdata', 'submission', 'schedule', '--format', 'jsonl', '--natural-foreign'] },
  { argv: ['dumpdata', 'event.Event', '--pks', '1,2', '--indent', '4'] },
  { argv: ['dumpdata', '-e', 'person.User', '-o', 'out/dump.json.gz'] },
  { argv: ['dumpdata', 'no.Model'] },
  { argv: ['createcachetable', '-v', '2', '--no-pretalx-information'] },
  { argv: ['createcachetable', 'other_table'] },
  { argv: ['check'] },
  { argv: ['check', '--fail-level', 'WARNING'] },
  // loaddata over what is there (every object updated), and its refusals, in the same words.
  { argv: ['loaddata', 'out/dump.json.gz'] },
  { argv: ['loaddata', 'fixtures/broken.json'] },
  { argv: ['loaddata', 'fixtures/taken.json'] },
  { argv: ['loaddata', 'fixtures/nokey.json'] },
  { argv: ['dumpdata', 'schedule.Room', 'event.Team', 'submission.Track'] },
  // Emptying: one app, then everything (and the initial_data fixture comes back), then syncdb.
  { argv: ['reset', 'schedule', '--noinput'] },
  { argv: ['dumpdata', 'schedule', 'event.Event'] },
  { argv: ['flush', '--noinput'] },
  { argv: ['dumpdata'] },
  { argv: ['create_event', '--slug', 'fresh', '--name', 'Fresh', '--date-from', '2026-01-01', '--date-to', '2026-01-02'] },
  { argv: ['syncdb'] },
  { argv: ['dumpdata', 'event'] },
];

const fixtures = {
  'data/fixtures/initial_data.json': JSON.stringify([{ model: 'event.organiser', pk: 7, fields: { name: { en: 'Initial' }, slug: 'initial' } }]),
  'fixtures/broken.json': JSON.stringify([
    { model: 'schedule.room', pk: 500, fields: { event: 999, name: { en: 'Orphan' } } },
    { model: 'schedule.room', pk: 501, fields: { event: 998, name: { en: 'Orphan too' } } },
  ]),
  'fixtures/taken.json': JSON.stringify([{ model: 'person.user', pk: 900, fields: { password: '!', email: 'ADMIN@example.org', code: 'TAKENADDRESS0000', name: 'Again' } }]),
  // Objects without a primary key get the next one; many-to-many by natural key.
  'fixtures/nokey.json': JSON.stringify([
    { model: 'schedule.room', fields: { event: 1, name: { en: 'No key' } } },
    { model: 'submission.track', fields: { event: ['democon'], name: { en: 'Natural' } } },
    { model: 'event.team', pk: 1, fields: { organiser: 1, name: 'Organisers', members: [['admin@example.org'], ['second@example.org']] } },
  ]),
};

describe('the same commands on SQLite and on PostgreSQL', () => {
  test('init, createsuperuser, create_event, create_test_event, list_events, move_event, export_schedule_html, regenerate_css, rebuild, clearsessions, changepassword, dumpdata, createcachetable, check, loaddata, reset, flush, syncdb', async () => {
    const results: Record<string, (CallResult & { argv: string })[]> = {};
    const trees: Record<string, Map<string, Buffer>> = {};
    const dirs = BACKENDS.map(() => tempDir());
    try {
      for (const [i, name] of BACKENDS.entries()) {
        const dir = dirs[i]!;
        const db = await backend(name, dir.path);
        dir.write(fixtures);
        results[name] = [];
        for (const step of steps) {
          const result = await call([...step.argv, ...db.args], { cwd: dir.path, env, ...(step.stdin !== undefined && { stdin: step.stdin, tty: { stdin: true } }) });
          const clean = (text: string) => text.replaceAll(dir.path, '<dir>');
          results[name].push({ argv: step.argv.join(' '), stdout: clean(result.stdout), stderr: clean(result.stderr), exitCode: result.exitCode });
        }
        trees[name] = filesBelow(dir.join('out'));
      }
      const sqlite = results.sqlite!;
      // The steps did what they say (on SQLite), so that equal means equally right.
      expect(sqlite.map((r) => r.exitCode)).toEqual([0, 0, 0, 1, 0, 1, 1, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 1, 0, 1, 0, 1, 0, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0]);
      expect(sqlite[34]!.stdout).toBe('Deleted 78 row(s) from the schedule tables.\n');
      expect(sqlite[35]!.stdout).not.toContain('"model":"schedule.');
      expect(sqlite[36]!.stdout).toBe('Installed 1 object(s) from the initial_data fixture\n');
      expect(sqlite[37]!.stdout).toBe('[{"model":"event.organiser","pk":7,"fields":{"name":{"en":"Initial"},"slug":"initial"}}]');
      // After a flush the ids start again at 1, as Django's flush resets the sequences.
      expect(sqlite[40]!.stdout).toContain('{"model":"event.event","pk":1,"fields":{"name":{"en":"Fresh"}');
      expect(sqlite.slice(29, 32).map((r) => r.stderr)).toEqual(['', "CommandError: Problem installing fixtures: Could not load schedule.Room(pk=500): event points at event.Event 999, which does not exist (and 1 more)\n", "CommandError: Problem installing fixture '<dir>/fixtures/taken.json': Could not load person.User(pk=900): UNIQUE constraint failed: person_user.email\n"]);
      expect(sqlite[27]!.stderr).toContain('(confctl.W001) 1 public event(s), but no site URL is set');
      expect(sqlite[19]!.stdout.length).toBeGreaterThan(50_000);
      expect(sqlite[8]!.stdout).toContain('democon  DemoCon  2026-04-30  2026-05-02  Europe/Berlin  yes     v1.0         36  -');
      expect(sqlite[10]!.stdout).toContain('democon  DemoCon  2026-06-01  2026-06-03');
      for (const [i, expected] of sqlite.entries()) expect(results.postgres![i]).toEqual(expected);
      expect(trees.sqlite!.size).toBeGreaterThan(100);
      expect([...trees.postgres!.keys()]).toEqual([...trees.sqlite!.keys()]);
      for (const [file, bytes] of trees.sqlite!) expect({ file, same: bytes.equals(trees.postgres!.get(file)!) }).toEqual({ file, same: true });
    } finally {
      for (const dir of dirs) dir[Symbol.dispose]();
    }
  }, 60_000);
});
