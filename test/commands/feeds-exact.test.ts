import { describe, expect, test } from 'bun:test';
import { readFileSync, writeFileSync } from 'node:fs';
import { version } from '../../package.json';
import { BACKENDS, newSite, type BackendName } from '../support/site.ts';

/**
 * One small event's feeds, byte for byte. The other feed tests compare the feeds with each other
 * and with the database; this one pins every line a consumer reads, so that a lost element, a
 * lost escape or a slot on the wrong day or in the wrong room fails here. The event: two rooms
 * (one named in German and English, shown in the event's German; one whose name makes no slug),
 * two tracks likewise, a hyphenated slug (the acronym allows no hyphen), a title that makes no
 * slug, text that needs XML and iCalendar escaping, and slots at 01:00 on the first day (its
 * own), 02:30 and 03:00 on the second, which the source files under its second day: the feeds keep
 * each on the day the source put it (slugs the frab schema does not allow stay out of the XML).
 */
const feed = `{"schedule":{"version":"v1","base_url":"https://x.example/","conference":{"acronym":"myconf","title":"My Conf","start":"2026-06-01","end":"2026-06-02","daysCount":2,"timeslot_duration":"00:05","time_zone_name":"Europe/Berlin",
"rooms":[{"name":"Saal 1","guid":"11111111-1111-4111-8111-111111111111"},{"name":"★","guid":"22222222-2222-4222-8222-222222222222"}],
"days":[
{"index":1,"date":"2026-06-01","day_start":"2026-06-01T04:00:00+02:00","day_end":"2026-06-02T03:59:00+02:00","rooms":{
"Saal 1":[
{"guid":"1a2b3c4d-0000-4000-8000-000000000001","id":1,"date":"2026-06-01T01:00:00+02:00","start":"01:00","duration":"00:30","room":"Saal 1","slug":"a","url":"","title":"Hello; world, \\\\ back","subtitle":"","track":"Security & Privacy","type":"Talk","language":"en","abstract":"<b>bold</b> & \\"q\\" > x","description":"line1\\r\\nline2","recording_license":"","do_not_record":false,"persons":[{"id":5,"code":"SPKA","public_name":"Ada <Lovelace>","biography":"b"}],"links":[],"attachments":[]},
{"guid":"2b3c4d5e-0000-4000-8000-000000000002","id":2,"date":"2026-06-01T10:00:00+02:00","start":"10:00","duration":"01:15","room":"Saal 1","slug":"b","url":"","title":"!!!","subtitle":"","track":"★★","type":"Workshop","language":"de","abstract":"","description":"","recording_license":"","do_not_record":true,"persons":[],"links":[],"attachments":[]}
],
"★":[]}},
{"index":2,"date":"2026-06-02","day_start":"2026-06-02T04:00:00+02:00","day_end":"2026-06-03T03:59:00+02:00","rooms":{
"Saal 1":[
{"guid":"3c4d5e6f-0000-4000-8000-000000000003","id":3,"date":"2026-06-02T02:30:00+02:00","start":"02:30","duration":"00:20","room":"Saal 1","slug":"c","url":"","title":"Late night","subtitle":"","track":null,"type":"Talk","language":"en","abstract":"","description":"","recording_license":"","do_not_record":false,"persons":[],"links":[],"attachments":[]}],
"★":[
{"guid":"4d5e6f70-0000-4000-8000-000000000004","id":4,"date":"2026-06-02T03:00:00+02:00","start":"03:00","duration":"00:20","room":"★","slug":"d","url":"","title":"Early bird","subtitle":"","track":null,"type":"Talk","language":"en","abstract":"","description":"","recording_license":"","do_not_record":false,"persons":[],"links":[],"attachments":[]}]
}}]}}}`;

async function exported(backend: BackendName) {
  const dir = await newSite(backend);
  await dir.migrated();
  const env = { CONFCTL_NOW: '2026-05-01T09:00:00Z' };
  await dir.call(['create_event', '--slug', 'my-conf', '--name', 'My Conf', '--date-from', '2026-06-01', '--date-to', '2026-06-02', '--timezone', 'Europe/Berlin', '--locale', 'de', '-v', '0'], { env });
  writeFileSync(dir.join('schedule.json'), feed);
  expect((await dir.call(['import_schedule', 'schedule.json', '--event', 'my-conf', '-v', '0'], { env })).exitCode).toBe(0);
  await dir.run(`UPDATE schedule_room SET name = ? WHERE ${dir.jsonText('name', 'en')} = 'Saal 1'`, JSON.stringify({ en: 'Main Hall', de: 'Großer Saal' }));
  await dir.run(`UPDATE submission_track SET name = ? WHERE ${dir.jsonText('name', 'en')} = 'Security & Privacy'`, JSON.stringify({ en: 'Security & Privacy', de: 'Sicherheit' }));
  // "!!!" is given twice more on the second day: a repeat's id, guid, slug and UID follow its occurrence.
  const [star] = (await dir.query<{ id: number }>(`SELECT id FROM schedule_room WHERE ${dir.jsonText('name', 'en')} = '★'`)) as [{ id: number }];
  const slots = await dir.query<{ submission_id: number; schedule_id: number; start: string; end: string }>(`SELECT submission_id, schedule_id, start, "end" FROM schedule_talkslot WHERE submission_id = (SELECT id FROM submission_submission WHERE title = '!!!') ORDER BY id`);
  const later = (time: string, hours: number) => new Date(Date.parse(`${time.replace(' ', 'T')}Z`) + (24 + hours) * 3_600_000).toISOString().replace('T', ' ').slice(0, 19);
  for (const slot of slots) {
    for (const n of [1, 3]) {
      await dir.run(`INSERT INTO schedule_talkslot (submission_id, room_id, schedule_id, start, "end", is_visible, slot_type) VALUES (?, ?, ?, ?, ?, TRUE, 'talk')`, slot.submission_id, star.id, slot.schedule_id, later(slot.start, n), later(slot.end, n));
    }
  }
  expect((await dir.call(['export_schedule_html', 'my-conf', '--site-url', 'https://f.example.org', '-v', '0'], { env })).exitCode).toBe(0);
  const read = (name: string) => readFileSync(dir.join('data', 'htmlexport', 'my-conf', name), 'utf8');
  return { dir, read };
}

for (const backend of BACKENDS) describe(`the feeds of one small event (${backend})`, () => {
  test('schedule.xml, line for line', async () => {
    const { dir, read } = await exported(backend);
    await using _ = dir;
    expect(read('schedule.xml')).toBe(`<?xml version="1.0" encoding="utf-8"?>
<schedule>
  <generator name="confctl" version="${version}"/>
  <url>https://f.example.org/my-conf/schedule.xml</url>
  <version>v1</version>
  <conference>
    <title>My Conf</title>
    <acronym>my_conf</acronym>
    <start>2026-06-01</start>
    <end>2026-06-02</end>
    <days>2</days>
    <timeslot_duration>00:05</timeslot_duration>
    <base_url>https://f.example.org/my-conf/</base_url>
    <time_zone_name>Europe/Berlin</time_zone_name>
    <track name="Sicherheit" color="#000000" slug="security-privacy"/>
    <track name="★★" color="#000000" slug="track-1582924443"/>
  </conference>
  <day index="1" date="2026-06-01" start="2026-06-01T04:00:00+02:00" end="2026-06-02T03:59:00+02:00">
    <room name="Großer Saal" guid="11111111-1111-4111-8111-111111111111">
      <event guid="1a2b3c4d-0000-4000-8000-000000000001" id="1">
        <room>Großer Saal</room>
        <title>Hello; world, \\ back</title>
        <subtitle></subtitle>
        <type>Talk</type>
        <date>2026-06-01T01:00:00+02:00</date>
        <start>01:00</start>
        <duration>00:30</duration>
        <abstract>&lt;b&gt;bold&lt;/b&gt; &amp; &quot;q&quot; &gt; x</abstract>
        <track>Sicherheit</track>
        <persons>
          <person id="5" guid="5671c7cf-1749-513e-8dd9-07cc44f21753">Ada &lt;Lovelace&gt;</person>
        </persons>
        <language>en</language>
        <description>line1&#13;
line2</description>
        <recording><license></license><optout>false</optout></recording>
        <links></links>
        <attachments></attachments>
        <url>https://f.example.org/my-conf/talk/G1A2B3C4D0000400/</url>
      </event>
      <event guid="2b3c4d5e-0000-4000-8000-000000000002" id="2">
        <room>Großer Saal</room>
        <title>!!!</title>
        <subtitle></subtitle>
        <type>Workshop</type>
        <date>2026-06-01T10:00:00+02:00</date>
        <start>10:00</start>
        <duration>01:15</duration>
        <abstract></abstract>
        <track>★★</track>
        <persons>
        </persons>
        <language>de</language>
        <description></description>
        <recording><license></license><optout>true</optout></recording>
        <links></links>
        <attachments></attachments>
        <url>https://f.example.org/my-conf/talk/G2B3C4D5E0000400/</url>
      </event>
    </room>
    <room name="★" guid="22222222-2222-4222-8222-222222222222">
    </room>
  </day>
  <day index="2" date="2026-06-02" start="2026-06-02T04:00:00+02:00" end="2026-06-03T03:59:00+02:00">
    <room name="Großer Saal" guid="11111111-1111-4111-8111-111111111111">
      <event guid="3c4d5e6f-0000-4000-8000-000000000003" id="3">
        <room>Großer Saal</room>
        <title>Late night</title>
        <subtitle></subtitle>
        <type>Talk</type>
        <date>2026-06-02T02:30:00+02:00</date>
        <start>02:30</start>
        <duration>00:20</duration>
        <abstract></abstract>
        <track></track>
        <persons>
        </persons>
        <language>en</language>
        <description></description>
        <recording><license></license><optout>false</optout></recording>
        <links></links>
        <attachments></attachments>
        <url>https://f.example.org/my-conf/talk/G3C4D5E6F0000400/</url>
      </event>
    </room>
    <room name="★" guid="22222222-2222-4222-8222-222222222222">
      <event guid="4d5e6f70-0000-4000-8000-000000000004" id="4">
        <room>★</room>
        <title>Early bird</title>
        <subtitle></subtitle>
        <type>Talk</type>
        <date>2026-06-02T03:00:00+02:00</date>
        <start>03:00</start>
        <duration>00:20</duration>
        <abstract></abstract>
        <track></track>
        <persons>
        </persons>
        <language>en</language>
        <description></description>
        <recording><license></license><optout>false</optout></recording>
        <links></links>
        <attachments></attachments>
        <url>https://f.example.org/my-conf/talk/G4D5E6F700000400/</url>
      </event>
      <event guid="b610abc1-ce06-56b4-9147-8b536c2ded49" id="586487477">
        <room>★</room>
        <title>!!!</title>
        <subtitle></subtitle>
        <type>Workshop</type>
        <date>2026-06-02T11:00:00+02:00</date>
        <start>11:00</start>
        <duration>01:15</duration>
        <abstract></abstract>
        <slug>my_conf-586487477-talk</slug>
        <track>★★</track>
        <persons>
        </persons>
        <language>de</language>
        <description></description>
        <recording><license></license><optout>true</optout></recording>
        <links></links>
        <url>https://f.example.org/my-conf/talk/G2B3C4D5E0000400/</url>
      </event>
      <event guid="8f4ebf47-de7b-5041-95d6-7d6ad5a94ee6" id="981175023">
        <room>★</room>
        <title>!!!</title>
        <subtitle></subtitle>
        <type>Workshop</type>
        <date>2026-06-02T13:00:00+02:00</date>
        <start>13:00</start>
        <duration>01:15</duration>
        <abstract></abstract>
        <slug>my_conf-981175023-talk</slug>
        <track>★★</track>
        <persons>
        </persons>
        <language>de</language>
        <description></description>
        <recording><license></license><optout>true</optout></recording>
        <links></links>
        <url>https://f.example.org/my-conf/talk/G2B3C4D5E0000400/</url>
      </event>
    </room>
  </day>
</schedule>
`);
  });

  test('schedule.json: the conference, its rooms and tracks, and each slot on its day and in its room', async () => {
    const { dir, read } = await exported(backend);
    await using _ = dir;
    const text = read('schedule.json');
    expect(text).toEndWith('}\n');
    const { schedule } = JSON.parse(text);
    const { days, ...conference } = schedule.conference;
    expect({ ...schedule, conference }).toEqual({
      url: 'https://f.example.org/my-conf/schedule.json',
      version: 'v1',
      base_url: 'https://f.example.org/my-conf/',
      conference: {
        acronym: 'my_conf',
        title: 'My Conf',
        start: '2026-06-01',
        end: '2026-06-02',
        daysCount: 2,
        timeslot_duration: '00:05',
        time_zone_name: 'Europe/Berlin',
        rooms: [
          // As the source lists them: a name and a guid, nothing the source did not say.
          { name: 'Großer Saal', guid: '11111111-1111-4111-8111-111111111111' },
          { name: '★', guid: '22222222-2222-4222-8222-222222222222' },
        ],
        tracks: [
          { name: 'Sicherheit', slug: 'security-privacy', color: '#000000' },
          { name: '★★', slug: 'track-1582924443', color: '#000000' },
        ],
      },
    });
    type Event = { id: number; title: string; slug: string; date: string; end: string; duration: string; code?: string; track: string | null; type: string; language: string; do_not_record: boolean; persons: unknown[]; url: string; abstract: string; description: string };
    const slots = days.map((d: { index: number; date: string; day_start: string; day_end: string; rooms: Record<string, Event[]> }) => ({
      day: `${d.index} ${d.date} ${d.day_start} ${d.day_end}`,
      rooms: Object.fromEntries(Object.entries(d.rooms).map(([room, events]) => [room, events.map((e) => `${e.date} ${e.end} ${e.duration} ${e.id} ${e.code ?? '-'} ${e.slug} ${e.title} | ${e.track} | ${e.type} ${e.language} ${e.do_not_record} ${JSON.stringify(e.persons)} ${e.url}`)])),
    }));
    // The imported events as the source wrote them (no end, no code, its slugs, ids and empty urls); the
    // repeats added here came from no feed: ids and slugs made from the talk code and occurrence.
    expect(slots).toEqual([
      {
        day: '1 2026-06-01 2026-06-01T04:00:00+02:00 2026-06-02T03:59:00+02:00',
        rooms: {
          'Großer Saal': [
            '2026-06-01T01:00:00+02:00 undefined 00:30 1 - a Hello; world, \\ back | Sicherheit | Talk en false [{"id":5,"code":"SPKA","public_name":"Ada <Lovelace>","biography":"b"}] ',
            '2026-06-01T10:00:00+02:00 undefined 01:15 2 - b !!! | ★★ | Workshop de true [] ',
          ],
          '★': [],
        },
      },
      {
        day: '2 2026-06-02 2026-06-02T04:00:00+02:00 2026-06-03T03:59:00+02:00',
        rooms: {
          // Filed by the source under its second day (whose own bounds begin at 04:00): where the source put it.
          'Großer Saal': ['2026-06-02T02:30:00+02:00 undefined 00:20 3 - c Late night | null | Talk en false [] '],
          '★': [
            '2026-06-02T03:00:00+02:00 undefined 00:20 4 - d Early bird | null | Talk en false [] ',
            '2026-06-02T11:00:00+02:00 2026-06-02T12:15:00+02:00 01:15 586487477 - my_conf-586487477-talk !!! | ★★ | Workshop de true [] https://f.example.org/my-conf/talk/G2B3C4D5E0000400/',
            '2026-06-02T13:00:00+02:00 2026-06-02T14:15:00+02:00 01:15 981175023 - my_conf-981175023-talk !!! | ★★ | Workshop de true [] https://f.example.org/my-conf/talk/G2B3C4D5E0000400/',
          ],
        },
      },
    ]);
    const first = days[0].rooms['Großer Saal'][0] as Event;
    expect([first.abstract, first.description]).toEqual(['<b>bold</b> & "q" > x', 'line1\r\nline2']);
  });

  test('schedule.ics and a talk .ics, line for line, each line ended by CRLF', async () => {
    const { dir, read } = await exported(backend);
    await using _ = dir;
    const event = (code: string, start: string, end: string, summary: string, location: string, description: string, repeat = 0) => [
      'BEGIN:VEVENT',
      `UID:confctl-my-conf-${code}${repeat ? `-${repeat}` : ''}@f.example.org`,
      'SEQUENCE:0',
      'DTSTAMP:20260501T090000Z',
      `DTSTART:${start}`,
      `DTEND:${end}`,
      `SUMMARY:${summary}`,
      `LOCATION:${location}`,
      `DESCRIPTION:${description}`,
      `URL;VALUE=URI:https://f.example.org/my-conf/talk/${code}/`,
      'END:VEVENT',
    ];
    const calendar = (name: string, events: string[][]) =>
      [...['BEGIN:VCALENDAR', 'VERSION:2.0', 'PRODID:-//confctl//f.example.org//my-conf//EN', `NAME:${name}`, `X-WR-CALNAME:${name}`], ...events.flat(), 'END:VCALENDAR', ''].join('\r\n');
    const hello = event('G1A2B3C4D0000400', '20260531T230000Z', '20260531T233000Z', 'Hello\\; world\\, \\\\ back - Ada <Lovelace>', 'Großer Saal', '<b>bold</b> & "q" > x');
    expect(read('schedule.ics')).toBe(
      calendar('My Conf', [
        hello,
        event('G2B3C4D5E0000400', '20260601T080000Z', '20260601T091500Z', '!!!', 'Großer Saal', ''),
        event('G3C4D5E6F0000400', '20260602T003000Z', '20260602T005000Z', 'Late night', 'Großer Saal', ''),
        event('G4D5E6F700000400', '20260602T010000Z', '20260602T012000Z', 'Early bird', '★', ''),
        event('G2B3C4D5E0000400', '20260602T090000Z', '20260602T101500Z', '!!!', '★', '', 1),
        event('G2B3C4D5E0000400', '20260602T110000Z', '20260602T121500Z', '!!!', '★', '', 2),
      ]),
    );
    expect(read('talk/G1A2B3C4D0000400.ics')).toBe(calendar('Hello\\; world\\, \\\\ back', [hello]));
  });
});
