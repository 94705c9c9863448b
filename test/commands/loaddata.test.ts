import { describe, expect, test } from 'bun:test';
import { Database as Sqlite } from 'bun:sqlite';
import { writeFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import JSZip from 'jszip';
import { call } from '../support/cli.ts';
import { canonicalDump, initialisedDatabase, migratedDatabase, query } from '../support/db.ts';
import { tempDir } from '../support/tmp.ts';

const env = { CONFCTL_NOW: '2026-05-01T09:00:00Z' };
const stamp = '2026-05-01T09:00:00Z';
const event = (pk: number, slug: string, extra: object = {}) => ({
  model: 'event.event',
  pk,
  fields: { name: { en: slug }, slug, date_from: '2026-03-10', date_to: '2026-03-12', created: stamp, updated: stamp, ...extra },
});
const room = (pk: number, eventPk: number) => ({ model: 'schedule.room', pk, fields: { event: eventPk, name: { en: `Room ${pk}` } } });
const json = (objects: object[]) => JSON.stringify(objects);

describe('loaddata', () => {
  test('a dump of a whole demo event loads into an empty database and dumps the same again', async () => {
    using source = tempDir();
    using target = tempDir();
    await initialisedDatabase(source.path);
    await call(['create_test_event', '--seed', '4', '-v', '0'], { cwd: source.path, env });
    await call(['dumpdata', '-o', 'all.json.gz'], { cwd: source.path });
    await migratedDatabase(target.path);
    const result = await call(['loaddata', source.join('all.json.gz')], { cwd: target.path });
    expect(result.exitCode).toBe(0);
    expect(result.stdout).toMatch(/^Installed \d{3,} object\(s\) from 1 fixture\(s\)\n$/);
    expect((await call(['dumpdata'], { cwd: target.path })).stdout).toBe((await call(['dumpdata'], { cwd: source.path })).stdout);
  });

  test('hostile text, fractions of seconds, nulls and decimals survive a round trip in every format, indented or not, byte for byte', async () => {
    using source = tempDir();
    await initialisedDatabase(source.path);
    await call(['create_test_event', '--seed', '4', '-v', '0'], { cwd: source.path, env });
    const db = new Sqlite(source.join('data', 'db.sqlite3'));
    const text = 'A & B <c> "d" \'e\' ]]> \\ \t tab\r\nCRLF ünï';
    db.run('UPDATE submission_submission SET title = ?, abstract = ? WHERE id = (SELECT min(id) FROM submission_submission)', [text, text]);
    db.run("UPDATE event_event SET name = json_object('en', ?), updated = '2026-05-01 09:00:00.123456'", [text]);
    db.run("UPDATE submission_review SET score = '2.50' WHERE id = (SELECT min(id) FROM submission_review)");
    db.run("UPDATE schedule_room SET capacity = NULL, description = NULL WHERE id = (SELECT min(id) FROM schedule_room)");
    db.close();
    const original = (await call(['dumpdata'], { cwd: source.path })).stdout;
    for (const [format, indent] of [['json', '0'], ['json', '2'], ['jsonl', '0'], ['xml', '0'], ['xml', '4']] as const) {
      using target = tempDir();
      await migratedDatabase(target.path);
      const file = source.join(`all.${format}`);
      expect((await call(['dumpdata', '--format', format, '--indent', indent, '-o', file], { cwd: source.path })).exitCode).toBe(0);
      const loaded = await call(['loaddata', file], { cwd: target.path });
      expect({ format, indent, exitCode: loaded.exitCode, stderr: loaded.stderr }).toEqual({ format, indent, exitCode: 0, stderr: '' });
      expect({ format, indent, same: (await call(['dumpdata'], { cwd: target.path })).stdout === original }).toEqual({ format, indent, same: true });
    }
    // --pks takes numbers as numbers, and one model only.
    const picked = JSON.parse((await call(['dumpdata', 'schedule.room', '--pks', '2,1'], { cwd: source.path })).stdout) as { pk: number }[];
    expect(picked.map((o) => o.pk)).toEqual([1, 2]);
  });

  test('finds fixtures by name in <data dir>/fixtures, fixtures.dirs and the working folder, with or without extension', async () => {
    using dir = tempDir();
    await migratedDatabase(dir.path);
    dir.write({
      'data/fixtures/events.json': json([event(1, 'one')]),
      'extra/rooms.jsonl': `${JSON.stringify(room(1, 1))}\n`,
      'local.json': json([event(2, 'two')]),
      'confctl.toml': '[fixtures]\ndirs = ["extra"]\n',
    });
    expect(await call(['loaddata', 'events', 'rooms', 'local.json'], { cwd: dir.path })).toEqual({
      stdout: 'Installed 3 object(s) from 3 fixture(s)\n',
      stderr: '',
      exitCode: 0,
    });
    expect(query(dir.join('data', 'db.sqlite3'), 'SELECT slug FROM event_event ORDER BY id')).toEqual([{ slug: 'one' }, { slug: 'two' }]);
  });

  test('reads .gz, .zip (the first file), .bz2 and .xz', async () => {
    using dir = tempDir();
    await migratedDatabase(dir.path);
    const data = json([event(1, 'one')]);
    writeFileSync(dir.join('a.json.gz'), gzipSync(data));
    const zip = new JSZip();
    zip.file('b.json', json([event(2, 'two')]));
    writeFileSync(dir.join('b.json.zip'), await zip.generateAsync({ type: 'nodebuffer' }));
    dir.write({ 'c.json': json([event(3, 'three')]), 'd.json': json([event(4, 'four')]) });
    Bun.spawnSync(['bzip2', dir.join('c.json')]);
    Bun.spawnSync(['xz', dir.join('d.json')]);
    const result = await call(['loaddata', 'a', 'b', 'c.json.bz2', 'd'], { cwd: dir.path });
    expect(result).toEqual({ stdout: 'Installed 4 object(s) from 4 fixture(s)\n', stderr: '', exitCode: 0 });
  });

  test('reads stdin with --format', async () => {
    using dir = tempDir();
    await migratedDatabase(dir.path);
    expect(await call(['loaddata', '-', '--format', 'json'], { cwd: dir.path, stdin: json([event(1, 'piped')]) })).toEqual({
      stdout: 'Installed 1 object(s) from 1 fixture(s)\n',
      stderr: '',
      exitCode: 0,
    });
    expect(await call(['loaddata', '-'], { cwd: dir.path, stdin: '[]' })).toEqual({
      stdout: '',
      stderr: 'CommandError: --format must be specified when reading from stdin.\n',
      exitCode: 1,
    });
  });

  test('fixtures may refer to each other in any order: keys are checked at the end', async () => {
    using dir = tempDir();
    await migratedDatabase(dir.path);
    dir.write({ 'rooms.json': json([room(1, 7)]), 'events.json': json([event(7, 'seven')]) });
    expect((await call(['loaddata', 'rooms', 'events'], { cwd: dir.path })).stdout).toBe('Installed 2 object(s) from 2 fixture(s)\n');
  });

  test('an object with an existing pk updates it; many-to-many lists replace the links', async () => {
    using dir = tempDir();
    const path = await initialisedDatabase(dir.path);
    dir.write({
      'team.json': json([{ model: 'event.team', pk: 1, fields: { organiser: ['org'], name: 'Renamed', members: [] } }]),
    });
    expect((await call(['loaddata', 'team'], { cwd: dir.path })).exitCode).toBe(0);
    expect(query(path, 'SELECT name, can_create_events FROM event_team')).toEqual([{ name: 'Renamed', can_create_events: 1 }]);
    expect(query(path, 'SELECT count(*) AS n FROM event_team_members')).toEqual([{ n: 0 }]);
  });

  test('Django-style values load: i18n text as a JSON string, naive datetimes as UTC, decimals as strings, natural keys', async () => {
    using dir = tempDir();
    const path = await initialisedDatabase(dir.path);
    dir.write({
      'django.json': json([
        { model: 'event.Event', pk: '5', fields: { name: '{"en": "Old", "de": "Alt"}', slug: 'old', organiser: ['org'], date_from: '2026-03-10', date_to: '2026-03-10', created: '2026-03-01T10:00:00', updated: '2026-03-01T10:00:00.250+01:00' } },
        { model: 'submission.submissiontype', pk: 9, fields: { event: ['old'], name: { en: 'Talk' } } },
      ]),
    });
    expect((await call(['loaddata', 'django'], { cwd: dir.path })).exitCode).toBe(0);
    expect(query(path, 'SELECT id, name, organiser_id, created, updated FROM event_event')).toEqual([
      { id: 5, name: '{"en": "Old", "de": "Alt"}', organiser_id: 1, created: '2026-03-01 10:00:00', updated: '2026-03-01 09:00:00.250000' },
    ]);
    expect(query(path, 'SELECT event_id, default_duration FROM submission_submissiontype')).toEqual([{ event_id: 5, default_duration: 30 }]);
  });

  test('--exclude and --ignorenonexistent skip what they name', async () => {
    using dir = tempDir();
    await migratedDatabase(dir.path);
    dir.write({
      'mixed.json': json([event(1, 'one', { shiny_new_field: 1 }), room(1, 1), { model: 'plugin.thing', pk: 1, fields: {} }]),
    });
    const result = await call(['loaddata', 'mixed', '-i', '--exclude', 'schedule'], { cwd: dir.path });
    expect(result).toEqual({ stdout: 'Installed 1 object(s) (of 2) from 1 fixture(s)\n', stderr: '', exitCode: 0 });
  });

  test('rows are written in batches, yet an error names the object and the fixture it came from', async () => {
    using dir = tempDir();
    const path = await migratedDatabase(dir.path);
    const rooms = (from: number, to: number, broken: number) =>
      Array.from({ length: to - from + 1 }, (_, i) => {
        const r = room(from + i, 1);
        return from + i === broken ? { ...r, fields: { ...r.fields, capacity: -1 } } : r;
      });
    // SQLite's CHECK refuses room 7 inside a full batch (one INSERT), and room 38 in the partial batch written at the end of its fixture.
    dir.write({ 'a.json': json([event(1, 'one'), ...rooms(1, 40, 7)]), 'b.json': json([event(1, 'one'), ...rooms(1, 40, 38)]), 'c.json': json(rooms(41, 50, 0)) });
    const before = canonicalDump(path);
    for (const [fixture, pk] of [['a', 7], ['b', 38]] as const) {
      const result = await call(['loaddata', fixture, 'c'], { cwd: dir.path });
      expect(result).toEqual({
        stdout: '',
        stderr: `CommandError: Problem installing fixture '${dir.join(`${fixture}.json`)}': Could not load schedule.Room(pk=${pk}): CHECK constraint failed: capacity >= 0\n`,
        exitCode: 1,
      });
      expect(canonicalDump(path)).toBe(before);
    }
    dir.write({ 'a.json': json([event(1, 'one'), ...rooms(1, 40, 0)]) });
    expect((await call(['loaddata', 'a', 'c'], { cwd: dir.path })).stdout).toBe('Installed 51 object(s) from 2 fixture(s)\n');
    expect(query(path, 'SELECT count(*) AS n, min(id) AS first, max(id) AS last FROM schedule_room')).toEqual([{ n: 50, first: 1, last: 50 }]);
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
      using dir = tempDir();
      const path = await migratedDatabase(dir.path);
      dir.write({ 'good.json': json([event(1, 'good')]) });
      writeFileSync(dir.join('bad.json'), content);
      const before = canonicalDump(path);
      const result = await call(['loaddata', 'good', 'bad'], { cwd: dir.path });
      expect(result.exitCode).toBe(1);
      expect(result.stdout).toBe('');
      expect(result.stderr.split('\n')).toHaveLength(2);
      const prefix = what.includes('dangling foreign key') ? 'CommandError: Problem installing fixtures: ' : `CommandError: Problem installing fixture '${dir.join('bad.json')}': `;
      expect(result.stderr).toStartWith(prefix);
      if (message.startsWith('Could not load ...')) expect(result.stderr).toContain(message.slice('Could not load ... '.length));
      else if (what === 'malformed JSON') expect(result.stderr).toContain(message);
      else expect(result.stderr).toBe(`${prefix}${message}\n`);
      expect(canonicalDump(path)).toBe(before);
    });
  }

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
    using dir = tempDir();
    const path = await migratedDatabase(dir.path);
    for (const line of ['null', '1', '"x"', '[]']) {
      dir.write({ 'bad.jsonl': `${JSON.stringify(event(1, 'x'))}\n${line}\n` });
      const result = await call(['loaddata', 'bad.jsonl'], { cwd: dir.path });
      expect({ line, ...result }).toEqual({ line, stdout: '', stderr: `CommandError: Problem installing fixture '${dir.join('bad.jsonl')}': a fixture object must be a JSON object\n`, exitCode: 1 });
      expect(query(path, 'SELECT count(*) AS n FROM event_event')).toEqual([{ n: 0 }]);
    }
  });

  test("each event counts a change (for runserver's caches), and the stamp triggers are back afterwards, also after a failure", async () => {
    using dir = tempDir();
    const path = await migratedDatabase(dir.path);
    const triggers = () => query<{ n: number }>(path, "SELECT count(*) AS n FROM sqlite_schema WHERE type = 'trigger' AND name LIKE 'confctl_stamp_%'")[0]!.n;
    const stamps = () => query<{ event_id: number; stamp: number }>(path, 'SELECT event_id, stamp FROM confctl_eventstamp ORDER BY event_id');
    const all = triggers();
    expect(all).toBe(33);
    dir.write({ 'a.json': json([event(1, 'one'), event(2, 'two'), room(1, 1)]), 'bad.json': json([room(2, 2), room(3, 42)]) });
    expect((await call(['loaddata', 'a'], { cwd: dir.path })).exitCode).toBe(0);
    // New events have their stamps; the triggers keep them again.
    const first = stamps();
    expect(first.map((s) => s.event_id)).toEqual([1, 2]);
    expect(triggers()).toBe(all);
    expect((await call(['loaddata', 'bad'], { cwd: dir.path })).exitCode).toBe(1);
    expect({ triggers: triggers(), stamps: stamps() }).toEqual({ triggers: all, stamps: first });
    expect((await call(['loaddata', 'a'], { cwd: dir.path })).exitCode).toBe(0);
    const second = stamps();
    expect(second.map((s, i) => s.stamp > first[i]!.stamp)).toEqual([true, true]);
    // A write by anyone else is counted by the triggers, for its event only.
    const other = new Sqlite(path);
    other.run("UPDATE schedule_room SET name = '{\"en\": \"R\"}' WHERE id = 1");
    other.close();
    expect(stamps().map((s, i) => s.stamp > second[i]!.stamp)).toEqual([true, false]);
  });

  test('objects without a pk get new rows, with their fields and their many-to-many links', async () => {
    using dir = tempDir();
    const path = await migratedDatabase(dir.path);
    const tag = (tag: string, color: string) => ({ model: 'submission.tag', fields: { event: 1, tag, color } });
    const talk = (code: string, tags: number[]) => ({ model: 'submission.submission', fields: { event: 1, code, title: code, submission_type: 1, state: 'confirmed', tags, created: stamp, updated: stamp } });
    dir.write({
      'a.json': json([event(1, 'one'), { model: 'submission.submissiontype', pk: 1, fields: { event: 1, name: { en: 'Talk' } } }, tag('first', '#112233'), tag('second', '#445566'), talk('AAAAAA', [2, 1]), talk('BBBBBB', [])]),
    });
    expect((await call(['loaddata', 'a'], { cwd: dir.path })).stdout).toBe('Installed 6 object(s) from 1 fixture(s)\n');
    expect(query(path, 'SELECT id, event_id, tag, color FROM submission_tag ORDER BY id')).toEqual([
      { id: 1, event_id: 1, tag: 'first', color: '#112233' },
      { id: 2, event_id: 1, tag: 'second', color: '#445566' },
    ]);
    expect(query(path, 'SELECT s.code, group_concat(t.tag_id) AS tags FROM submission_submission s LEFT JOIN (SELECT * FROM submission_submission_tags ORDER BY tag_id) t ON t.submission_id = s.id GROUP BY s.id ORDER BY s.id')).toEqual([
      { code: 'AAAAAA', tags: '1,2' },
      { code: 'BBBBBB', tags: null },
    ]);
  });

  test('XML: True and False are booleans, <None/> is null, digits are numbers', async () => {
    using dir = tempDir();
    const path = await migratedDatabase(dir.path);
    const fields = (slug: string, pub: string, email: string) =>
      `<field name="name" type="JSONField">{"en": "${slug}"}</field><field name="slug" type="SlugField">${slug}</field><field name="date_from" type="DateField">2026-03-10</field><field name="date_to" type="DateField">2026-03-12</field><field name="created" type="DateTimeField">${stamp}</field><field name="updated" type="DateTimeField">${stamp}</field><field name="is_public" type="BooleanField">${pub}</field><field name="email" type="EmailField">${email}</field>`;
    dir.write({
      'both.xml': `<?xml version="1.0"?><django-objects version="1.0"><object model="event.event" pk="1">${fields('yes', 'True', 'a@example.org')}</object><object model="event.event" pk="2">${fields('no', 'False', '<None></None>')}</object></django-objects>`,
    });
    expect((await call(['loaddata', 'both.xml'], { cwd: dir.path })).stdout).toBe('Installed 2 object(s) from 1 fixture(s)\n');
    expect(query(path, 'SELECT id, is_public, email FROM event_event ORDER BY id')).toEqual([{ id: 1, is_public: 1, email: 'a@example.org' }, { id: 2, is_public: 0, email: null }]);
  });

  for (const [what, content, message] of badXml) {
    test(`XML: refuses ${what} with one line, and loads nothing`, async () => {
      using dir = tempDir();
      const path = await migratedDatabase(dir.path);
      dir.write({ 'bad.xml': content });
      const before = canonicalDump(path);
      const result = await call(['loaddata', 'bad.xml'], { cwd: dir.path });
      expect({ exitCode: result.exitCode, stdout: result.stdout, lines: result.stderr.split('\n').length }).toEqual({ exitCode: 1, stdout: '', lines: 2 });
      expect(result.stderr).toStartWith(`CommandError: Problem installing fixture '${dir.join('bad.xml')}': ${message}`);
      expect(canonicalDump(path)).toBe(before);
    });
  }

  test('a zip entry with a path trick, or a fixture over fixtures.max_size, is refused', async () => {
    using dir = tempDir();
    await migratedDatabase(dir.path);
    const zip = new JSZip();
    zip.file('../../etc/evil.json', '[]');
    writeFileSync(dir.join('evil.json.zip'), await zip.generateAsync({ type: 'nodebuffer' }));
    expect((await call(['loaddata', 'evil'], { cwd: dir.path })).stderr).toBe(
      `CommandError: Problem installing fixture '${dir.join('evil.json.zip')}': the zip entry "../../etc/evil.json" has an unsafe name\n`,
    );
    writeFileSync(dir.join('big.json.gz'), gzipSync(json([event(1, 'x'.repeat(40))])));
    dir.write({ 'small.toml': '[fixtures]\nmax_size = 100\n' });
    expect((await call(['loaddata', 'big', '--settings', 'small.toml'], { cwd: dir.path })).stderr).toBe(
      `CommandError: Problem installing fixture '${dir.join('big.json.gz')}': it is larger than 100 bytes (the fixtures.max_size setting)\n`,
    );
  });

  test('search errors as Django words them', async () => {
    using dir = tempDir();
    await migratedDatabase(dir.path);
    dir.write({ 'twice.json': '[]', 'twice.jsonl': '' });
    expect((await call(['loaddata', 'nothing'], { cwd: dir.path })).stderr).toBe("CommandError: No fixture named 'nothing' found.\n");
    expect((await call(['loaddata', 'twice'], { cwd: dir.path })).stderr).toBe(`CommandError: Multiple fixtures named 'twice' in ${dir.path}. Aborting.\n`);
    expect((await call(['loaddata', 'x.yaml'], { cwd: dir.path })).stderr).toBe("CommandError: Problem installing fixture 'x': yaml is not a known serialization format.\n");
    expect((await call(['loaddata'], { cwd: dir.path })).stderr).toBe(
      'CommandError: No database fixture specified. Please provide the path of at least one fixture in the command line.\n',
    );
  });

  test('an empty fixture warns; verbosity 2 names each fixture', async () => {
    using dir = tempDir();
    await migratedDatabase(dir.path);
    dir.write({ 'empty.json': '[]' });
    expect(await call(['loaddata', 'empty'], { cwd: dir.path })).toEqual({
      stdout: 'Installed 0 object(s) from 1 fixture(s)\n',
      stderr: "Warning: No fixture data found for 'empty'. (File format may be invalid.)\n",
      exitCode: 0,
    });
    const loud = await call(['loaddata', 'empty', '-v', '2', '--no-pretalx-information'], { cwd: dir.path });
    expect(loud.stdout).toStartWith(`Installing json fixture 'empty' from '${dir.join('empty.json')}'.\n`);
  });

  test('XML fixtures load: a whole demo event round-trips, natural keys too', async () => {
    using source = tempDir();
    using target = tempDir();
    await initialisedDatabase(source.path);
    await call(['create_test_event', '--seed', '6', '-v', '0'], { cwd: source.path, env });
    await call(['dumpdata', '--format', 'xml', '--indent', '2', '-o', 'all.xml'], { cwd: source.path });
    await call(['dumpdata', 'event.team', '--format', 'xml', '--natural-foreign', '-o', 'teams.xml'], { cwd: source.path });
    await migratedDatabase(target.path);
    const result = await call(['loaddata', source.join('all.xml'), source.join('teams.xml')], { cwd: target.path });
    expect(result.stderr).toBe('');
    expect(result.stdout).toMatch(/^Installed \d+ object\(s\) from 2 fixture\(s\)\n$/);
    expect((await call(['dumpdata'], { cwd: target.path })).stdout).toBe((await call(['dumpdata'], { cwd: source.path })).stdout);
  });

  test('malformed XML, and XML that declares entities, are refused without expanding anything', async () => {
    using dir = tempDir();
    const path = await migratedDatabase(dir.path);
    dir.write({
      'broken.xml': '<?xml version="1.0"?><django-objects version="1.0"><object model="event.organiser" pk="1"><field name="slug">x</object></django-objects>',
      'entity.xml':
        '<?xml version="1.0"?><!DOCTYPE d [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;">]>' +
        '<django-objects version="1.0"><object model="event.organiser" pk="1"><field name="name" type="JSONField">{"en": "&b;"}</field><field name="slug" type="TextField">x</field></object></django-objects>',
    });
    expect((await call(['loaddata', 'broken'], { cwd: dir.path })).stderr).toStartWith(`CommandError: Problem installing fixture '${dir.join('broken.xml')}': invalid XML: `);
    expect((await call(['loaddata', 'entity'], { cwd: dir.path })).stderr).toStartWith(`CommandError: Problem installing fixture '${dir.join('entity.xml')}': invalid XML: `);
    expect(query(path, 'SELECT count(*) AS n FROM event_organiser')).toEqual([{ n: 0 }]);
  });

  test('an unmigrated database is refused', async () => {
    using dir = tempDir();
    dir.write({ 'x.json': '[]', 'data/db.sqlite3': '' });
    expect((await call(['loaddata', 'x'], { cwd: dir.path })).stderr).toBe(`CommandError: The database ${dir.join('data', 'db.sqlite3')} is not migrated: run "confctl migrate" first.\n`);
  });
});
