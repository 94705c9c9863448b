import { describe, expect, test } from 'bun:test';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { call } from '../support/cli.ts';
import { BACKENDS, newSite, type Site } from '../support/site.ts';
import { fakePretalx, pyconfrDataset } from '../support/fake-pretalx.ts';
import { filesBelow } from '../support/tmp.ts';

/**
 * A mirror is faithful when what comes out of it is what went in: every real c3voc schedule in
 * ../shared/data, imported into an event and exported again, gives back each event field by field
 * (guid, id, slug, url, links, attachments, answers, persons with their ids and codes, times as the
 * source wrote them), re-imports without a change and exports byte for byte alike; the frab XML of
 * the same conference keeps every row. docs/formats.md lists what is normalised and why.
 */
const env = { CONFCTL_NOW: '2026-05-01T09:00:00Z' };
const examples = join(import.meta.dir, '..', '..', '..', 'shared', 'data', 'schedules', 'c3voc-examples');
const SITE = 'https://mirror.example.org';

type Json = Record<string, unknown>;
type Event = Json & { guid: string };
interface Schedule {
  schedule: { conference: Json & { days: { date: string; day_start?: string; day_end?: string; rooms: Record<string, Event[]> }[]; rooms?: Json[] } };
}

/** Every event of a c3voc schedule with the day and room it is filed under. */
const eventsOf = (doc: Schedule) => doc.schedule.conference.days.flatMap((day) => Object.entries(day.rooms).flatMap(([room, events]) => events.map((event) => ({ day: day.date, room, event }))));

async function mirrored(dir: Site, source: string, slug: string) {
  // A placeholder event on other days, in another time zone: the import takes the feed's.
  await dir.call(['create_event', '--slug', slug, '--name', slug, '--date-from', '2020-01-01', '--date-to', '2020-01-02', '--timezone', 'Europe/Berlin', '-v', '0'], { env });
  const imported = await dir.call(['import_schedule', source, '--event', slug, '-v', '0'], { env });
  expect(imported.exitCode).toBe(0);
  return exported(dir, slug);
}

async function exported(dir: Site, slug: string) {
  expect((await dir.call(['export_schedule_html', slug, '--site-url', SITE, '-v', '0'], { env })).exitCode).toBe(0);
  const folder = dir.join('data', 'htmlexport', slug);
  return { folder, json: JSON.parse(readFileSync(join(folder, 'schedule.json'), 'utf8')) as Schedule };
}


/** The rows a schedule is made of, by their stable keys (never row ids). */
async function rows(site: Site, slug: string) {
  const event = `(SELECT id FROM event_event WHERE slug = '${slug}')`;
  return {
    talks: await site.query(`SELECT s.code, s.title, s.abstract, s.description, s.duration, s.content_locale, s.do_not_record, s.state, ${site.jsonText('t.name', 'en')} AS track, ${site.jsonText('y.name', 'en')} AS type
      FROM submission_submission s LEFT JOIN submission_track t ON t.id = s.track_id JOIN submission_submissiontype y ON y.id = s.submission_type_id WHERE s.event_id = ${event} ORDER BY s.code`),
    speakers: await site.query(`SELECT code, name FROM person_speakerprofile WHERE event_id = ${event} ORDER BY code`),
    roles: await site.query(`SELECT s.code AS talk, p.code AS speaker, r.position FROM submission_speakerrole r JOIN submission_submission s ON s.id = r.submission_id JOIN person_speakerprofile p ON p.id = r.speaker_id WHERE s.event_id = ${event} ORDER BY 1, 3`),
    rooms: await site.query(`SELECT guid, name, position FROM schedule_room WHERE event_id = ${event} ORDER BY position`),
    slots: await site.query(`SELECT s.code, r.guid AS room, t.start, t."end" FROM schedule_talkslot t JOIN submission_submission s ON s.id = t.submission_id JOIN schedule_room r ON r.id = t.room_id
      JOIN schedule_schedule v ON v.id = t.schedule_id WHERE v.event_id = ${event} ORDER BY t.start, s.code`),
    versions: await site.query(`SELECT version, published FROM schedule_schedule WHERE event_id = ${event} ORDER BY id`),
    event: await site.query(`SELECT date_from, date_to, timezone FROM event_event WHERE id = ${event}`),
  };
}

for (const backend of BACKENDS) {
  describe(`a faithful mirror of real schedules (${backend})`, () => {
    const sources = ['frab-camp2019.json', 'pretalx-democon.json', 'pretalx-rc3.json'];
    for (const file of sources) {
      test(`${file}: every event comes back out field by field, on its day and in its room`, async () => {
        await using dir = await newSite(backend);
        await dir.migrated();
        const source = JSON.parse(readFileSync(join(examples, file), 'utf8')) as Schedule;
        const { json } = await mirrored(dir, join(examples, file), 'mirror');
        const out = new Map(eventsOf(json).map((e) => [e.event.guid, e]));
        const given = eventsOf(source);
        expect(out.size).toBe(given.length);
        for (const { day, room, event } of given) {
          // Field by field: identity (guid, id, code, slug, url), text, times as written, persons, links, attachments, answers.
          expect({ guid: event.guid, ...out.get(event.guid)?.event }).toEqual(event);
          expect([out.get(event.guid)?.day, out.get(event.guid)?.room]).toEqual([day, room]);
        }
        // The rooms the conference lists come back as it lists them; the days are the feed's days.
        const conference = source.schedule.conference;
        if (conference.rooms) expect(json.schedule.conference.rooms).toEqual(conference.rooms);
        expect(json.schedule.conference.days.map((d) => d.date)).toEqual(conference.days.map((d) => d.date));
        if (conference.time_zone_name) expect(json.schedule.conference.time_zone_name).toBe(conference.time_zone_name as string);
      });

      test(`${file}: the mirror's export imported again changes no talk, speaker or slot, and exports byte for byte alike`, async () => {
        await using dir = await newSite(backend);
        await dir.migrated();
        const { folder } = await mirrored(dir, join(examples, file), 'mirror');
        const before = filesBelow(folder);
        const again = dir.join('again.json');
        writeFileSync(again, before.get('schedule.json')!);
        const rowsBefore = await rows(dir, 'mirror');
        const result = await dir.call(['import_schedule', again, '--event', 'mirror'], { env });
        // Only the rooms and tracks the export lists (slug, description, capacity) may be new to a mirror of a feed without them.
        expect(result.stdout).toMatch(/\n(Nothing changed\.|Changed: (rooms \+0 ~\d+ -0)?(, )?(tracks \+0 ~\d+ -0)?)\n$/);
        expect(await rows(dir, 'mirror')).toEqual(rowsBefore);
        const after = filesBelow((await exported(dir, 'mirror')).folder);
        expect([...after.keys()]).toEqual([...before.keys()]);
        for (const [name, bytes] of after) expect({ name, same: bytes.equals(before.get(name)!) }).toEqual({ name, same: true });
      });

      test(`${file}: the same conference's frab XML imported over it keeps every talk, speaker, room and slot row`, async () => {
        await using dir = await newSite(backend);
        await dir.migrated();
        const { folder } = await mirrored(dir, join(examples, file), 'mirror');
        const before = await rows(dir, 'mirror');
        const result = await dir.call(['import_schedule', join(folder, 'schedule.xml'), '--event', 'mirror'], { env });
        // Nothing created, nothing removed: the XML names the same people (by guid and id, as frab has no person codes), talks and rooms.
        expect({ exitCode: result.exitCode, stderr: result.stderr }).toEqual({ exitCode: 0, stderr: '' });
        expect(result.stdout).not.toMatch(/\+[1-9]|-[1-9]/);
        expect(await rows(dir, 'mirror')).toEqual(before);
      });
    }
  });

  describe(`identity and fields on generated edge cases (${backend})`, () => {
    test('an event made in confctl gets the same identifiers in any database: its feeds are byte for byte alike, no row id in them', async () => {
      const feeds = async (before: string[] | null) => {
        await using dir = await newSite(backend);
        await dir.initialised();
        // Another event made first shifts every row id of the second.
        if (before) expect((await dir.call(['create_test_event', ...before, '-v', '0'], { env })).exitCode).toBe(0);
        expect((await dir.call(['create_test_event', '--seed', '3', '-v', '0'], { env })).exitCode).toBe(0);
        const { folder } = await exported(dir, 'democon');
        const ids = (await dir.query<{ talk: number; speaker: number }>("SELECT (SELECT min(s.id) FROM submission_submission s WHERE s.event_id = e.id) AS talk, (SELECT min(id) FROM person_speakerprofile WHERE event_id = e.id) AS speaker FROM event_event e WHERE e.slug = 'democon'"))[0]!;
        return { json: readFileSync(join(folder, 'schedule.json'), 'utf8'), xml: readFileSync(join(folder, 'schedule.xml'), 'utf8'), widget: readFileSync(join(folder, 'schedule', 'widgets', 'schedule.json'), 'utf8'), ids };
      };
      const alone = await feeds(null);
      const second = await feeds(['--slug', 'other', '--seed', '9']);
      expect(second.ids.talk).toBeGreaterThan(alone.ids.talk);
      expect(second.ids.speaker).toBeGreaterThan(alone.ids.speaker);
      expect(second.json).toBe(alone.json);
      expect(second.xml).toBe(alone.xml);
      expect(second.widget).toBe(alone.widget);
      const talkIds = eventsOf(JSON.parse(alone.json)).map((e) => e.event.id as number);
      expect(JSON.parse(alone.widget).talks.map((t: { id: number }) => t.id).sort()).toEqual(talkIds.sort());
    });

    test('null language, CRLF and trailing spaces, links, attachments, extra fields and hostile keys come back out of JSON; through frab XML what XML carries', async () => {
      await using dir = await newSite(backend);
      await dir.migrated();
      const person = (n: number) => ({ guid: `aaaaaaaa-0000-4000-8000-00000000000${n}`, id: 100 + n, name: 'Leonard ', public_name: 'Leonard ', url: `https://up.example/p/${n}`, links: [] });
      const event = (n: number, extra: Json) => ({
        guid: `bbbbbbbb-0000-4000-8000-00000000000${n}`,
        code: null,
        id: 7000 + n,
        logo: 'https://up.example/logo.png',
        date: `2026-06-01T1${n}:00:00+02:00`,
        start: `1${n}:00`,
        duration: '00:45',
        room: 'Hall',
        slug: `edge_conf-${n}-talk`,
        url: `https://up.example/e/${n}`,
        title: `Talk ${n}  `,
        subtitle: 'Sub\r\ntitle ',
        track: null,
        type: null,
        language: null,
        abstract: 'First line\r\nsecond line  ',
        description: '\n\tIndented\t',
        recording_license: 'CC BY 4.0',
        do_not_record: false,
        do_not_stream: true,
        persons: [person(n)],
        links: [{ title: 'Slides', url: 'https://up.example/slides', type: 'related' }],
        attachments: [{ title: 'Paper', url: 'https://up.example/paper.pdf' }],
        feedback_url: `https://up.example/f/${n}`,
        origin_url: `https://up.example/o/${n}`,
        ...extra,
      });
      const source = {
        schedule: {
          version: 'edge-1',
          conference: {
            acronym: 'edge',
            title: 'Edge',
            start: '2026-06-01',
            end: '2026-06-01',
            daysCount: 1,
            timeslot_duration: '00:15',
            time_zone_name: 'Europe/Berlin',
            rooms: [{ name: 'Hall', slug: 'hall', guid: 'cccccccc-0000-4000-8000-000000000001', stream_id: 's1', features: { recording: 'record_by_default' }, description: null, capacity: 300 }],
            days: [{ index: 1, date: '2026-06-01', day_start: '2026-06-01T04:00:00+02:00', day_end: '2026-06-02T03:59:00+02:00', rooms: { Hall: [event(1, JSON.parse('{"__proto__": {"polluted": true}, "constructor": "c"}')), event(2, { code: 'RPT123' }), event(4, { code: 'RPT123', title: 'Talk 2  ', persons: [person(2)] })] } }],
          },
        },
      };
      writeFileSync(dir.join('edge.json'), JSON.stringify(source));
      const { json, folder } = await mirrored(dir, dir.join('edge.json'), 'edge');
      const given = eventsOf(source as unknown as Schedule);
      const out = new Map(eventsOf(json).map((e) => [e.event.guid, e.event]));
      for (const { event: e } of given) expect(out.get(e.guid)).toEqual(e);
      expect(Object.hasOwn(out.get(given[0]!.event.guid)!, '__proto__')).toBe(true);
      expect(({} as Json).polluted).toBeUndefined();
      expect(json.schedule.conference.rooms).toEqual(source.schedule.conference.rooms);
      // Two people named "Leonard " with their own guids are two speakers; the repeated session (one code, two guids and ids) is one talk in two slots.
      expect(await dir.query('SELECT count(*) AS n FROM person_speakerprofile')).toEqual([{ n: 2 }]);
      expect(await dir.query("SELECT count(*) AS n FROM schedule_talkslot t JOIN submission_submission s ON s.id = t.submission_id WHERE s.code = 'RPT123'")).toEqual([{ n: 2 }]);

      // Through frab XML into another event: identity, text as written, links, attachments and URLs; a null language stays empty.
      writeFileSync(dir.join('edge.xml'), readFileSync(join(folder, 'schedule.xml')));
      const viaXml = eventsOf((await mirrored(dir, dir.join('edge.xml'), 'viaxml')).json);
      const carried = ['guid', 'id', 'logo', 'date', 'start', 'duration', 'room', 'slug', 'url', 'title', 'subtitle', 'abstract', 'description', 'recording_license', 'do_not_record', 'links', 'attachments', 'feedback_url', 'origin_url'];
      for (const { event: e } of given) {
        const back = viaXml.find((v) => v.event.guid === e.guid)!.event;
        expect(Object.fromEntries(carried.map((k) => [k, back[k]]))).toEqual(Object.fromEntries(carried.map((k) => [k, (e as Json)[k]])));
        expect((back.persons as Json[]).map((p) => [p.guid, p.id, p.name])).toEqual((e.persons as Json[]).map((p) => [p.guid, p.id, p.name]));
      }
    });
  });

  describe(`PyCon FR 2025 through its Pretalx API (${backend})`, () => {
    test("every scheduled talk is in schedule.json as Pretalx's objects say, field by field; rooms keep pretalx's uuid", async () => {
      const data = pyconfrDataset();
      // As an organiser token sees them: pretalx shows only confirmed talks' slots (is_visible), and so does its export.
      const states = new Map(data.submissions.map((s) => [s.code as string, s.state]));
      for (const slot of data.slots) slot.is_visible = states.get(slot.submission as string) === 'confirmed';
      using fake = fakePretalx(data);
      await using dir = await newSite(backend);
      await dir.migrated();
      dir.write({ 'confctl.toml': '[sync]\npace = 0\nbackoff = 1\nretries = 2\n' });
      const syncEnv = { ...env, CONFCTL_PRETALX_TOKEN: 'secret-token' };
      await dir.call(['create_event', '--slug', 'pyconfr', '--name', 'PyCon FR', '--date-from', '2025-10-30', '--date-to', '2025-11-02', '--locale', 'fr', '--pretalx-url', fake.url, '--pretalx-event', 'pyconfr-2025', '-v', '0'], { env });
      expect((await dir.call(['sync_pretalx', '--conference', 'pyconfr', '-v', '0'], { env: syncEnv })).exitCode).toBe(0);
      const { json } = await exported(dir, 'pyconfr');
      const events = eventsOf(json);
      const rooms = new Map(data.rooms.map((r) => [r.id as number, r]));
      const types = new Map(data.types.map((t) => [t.id as number, t]));
      const speakers = new Map(data.speakers.map((s) => [s.code as string, s]));
      const talks = new Map(data.submissions.map((s) => [s.code as string, s]));
      const fr = (v: unknown) => (v as Record<string, string>).fr ?? (v as Record<string, string>).en;
      const time = (v: unknown) => Date.parse(String(v));
      const scheduled = data.slots.filter((s) => s.submission !== null && s.room !== null && talks.get(s.submission as string)?.state === 'confirmed');
      expect(events).toHaveLength(scheduled.length);
      for (const slot of scheduled) {
        const talk = talks.get(slot.submission as string)!;
        const event = events.find((e) => String(e.event.url).endsWith(`/talk/${talk.code}/`) && time(e.event.date) === time(slot.start))?.event;
        expect({ code: talk.code, found: event !== undefined }).toEqual({ code: talk.code, found: true });
        const minutes = (time(slot.end) - time(slot.start)) / 60000;
        expect({
          title: event!.title,
          abstract: event!.abstract,
          description: event!.description,
          language: event!.language,
          room: event!.room,
          type: event!.type,
          end: time(event!.end),
          duration: event!.duration,
          persons: (event!.persons as Json[]).map((p) => [p.code, p.name, p.biography, p.avatar]),
        }).toEqual({
          title: talk.title,
          abstract: talk.abstract ?? '',
          description: talk.description ?? '',
          language: talk.content_locale,
          room: fr(rooms.get(slot.room as number)!.name),
          type: fr(types.get(talk.submission_type as number)!.name),
          end: time(slot.end),
          duration: `${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}`,
          persons: (talk.speakers as string[]).map((code) => speakers.get(code)!).map((s) => [s.code, s.name, s.biography ?? null, s.avatar_url ?? null]),
        });
      }
      // pretalx's own schedule.json gives a room without a guid its uuid: so does the mirror's.
      const byName = (a: unknown[], b: unknown[]) => String(a[0]).localeCompare(String(b[0]));
      const listed = json.schedule.conference.rooms!.map((r) => [r.name, r.guid]).sort(byName);
      expect(listed).toEqual([...rooms.values()].map((r) => [fr(r.name), r.guid ?? r.uuid]).sort(byName));
    });
  });

  describe(`what an operator found (issue 14) (${backend})`, () => {
    /** One day whose end (06:00) holds a talk at 04:00 the next morning, people and talks whose keys collide, broken entries, tracks. */
    function hostileFeed() {
      const ev = (n: number, extra: Json = {}) => ({
        guid: `cccccccc-0000-4000-8000-${String(n).padStart(12, '0')}`, id: n, date: `2030-03-01T1${n % 10}:00:00+01:00`, start: `1${n % 10}:00`, duration: '00:30', room: 'Hall',
        slug: `h_conf-${n}-talk`, url: `https://up.example/talk/E${n}/`, title: `Talk ${n}`, subtitle: '', track: 'Main', type: 'Talk', language: 'en', abstract: '', description: '',
        recording_license: '', do_not_record: false, persons: [], links: [], attachments: [], ...extra,
      });
      const shared = 'dddddddd-0000-4000-8000-000000000000';
      const events = [
        ev(1, { persons: [{ id: 777, guid: 'aaaaaaaa-0000-4000-8000-000000000001', public_name: 'Alice' }] }),
        ev(2, { persons: [{ id: 777, guid: 'aaaaaaaa-0000-4000-8000-000000000002', public_name: 'Bob' }] }),
        ev(3, { persons: [{ id: 901, public_name: 'Unnamed user' }] }),
        ev(4, { persons: [{ code: 'P901', public_name: 'Someone else' }] }),
        ev(5, { code: null, url: 'https://up.example/talk/ABC5/', title: 'From a URL' }),
        ev(6, { code: 'ABC5', title: 'Its own code', url: 'https://up.example/x/' }),
        ev(7, { guid: shared, url: 'https://up.example/x/7', title: 'Same guid A', persons: [null, 'x', { public_name: null }] }),
        ev(8, { guid: shared, url: 'https://up.example/x/8', title: 'Same guid B', language: null, type: null }),
        ev(9, { date: '2030-03-02T04:00:00+01:00', start: '04:00', title: 'Night owl' }),
      ];
      return {
        schedule: {
          version: 'h-1',
          conference: {
            acronym: 'h', title: 'H', start: '2030-03-01', end: '2030-03-02', daysCount: 2, timeslot_duration: '00:15', time_zone_name: 'Europe/Berlin',
            rooms: [null, 42, 'str', { name: 'Hall', guid: 'eeeeeeee-0000-4000-8000-000000000001' }],
            tracks: [{ name: 'Main', color: '#ff0000', slug: 'main-track' }, { name: 'Unused', color: '#00ff00', slug: 'unused' }],
            days: [
              { index: 1, date: '2030-03-01', day_start: '2030-03-01T06:00:00+01:00', day_end: '2030-03-02T06:00:00+01:00', rooms: { Hall: events } },
              { index: 2, date: '2030-03-02', day_start: '2030-03-02T06:00:00+01:00', day_end: '2030-03-03T06:00:00+01:00', rooms: { Hall: [] } },
            ],
          },
        },
      };
    }
    const titlesByDay = (doc: Schedule) => doc.schedule.conference.days.map((d) => [d.date, Object.values(d.rooms).flat().map((e) => e.title)]);

    test("days keep the feed's bounds, people and talks whose keys collide stay apart, broken entries are said, tracks and nulls survive frab XML", async () => {
      await using dir = await newSite(backend);
      await dir.migrated();
      writeFileSync(dir.join('h.json'), JSON.stringify(hostileFeed()));
      await dir.call(['create_event', '--slug', 'h', '--name', 'H', '--date-from', '2020-01-01', '--date-to', '2020-01-01', '--timezone', 'Europe/Berlin', '-v', '0'], { env });
      const warnings = [
        'Warning: Skipped 3 entries of conference.rooms: not a room with a name.',
        'Warning: Skipped 3 of the persons of "Same guid A": not a person with a name, code, id or guid (the event is imported).',
      ];
      const dry = await dir.call(['import_schedule', 'h.json', '--event', 'h', '--dry-run'], { env });
      expect(dry.stdout).toStartWith('Would import 1 rooms, 4 speakers, 9 talks, 9 schedule slots\nWould change: ');
      expect(dry.stderr.split('\n').slice(0, 2)).toEqual(warnings);
      const real = await dir.call(['import_schedule', 'h.json', '--event', 'h'], { env });
      expect(real.stdout).toStartWith('Imported 1 rooms, 4 speakers, 9 talks, 9 schedule slots\n');
      expect(real.stderr).toBe(`${warnings.join('\n')}\nWarning: 2 events share the guid dddddddd-0000-4000-8000-000000000000: imported as 2 talks, told apart by their ids.\nWarning: The event now runs from 2030-03-01 to 2030-03-02 (it ran from 2020-01-01 to 2020-01-01), so that every slot of the schedule file is on one of its days.\n`);
      // Alice and Bob share a frab id but not their guid; "Unnamed user" (id 901) is not "Someone else" (code P901).
      expect(await dir.query('SELECT name FROM person_speakerprofile ORDER BY name')).toEqual([{ name: 'Alice' }, { name: 'Bob' }, { name: 'Someone else' }, { name: 'Unnamed user' }]);
      // A code in a URL that another talk (of another title) has as its own does not merge the two; nor does a shared guid.
      expect((await dir.query<{ n: number }>('SELECT count(DISTINCT code) AS n FROM submission_submission'))[0]!.n).toBe(9);
      const { json, folder } = await exported(dir, 'h');
      // The night owl (04:00 the next morning) is inside the first day's bounds (until 06:00), where the feed put it.
      const expectedDays = [['2030-03-01', ['Talk 1', 'Talk 2', 'Talk 3', 'Talk 4', 'From a URL', 'Its own code', 'Same guid A', 'Same guid B', 'Night owl']], ['2030-03-02', []]];
      expect(titlesByDay(json)).toEqual(expectedDays);
      expect(json.schedule.conference.days.map((d) => [d.day_start, d.day_end])).toEqual([['2030-03-01T06:00:00+01:00', '2030-03-02T06:00:00+01:00'], ['2030-03-02T06:00:00+01:00', '2030-03-03T06:00:00+01:00']]);
      expect(json.schedule.conference.tracks).toEqual(hostileFeed().schedule.conference.tracks);
      // The pages agree: the night owl is in the first day's section of the grid and the list.
      for (const page of ['schedule/index.html', 'schedule/nojs/index.html']) {
        const html = readFileSync(join(folder, page), 'utf8');
        const sections = [...html.matchAll(/<section class="day" id="day-([\d-]+)"[\s\S]*?<\/section>/g)].map((m) => [m[1], m[0].includes('Night owl')]);
        expect({ page, sections }).toEqual({ page, sections: [['2030-03-01', true]] });
      }
      // The frab XML is valid (unique guids and ids, only slugs its pattern allows), and carries days, tracks and nulls across.
      const xmllint = Bun.spawnSync(['xmllint', '--noout', '--schema', join(import.meta.dir, '..', '..', '..', 'shared', 'data', 'schemas', 'xsd__schedule.xml.xsd'), join(folder, 'schedule.xml')], { stderr: 'pipe' });
      expect(xmllint.stderr.toString().trim().split('\n').at(-1)).toBe(`${join(folder, 'schedule.xml')} validates`);
      writeFileSync(dir.join('h.xml'), readFileSync(join(folder, 'schedule.xml')));
      const viaXml = (await mirrored(dir, dir.join('h.xml'), 'hx')).json;
      expect(titlesByDay(viaXml)).toEqual(expectedDays);
      expect(viaXml.schedule.conference.days.map((d) => [d.day_start, d.day_end])).toEqual(json.schedule.conference.days.map((d) => [d.day_start, d.day_end]));
      expect((viaXml.schedule.conference.tracks as Json[]).map((t) => [t.name, t.color, t.slug])).toEqual([['Main', '#ff0000', 'main-track'], ['Unused', '#00ff00', 'unused']]);
      const b = eventsOf(viaXml).find((e) => e.event.title === 'Same guid B')!.event;
      expect([b.language, b.type, 'end' in b, 'code' in b]).toEqual([null, null, false, false]);
    });

    test("the grid's rooms are named by a stable id (data-room), the same in any database", async () => {
      const page = async (before: boolean) => {
        await using dir = await newSite(backend);
        await dir.migrated();
        await dir.call(['create_event', '--slug', 'camp', '--name', 'Camp', '--date-from', '2019-08-21', '--date-to', '2019-08-25', '-v', '0'], { env });
        if (before) {
          await dir.call(['create_event', '--slug', 'other', '--name', 'Other', '--date-from', '2019-08-21', '--date-to', '2019-08-25', '-v', '0'], { env });
          await dir.call(['import_schedule', join(examples, 'pretalx-rc3.json'), '--event', 'other', '-v', '0'], { env });
        }
        await dir.call(['import_schedule', join(examples, 'frab-camp2019.json'), '--event', 'camp', '-v', '0'], { env });
        return readFileSync(join((await exported(dir, 'camp')).folder, 'schedule', 'index.html'), 'utf8');
      };
      expect(await page(true)).toBe(await page(false));
    });
  });

  describe(`what a second operator pass found (issue 14) (${backend})`, () => {
    const feed = (timezone: string) => {
      const ev = (n: number, room: string, hour: string, extra: Json = {}) => ({
        guid: `abababab-0000-4000-8000-${String(n).padStart(12, '0')}`, id: n, date: `2030-06-01T${hour}:00+02:00`, start: hour, duration: '00:30', room,
        slug: `second_pass-${n}-talk`, url: `https://up.example/e/${n}`, title: `Talk ${n}`, subtitle: '', track: null, type: 'Talk', language: 'en', abstract: '', description: '',
        recording_license: '', do_not_record: false, persons: [], links: [], attachments: [], ...extra,
      });
      return {
        schedule: {
          version: 'p2',
          conference: {
            acronym: 'p2', title: 'P2', time_zone_name: timezone,
            days: [
              {
                index: 1, date: '2030-06-01', day_start: '2030-06-01T09:00:00+02:00', day_end: '2030-06-02T06:00:00+02:00',
                rooms: {
                  'Hall B': [
                    ev(1, 'Hall B', '10:00', { code: 'REPEAT', title: 'Given twice' }),
                    ev(2, 'Hall B', '11:00', { id: 9007199254740992, links: [{ title: 'evil', url: 'javascript:alert(1)' }, { title: 'Slides', url: 'https://up.example/s' }, { title: 'Mail', url: 'mailto:a@example.org' }] }),
                  ],
                  'Hall A': [ev(3, 'Hall A', '12:00', { code: 'REPEAT', title: 'Given twice' }), ev(4, 'Hall A', '05:00', { date: '2030-06-02T05:00:00+02:00', title: 'Dawn' })],
                },
              },
            ],
          },
        },
      };
    };

    test('frab XML over the JSON keeps a repeated talk one talk; big ids, room order and safe links survive; move_event moves the feed days', async () => {
      await using dir = await newSite(backend);
      await dir.migrated();
      writeFileSync(dir.join('p2.json'), JSON.stringify(feed('Europe/Berlin')));
      const { json, folder } = await mirrored(dir, dir.join('p2.json'), 'p2');
      expect(json.schedule.conference.rooms!.map((r) => r.name)).toEqual(['Hall B', 'Hall A']);
      const links = eventsOf(json).find((e) => e.event.title === 'Talk 2')!.event.links;
      expect(links).toEqual([{ title: 'Slides', url: 'https://up.example/s' }, { title: 'Mail', url: 'mailto:a@example.org' }]);
      const xml = readFileSync(join(folder, 'schedule.xml'), 'utf8');
      expect(xml).toContain('id="9007199254740992"');
      expect(xml).not.toContain('javascript:');
      expect(xml).not.toContain('mailto:');
      // The XML of the same conference over its JSON: no talk, speaker, room or slot made or removed.
      writeFileSync(dir.join('p2.xml'), xml);
      const over = await dir.call(['import_schedule', dir.join('p2.xml'), '--event', 'p2'], { env });
      expect({ exitCode: over.exitCode, stderr: over.stderr }).toEqual({ exitCode: 0, stderr: '' });
      expect(over.stdout).not.toMatch(/\+[1-9]|-[1-9]/);
      expect(await dir.query("SELECT count(*) AS n FROM schedule_talkslot t JOIN submission_submission s ON s.id = t.submission_id WHERE s.code = 'REPEAT'")).toEqual([{ n: 2 }]);
      const viaXml = (await exported(dir, 'p2')).json;
      expect(viaXml.schedule.conference.rooms!.map((r) => r.name)).toEqual(['Hall B', 'Hall A']);
      expect(eventsOf(viaXml).find((e) => e.event.title === 'Talk 2')!.event.id).toBe(9007199254740992);
      // move_event moves the feed's days with the talks: two days, each where it was relative to the others.
      expect((await dir.call(['move_event', '--event', 'p2', '--date', '2030-07-10', '-v', '0'], { env })).exitCode).toBe(0);
      const moved = (await exported(dir, 'p2')).json;
      expect(moved.schedule.conference.days.map((d) => [d.date, d.day_start, d.day_end, Object.values(d.rooms).flat().map((e) => e.title).sort()])).toEqual([
        ['2030-07-10', '2030-07-10T09:00:00+02:00', '2030-07-11T06:00:00+02:00', ['Dawn', 'Given twice', 'Given twice', 'Talk 2']],
      ]);
    });

    test('a time zone the system does not know is said, and the times are read with their offsets', async () => {
      await using dir = await newSite(backend);
      await dir.migrated();
      writeFileSync(dir.join('mars.json'), JSON.stringify(feed('Mars/Olympus')));
      await dir.call(['create_event', '--slug', 'mars', '--name', 'Mars', '--date-from', '2030-06-01', '--date-to', '2030-06-01', '-v', '0'], { env });
      const result = await dir.call(['import_schedule', 'mars.json', '--event', 'mars'], { env });
      expect(result.stderr).toBe('Warning: The file\'s time zone "Mars/Olympus" is not one this system knows: its times are read with their own offsets, and the event keeps its time zone.\n');
      const { json } = await exported(dir, 'mars');
      expect(eventsOf(json).find((e) => e.event.title === 'Talk 2')!.event.date).toBe('2030-06-01T11:00:00+02:00');
    });
  });
}
