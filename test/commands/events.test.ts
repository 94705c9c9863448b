import { describe, expect, test } from 'bun:test';
import { existsSync } from 'node:fs';
import { call } from '../support/cli.ts';
import { BACKENDS, newSite } from '../support/site.ts';
import { tempDir } from '../support/tmp.ts';

const base = ['create_event', '--slug', 'democon', '--name', 'DemoCon', '--date-from', '2026-03-10', '--date-to', '2026-03-12'];
const env = { CONFCTL_NOW: '2026-01-15T12:00:00Z' };

for (const backend of BACKENDS) {
  describe(`create_event (${backend})`, () => {
    test('creates the event with its CfP, "Talk" type and work-in-progress schedule', async () => {
      await using site = await newSite(backend);
      await site.migrated();
      const result = await site.call([...base, '--timezone', 'Europe/Berlin', '--primary-color', '#3AA57C', '--public'], { env });
      expect(result).toEqual({
        stdout: 'Created event "DemoCon" (democon): 2026-03-10 to 2026-03-12, Europe/Berlin.\n',
        stderr: '',
        exitCode: 0,
      });
      expect(await site.query('SELECT name, slug, date_from, date_to, timezone, is_public, primary_color, locale, locales, created, pretalx_base_url FROM event_event')).toEqual([
        {
          name: '{"en":"DemoCon"}',
          slug: 'democon',
          date_from: '2026-03-10',
          date_to: '2026-03-12',
          timezone: 'Europe/Berlin',
          is_public: 1,
          primary_color: '#3aa57c',
          locale: 'en',
          locales: '["en"]',
          created: '2026-01-15 12:00:00',
          pretalx_base_url: null,
        },
      ]);
      expect(await site.query('SELECT name, default_duration FROM submission_submissiontype')).toEqual([{ name: '{"en":"Talk"}', default_duration: 30 }]);
      expect(await site.query('SELECT version FROM schedule_schedule')).toEqual([{ version: null }]);
      expect(await site.query('SELECT count(*) AS n FROM submission_cfp WHERE default_type_id IS NOT NULL')).toEqual([{ n: 1 }]);
    });

    test('stores the Pretalx source without a trailing slash or /api', async () => {
      await using site = await newSite(backend);
      await site.migrated();
      const result = await site.call([...base, '--pretalx-url', 'https://pretalx.example.org/api/', '--pretalx-event', 'democon-2026'], { env });
      expect(result.stdout).toBe('Created event "DemoCon" (democon): 2026-03-10 to 2026-03-12, UTC, mirrors democon-2026 from https://pretalx.example.org.\n');
      expect(await site.query('SELECT pretalx_base_url, pretalx_event_slug FROM event_event')).toEqual([
        { pretalx_base_url: 'https://pretalx.example.org', pretalx_event_slug: 'democon-2026' },
      ]);
    });

    test('belongs to an organiser when asked', async () => {
      await using site = await newSite(backend);
      await site.migrated();
      await site.call(['init', '--noinput', '-v', '0'], {
        env: { DJANGO_SUPERUSER_EMAIL: 'a@example.org', DJANGO_SUPERUSER_PASSWORD: 'a-long-s3cret-phrase', PRETALX_INIT_ORGANISER_NAME: 'Org', PRETALX_INIT_ORGANISER_SLUG: 'conforg' },
      });
      expect((await site.call([...base, '--organiser', 'CONFORG'], { env })).exitCode).toBe(0);
      expect(await site.query('SELECT o.slug FROM event_event e JOIN event_organiser o ON o.id = e.organiser_id')).toEqual([{ slug: 'conforg' }]);
    });

    const refused: [string, string[], string][] = [
      ['a taken slug, whatever its case', ['--slug', 'EXISTING'], 'An event with the slug "EXISTING" already exists.'],
      ['a reserved slug', ['--slug', 'orga'], '--slug: "orga" is reserved for pretalx\'s own pages; choose another slug.'],
      ['a malformed slug', ['--slug', '-x-'], '--slug: The slug may only contain letters, numbers, dots and dashes, and must start and end with a letter or number.'],
      ['an impossible date', ['--date-to', '2026-02-30'], '--date-to must be a date as YYYY-MM-DD, not "2026-02-30".'],
      ['an end before the start', ['--date-to', '2026-03-01'], 'The event cannot end (2026-03-01) before it starts (2026-03-10).'],
      ['a misspelt time zone', ['--timezone', 'europe/berlin'], 'Unknown time zone "europe/berlin". Did you mean "Europe/Berlin"?'],
      ['an unknown time zone', ['--timezone', 'Mars/Olympus'], 'Unknown time zone "Mars/Olympus". Use an IANA name such as Europe/Berlin.'],
      ['a bad colour', ['--primary-color', 'red'], '--primary-color must be a colour as #rrggbb, not "red".'],
      ['an unknown organiser', ['--organiser', 'nobody'], 'Organiser "nobody" not found.'],
      ['half a Pretalx source', ['--pretalx-url', 'https://pretalx.com'], '--pretalx-url and --pretalx-event go together: give both or neither.'],
      ['a non-http source', ['--pretalx-url', 'file:///etc/passwd', '--pretalx-event', 'x'], '--pretalx-url must be an http(s) URL without credentials, not "file:///etc/passwd".'],
      ['an unknown locale', ['--locale', 'klingon'], 'Unknown locale "klingon". Known: ar, ca, cs, da, de, de-formal, el, en, es, fa-ir, fi, fr, he, id, it, ja-jp, ko, lv, nb-no, nl, pl, pt-br, pt-pt, ru, sv, sw, tr, uk, zh-hans, zh-hant, or any other language code.'],
    ];
    for (const [what, override, message] of refused) {
      test(`refuses ${what} and writes nothing`, async () => {
        await using site = await newSite(backend);
        await site.migrated();
        await site.call(['create_event', '--slug', 'existing', '--name', 'E', '--date-from', '2026-01-01', '--date-to', '2026-01-02'], { env });
        const argv = [...base];
        for (let i = 0; i < override.length; i += 2) {
          const at = argv.indexOf(override[i]!);
          if (at === -1) argv.push(override[i]!, override[i + 1]!);
          else argv[at + 1] = override[i + 1]!;
        }
        expect(await site.call(argv, { env })).toEqual({ stdout: '', stderr: `CommandError: ${message}\n`, exitCode: 1 });
        expect(await site.query('SELECT count(*) AS n FROM event_event')).toEqual([{ n: 1 }]);
        expect(await site.query('SELECT count(*) AS n FROM schedule_schedule')).toEqual([{ n: 1 }]);
      });
    }

    test('required options are named', async () => {
      await using site = await newSite(backend);
      expect(await site.call(['create_event', '--name', 'X'])).toEqual({
        stdout: '',
        stderr: 'CommandError: Missing required argument: --slug (or give --from-pretalx URL)\n',
        exitCode: 1,
      });
    });
  });

  describe(`list_events (${backend})`, () => {
    test('a table, ordered by start date; "events" is the same command', async () => {
      await using site = await newSite(backend);
      await site.migrated();
      await site.call([...base, '--timezone', 'Europe/Berlin'], { env });
      await site.call(['create_event', '--slug', 'early', '--name', 'Früh', '--date-from', '2026-01-01', '--date-to', '2026-01-01', '--public', '--pretalx-url', 'https://pretalx.com', '--pretalx-event', 'early'], { env });
      const result = await site.call(['list_events']);
      expect(result).toEqual({
        stdout: [
          'slug     name     from        to          timezone       public  schedule  talks  source',
          '-------  -------  ----------  ----------  -------------  ------  --------  -----  -------------------------',
          'early    Früh     2026-01-01  2026-01-01  UTC            yes     -             0  https://pretalx.com early',
          'democon  DemoCon  2026-03-10  2026-03-12  Europe/Berlin  no      -             0  -',
          '',
        ].join('\n'),
        stderr: '',
        exitCode: 0,
      });
      expect(await site.call(['events'])).toEqual(result);
    });

    test('--json prints the same facts as JSON', async () => {
      await using site = await newSite(backend);
      await site.migrated();
      await site.call(base, { env });
      const result = await site.call(['list_events', '--json']);
      expect(JSON.parse(result.stdout)).toEqual([
        {
          slug: 'democon',
          name: { en: 'DemoCon' },
          date_from: '2026-03-10',
          date_to: '2026-03-12',
          timezone: 'UTC',
          is_public: false,
          organiser: null,
          pretalx: null,
          schedule_version: null,
          talks: 0,
        },
      ]);
    });

    test('no events: an empty JSON list, or a hint on stderr', async () => {
      await using site = await newSite(backend);
      await site.migrated();
      expect(await site.call(['list_events', '--json'])).toEqual({ stdout: '[]\n', stderr: '', exitCode: 0 });
      expect(await site.call(['list_events'])).toEqual({
        stdout: '',
        stderr: 'No events. Create one with "confctl create_event" or "confctl create_test_event".\n',
        exitCode: 0,
      });
    });
  });
}

describe('list_events on SQLite', () => {
  test('a missing database, or a folder where the file should be, is an error and creates nothing', async () => {
    using dir = tempDir();
    const path = dir.join('data', 'db.sqlite3');
    for (const argv of [['list_events'], ['list_events', '--json']]) {
      expect(await call(argv, { cwd: dir.path })).toEqual({ stdout: '', stderr: `CommandError: The database ${path} does not exist: run "confctl migrate" to create it.\n`, exitCode: 1 });
    }
    expect(existsSync(dir.join('data'))).toBe(false);
    dir.write({ 'data/db.sqlite3/x': '' });
    for (const argv of [['list_events'], ['showmigrations'], ['migrate'], ['check'], ['dumpdata'], ['inspectdb']]) {
      expect({ argv, ...(await call(argv, { cwd: dir.path })) }).toEqual({
        argv,
        stdout: '',
        stderr: `CommandError: The database ${path} is a folder, not a file: point --database (or [database] name) at the file.\n`,
        exitCode: 1,
      });
    }
  });
});
