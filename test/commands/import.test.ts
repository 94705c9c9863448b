import { describe, expect, test } from 'bun:test';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { BACKENDS, newSite, type Site } from '../support/site.ts';

const env = { CONFCTL_NOW: '2026-05-01T09:00:00Z' };
const examples = join(import.meta.dir, '..', '..', '..', 'shared', 'data', 'schedules', 'c3voc-examples');
const target = (site: Site, slug = 'target') =>
  site.call(['create_event', '--slug', slug, '--name', 'Target', '--date-from', '2019-01-01', '--date-to', '2030-01-01', '--timezone', 'Europe/Berlin', '-v', '0'], { env });

for (const backend of BACKENDS) {
  describe(`import_schedule (${backend})`, () => {
    const files: [string, string][] = [
      ['pretalx-democon.json', 'Imported 2 rooms, 27 speakers, 36 talks, 36 schedule slots\nChanged: rooms +2 ~0 -0, tracks +2 ~0 -0, types +2 ~0 -0, speakers +27 ~0 -0, talks +36 ~0 -0, slots +36 ~0 -0\n'],
      ['pretalx-rc3.json', 'Imported 5 rooms, 56 speakers, 48 talks, 48 schedule slots\nChanged: rooms +5 ~0 -0, tracks +5 ~0 -0, types +6 ~0 -0, speakers +56 ~0 -0, talks +48 ~0 -0, slots +48 ~0 -0\n'],
      ['frab-camp2019.json', 'Imported 2 rooms, 90 speakers, 79 talks, 79 schedule slots\nChanged: rooms +2 ~0 -0, tracks +7 ~0 -0, types +2 ~0 -0, speakers +90 ~0 -0, talks +79 ~0 -0, slots +79 ~0 -0\n'],
    ];
    for (const [file, output] of files) {
      test(`${file}: a real file that breaks the schema imports whole, and again changes nothing`, async () => {
        await using dir = await newSite(backend);
        await dir.migrated();
        await target(dir);
        // The event (made in Europe/Berlin) takes the file's time zone; rc3's file names none.
        const zone = file === 'pretalx-democon.json' ? "Warning: The event's time zone was Europe/Berlin; the schedule file is in UTC, which the mirror now uses.\n" : '';
        expect(await dir.call(['import_schedule', join(examples, file), '--event', 'target'], { env })).toEqual({ stdout: output, stderr: zone, exitCode: 0 });
        const before = await dir.dump();
        expect((await dir.call(['import_schedule', join(examples, file), '--event', 'target'], { env })).stdout).toEndWith('Nothing changed.\n');
        expect(await dir.dump()).toBe(before);
      });
    }

    test("confctl's own schedule.json and schedule.xml (gzipped too) give back the same talks, rooms and times", async () => {
      await using dir = await newSite(backend);
      await dir.initialised();
      await dir.call(['create_test_event', '--seed', '12', '-v', '0'], { env });
      // Text whose whitespace must come back: trailing spaces, CRLF, a leading line break, an empty abstract.
      await dir.run("UPDATE submission_submission SET abstract = abstract || '  ' || ? || 'second line  ', description = ? || 'Indented' || ? WHERE id % 3 = 0", '\r\n', '\n', '\t');
      await dir.run("UPDATE submission_submission SET abstract = '' WHERE id % 3 = 1");
      // A repeat: one talk given twice; it must come back as one talk with two slots, not two talks.
      const dayLater = (column: string) => (backend === 'sqlite' ? `datetime(${column}, '+1 day')` : `${column} + interval '1 day'`);
      await dir.run(`INSERT INTO schedule_talkslot (submission_id, room_id, schedule_id, start, "end", is_visible, slot_type)
                SELECT submission_id, room_id, schedule_id, ${dayLater('start')}, ${dayLater('"end"')}, TRUE, 'talk' FROM schedule_talkslot
                WHERE id = (SELECT min(t.id) FROM schedule_talkslot t JOIN schedule_schedule v ON v.id = t.schedule_id WHERE v.version = 'v1.0' AND t.submission_id IS NOT NULL)`);
      await dir.call(['export_schedule_html', 'democon']);
      const site = dir.join('data', 'htmlexport', 'democon');
      writeFileSync(dir.join('schedule.xml.gz'), gzipSync(readFileSync(join(site, 'schedule.xml'))));
      const roomName = backend === 'sqlite' ? "json_extract(r.name, '$.en')" : "r.name::json->>'en'";
      const program = (slug: string) =>
        dir.query<{ title: string; start: string; end: string; room: string }>(`SELECT s.title, t.start, t."end", ${roomName} AS room FROM schedule_talkslot t JOIN schedule_schedule v ON v.id = t.schedule_id JOIN event_event e ON e.id = v.event_id
           JOIN submission_submission s ON s.id = t.submission_id JOIN schedule_room r ON r.id = t.room_id WHERE e.slug = ? AND v.version = 'v1.0' ORDER BY t.start, room`,
          slug,
        );
      const original = await program('democon');
      expect(original).toHaveLength(37); // 36 talks, one of them twice
      for (const [slug, file] of [['fromjson', join(site, 'schedule.json')], ['fromxml', dir.join('schedule.xml.gz')]] as const) {
        await target(dir, slug);
        const result = await dir.call(['import_schedule', file, '--event', slug], { env });
        expect(result.stderr).toBe('');
        expect(result.stdout).toStartWith('Imported 2 rooms, ');
        expect(await program(slug)).toEqual(original);
      }
      // Both files give the same text, to the last space and line break, as the source holds it.
      const texts = (slug: string) =>
        dir.query<{ title: string; abstract: string | null; description: string | null }>('SELECT s.title, s.abstract, s.description FROM submission_submission s JOIN event_event e ON e.id = s.event_id WHERE e.slug = ? AND s.id IN (SELECT submission_id FROM schedule_talkslot) ORDER BY s.title',
          slug,
        );
      expect((await texts('fromxml'))).toEqual((await texts('fromjson')));
      // Talks by code with their number of slots: the repeat is one talk with two slots in both.
      const talks = (slug: string) =>
        dir.query<{ code: string; slots: number }>(`SELECT s.code, count(*) AS slots FROM submission_submission s JOIN event_event e ON e.id = s.event_id JOIN schedule_talkslot t ON t.submission_id = s.id
           JOIN schedule_schedule v ON v.id = t.schedule_id WHERE e.slug = ? AND v.version IS NOT NULL GROUP BY s.id ORDER BY s.code`,
          slug,
        );
      expect((await talks('fromjson'))).toEqual((await talks('democon')));
      expect((await talks('fromxml'))).toEqual((await talks('democon')));
      expect((await talks('democon')).filter((t) => t.slots === 2)).toHaveLength(1);
      expect((await texts('fromjson')).map((t) => [t.title, t.abstract ?? '', t.description ?? ''])).toEqual((await texts('democon')).map((t) => [t.title, t.abstract ?? '', t.description ?? '']));
      expect((await texts('fromxml')).some((t) => t.abstract?.endsWith('\r\nsecond line  '))).toBe(true);
    });

    test("the event takes the file's time zone: a 09:00 Berlin talk in a file reads 09:00 in an event made in UTC", async () => {
      await using dir = await newSite(backend);
      await dir.migrated();
      await dir.call(['create_event', '--slug', 'imp', '--name', 'Imp', '--date-from', '2019-08-21', '--date-to', '2019-08-25', '-v', '0'], { env });
      const result = await dir.call(['import_schedule', join(examples, 'frab-camp2019.json'), '--event', 'imp'], { env });
      expect(result.stderr).toBe("The event now uses the schedule file's time zone, Europe/Berlin.\n");
      expect(await dir.query("SELECT timezone FROM event_event WHERE slug = 'imp'")).toEqual([{ timezone: 'Europe/Berlin' }]);
      await dir.call(['export_schedule_html', 'imp', '-v', '0']);
      const source = JSON.parse(readFileSync(join(examples, 'frab-camp2019.json'), 'utf8'));
      const exported = JSON.parse(readFileSync(dir.join('data', 'htmlexport', 'imp', 'schedule.json'), 'utf8'));
      const starts = (doc: { schedule: { conference: { days: { rooms: Record<string, { title: string; start: string }[]> }[] } } }) =>
        Object.fromEntries(doc.schedule.conference.days.flatMap((d) => Object.values(d.rooms).flat()).map((e) => [e.title, e.start]));
      const expected = starts(source);
      const got = starts(exported);
      for (const title of Object.keys(got)) expect({ title, start: got[title] }).toEqual({ title, start: expected[title] });
    });

    test("an event whose days do not cover the file's slots widens to them, says so, and every slot is in the feeds", async () => {
      await using dir = await newSite(backend);
      await dir.migrated();
      await dir.call(['create_event', '--slug', 'early', '--name', 'Early', '--date-from', '2019-08-22', '--date-to', '2019-08-22', '--timezone', 'Europe/Berlin', '-v', '0'], { env });
      const file = join(examples, 'frab-camp2019.json');
      const line = (verb: string) => `Warning: The event ${verb} from 2019-08-21 to 2019-08-25 (it ran from 2019-08-22 to 2019-08-22), so that every slot of the schedule file is on one of its days.\n`;
      const dry = await dir.call(['import_schedule', file, '--event', 'early', '--dry-run'], { env });
      expect(dry.stderr).toBe(line('would now run'));
      expect(await dir.query("SELECT date_from, date_to FROM event_event WHERE slug = 'early'")).toEqual([{ date_from: '2019-08-22', date_to: '2019-08-22' }]);
      const real = await dir.call(['import_schedule', file, '--event', 'early'], { env });
      expect({ stderr: real.stderr, exitCode: real.exitCode }).toEqual({ stderr: line('now runs'), exitCode: 0 });
      expect(await dir.query("SELECT date_from, date_to FROM event_event WHERE slug = 'early'")).toEqual([{ date_from: '2019-08-21', date_to: '2019-08-25' }]);
      // Every imported slot is in the exported feed; a second import changes nothing and says nothing.
      expect((await dir.call(['export_schedule_html', 'early', '-v', '0'], { env })).exitCode).toBe(0);
      const exported = JSON.parse(readFileSync(dir.join('data', 'htmlexport', 'early', 'schedule.json'), 'utf8'));
      const events = exported.schedule.conference.days.flatMap((d: { rooms: Record<string, unknown[]> }) => Object.values(d.rooms).flat());
      expect(events).toHaveLength((await dir.query<{ n: number }>('SELECT count(*) AS n FROM schedule_talkslot WHERE submission_id IS NOT NULL'))[0]!.n);
      expect(events).toHaveLength(79);
      expect(await dir.call(['import_schedule', file, '--event', 'early'], { env })).toEqual({ stdout: expect.stringContaining('Nothing changed.'), stderr: '', exitCode: 0 });
      // Only the end too short: only the end moves.
      await dir.call(['create_event', '--slug', 'short', '--name', 'Short', '--date-from', '2019-08-21', '--date-to', '2019-08-23', '--timezone', 'Europe/Berlin', '-v', '0'], { env });
      expect((await dir.call(['import_schedule', file, '--event', 'short'], { env })).stderr).toBe(
        'Warning: The event now runs from 2019-08-21 to 2019-08-25 (it ran from 2019-08-21 to 2019-08-23), so that every slot of the schedule file is on one of its days.\n',
      );
      // Days that share none with the file's (a placeholder event) take the file's days, not every day in between.
      await dir.call(['create_event', '--slug', 'apart', '--name', 'Apart', '--date-from', '2020-01-01', '--date-to', '2020-01-02', '--timezone', 'Europe/Berlin', '-v', '0'], { env });
      expect((await dir.call(['import_schedule', file, '--event', 'apart'], { env })).stderr).toBe(
        'Warning: The event now runs from 2019-08-21 to 2019-08-25 (it ran from 2020-01-01 to 2020-01-02), so that every slot of the schedule file is on one of its days.\n',
      );
    });

    test('people with the same name but their own guids stay two people, in JSON and in frab XML', async () => {
      await using dir = await newSite(backend);
      await dir.migrated();
      await target(dir);
      const leonard = (guid: string, biography: string) => ({ guid, name: 'Leonard', biography });
      const talk = (guid: string, title: string, hour: number, persons: object[]) => ({
        guid, id: hour, date: `2026-06-01T${hour}:00:00+02:00`, start: `${hour}:00`, duration: '00:30', room: 'Hall', title, type: 'Talk', language: 'en', persons,
      });
      const doc = {
        schedule: {
          version: '1', conference: { acronym: 'x', title: 'X', start: '2026-06-01', end: '2026-06-01', time_zone_name: 'Europe/Berlin', days: [{ index: 1, date: '2026-06-01', rooms: { Hall: [
            talk('5f0c2a9e-1b3d-4e6f-8a7b-9c0d1e2f3a41', 'By the first', 10, [leonard('aaaaaaaa-1111-4111-8111-111111111111', 'First Leonard.')]),
            talk('5f0c2a9e-1b3d-4e6f-8a7b-9c0d1e2f3a42', 'By the second', 11, [leonard('bbbbbbbb-2222-4222-8222-222222222222', 'Second Leonard.')]),
            talk('5f0c2a9e-1b3d-4e6f-8a7b-9c0d1e2f3a43', 'By the first again', 12, [leonard('aaaaaaaa-1111-4111-8111-111111111111', 'First Leonard.')]),
          ] } }] },
        },
      };
      const people = () =>
        dir.query<{ title: string; code: string; biography: string | null }>('SELECT s.title, p.code, p.biography FROM submission_submission s JOIN submission_speakerrole r ON r.submission_id = s.id JOIN person_speakerprofile p ON p.id = r.speaker_id ORDER BY s.title',
        );
      dir.write({ 'people.json': JSON.stringify(doc) });
      expect((await dir.call(['import_schedule', 'people.json', '--event', 'target'], { env })).stdout).toStartWith('Imported 1 rooms, 2 speakers, 3 talks, 3 schedule slots\n');
      // Q and the guid's first 15 hex digits (a guid that shares them with another would get R and its SHA-1's).
      expect(await people()).toEqual([
        { title: 'By the first', code: 'QAAAAAAAA1111411', biography: 'First Leonard.' },
        { title: 'By the first again', code: 'QAAAAAAAA1111411', biography: 'First Leonard.' },
        { title: 'By the second', code: 'QBBBBBBBB2222422', biography: 'Second Leonard.' },
      ]);
      // The same people in frab XML (guid attributes, no bios there): the same two.
      const xml = `<schedule><version>1</version><conference><title>X</title><time_zone_name>Europe/Berlin</time_zone_name></conference><day index="1" date="2026-06-01"><room name="Hall">${[
        ['5f0c2a9e-1b3d-4e6f-8a7b-9c0d1e2f3a41', 'By the first', 10, 'aaaaaaaa-1111-4111-8111-111111111111'],
        ['5f0c2a9e-1b3d-4e6f-8a7b-9c0d1e2f3a42', 'By the second', 11, 'bbbbbbbb-2222-4222-8222-222222222222'],
      ].map(([guid, title, hour, person]) => `<event guid="${guid}" id="${hour}"><date>2026-06-01T${hour}:00:00+02:00</date><start>${hour}:00</start><duration>00:30</duration><room>Hall</room><title>${title}</title><persons><person guid="${person}">Leonard</person></persons></event>`).join('')}</room></day></schedule>`;
      await target(dir, 'fromxml');
      dir.write({ 'people.xml': xml });
      expect((await dir.call(['import_schedule', 'people.xml', '--event', 'fromxml'], { env })).stdout).toStartWith('Imported 1 rooms, 2 speakers, 2 talks, 2 schedule slots\n');
    });

    test("the conference's rooms and tracks come in its order, with their descriptions, capacities and colours, used or not, and go back out so", async () => {
      await using dir = await newSite(backend);
      await dir.migrated();
      await target(dir);
      const rooms = [
        { name: 'Saal C', guid: '0c0c0c0c-0000-4000-8000-00000000000c', description: 'Ground floor', capacity: 800 },
        { name: 'Saal A', guid: '0a0a0a0a-0000-4000-8000-00000000000a', description: null, capacity: 120 },
        { name: 'Saal B', guid: '0b0b0b0b-0000-4000-8000-00000000000b', description: 'Unused this year', capacity: null },
      ];
      // A colour that is none ("red") is black, as before; #abc is #abc.
      const tracks = [{ name: 'Security', color: '#AA3355' }, { name: 'Art', color: 'red' }, { name: 'Unused', color: '#abc' }];
      const talk = (guid: string, room: string, hour: number, track: string) => ({ guid, id: hour, date: `2026-06-01T${hour}:00:00+02:00`, start: `${hour}:00`, duration: '00:30', room, title: `In ${room}`, type: 'Talk', language: 'en', track, persons: [] });
      const doc = {
        schedule: {
          version: '1', conference: { acronym: 'x', title: 'X', start: '2026-06-01', end: '2026-06-01', time_zone_name: 'Europe/Berlin', rooms, tracks, days: [{ index: 1, date: '2026-06-01', rooms: {
            'Saal A': [talk('5f0c2a9e-1b3d-4e6f-8a7b-9c0d1e2f3a51', 'Saal A', 10, 'Art')],
            'Saal C': [talk('5f0c2a9e-1b3d-4e6f-8a7b-9c0d1e2f3a52', 'Saal C', 11, 'Security')],
          } }] },
        },
      };
      dir.write({ 'rooms.json': JSON.stringify(doc) });
      expect((await dir.call(['import_schedule', 'rooms.json', '--event', 'target'], { env })).stdout).toStartWith('Imported 3 rooms, 0 speakers, 2 talks, 2 schedule slots\n');
      expect(await dir.query('SELECT name, guid, description, capacity, position FROM schedule_room ORDER BY position')).toEqual(
        rooms.map((r, i) => ({ name: JSON.stringify({ en: r.name }), guid: r.guid, description: r.description === null ? null : JSON.stringify({ en: r.description }), capacity: r.capacity, position: i })),
      );
      expect((await dir.call(['export_schedule_html', 'target', '-v', '0'], { env })).exitCode).toBe(0);
      const exported = JSON.parse(readFileSync(dir.join('data', 'htmlexport', 'target', 'schedule.json'), 'utf8')).schedule.conference.rooms;
      expect(exported.map((r: Record<string, unknown>) => ({ name: r.name, guid: r.guid, description: r.description, capacity: r.capacity }))).toEqual(rooms);
      const out = JSON.parse(readFileSync(dir.join('data', 'htmlexport', 'target', 'schedule.json'), 'utf8')).schedule.conference.tracks;
      expect(out.map((t: Record<string, unknown>) => [t.name, t.color])).toEqual([['Security', '#aa3355'], ['Art', '#000000'], ['Unused', '#abc']]);
      expect((await dir.call(['import_schedule', 'rooms.json', '--event', 'target'], { env })).stdout).toEndWith('Nothing changed.\n');
    });

    test('unusable events are skipped and reported; the rest imports', async () => {
      await using dir = await newSite(backend);
      await dir.migrated();
      await target(dir);
      const doc = JSON.parse(readFileSync(join(examples, 'pretalx-democon.json'), 'utf8'));
      const first = Object.values(doc.schedule.conference.days[0].rooms)[0] as Record<string, unknown>[];
      delete first[0]!.date;
      delete first[0]!.start;
      writeFileSync(dir.join('broken.json'), JSON.stringify(doc));
      const result = await dir.call(['import_schedule', 'broken.json', '--event', 'target'], { env });
      expect(result.exitCode).toBe(0);
      expect(result.stderr).toBe(
        `Warning: Skipped "${first[0]!.title}": no usable date, start or duration\nWarning: The event's time zone was Europe/Berlin; the schedule file is in UTC, which the mirror now uses.\n`,
      );
      expect(result.stdout).toStartWith('Imported 2 rooms, 26 speakers, 35 talks, 35 schedule slots (1 events skipped)\n');
      expect(await dir.query('SELECT count(*) AS n FROM schedule_talkslot')).toEqual([{ n: 35 }]);
    });

    test('the drop guard protects an import too, and --dry-run writes nothing', async () => {
      await using dir = await newSite(backend);
      await dir.migrated();
      await target(dir);
      const dry = await dir.call(['import_schedule', join(examples, 'pretalx-democon.json'), '--event', 'target', '--dry-run'], { env });
      expect(dry.stdout).toContain('Would change: rooms +2');
      expect(await dir.query('SELECT count(*) AS n FROM submission_submission')).toEqual([{ n: 0 }]);
      await dir.call(['import_schedule', join(examples, 'pretalx-democon.json'), '--event', 'target', '-v', '0'], { env });
      const doc = JSON.parse(readFileSync(join(examples, 'pretalx-democon.json'), 'utf8'));
      doc.schedule.conference.days = doc.schedule.conference.days.slice(0, 1);
      writeFileSync(dir.join('one-day.json'), JSON.stringify(doc));
      const result = await dir.call(['import_schedule', 'one-day.json', '--event', 'target'], { env });
      expect(result.exitCode).toBe(1);
      expect(result.stderr).toStartWith('CommandError: Aborting import: would remove 15/27 existing speakers (55.6%)');
    });

    test('events whose guids share their first 15 hex digits (UUIDv7s of one millisecond) stay different talks', async () => {
      await using dir = await newSite(backend);
      await dir.migrated();
      await target(dir);
      const talk = (guid: string, title: string, hour: number) => ({
        guid, id: hour, date: `2026-06-01T${String(hour).padStart(2, '0')}:00:00+02:00`, start: `${hour}:00`, duration: '00:30', room: 'Hall', title, type: 'Talk', language: 'en', persons: [],
      });
      const doc = {
        schedule: {
          version: '1', conference: { acronym: 'x', title: 'X', start: '2026-06-01', end: '2026-06-01', time_zone_name: 'Europe/Berlin', days: [{ index: 1, date: '2026-06-01', rooms: { Hall: [
            talk('01937a4c-8e2b-7000-8000-000000000001', 'First', 10),
            talk('01937a4c-8e2b-7000-8000-000000000002', 'Second', 11),
            talk('01937A4C-8E2B-7000-8000-000000000003', 'Third', 12),
            talk('5f0c2a9e-1b3d-4e6f-8a7b-9c0d1e2f3a4b', 'Fourth', 13),
          ] } }] },
        },
      };
      dir.write({ 'v7.json': JSON.stringify(doc) });
      expect((await dir.call(['import_schedule', 'v7.json', '--event', 'target'], { env })).stdout).toStartWith('Imported 1 rooms, 0 speakers, 4 talks, 4 schedule slots\n');
      const talks = await dir.query<{ code: string; title: string }>('SELECT code, title FROM submission_submission ORDER BY title');
      expect(talks.map((t) => t.title)).toEqual(['First', 'Fourth', 'Second', 'Third']);
      // A guid of its own keeps the code it always had; the three that share a prefix get codes from their whole guid.
      expect(talks.find((t) => t.title === 'Fourth')!.code).toBe('G5F0C2A9E1B3D4E6');
      expect(talks.filter((t) => t.title !== 'Fourth').every((t) => /^H[0-9A-F]{15}$/.test(t.code))).toBe(true);
      expect((await dir.call(['import_schedule', 'v7.json', '--event', 'target'], { env })).stdout).toEndWith('Nothing changed.\n');
    });

    test('NUL characters in a schedule.json are dropped (PostgreSQL cannot store them), the same on both databases', async () => {
      await using dir = await newSite(backend);
      await dir.migrated();
      await target(dir);
      const doc = JSON.parse(readFileSync(join(examples, 'pretalx-democon.json'), 'utf8'));
      const [first] = Object.values(doc.schedule.conference.days[0].rooms as Record<string, { title: string; persons: { public_name: string }[] }[]>).flat();
      first!.title = `Nul\u0000 ${first!.title}`;
      const title = first!.title.replace('\u0000', '');
      writeFileSync(dir.join('nul.json'), JSON.stringify(doc));
      expect((await dir.call(['import_schedule', 'nul.json', '--event', 'target', '-v', '0'], { env })).exitCode).toBe(0);
      expect(await dir.query('SELECT count(*) AS n FROM submission_submission WHERE title = ?', title)).toEqual([{ n: 1 }]);
    });

    test('a title longer than its column is cut to it, the same on both databases (PostgreSQL failed the whole import), and said', async () => {
      await using dir = await newSite(backend);
      await dir.migrated();
      await target(dir);
      const doc = {
        schedule: {
          version: '1', conference: { acronym: 'x', title: 'X', start: '2026-06-01', end: '2026-06-01', time_zone_name: 'Europe/Berlin', days: [{ index: 1, date: '2026-06-01', rooms: { Hall: [
            { guid: '5f0c2a9e-1b3d-4e6f-8a7b-9c0d1e2f3a4b', id: 1, date: '2026-06-01T10:00:00+02:00', start: '10:00', duration: '00:30', room: 'Hall', title: 'T'.repeat(1200), type: 'Talk', language: 'en', persons: [] },
          ] } }] },
        },
      };
      dir.write({ 'long.json': JSON.stringify(doc) });
      const result = await dir.call(['import_schedule', 'long.json', '--event', 'target'], { env });
      expect({ exitCode: result.exitCode, stderr: result.stderr }).toEqual({
        exitCode: 0,
        stderr: 'Warning: The title of talk G5F0C2A9E1B3D4E6 has 1200 characters: only the first 1000 are kept (the most the database holds).\n',
      });
      expect(await dir.query('SELECT title FROM submission_submission')).toEqual([{ title: 'T'.repeat(1000) }]);
      expect((await dir.call(['import_schedule', 'long.json', '--event', 'target'], { env })).stdout).toEndWith('Nothing changed.\n');
    });

    test('a file that is neither format, broken XML, or an unknown event is one line', async () => {
      await using dir = await newSite(backend);
      await dir.migrated();
      await target(dir);
      dir.write({ 'x.txt': 'hello', 'bad.xml': '<schedule><day>' });
      expect((await dir.call(['import_schedule', 'x.txt', '--event', 'target'], { env })).stderr).toBe('CommandError: The file is neither a c3voc schedule.json nor a frab schedule.xml.\n');
      expect((await dir.call(['import_schedule', 'bad.xml', '--event', 'target'], { env })).stderr).toStartWith('CommandError: The file is not valid XML: ');
      expect((await dir.call(['import_schedule', 'x.txt', '--event', 'nope'], { env })).stderr).toBe('CommandError: Could not find event with slug "nope".\n');
    });
  });
}
