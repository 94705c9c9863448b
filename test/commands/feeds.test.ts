import { describe, expect, test } from 'bun:test';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import ICAL from 'ical.js';
import sax from 'sax';
import { call } from '../support/cli.ts';
import { BACKENDS, newSite } from '../support/site.ts';

/**
 * The three feeds of one schedule say the same thing about every slot: schedule.json (c3voc),
 * schedule.xml (frab) and schedule.ics. A consumer that reads one must not learn something else from
 * another. Checked slot by slot, field by field, against the database too, on a demo event with a
 * repeated talk, a talk without a track and one without speakers.
 */
type JsonEvent = Record<string, unknown> & { guid: string; title: string; persons: { name: string; code?: string }[] };
type XmlEvent = Record<string, string> & { persons: string };

function readXml(text: string) {
  const parser = sax.parser(true, {});
  const events: XmlEvent[] = [];
  const conference: Record<string, string> = {};
  const days: Record<string, string>[] = [];
  let event: XmlEvent | null = null;
  let field = '';
  let text_ = '';
  let inConference = false;
  parser.onopentag = (tag) => {
    const attrs = tag.attributes as Record<string, string>;
    text_ = '';
    if (tag.name === 'conference') inConference = true;
    else if (tag.name === 'day') days.push(attrs);
    else if (tag.name === 'event') event = { ...attrs, persons: '' } as XmlEvent;
    field = tag.name;
  };
  parser.ontext = (t) => void (text_ += t);
  parser.onclosetag = (name) => {
    if (name === 'conference') inConference = false;
    else if (inConference) conference[name] = text_;
    else if (name === 'event') {
      events.push(event!);
      event = null;
    } else if (event && name === 'person') event.persons = event.persons ? `${event.persons}, ${text_}` : text_;
    else if (event && name !== 'persons' && name !== 'recording' && name !== 'license' && name !== 'optout') event[name] = text_;
    void field;
    text_ = '';
  };
  parser.write(text).close();
  return { events, conference, days };
}

for (const backend of BACKENDS) {
  describe(`the feeds agree (${backend})`, () => {
    test('schedule.json, schedule.xml and schedule.ics describe every slot alike, and as the database holds it', async () => {
      await using dir = await newSite(backend);
      await dir.initialised();
      await dir.call(['create_test_event', '--seed', '9', '-v', '0'], { env: { CONFCTL_NOW: '2026-05-01T09:00:00Z' } });
      // A second slot for one talk (a repeat), a talk without a track, one without speakers.
      const [released] = (await dir.query<{ id: number }>('SELECT id FROM schedule_schedule WHERE version IS NOT NULL ORDER BY id DESC LIMIT 1')) as [{ id: number }];
      const [first] = (await dir.query<Record<string, number | string>>('SELECT * FROM schedule_talkslot WHERE schedule_id = ? ORDER BY start, id LIMIT 1', released.id)) as [Record<string, number | string>];
      const dayLater = (time: string | number) => new Date(Date.parse(`${String(time).replace(' ', 'T')}Z`) + 86_400_000).toISOString().replace('T', ' ').slice(0, 19);
      await dir.run('INSERT INTO schedule_talkslot (submission_id, room_id, schedule_id, start, "end", is_visible) VALUES (?, ?, ?, ?, ?, TRUE)', first.submission_id!, first.room_id!, released.id, dayLater(first.start!), dayLater(first.end!));
      const talks = await dir.query<{ id: number }>('SELECT DISTINCT submission_id AS id FROM schedule_talkslot WHERE schedule_id = ? ORDER BY submission_id', released.id);
      await dir.run('UPDATE schedule_room SET description = ? WHERE id = (SELECT min(id) FROM schedule_room)', JSON.stringify({ en: 'Ground floor, left' }));
      // Codes c3voc's pattern does not allow ([A-Z0-9]+) are left out of the JSON, not written wrong.
      await dir.run("UPDATE submission_submission SET code = 'low-er' WHERE id = ?", talks[3]!.id);
      await dir.run("UPDATE person_speakerprofile SET code = 'x_y' WHERE id = (SELECT speaker_id FROM submission_speakerrole WHERE submission_id = ? LIMIT 1)", talks[4]!.id);
      await dir.run('UPDATE submission_submission SET track_id = NULL WHERE id = ?', talks[1]!.id);
      await dir.run('DELETE FROM submission_speakerrole WHERE submission_id = ?', talks[2]!.id);
      expect((await dir.call(['export_schedule_html', 'democon', '--site-url', 'https://fahrplan.example.org', '-v', '0'])).exitCode).toBe(0);
      const site = dir.join('data', 'htmlexport', 'democon');

      const json = JSON.parse(readFileSync(join(site, 'schedule.json'), 'utf8')).schedule;
      const fromJson: JsonEvent[] = json.conference.days.flatMap((d: { rooms: Record<string, JsonEvent[]> }) => Object.values(d.rooms).flat());
      const xml = readXml(readFileSync(join(site, 'schedule.xml'), 'utf8'));
      const ics = new ICAL.Component(ICAL.parse(readFileSync(join(site, 'schedule.ics'), 'utf8'))).getAllSubcomponents('vevent');
      const slots = await dir.query<{ start: string; end: string }>('SELECT start, "end" FROM schedule_talkslot WHERE schedule_id = ?', released.id);

      // Every slot once in each feed; identifiers unique.
      expect(fromJson).toHaveLength(slots.length);
      expect(xml.events).toHaveLength(slots.length);
      expect(ics).toHaveLength(slots.length);
      expect(new Set(fromJson.map((e) => e.guid)).size).toBe(slots.length);
      expect(new Set(xml.events.map((e) => e.id)).size).toBe(slots.length);
      expect(new Set(ics.map((e) => e.getFirstPropertyValue('uid'))).size).toBe(slots.length);
      expect(xml.events.filter((e) => e.code !== undefined).map((e) => e.code).every((c, i, all) => all.indexOf(c) === i)).toBe(true);

      // The conference alike.
      expect(xml.conference).toMatchObject({ title: json.conference.title, acronym: json.conference.acronym, start: json.conference.start, end: json.conference.end, days: String(json.conference.daysCount), time_zone_name: json.conference.time_zone_name, base_url: json.base_url });
      expect(json.conference.days.map((d: { index: number; date: string }) => `${d.index} ${d.date}`)).toEqual(xml.days.map((d) => `${d.index} ${d.date}`));
      expect(json.conference.days.map((d: { index: number }) => d.index)).toEqual(Array.from({ length: json.conference.daysCount }, (_, i) => i + 1));

      // Each slot alike in the three feeds.
      for (const event of fromJson) {
        const x = xml.events.find((e) => e.guid === event.guid)!;
        expect({ guid: event.guid, found: x !== undefined }).toEqual({ guid: event.guid, found: true });
        const speakers = event.persons.map((p) => p.name).join(', ');
        expect({
          guid: event.guid,
          title: x.title,
          room: x.room,
          date: x.date,
          start: x.start,
          duration: x.duration,
          abstract: x.abstract,
          description: x.description,
          track: x.track,
          type: x.type,
          language: x.language,
          slug: x.slug,
          url: x.url,
          persons: x.persons,
        }).toEqual({
          guid: event.guid,
          title: event.title,
          room: event.room as string,
          date: event.date as string,
          start: event.start as string,
          duration: event.duration as string,
          abstract: event.abstract as string,
          description: event.description as string,
          track: (event.track as string | null) ?? '',
          type: event.type as string,
          language: event.language as string,
          slug: event.slug as string,
          url: event.url as string,
          persons: speakers,
        });
        const instant = Date.parse(event.date as string);
        const calendar = ics.find((e) => (e.getFirstPropertyValue('dtstart') as ICAL.Time).toJSDate().getTime() === instant && e.getFirstPropertyValue('url') === event.url);
        expect({ guid: event.guid, found: calendar !== undefined }).toEqual({ guid: event.guid, found: true });
        const [h, m] = (event.duration as string).split(':').map(Number) as [number, number];
        expect({
          summary: String(calendar!.getFirstPropertyValue('summary')),
          location: String(calendar!.getFirstPropertyValue('location')),
          description: String(calendar!.getFirstPropertyValue('description')),
          minutes: ((calendar!.getFirstPropertyValue('dtend') as ICAL.Time).toJSDate().getTime() - instant) / 60000,
        }).toEqual({ summary: speakers ? `${event.title} - ${speakers}` : event.title, location: String(event.room), description: String(event.abstract), minutes: h * 60 + m });
      }

      // Identities as c3voc derives them: a name-based UUID of the talk code (and `-<n>` for its n-th
      // repeat) in the namespace of the site URL; the frab code attribute and the JSON code for a
      // talk's first slot; the calendar UID from the event slug and talk code.
      const uuid5 = (name: string, namespace: string) => {
        const bytes = createHash('sha1').update(Buffer.concat([Buffer.from(namespace.replace(/-/g, ''), 'hex'), Buffer.from(name)])).digest().subarray(0, 16);
        bytes[6] = (bytes[6]! & 0x0f) | 0x50;
        bytes[8] = (bytes[8]! & 0x3f) | 0x80;
        const hex = bytes.toString('hex');
        return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
      };
      const namespace = uuid5('https://fahrplan.example.org', '6ba7b811-9dad-11d1-80b4-00c04fd430c8');
      const seen = new Map<string, number>();
      for (const event of [...fromJson].sort((a, b) => Date.parse(a.date as string) - Date.parse(b.date as string))) {
        const code = /\/talk\/([^/]+)\/$/.exec(event.url as string)![1]!;
        const n = seen.get(code) ?? 0;
        seen.set(code, n + 1);
        const x = xml.events.find((e) => e.guid === event.guid)!;
        const uid = ics.find((e) => (e.getFirstPropertyValue('dtstart') as ICAL.Time).toJSDate().getTime() === Date.parse(event.date as string) && e.getFirstPropertyValue('url') === event.url)!.getFirstPropertyValue('uid');
        // The same id in both files: 31 bits of the SHA-1 of the guid's name (never a database row id), also in the slug.
        expect(String(event.id)).toBe(x.id!);
        const name = n === 0 ? code : `${code}-${n}`;
        expect({ code, n, guid: event.guid, id: event.id, json: event.code, xml: x.code, uid, slugId: (event.slug as string).startsWith(`democon-${event.id}-`) }).toEqual({
          code,
          n,
          guid: uuid5(name, namespace),
          json: n === 0 && /^[A-Z0-9]+$/.test(code) ? code : undefined,
          xml: n === 0 && /^[A-Z0-9]{6}$/.test(code) ? code : undefined,
          uid: n === 0 ? `confctl-democon-${code}@fahrplan.example.org` : `confctl-democon-${code}-${n}@fahrplan.example.org`,
          id: createHash('sha1').update(name).digest().readUInt32BE(0) & 0x7fffffff,
          slugId: true,
        });
        for (const person of event.persons) expect(person.code === undefined || /^[A-Z0-9]+$/.test(person.code)).toBe(true);
      }
      expect(fromJson.some((e) => e.persons.some((p) => p.code === undefined))).toBe(true);
      expect(fromJson.some((e) => e.code === undefined)).toBe(true);
      expect(json.conference.colors).toEqual({ primary: (await dir.query<{ c: string }>('SELECT primary_color AS c FROM event_event'))[0]!.c });
      const rooms = await dir.query<{ name: string; description: string | null }>(`SELECT ${dir.jsonText('name', 'en')} AS name, ${dir.jsonText('description', 'en')} AS description FROM schedule_room ORDER BY position, id`);
      expect(json.conference.rooms.map((r: { name: string; description: string | null }) => [r.name, r.description])).toEqual(rooms.map((r) => [r.name, r.description]));

      // The repeat: one talk, two slots, two identities; the talk without a track or speakers too.
      const repeated = fromJson.filter((e) => e.url === fromJson.find((f) => fromJson.filter((g) => g.url === f.url).length === 2)?.url);
      expect(repeated).toHaveLength(2);
      expect(repeated[0]!.guid).not.toBe(repeated[1]!.guid);
      expect(repeated.map((e) => e.slug)[0]).not.toBe(repeated[1]!.slug);
      expect(fromJson.some((e) => e.track === null)).toBe(true);
      expect(fromJson.some((e) => e.persons.length === 0)).toBe(true);
    });
  });

  describe(`rooms of one name (${backend})`, () => {
    test('lose no talk in schedule.json (keyed by room name): the second is written "Name (2)", alike in the XML', async () => {
      await using dir = await newSite(backend);
      await dir.initialised();
      await dir.call(['create_test_event', '--seed', '9', '-v', '0'], { env: { CONFCTL_NOW: '2026-05-01T09:00:00Z' } });
      await dir.run('UPDATE schedule_room SET name = ?', JSON.stringify({ en: 'Main hall' }));
      expect((await dir.call(['export_schedule_html', 'democon', '--site-url', 'https://x.example.org', '-v', '0'])).exitCode).toBe(0);
      const site = dir.join('data', 'htmlexport', 'democon');
      const json = JSON.parse(readFileSync(join(site, 'schedule.json'), 'utf8')).schedule.conference;
      const events = json.days.flatMap((d: { rooms: Record<string, { room: string }[]> }) => Object.entries(d.rooms).flatMap(([key, list]) => list.map((e) => [key, e.room])));
      const slots = (await dir.query<{ n: number }>("SELECT count(*) AS n FROM schedule_talkslot t JOIN schedule_schedule s ON s.id = t.schedule_id WHERE s.version = 'v1.0'"))[0]!.n;
      expect(events).toHaveLength(slots);
      expect(json.rooms.map((r: { name: string }) => r.name)).toEqual(['Main hall', 'Main hall (2)']);
      for (const [key, room] of events) expect(room).toBe(key);
      const xml = readXml(readFileSync(join(site, 'schedule.xml'), 'utf8'));
      expect(xml.events).toHaveLength(slots);
      expect([...new Set(xml.events.map((e) => e.room))].sort()).toEqual(['Main hall', 'Main hall (2)']);
    });
  });

  describe(`nothing vanishes (${backend})`, () => {
    test('a slot in the night after the last day, the morning after it, or before the first day is in all six outputs alike', async () => {
      await using dir = await newSite(backend);
      await dir.initialised();
      await dir.call(['create_test_event', '--seed', '9', '-v', '0'], { env: { CONFCTL_NOW: '2026-05-01T09:00:00Z' } });
      await dir.run("UPDATE event_event SET timezone = 'UTC' WHERE slug = 'democon'"); // local times are then the stored ones
      const [event] = (await dir.query<{ id: number; date_from: string; date_to: string }>("SELECT id, date_from, date_to FROM event_event WHERE slug = 'democon'")) as [{ id: number; date_from: string; date_to: string }];
      const released = (await dir.query<{ id: number }>('SELECT id FROM schedule_schedule WHERE version IS NOT NULL ORDER BY id DESC LIMIT 1'))[0]!.id;
      const [model] = (await dir.query<{ submission_id: number; room_id: number }>('SELECT submission_id, room_id FROM schedule_talkslot WHERE schedule_id = ? AND submission_id IS NOT NULL ORDER BY id LIMIT 1', released)) as [{ submission_id: number; room_id: number }];
      const at = (date: string, days: number, time: string, minutes = 0) => new Date(Date.parse(`${date}T${time}:00Z`) + days * 86_400_000 + minutes * 60_000).toISOString().replace('T', ' ').slice(0, 19);
      // 00:00 and 02:00 in the night after the last day (its night), 04:00 the morning after (a day of its own), 10:00 the day before the first.
      for (const [day, time] of [[1, '00:00'], [1, '02:00'], [1, '04:00'], [-1, '10:00']] as const) {
        const base = day > 0 ? event.date_to : event.date_from;
        await dir.run(`INSERT INTO schedule_talkslot (submission_id, room_id, schedule_id, start, "end", is_visible, slot_type) VALUES (?, ?, ?, ?, ?, TRUE, 'talk')`, model.submission_id, model.room_id, released, at(base, day, time), at(base, day, time, 30));
      }
      const expected = (await dir.query<{ n: number }>('SELECT count(*) AS n FROM schedule_talkslot WHERE schedule_id = ? AND submission_id IS NOT NULL AND room_id IS NOT NULL AND start IS NOT NULL AND is_visible', released))[0]!.n;
      expect((await dir.call(['export_schedule_html', 'democon', '-v', '0'])).exitCode).toBe(0);
      const site = dir.join('data', 'htmlexport', 'democon');
      const read = (file: string) => readFileSync(join(site, file), 'utf8');
      const json = JSON.parse(read('schedule.json')).schedule.conference;
      const counts = {
        json: json.days.flatMap((d: { rooms: Record<string, unknown[]> }) => Object.values(d.rooms).flat()).length,
        xml: readXml(read('schedule.xml')).events.length,
        ics: new ICAL.Component(ICAL.parse(read('schedule.ics'))).getAllSubcomponents('vevent').length,
        grid: (read('schedule/index.html').match(/<a class="slot[ "]/g) ?? []).length,
        list: (read('schedule/nojs/index.html').match(/<li class="r\d+"><span>/g) ?? []).length,
      };
      const { createApp } = await import('../../core/serve/app.ts');
      const served = await dir.open();
      try {
        const app = createApp({ db: served, siteUrl: 'https://schedule.example.org', version: '0.1.0', clock: { now: () => new Date('2026-05-01T09:00:00Z') } });
        const api = (await (await app(new Request('http://localhost/api/events/democon/slots/?page_size=1000'))).json()) as { results: { submission: string | null }[] };
        expect({ ...counts, api: api.results.filter((s) => s.submission !== null).length }).toEqual({ json: expected, xml: expected, ics: expected, grid: expected, list: expected, api: expected });
      } finally {
        await served.destroy();
      }
      // The feeds' days now run from the day before the first to the day after the last; the night slots are on the last day.
      const dates = json.days.map((d: { date: string }) => d.date);
      expect([json.start, json.end, json.daysCount]).toEqual([dates[0], dates.at(-1), dates.length]);
      const nightOf = json.days.find((d: { date: string }) => d.date === event.date_to);
      const times = Object.values(nightOf.rooms as Record<string, { start: string }[]>).flat().map((e) => e.start);
      expect(times).toEqual(expect.arrayContaining(['00:00', '02:00']));
    });
  });

  describe(`the acronym (${backend})`, () => {
    test("an event slug's dots and dashes become underscores, and a short one is padded to four characters (c3voc's pattern)", async () => {
      await using dir = await newSite(backend);
      await dir.initialised();
      const env = { CONFCTL_NOW: '2026-05-01T09:00:00Z' };
      await dir.call(['create_event', '--slug', 'x.y', '--name', 'XY', '--date-from', '2026-06-01', '--date-to', '2026-06-01', '--public', '-v', '0'], { env });
      expect((await dir.call(['export_schedule_html', 'x.y', '-v', '0'], { env })).exitCode).toBe(0);
      const site = dir.join('data', 'htmlexport', 'x.y');
      expect(JSON.parse(readFileSync(join(site, 'schedule.json'), 'utf8')).schedule.conference.acronym).toBe('x_y_');
      expect(readFileSync(join(site, 'schedule.xml'), 'utf8')).toContain('<acronym>x_y_</acronym>');
    });
  });
}
