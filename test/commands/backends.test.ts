import { describe, expect, test } from 'bun:test';
import { existsSync } from 'node:fs';
import { BACKENDS, backend } from '../support/backends.ts';
import { call, type CallResult } from '../support/cli.ts';
import { fakePretalx, pyconfrDataset, type FakePretalx } from '../support/fake-pretalx.ts';
import { filesBelow, tempDir, type TempDir } from '../support/tmp.ts';
import { newSite } from '../support/site.ts';
import { postgresServer } from '../support/postgres.ts';
import { createApp } from '../../core/serve/app.ts';

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

const steps: Step[] = [
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

type Step = { argv: string[]; stdin?: string; before?: () => void };
type Outcome = { results: Record<string, (CallResult & { argv: string })[]>; trees: Record<string, Map<string, Buffer>> };

/**
 * Runs the steps on each backend, each in a fresh folder that `setup` prepares: every step's output
 * (the folder written <dir>) and the files written below out/. A step without argv only runs its `before`.
 */
async function onBoth(steps: readonly Step[], env: Record<string, string>, setup: (dir: TempDir) => void = () => {}): Promise<Outcome> {
  const outcome: Outcome = { results: {}, trees: {} };
  for (const name of BACKENDS) {
    using dir = tempDir();
    setup(dir);
    const db = await backend(name, dir.path);
    const results: (CallResult & { argv: string })[] = (outcome.results[name] = []);
    for (const step of steps) {
      step.before?.();
      if (step.argv.length === 0) continue;
      const result = await call([...step.argv, ...db.args], { cwd: dir.path, env, ...(step.stdin !== undefined && { stdin: step.stdin, tty: { stdin: true } }) });
      const clean = (text: string) => text.replaceAll(dir.path, '<dir>');
      results.push({ argv: step.argv.join(' '), stdout: clean(result.stdout), stderr: clean(result.stderr), exitCode: result.exitCode });
    }
    outcome.trees[name] = existsSync(dir.join('out')) ? filesBelow(dir.join('out')) : new Map();
  }
  return outcome;
}

/** PostgreSQL gave every step's output, and every file, as SQLite did. */
function expectSame({ results, trees }: Outcome): void {
  for (const [i, expected] of results.sqlite!.entries()) expect(results.postgres![i]).toEqual(expected);
  expect(trees.sqlite!.size).toBeGreaterThan(100);
  expect([...trees.postgres!.keys()]).toEqual([...trees.sqlite!.keys()]);
  for (const [file, bytes] of trees.sqlite!) expect({ file, same: bytes.equals(trees.postgres!.get(file)!) }).toEqual({ file, same: true });
}

describe('the same commands on SQLite and on PostgreSQL', () => {
  test('init, createsuperuser, create_event, create_test_event, list_events, move_event, export_schedule_html, regenerate_css, rebuild, clearsessions, changepassword, dumpdata, createcachetable, check, loaddata, reset, flush, syncdb', async () => {
    const outcome = await onBoth(steps, env, (dir) => dir.write(fixtures));
    const sqlite = outcome.results.sqlite!;
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
    expectSame(outcome);
  }, 60_000);

  test('sync_pretalx and import_schedule: first mirror, no-op, renames and removals, a dry run, refusals that leave the database as it was', async () => {
    using fake = fakePretalx(pyconfrDataset());
    const examples = `${import.meta.dir}/../../../shared/data/schedules/c3voc-examples`;
    const withToken = { ...env, CONFCTL_PRETALX_TOKEN: 'secret-token' };
    const edit = (change: (f: FakePretalx) => void) => ({ argv: [] as string[], before: () => change(fake) });
    const mirror: Step[] = [
      { argv: ['migrate', '-v', '0'] },
      edit((f) => f.data.types.push({ ...f.data.types[0]!, id: 99, name: { en: 'Unused' } })),
      { argv: ['create_event', '--slug', 'conf', '--name', 'Conf', '--date-from', '2025-10-30', '--date-to', '2025-11-02', '--pretalx-url', fake.url, '--pretalx-event', 'pyconfr-2025'] },
      { argv: ['sync_pretalx', '--conference', 'conf'] },
      { argv: ['sync_pretalx', '--conference', 'conf'] },
      // Every talk renamed; one talk gone with its type (the canceled talk keeps it: protected), an unused type gone.
      edit((f) => {
        for (const s of f.data.submissions) s.title = `Renamed: ${s.title}`;
        const gone = f.data.submissions.find((s) => s.submission_type === 15)!;
        f.data.submissions = f.data.submissions.filter((s) => s !== gone);
        f.data.slots = f.data.slots.filter((x) => x.submission !== gone.code);
        f.data.types = f.data.types.filter((t) => t.id !== 15 && t.id !== 99);
        f.data.rooms[0]!.name = { en: 'Renamed room', fr: 'Salle renommée' };
      }),
      { argv: ['sync_pretalx', '--conference', 'conf', '--dry-run'] },
      { argv: ['sync_pretalx', '--conference', 'conf', '--json'] },
      { argv: ['sync_pretalx', '--conference', 'conf'] },
      // Refusals: a server that keeps failing, and the drop guard; each leaves everything as it was.
      edit((f) => {
        for (const s of f.data.submissions) s.title = `Again: ${s.title}`;
        f.faults = [{ path: 'slots/', status: 500, times: Infinity }];
      }),
      { argv: ['sync_pretalx', '--conference', 'conf'] },
      edit((f) => {
        f.faults = [];
        f.data.slots = f.data.slots.slice(0, 10);
      }),
      { argv: ['sync_pretalx', '--conference', 'conf'] },
      { argv: ['dumpdata', 'schedule', 'submission', 'person.SpeakerProfile', '--indent', '1'] },
      { argv: ['create_event', '--slug', 'imp', '--name', 'Imported', '--date-from', '2019-01-01', '--date-to', '2019-01-02', '--timezone', 'Europe/Berlin'] },
      { argv: ['import_schedule', `${examples}/frab-camp2019.json`, '--event', 'imp'] },
      { argv: ['import_schedule', `${examples}/frab-camp2019.json`, '--event', 'imp'] },
      { argv: ['dumpdata', 'schedule', 'submission', 'person.SpeakerProfile', 'event.Event'] },
      { argv: ['import_schedule', `${examples}/pretalx-democon.json`, '--event', 'imp'] },
      { argv: ['dumpdata', 'schedule', 'submission', 'person.SpeakerProfile', 'event.Event'] },
      // PostgreSQL's sequences do not roll back (the refused import took ids): from here on, ids may differ.
      { argv: ['import_schedule', `${examples}/pretalx-democon.json`, '--event', 'imp', '--allow-large-schedule-drop'] },
      { argv: ['export_schedule_html', 'conf', '--output-dir', 'out/conf'] },
      { argv: ['export_schedule_html', 'imp', '--output-dir', 'out/imp'] },
    ];
    const outcome = await onBoth(mirror, withToken, (dir) => {
      fake.data = pyconfrDataset();
      fake.faults = [];
      dir.write({ 'confctl.toml': '[sync]\npace = 0\nbackoff = 1\nretries = 1\n' });
    });
    const { results } = outcome;
    const sqlite = results.sqlite!;
    const lines = (i: number) => `${sqlite[i]!.stdout}${sqlite[i]!.stderr}`;
    expect(sqlite.map((r) => r.exitCode)).toEqual([0, 0, 0, 0, 0, 0, 0, 1, 1, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0]);
    expect(lines(2)).toStartWith('Synced 13 rooms, 87 speakers, 84 talks, 93 schedule slots\n');
    expect(lines(3)).toContain('Nothing changed.');
    expect(lines(4)).toContain('talks +0 ~83 -1');
    expect(JSON.parse(sqlite[5]!.stdout).changes).toEqual({
      rooms: { created: 0, updated: 1, removed: 0 },
      tracks: { created: 0, updated: 0, removed: 0 },
      types: { created: 0, updated: 0, removed: 1 },
      tags: { created: 0, updated: 0, removed: 0 },
      speakers: { created: 0, updated: 0, removed: 0 },
      talks: { created: 0, updated: 83, removed: 1 },
      slots: { created: 0, updated: 0, removed: 1 },
    });
    expect(lines(6)).toContain('Nothing changed.');
    expect(sqlite[7]!.stderr).toContain('\nCommandError: Pretalx API request failed: 500 for URL');
    expect(sqlite[8]!.stderr).toStartWith('CommandError: Aborting schedule sync: would remove');
    expect(sqlite[9]!.stdout).toContain('"title": "Renamed: ');
    expect(sqlite[9]!.stdout).not.toContain('Again: ');
    expect(lines(11)).toStartWith('Imported 2 rooms, 90 speakers, 79 talks, 79 schedule slots\n');
    expect(lines(12)).toContain('Nothing changed.');
    expect(sqlite[14]!.stderr).toStartWith('CommandError: Aborting import: would remove');
    // A refusal leaves the database as it was, on each.
    for (const name of BACKENDS) expect(results[name]![15]!.stdout).toBe(results[name]![13]!.stdout);
    expect(lines(16)).toStartWith('Imported 2 rooms, 27 speakers, 36 talks, 36 schedule slots\n');
    expectSame(outcome);
  }, 60_000);

  test('shell: the same code gives the same output on both (kysely, query() with ? placeholders, the event loaded, writes)', async () => {
    const { results } = await onBoth(
      [
        { argv: ['migrate', '-v', '0'] },
        { argv: ['create_event', '--slug', 'camp', '--name', 'Camp', '--date-from', '2026-08-21', '--date-to', '2026-08-25', '-v', '0'] },
        { argv: ['shell', '--override', '-c', "await db.selectFrom('event_event').select(['id', 'slug', 'is_public', 'date_from', 'timezone']).execute()"] },
        { argv: ['shell', '--override', '-c', 'await query("SELECT slug, is_public FROM event_event WHERE date_from > ? AND slug = ?", "2026-01-01", "camp")'] },
        { argv: ['shell', '--event', 'CAMP', '-c', "await db.updateTable('event_event').set({ is_public: 1 }).where('id', '=', event.id).execute(); print(event.slug, JSON.parse(event.name).en)"] },
        { argv: ['shell', '--override', '-c', "(await db.selectFrom('event_event').select('is_public').executeTakeFirstOrThrow()).is_public"] },
        { argv: ['shell', '--override', '-c', 'await query("SELECT x FROM nowhere")'] },
      ],
      env,
    );
    const output = (name: string) => results[name]!.slice(2).map(({ stdout, stderr, exitCode }) => ({ stdout, stderr, exitCode }));
    const sqlite = output('sqlite');
    expect(sqlite.slice(0, 4)).toEqual([
      { stdout: "[\n  {\n    id: 1,\n    slug: 'camp',\n    is_public: 0,\n    date_from: '2026-08-21',\n    timezone: 'UTC'\n  }\n]\n", stderr: '', exitCode: 0 },
      { stdout: "[ { slug: 'camp', is_public: 0 } ]\n", stderr: '', exitCode: 0 },
      { stdout: 'camp Camp\n', stderr: '', exitCode: 0 },
      { stdout: '1\n', stderr: '', exitCode: 0 },
    ]);
    expect(output('postgres').slice(0, 4)).toEqual(sqlite.slice(0, 4));
    // A failing statement is one line on both, in each database's words.
    expect(sqlite[4]!).toEqual({ stdout: '', stderr: 'CommandError: The code failed: SQLiteError: no such table: nowhere\n', exitCode: 1 });
    expect(output('postgres')[4]!).toEqual({ stdout: '', stderr: expect.stringMatching(/^CommandError: The code failed: \w+: relation "nowhere" does not exist\n$/), exitCode: 1 });
  }, 30_000);

  test('loaddata: a bad object deep in a full batch is named, and nothing is written; the same load without it commits', async () => {
    // Object 1234's address is object 1's in capitals: only the database's case-insensitive unique index sees it.
    const users = (bad: number | null) =>
      JSON.stringify(
        Array.from({ length: 2500 }, (_, i) => ({
          model: 'person.user',
          pk: i + 1,
          fields: { password: '!', email: i + 1 === bad ? 'USER1@example.org' : `user${i + 1}@example.org`, code: `U${String(i + 1).padStart(15, '0')}`, name: `User ${i + 1}` },
        })),
      );
    const { results } = await onBoth(
      [
        { argv: ['migrate', '-v', '0'] },
        { argv: ['loaddata', 'bad.json'] },
        { argv: ['dumpdata', 'person.User'] },
        { argv: ['loaddata', 'good.json'] },
        { argv: ['dumpdata', 'person.User', '--pks', '1234,2500'] },
      ],
      env,
      (dir) => dir.write({ 'bad.json': users(1234), 'good.json': users(null) }),
    );
    const sqlite = results.sqlite!;
    expect(sqlite[1]!).toMatchObject({ stderr: "CommandError: Problem installing fixture '<dir>/bad.json': Could not load person.User(pk=1234): UNIQUE constraint failed: person_user.email\n", exitCode: 1 });
    expect(sqlite[2]!.stdout).toBe('[]');
    expect(sqlite[3]!.stdout).toBe('Installed 2500 object(s) from 1 fixture(s)\n');
    expect(sqlite[4]!.stdout).toContain('"pk":2500');
    expect(results.postgres).toEqual(sqlite);
  }, 30_000);
});

/**
 * PostgreSQL sorts NULL after every value, SQLite before: a nullable sort key (a track's or room's
 * position, a schedule's publication, a type's Pretalx id) must be ordered the same on both. On
 * PostgreSQL the API listed a track without a position last, list_events named an unpublished
 * version as the current one, and sync gave a talk without a type a Pretalx type instead of the
 * event's own.
 */
describe('rows whose sort key is NULL come in the same order on both', () => {
  for (const name of BACKENDS) {
    test(name, async () => {
      await using site = await newSite(name);
      await site.migrated();
      expect((await site.call(['create_event', '--slug', 'ord', '--name', 'Ord', '--date-from', '2026-01-01', '--date-to', '2026-01-01', '--public', '-v', '0'], { env })).exitCode).toBe(0);
      await site.run(`INSERT INTO submission_track (event_id, name, color, position) VALUES (1, '{"en":"Second"}', '#000000', 1), (1, '{"en":"First"}', '#000000', NULL)`);
      await site.run(`INSERT INTO schedule_room (event_id, name, position) VALUES (1, '{"en":"Room B"}', 1), (1, '{"en":"Room A"}', NULL)`);
      await site.run(`INSERT INTO schedule_schedule (event_id, version, published) VALUES (1, 'v1', '2026-01-01 10:00:00'), (1, 'v2', NULL)`);
      const db = await site.open();
      try {
        const app = createApp({ db, siteUrl: 'https://schedule.example.org', version: '0', clock: { now: () => new Date(env.CONFCTL_NOW) }, address: () => '192.0.2.1' });
        const names = async (path: string) => ((await (await app(new Request(`http://localhost/api/events/ord/${path}`))).json()) as { results: { name: { en: string } }[] }).results.map((r) => r.name.en);
        expect(await names('tracks/')).toEqual(['First', 'Second']);
        expect(await names('rooms/')).toEqual(['Room A', 'Room B']);
      } finally {
        await db.destroy();
      }
      const [event] = JSON.parse((await site.call(['list_events', '--json'])).stdout) as { schedule_version: string }[];
      expect(event!.schedule_version).toBe('v1');
    });
  }
});

/**
 * Many PostgreSQL servers are set up with a language's collation (en_US.UTF-8, or ICU's en-US),
 * where "B" sorts after "a" and punctuation weighs less than letters; SQLite compares bytes. Text
 * that confctl orders by (event slugs, codes, session keys in a dump) must come out in SQLite's
 * order whatever the server's default.
 */
describe("text sorts as on SQLite whatever the PostgreSQL database's collation", () => {
  test('list_events and dumpdata on a database made with ICU en-US', async () => {
    const pg = await postgresServer();
    const icu = `confctl_icu_${process.pid}`;
    pg.psql('postgres', `CREATE DATABASE ${icu} TEMPLATE template0 LOCALE_PROVIDER icu ICU_LOCALE 'en-US' LOCALE 'C.UTF-8'`);
    try {
      const outputs: Record<string, string[]> = {};
      for (const name of BACKENDS) {
        await using site = await newSite(name);
        const env2 = { ...env, ...(name === 'postgres' && { CONFCTL_DATABASE: pg.url(icu) }) };
        const run = async (argv: string[]) => (await site.call(argv, { env: env2 })).stdout;
        expect((await site.call(['migrate', '-v', '0'], { env: env2 })).exitCode).toBe(0);
        for (const slug of ['b-conf', 'B2', 'a.conf', 'Ab', 'a-b']) await site.call(['create_event', '--slug', slug, '--name', slug, '--date-from', '2026-01-01', '--date-to', '2026-01-01', '--public', '-v', '0'], { env: env2 });
        site.write({ 'sessions.json': JSON.stringify(['b', 'B', 'a', 'a-b', 'ab', 'A'].map((key) => ({ model: 'common.session', pk: key, fields: { session_data: 'x', expire_date: '2026-05-02T09:00:00Z' } }))) });
        await site.call(['loaddata', 'sessions.json', '-v', '0'], { env: env2 });
        outputs[name] = [await run(['list_events']), await run(['dumpdata', 'common.session'])];
      }
      expect(outputs.sqlite![0]!.split('\n').slice(2, 7).map((line) => line.split(' ')[0])).toEqual(['Ab', 'B2', 'a-b', 'a.conf', 'b-conf']);
      expect(outputs.postgres).toEqual(outputs.sqlite!);
    } finally {
      pg.psql('postgres', `DROP DATABASE IF EXISTS ${icu} WITH (FORCE)`);
    }
  });
});
