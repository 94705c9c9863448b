import { describe, expect, test } from 'bun:test';
import { writeFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import JSZip from 'jszip';
import { BACKENDS, newSite, type Site } from '../support/site.ts';

const env = { CONFCTL_NOW: '2026-05-01T09:00:00Z' };
const stamp = '2026-05-01T09:00:00Z';
const event = (pk: number, slug: string, extra: object = {}) => ({
  model: 'event.event',
  pk,
  fields: { name: { en: slug }, slug, date_from: '2026-03-10', date_to: '2026-03-12', created: stamp, updated: stamp, ...extra },
});
const room = (pk: number, eventPk: number) => ({ model: 'schedule.room', pk, fields: { event: eventPk, name: { en: `Room ${pk}` } } });
const json = (objects: object[]) => JSON.stringify(objects);

for (const backend of BACKENDS) {
  describe(`loaddata (${backend})`, () => {
    test('a dump of a whole demo event loads into an empty database and dumps the same again', async () => {
      await using source = await newSite(backend);
      await using target = await newSite(backend);
      await source.initialised();
      await source.call(['create_test_event', '--seed', '4', '-v', '0'], { env });
      await source.call(['dumpdata', '-o', 'all.json.gz']);
      await target.migrated();
      const result = await target.call(['loaddata', source.join('all.json.gz')]);
      expect(result.exitCode).toBe(0);
      expect(result.stdout).toMatch(/^Installed \d{3,} object\(s\) from 1 fixture\(s\)\n$/);
      expect((await target.call(['dumpdata'])).stdout).toBe((await source.call(['dumpdata'])).stdout);
    });

    test('hostile text, fractions of seconds, nulls and decimals survive a round trip in every format, indented or not, byte for byte', async () => {
      await using source = await newSite(backend);
      await source.initialised();
      await source.call(['create_test_event', '--seed', '4', '-v', '0'], { env });
      const text = 'A & B <c> "d" \'e\' ]]> \\ \t tab\r\nCRLF ünï';
      await source.run('UPDATE submission_submission SET title = ?, abstract = ? WHERE id = (SELECT min(id) FROM submission_submission)', text, text);
      await source.run("UPDATE event_event SET name = ?, updated = '2026-05-01 09:00:00.123456'", JSON.stringify({ en: text }));
      await source.run("UPDATE submission_review SET score = '2.50' WHERE id = (SELECT min(id) FROM submission_review)");
      await source.run('UPDATE schedule_room SET capacity = NULL, description = NULL WHERE id = (SELECT min(id) FROM schedule_room)');
      const original = (await source.call(['dumpdata'])).stdout;
      for (const [format, indent] of [['json', '0'], ['json', '2'], ['jsonl', '0'], ['xml', '0'], ['xml', '4']] as const) {
        await using target = await newSite(backend);
        await target.migrated();
        const file = source.join(`all.${format}`);
        expect((await source.call(['dumpdata', '--format', format, '--indent', indent, '-o', file])).exitCode).toBe(0);
        const loaded = await target.call(['loaddata', file]);
        expect({ format, indent, exitCode: loaded.exitCode, stderr: loaded.stderr }).toEqual({ format, indent, exitCode: 0, stderr: '' });
        expect({ format, indent, same: (await target.call(['dumpdata'])).stdout === original }).toEqual({ format, indent, same: true });
      }
      // --pks takes numbers as numbers, and one model only.
      const picked = JSON.parse((await source.call(['dumpdata', 'schedule.room', '--pks', '2,1'])).stdout) as { pk: number }[];
      expect(picked.map((o) => o.pk)).toEqual([1, 2]);
      // Six formats, each dumped and loaded twice; on PostgreSQL the first test of the file also starts the cluster: ~8 s.
    }, 30_000);

    test('finds fixtures by name in <data dir>/fixtures, fixtures.dirs and the working folder, with or without extension', async () => {
      await using site = await newSite(backend);
      await site.migrated();
      site.write({
        'data/fixtures/events.json': json([event(1, 'one')]),
        'extra/rooms.jsonl': `${JSON.stringify(room(1, 1))}\n`,
        'local.json': json([event(2, 'two')]),
        'confctl.toml': '[fixtures]\ndirs = ["extra"]\n',
      });
      expect(await site.call(['loaddata', 'events', 'rooms', 'local.json'])).toEqual({
        stdout: 'Installed 3 object(s) from 3 fixture(s)\n',
        stderr: '',
        exitCode: 0,
      });
      expect(await site.query('SELECT slug FROM event_event ORDER BY id')).toEqual([{ slug: 'one' }, { slug: 'two' }]);
    });

    test('reads .gz, .zip (the first file), .bz2 and .xz', async () => {
      await using site = await newSite(backend);
      await site.migrated();
      const data = json([event(1, 'one')]);
      writeFileSync(site.join('a.json.gz'), gzipSync(data));
      const zip = new JSZip();
      zip.file('b.json', json([event(2, 'two')]));
      writeFileSync(site.join('b.json.zip'), await zip.generateAsync({ type: 'nodebuffer' }));
      site.write({ 'c.json': json([event(3, 'three')]), 'd.json': json([event(4, 'four')]) });
      Bun.spawnSync(['bzip2', site.join('c.json')]);
      Bun.spawnSync(['xz', site.join('d.json')]);
      const result = await site.call(['loaddata', 'a', 'b', 'c.json.bz2', 'd']);
      expect(result).toEqual({ stdout: 'Installed 4 object(s) from 4 fixture(s)\n', stderr: '', exitCode: 0 });
    });

    test('reads stdin with --format', async () => {
      await using site = await newSite(backend);
      await site.migrated();
      expect(await site.call(['loaddata', '-', '--format', 'json'], { stdin: json([event(1, 'piped')]) })).toEqual({
        stdout: 'Installed 1 object(s) from 1 fixture(s)\n',
        stderr: '',
        exitCode: 0,
      });
      expect(await site.call(['loaddata', '-'], { stdin: '[]' })).toEqual({
        stdout: '',
        stderr: 'CommandError: --format must be specified when reading from stdin.\n',
        exitCode: 1,
      });
    });

    test('fixtures may refer to each other in any order: keys are checked at the end', async () => {
      await using site = await newSite(backend);
      await site.migrated();
      site.write({ 'rooms.json': json([room(1, 7)]), 'events.json': json([event(7, 'seven')]) });
      expect((await site.call(['loaddata', 'rooms', 'events'])).stdout).toBe('Installed 2 object(s) from 2 fixture(s)\n');
    });

    test('an object with an existing pk updates it; many-to-many lists replace the links', async () => {
      await using site = await newSite(backend);
      await site.initialised();
      site.write({
        'team.json': json([{ model: 'event.team', pk: 1, fields: { organiser: ['org'], name: 'Renamed', members: [] } }]),
      });
      expect((await site.call(['loaddata', 'team'])).exitCode).toBe(0);
      expect(await site.query('SELECT name, can_create_events FROM event_team')).toEqual([{ name: 'Renamed', can_create_events: 1 }]);
      expect(await site.query('SELECT count(*) AS n FROM event_team_members')).toEqual([{ n: 0 }]);
    });

    test('Django-style values load: i18n text as a JSON string, naive datetimes as UTC, decimals as strings, natural keys', async () => {
      await using site = await newSite(backend);
      await site.initialised();
      site.write({
        'django.json': json([
          { model: 'event.Event', pk: '5', fields: { name: '{"en": "Old", "de": "Alt"}', slug: 'old', organiser: ['org'], date_from: '2026-03-10', date_to: '2026-03-10', created: '2026-03-01T10:00:00', updated: '2026-03-01T10:00:00.250+01:00' } },
          { model: 'submission.submissiontype', pk: 9, fields: { event: ['old'], name: { en: 'Talk' } } },
        ]),
      });
      expect((await site.call(['loaddata', 'django'])).exitCode).toBe(0);
      expect(await site.query('SELECT id, name, organiser_id, created, updated FROM event_event')).toEqual([
        { id: 5, name: '{"en": "Old", "de": "Alt"}', organiser_id: 1, created: '2026-03-01 10:00:00', updated: '2026-03-01 09:00:00.250000' },
      ]);
      expect(await site.query('SELECT event_id, default_duration FROM submission_submissiontype')).toEqual([{ event_id: 5, default_duration: 30 }]);
    });

    test('--exclude and --ignorenonexistent skip what they name', async () => {
      await using site = await newSite(backend);
      await site.migrated();
      site.write({
        'mixed.json': json([event(1, 'one', { shiny_new_field: 1 }), room(1, 1), { model: 'plugin.thing', pk: 1, fields: {} }]),
      });
      const result = await site.call(['loaddata', 'mixed', '-i', '--exclude', 'schedule']);
      expect(result).toEqual({ stdout: 'Installed 1 object(s) (of 2) from 1 fixture(s)\n', stderr: '', exitCode: 0 });
    });

    test('rows are written in batches, yet an error names the object and the fixture it came from', async () => {
      await using site = await newSite(backend);
      await site.migrated();
      const rooms = (from: number, to: number, broken: number) =>
        Array.from({ length: to - from + 1 }, (_, i) => {
          const r = room(from + i, 1);
          return from + i === broken ? { ...r, fields: { ...r.fields, capacity: -1 } } : r;
        });
      // SQLite's CHECK refuses room 7 inside a full batch (one INSERT), and room 38 in the partial batch written at the end of its fixture.
      site.write({ 'a.json': json([event(1, 'one'), ...rooms(1, 40, 7)]), 'b.json': json([event(1, 'one'), ...rooms(1, 40, 38)]), 'c.json': json(rooms(41, 50, 0)) });
      const before = await site.dump();
      // Both name the check by its expression, as SQLite does.
      const check = 'capacity >= 0';
      for (const [fixture, pk] of [['a', 7], ['b', 38]] as const) {
        const result = await site.call(['loaddata', fixture, 'c']);
        expect(result).toEqual({
          stdout: '',
          stderr: `CommandError: Problem installing fixture '${site.join(`${fixture}.json`)}': Could not load schedule.Room(pk=${pk}): CHECK constraint failed: ${check}\n`,
          exitCode: 1,
        });
        expect(await site.dump()).toBe(before);
      }
      site.write({ 'a.json': json([event(1, 'one'), ...rooms(1, 40, 0)]) });
      expect((await site.call(['loaddata', 'a', 'c'])).stdout).toBe('Installed 51 object(s) from 2 fixture(s)\n');
      expect(await site.query('SELECT count(*) AS n, min(id) AS first, max(id) AS last FROM schedule_room')).toEqual([{ n: 50, first: 1, last: 50 }]);
    });

    const refusals: [string, string | Buffer, string][] = [
      ['an unknown model', json([{ model: 'plugin.thing', pk: 1, fields: {} }]), "Could not load ... Invalid model identifier: 'plugin.thing'"],
      ['an unknown field', json([event(1, 'x', { colour: 'red' })]), "Could not load event.Event(pk=1): Event has no field named 'colour'"],
      ['a wrong type', json([event(1, 'x', { is_public: 'maybe' })]), 'Could not load event.Event(pk=1): is_public: expected true or false, got "maybe"'],
      ['a missing required field', json([{ model: 'event.event', pk: 1, fields: { slug: 'x' } }]), 'Could not load event.Event(pk=1): NOT NULL constraint failed: event_event.name'],
      ['a dangling foreign key', json([room(3, 42)]), 'Could not load schedule.Room(pk=3): event points at event.Event 42, which does not exist'],
      ['two dangling foreign keys', json([room(3, 42), room(4, 43)]), 'Could not load schedule.Room(pk=3): event points at event.Event 42, which does not exist (and 1 more)'],
      ['a natural key that names nothing', json([{ ...room(3, 1), fields: { event: ['nokey'], name: { en: 'r' } } }]), 'Could not load schedule.Room(pk=3): event: no event.Event with the natural key ["nokey"]'],
      ['an object where a key should be', json([{ ...room(3, 1), fields: { event: { a: 1 }, name: { en: 'r' } } }]), 'Could not load schedule.Room(pk=3): event: expected a primary key, got {"a":1}'],
      ['a number where an object should be', '[1]', 'invalid JSON at character 2: expected an object'],
      ['malformed JSON', '[{"model": "event.event" "pk": 1}]', 'invalid JSON'],
      ['a truncated file', '[{"model": "event.event", "pk": 1', 'the JSON ends before the closing "]" (truncated file?)'],
      ['an object that is not a fixture object', '[{"pk": 1}]', 'an object without a "model"'],
      // No columns to write (an upsert that does nothing) still needs the row's required fields.
      ['an object with empty fields', json([{ model: 'event.event', pk: 1, fields: {} }]), 'Could not load event.Event(pk=1): NOT NULL constraint failed: event_event.name'],
      ['invalid UTF-8', Buffer.from([0x5b, 0x7b, 0x22, 0xff, 0xfe, 0x22, 0x7d, 0x5d]), 'it is not valid UTF-8'],
      // SQLite would keep both; PostgreSQL refuses them (and an unnest() cast to varchar(50) used to cut the text silently).
      ['text longer than its column', json([event(1, 's'.repeat(51))]), 'Could not load event.Event(pk=1): slug: expected at most 50 characters, got 51'],
      ['text longer than its column, in characters', json([event(1, '\u{1F3A4}'.repeat(51))]), 'Could not load event.Event(pk=1): slug: expected at most 50 characters, got 51'],
      // PostgreSQL's integer keys end there (SQLite's go on): refused on both, so that what loads into one loads into the other.
      ['a key beyond the integer keys', json([event(2147483648, 'x')]), 'Could not load event.Event(pk=2147483648): pk: 2147483648 is beyond the keys the database holds (-2147483648 to 2147483647)'],
      ['a NUL character in text', json([event(1, 'a\u0000b')]), 'Could not load event.Event(pk=1): slug: expected text without NUL characters (U+0000), got "a\\u0000b"'],
      // Times and dates that do not exist are errors, not values stored as given (or rolled over).
      ...['2026-04-30T07:99:00Z', '2026-04-30T25:00Z', '2026-04-30T24:00Z', '2026-04-30T07:00:60Z', '2026-02-30T09:00:00Z', '2026-02-30T09:00:00+00:00', '2026-04-31T09:00:00Z', '2026-04-30T09:00:00+24:00'].map(
        (created) => [`an impossible date-time (${created})`, json([event(1, 'x', { created })]), `Could not load event.Event(pk=1): created: expected an ISO 8601 date-time that exists, got "${created}"`] as [string, string, string],
      ),
      ...['2026-02-30', '2026-04-31', '2025-02-29', '2026-13-01', '2026-00-10'].map(
        (date) => [`an impossible date (${date})`, json([event(1, 'x', { date_from: date })]), `Could not load event.Event(pk=1): date_from: expected a date YYYY-MM-DD, got "${date}"`] as [string, string, string],
      ),
    ];
    for (const [what, content, message] of refusals) {
      test(`refuses ${what} with one line, and loads nothing of any fixture`, async () => {
        await using site = await newSite(backend);
        await site.migrated();
        site.write({ 'good.json': json([event(1, 'good')]) });
        writeFileSync(site.join('bad.json'), content);
        const before = await site.dump();
        const result = await site.call(['loaddata', 'good', 'bad']);
        expect(result.exitCode).toBe(1);
        expect(result.stdout).toBe('');
        expect(result.stderr.split('\n')).toHaveLength(2);
        const prefix = what.includes('dangling foreign key') ? 'CommandError: Problem installing fixtures: ' : `CommandError: Problem installing fixture '${site.join('bad.json')}': `;
        expect(result.stderr).toStartWith(prefix);
        if (message.startsWith('Could not load ...')) expect(result.stderr).toContain(message.slice('Could not load ... '.length));
        else if (what === 'malformed JSON') expect(result.stderr).toContain(message);
        else expect(result.stderr).toBe(`${prefix}${message}\n`);
        expect(await site.dump()).toBe(before);
      });
    }

    test('an object refused while a batch is being written: nothing stays, not that batch either', async () => {
      await using site = await newSite(backend);
      await site.migrated();
      const before = await site.dump();
      // On PostgreSQL the two events are on their way to the server (the organiser, another model, sent
      // them off) when the bad one is read; before, the rollback overtook them and they were committed.
      const objects = [event(1, 'one'), event(2, 'two'), { model: 'event.organiser', pk: 1, fields: { name: { en: 'O' }, slug: 'o' } }, event(1501, 'bad', { date_from: '2026-02-30' })];
      site.write({ 'late.json': json(objects) });
      expect(await site.call(['loaddata', 'late'])).toEqual({
        stdout: '',
        stderr: `CommandError: Problem installing fixture '${site.join('late.json')}': Could not load event.Event(pk=1501): date_from: expected a date YYYY-MM-DD, got "2026-02-30"\n`,
        exitCode: 1,
      });
      expect(await site.dump()).toBe(before);
    });

    test('a value its column refuses (a CHECK) is one line saying the check as SQLite says it, on both backends', async () => {
      await using site = await newSite(backend);
      await site.migrated();
      const type = { model: 'submission.submissiontype', pk: 1, fields: { event: 1, name: { en: 'Talk' } } };
      const talk = (fields: object) => ({ model: 'submission.submission', pk: 1, fields: { event: 1, code: 'AAAAAA', title: 'T', submission_type: 1, state: 'confirmed', created: stamp, updated: stamp, ...fields } });
      const cases: [object, string, string][] = [
        [{ model: 'schedule.room', pk: 1, fields: { event: 1, name: { en: 'R' }, capacity: -1 } }, 'schedule.Room', 'capacity >= 0'],
        [{ ...type, fields: { ...type.fields, default_duration: -5 } }, 'submission.SubmissionType', 'default_duration >= 0'],
        [talk({ duration: -1 }), 'submission.Submission', 'duration >= 0'],
        [talk({ slot_count: 0 }), 'submission.Submission', 'slot_count >= 1'],
        [event(2, 'two', { pretalx_sync_interval: 0 }), 'event.Event', 'pretalx_sync_interval > 0'],
        [event(2, 'two', { date_from: '2026-03-20' }), 'event.Event', 'event_event_dates'],
      ];
      for (const [i, [object, label, check]] of cases.entries()) {
        site.write({ [`check${i}.json`]: json([event(1, 'one'), type, object]) });
        const pk = (object as { pk: number }).pk;
        expect(await site.call(['loaddata', `check${i}`])).toEqual({ stdout: '', stderr: `CommandError: Problem installing fixture '${site.join(`check${i}.json`)}': Could not load ${label}(pk=${pk}): CHECK constraint failed: ${check}\n`, exitCode: 1 });
      }
    });

    test('keys of 0 and below load, and the next new row gets key 1 (PostgreSQL failed in setval, as Django would)', async () => {
      await using site = await newSite(backend);
      await site.migrated();
      site.write({ 'low.json': json([event(0, 'zero'), event(-5, 'minus')]) });
      expect(await site.call(['loaddata', 'low'])).toEqual({ stdout: 'Installed 2 object(s) from 1 fixture(s)\n', stderr: '', exitCode: 0 });
      expect((await site.call(['create_event', '--slug', 'next', '--name', 'Next', '--date-from', '2026-01-01', '--date-to', '2026-01-01', '-v', '0'])).exitCode).toBe(0);
      expect(await site.query('SELECT id, slug FROM event_event ORDER BY id')).toEqual([{ id: -5, slug: 'minus' }, { id: 0, slug: 'zero' }, { id: 1, slug: 'next' }]);
    });

    test('text as long as its column loads whole, its length counted in characters as PostgreSQL counts them', async () => {
      await using site = await newSite(backend);
      await site.migrated();
      const slug = `${'\u{1F3A4}'.repeat(25)}${'s'.repeat(25)}`;
      site.write({ 'long.json': json([event(1, slug)]) });
      expect(await site.call(['loaddata', 'long'])).toEqual({ stdout: 'Installed 1 object(s) from 1 fixture(s)\n', stderr: '', exitCode: 0 });
      expect(await site.query('SELECT slug FROM event_event')).toEqual([{ slug }]);
    });

    const xmlEvent = (pk: string) =>
      `<object model="event.event" ${pk}><field name="name" type="JSONField">{"en": "x"}</field><field name="slug" type="SlugField">x</field><field name="date_from" type="DateField">2026-03-10</field><field name="date_to" type="DateField">2026-03-12</field><field name="created" type="DateTimeField">${stamp}</field><field name="updated" type="DateTimeField">${stamp}</field></object>`;
    const badXml: [string, string, string][] = [
      ['an object with two pk attributes', `<?xml version="1.0"?><django-objects version="1.0">${xmlEvent('pk="1" pk="2"')}</django-objects>`, 'invalid XML: the attribute pk is given twice in <object>'],
      ['an empty file', '', 'invalid XML: no <django-objects> element (an empty file?)'],
      ['a file with only a declaration', '<?xml version="1.0"?>\n', 'invalid XML: no <django-objects> element (an empty file?)'],
      ['objects without the root', xmlEvent('pk="1"'), 'invalid XML: the root element is <object>, not <django-objects>'],
      ['a wrong root', `<objects>${xmlEvent('pk="1"')}</objects>`, 'invalid XML: the root element is <objects>, not <django-objects>'],
      ['a second root', `<django-objects>${xmlEvent('pk="1"')}</django-objects><django-objects></django-objects>`, 'invalid XML: '],
      ['junk after the root', `<django-objects>${xmlEvent('pk="1"')}</django-objects>junk`, 'invalid XML: '],
      ['a boolean that is neither True nor False', `<django-objects>${xmlEvent('pk="1"').replace('</object>', '<field name="is_public" type="BooleanField">yes</field></object>')}</django-objects>`, 'Could not load event.Event(pk=1): is_public: expected true or false, got "yes"'],
      // sax reports text outside the root, but not CDATA there: that is ours to refuse.
      ['CDATA before the root', `<![CDATA[x]]><django-objects>${xmlEvent('pk="1"')}</django-objects>`, 'invalid XML: text outside the <django-objects> element'],
      ['CDATA after the root', `<django-objects>${xmlEvent('pk="1"')}</django-objects><![CDATA[x]]>`, 'invalid XML: text outside the <django-objects> element'],
    ];
    test('JSON Lines: a line that is not an object is one line naming it; nothing loads', async () => {
      await using site = await newSite(backend);
      await site.migrated();
      for (const line of ['null', '1', '"x"', '[]']) {
        site.write({ 'bad.jsonl': `${JSON.stringify(event(1, 'x'))}\n${line}\n` });
        const result = await site.call(['loaddata', 'bad.jsonl']);
        expect({ line, ...result }).toEqual({ line, stdout: '', stderr: `CommandError: Problem installing fixture '${site.join('bad.jsonl')}': a fixture object must be a JSON object\n`, exitCode: 1 });
        expect(await site.query('SELECT count(*) AS n FROM event_event')).toEqual([{ n: 0 }]);
      }
    });

    test("each event counts a change (for runserver's caches), and the stamp triggers are back afterwards, also after a failure", async () => {
      await using site = await newSite(backend);
      await site.migrated();
      // SQLite: the triggers there; PostgreSQL: the triggers enabled.
      const triggers = async () =>
        (
          await site.query<{ n: number }>(
            backend === 'sqlite'
              ? "SELECT count(*) AS n FROM sqlite_schema WHERE type = 'trigger' AND name LIKE 'confctl_stamp_%'"
              : "SELECT count(*) AS n FROM pg_trigger WHERE tgname LIKE 'confctl_stamp_%' AND tgenabled <> 'D'",
          )
        )[0]!.n;
      const stamps = () => site.query<{ event_id: number; stamp: number }>('SELECT event_id, stamp FROM confctl_eventstamp ORDER BY event_id');
      const all = await triggers();
      expect(all).toBe(33);
      site.write({ 'a.json': json([event(1, 'one'), event(2, 'two'), room(1, 1)]), 'bad.json': json([room(2, 2), room(3, 42)]) });
      expect((await site.call(['loaddata', 'a'])).exitCode).toBe(0);
      // New events have their stamps; the triggers keep them again.
      const first = await stamps();
      expect(first.map((s) => s.event_id)).toEqual([1, 2]);
      expect(await triggers()).toBe(all);
      expect((await site.call(['loaddata', 'bad'])).exitCode).toBe(1);
      expect({ triggers: await triggers(), stamps: await stamps() }).toEqual({ triggers: all, stamps: first });
      expect((await site.call(['loaddata', 'a'])).exitCode).toBe(0);
      const second = await stamps();
      expect(second.map((s, i) => s.stamp > first[i]!.stamp)).toEqual([true, true]);
      // A write by anyone else is counted by the triggers, for its event only.
      await site.run("UPDATE schedule_room SET name = '{\"en\": \"R\"}' WHERE id = 1");
      expect((await stamps()).map((s, i) => s.stamp > second[i]!.stamp)).toEqual([true, false]);
    });

    test('an object without a pk after objects with theirs gets the key after the largest (PostgreSQL: its sequence had not moved)', async () => {
      await using site = await newSite(backend);
      await site.migrated();
      const { pk: _, ...nopk } = event(0, 'nopk');
      site.write({ 'mixed.json': json([event(1, 'one'), event(7, 'seven'), nopk, event(3, 'three')]) });
      expect(await site.call(['loaddata', 'mixed'])).toEqual({ stdout: 'Installed 4 object(s) from 1 fixture(s)\n', stderr: '', exitCode: 0 });
      expect(await site.query('SELECT id, slug FROM event_event ORDER BY id')).toEqual([{ id: 1, slug: 'one' }, { id: 3, slug: 'three' }, { id: 7, slug: 'seven' }, { id: 8, slug: 'nopk' }]);
    });

    test("objects without a pk but with their natural key update that key's row, as Django's loaddata does: a fixture without pks loads twice", async () => {
      await using site = await newSite(backend);
      await site.migrated();
      const withoutPk = ({ pk: _, ...object }: { pk: unknown }) => object;
      const organiser = (name: string) => ({ model: 'event.organiser', fields: { name: { en: name }, slug: 'org' } });
      site.write({
        'first.json': json([organiser('First'), withoutPk(event(0, 'one')), withoutPk(event(0, 'two'))]),
        'again.json': json([organiser('Renamed'), withoutPk(event(0, 'two', { date_to: '2026-03-20' })), withoutPk(event(0, 'three'))]),
      });
      expect(await site.call(['loaddata', 'first'])).toEqual({ stdout: 'Installed 3 object(s) from 1 fixture(s)\n', stderr: '', exitCode: 0 });
      expect(await site.call(['loaddata', 'again'])).toEqual({ stdout: 'Installed 3 object(s) from 1 fixture(s)\n', stderr: '', exitCode: 0 });
      expect(await site.query('SELECT id, name FROM event_organiser')).toEqual([{ id: 1, name: '{"en":"Renamed"}' }]);
      expect(await site.query('SELECT id, slug, date_to FROM event_event ORDER BY id')).toEqual([
        { id: 1, slug: 'one', date_to: '2026-03-12' },
        { id: 2, slug: 'two', date_to: '2026-03-20' },
        { id: 3, slug: 'three', date_to: '2026-03-12' },
      ]);
    });

    test('objects without a pk get new rows, with their fields and their many-to-many links', async () => {
      await using site = await newSite(backend);
      await site.migrated();
      const tag = (tag: string, color: string) => ({ model: 'submission.tag', fields: { event: 1, tag, color } });
      const talk = (code: string, tags: number[]) => ({ model: 'submission.submission', fields: { event: 1, code, title: code, submission_type: 1, state: 'confirmed', tags, created: stamp, updated: stamp } });
      site.write({
        'a.json': json([event(1, 'one'), { model: 'submission.submissiontype', pk: 1, fields: { event: 1, name: { en: 'Talk' } } }, tag('first', '#112233'), tag('second', '#445566'), talk('AAAAAA', [2, 1]), talk('BBBBBB', [])]),
      });
      expect((await site.call(['loaddata', 'a'])).stdout).toBe('Installed 6 object(s) from 1 fixture(s)\n');
      expect(await site.query('SELECT id, event_id, tag, color FROM submission_tag ORDER BY id')).toEqual([
        { id: 1, event_id: 1, tag: 'first', color: '#112233' },
        { id: 2, event_id: 1, tag: 'second', color: '#445566' },
      ]);
      const concat = backend === 'sqlite' ? 'group_concat(t.tag_id)' : "string_agg(t.tag_id::text, ',')";
      expect(await site.query(`SELECT s.code, ${concat} AS tags FROM submission_submission s LEFT JOIN (SELECT * FROM submission_submission_tags ORDER BY tag_id) t ON t.submission_id = s.id GROUP BY s.id ORDER BY s.id`)).toEqual([
        { code: 'AAAAAA', tags: '1,2' },
        { code: 'BBBBBB', tags: null },
      ]);
    });

    test('XML: True and False are booleans, <None/> is null, digits are numbers', async () => {
      await using site = await newSite(backend);
      await site.migrated();
      const fields = (slug: string, pub: string, email: string) =>
        `<field name="name" type="JSONField">{"en": "${slug}"}</field><field name="slug" type="SlugField">${slug}</field><field name="date_from" type="DateField">2026-03-10</field><field name="date_to" type="DateField">2026-03-12</field><field name="created" type="DateTimeField">${stamp}</field><field name="updated" type="DateTimeField">${stamp}</field><field name="is_public" type="BooleanField">${pub}</field><field name="email" type="EmailField">${email}</field>`;
      site.write({
        'both.xml': `<?xml version="1.0"?><django-objects version="1.0"><object model="event.event" pk="1">${fields('yes', 'True', 'a@example.org')}</object><object model="event.event" pk="2">${fields('no', 'False', '<None></None>')}</object></django-objects>`,
      });
      expect((await site.call(['loaddata', 'both.xml'])).stdout).toBe('Installed 2 object(s) from 1 fixture(s)\n');
      expect(await site.query('SELECT id, is_public, email FROM event_event ORDER BY id')).toEqual([{ id: 1, is_public: 1, email: 'a@example.org' }, { id: 2, is_public: 0, email: null }]);
    });

    for (const [what, content, message] of badXml) {
      test(`XML: refuses ${what} with one line, and loads nothing`, async () => {
        await using site = await newSite(backend);
        await site.migrated();
        site.write({ 'bad.xml': content });
        const before = await site.dump();
        const result = await site.call(['loaddata', 'bad.xml']);
        expect({ exitCode: result.exitCode, stdout: result.stdout, lines: result.stderr.split('\n').length }).toEqual({ exitCode: 1, stdout: '', lines: 2 });
        expect(result.stderr).toStartWith(`CommandError: Problem installing fixture '${site.join('bad.xml')}': ${message}`);
        expect(await site.dump()).toBe(before);
      });
    }

    test('a zip entry with a path trick, or a fixture over fixtures.max_size, is refused', async () => {
      await using site = await newSite(backend);
      await site.migrated();
      const zip = new JSZip();
      zip.file('../../etc/evil.json', '[]');
      writeFileSync(site.join('evil.json.zip'), await zip.generateAsync({ type: 'nodebuffer' }));
      expect((await site.call(['loaddata', 'evil'])).stderr).toBe(
        `CommandError: Problem installing fixture '${site.join('evil.json.zip')}': the zip entry "../../etc/evil.json" has an unsafe name\n`,
      );
      writeFileSync(site.join('big.json.gz'), gzipSync(json([event(1, 'x'.repeat(40))])));
      site.write({ 'small.toml': '[fixtures]\nmax_size = 100\n' });
      expect((await site.call(['loaddata', 'big', '--settings', 'small.toml'])).stderr).toBe(
        `CommandError: Problem installing fixture '${site.join('big.json.gz')}': it is larger than 100 bytes (the fixtures.max_size setting)\n`,
      );
    });

    test('search errors as Django words them', async () => {
      await using site = await newSite(backend);
      await site.migrated();
      site.write({ 'twice.json': '[]', 'twice.jsonl': '' });
      expect((await site.call(['loaddata', 'nothing'])).stderr).toBe("CommandError: No fixture named 'nothing' found.\n");
      expect((await site.call(['loaddata', 'twice'])).stderr).toBe(`CommandError: Multiple fixtures named 'twice' in ${site.path}. Aborting.\n`);
      expect((await site.call(['loaddata', 'x.yaml'])).stderr).toBe("CommandError: Problem installing fixture 'x': yaml is not a known serialization format.\n");
      expect((await site.call(['loaddata'])).stderr).toBe(
        'CommandError: No database fixture specified. Please provide the path of at least one fixture in the command line.\n',
      );
    });

    test('an empty fixture warns; verbosity 2 names each fixture', async () => {
      await using site = await newSite(backend);
      await site.migrated();
      site.write({ 'empty.json': '[]' });
      expect(await site.call(['loaddata', 'empty'])).toEqual({
        stdout: 'Installed 0 object(s) from 1 fixture(s)\n',
        stderr: "Warning: No fixture data found for 'empty'. (File format may be invalid.)\n",
        exitCode: 0,
      });
      const loud = await site.call(['loaddata', 'empty', '-v', '2', '--no-pretalx-information']);
      expect(loud.stdout).toStartWith(`Installing json fixture 'empty' from '${site.join('empty.json')}'.\n`);
    });

    test('XML fixtures load: a whole demo event round-trips, natural keys too', async () => {
      await using source = await newSite(backend);
      await using target = await newSite(backend);
      await source.initialised();
      await source.call(['create_test_event', '--seed', '6', '-v', '0'], { env });
      await source.call(['dumpdata', '--format', 'xml', '--indent', '2', '-o', 'all.xml']);
      await source.call(['dumpdata', 'event.team', '--format', 'xml', '--natural-foreign', '-o', 'teams.xml']);
      await target.migrated();
      const result = await target.call(['loaddata', source.join('all.xml'), source.join('teams.xml')]);
      expect(result.stderr).toBe('');
      expect(result.stdout).toMatch(/^Installed \d+ object\(s\) from 2 fixture\(s\)\n$/);
      expect((await target.call(['dumpdata'])).stdout).toBe((await source.call(['dumpdata'])).stdout);
    });

    test('malformed XML, and XML that declares entities, are refused without expanding anything', async () => {
      await using site = await newSite(backend);
      await site.migrated();
      site.write({
        'broken.xml': '<?xml version="1.0"?><django-objects version="1.0"><object model="event.organiser" pk="1"><field name="slug">x</object></django-objects>',
        'entity.xml':
          '<?xml version="1.0"?><!DOCTYPE d [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;">]>' +
          '<django-objects version="1.0"><object model="event.organiser" pk="1"><field name="name" type="JSONField">{"en": "&b;"}</field><field name="slug" type="TextField">x</field></object></django-objects>',
      });
      expect((await site.call(['loaddata', 'broken'])).stderr).toStartWith(`CommandError: Problem installing fixture '${site.join('broken.xml')}': invalid XML: `);
      expect((await site.call(['loaddata', 'entity'])).stderr).toStartWith(`CommandError: Problem installing fixture '${site.join('entity.xml')}': invalid XML: `);
      expect(await site.query('SELECT count(*) AS n FROM event_organiser')).toEqual([{ n: 0 }]);
    });

    test('an unmigrated database is refused', async () => {
      await using site = await newSite(backend);
      // SQLite: an empty file; PostgreSQL: an empty database.
      site.write({ 'x.json': '[]', ...(backend === 'sqlite' && { 'data/db.sqlite3': '' }) });
      expect((await site.call(['loaddata', 'x'])).stderr).toBe(`CommandError: The database ${site.label} is not migrated: run "confctl migrate" first.\n`);
    });
  });
}
