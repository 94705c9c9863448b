import { describe, expect, test } from 'bun:test';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import ICAL from 'ical.js';
import { BACKENDS, newSite } from '../support/site.ts';

/**
 * A speaker's own text must never add anything to a subscriber's calendar. Hostile text goes into
 * every field a feed carries; each .ics is then read by two strict parsers (ical.js and Debian's
 * python3-icalendar), which must find exactly the events exported and exactly the planted text.
 */
const INJECTION = 'Talk\r\nBEGIN:VALARM\r\nACTION:DISPLAY\r\nDESCRIPTION:injected\r\nTRIGGER:-PT5M\r\nEND:VALARM';
const HOSTILE = [
  INJECTION,
  'Lone\rcarriage\nnewline',
  'Semi;colon, comma\\backslash',
  'Bell\u0007 vertical\u000b form\u000c escape\u001b nul\u0000 del\u007f',
  'END:VEVENT\nBEGIN:VEVENT\nSUMMARY:fake',
];
const clean = (s: string) => s.replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/g, '').replace(/\r\n|\r/g, '\n');

for (const backend of BACKENDS) describe(`iCalendar feeds with hostile text (${backend})`, () => {
  test('no injected component, no raw control character, and every value comes back as planted', async () => {
    await using dir = await newSite(backend);
    await dir.initialised();
    await dir.call(['create_test_event', '--seed', '6', '-v', '0'], { env: { CONFCTL_NOW: '2026-05-01T09:00:00Z' } });
    const talks = await dir.query<{ id: number }>("SELECT s.id FROM submission_submission s WHERE s.state = 'confirmed' ORDER BY s.id");
    // PostgreSQL's text holds no NUL (a sync or import drops it before): the rest of the text there.
    const hostile = (i: number) => (backend === 'postgres' ? HOSTILE[i % HOSTILE.length]!.replaceAll('\0', '') : HOSTILE[i % HOSTILE.length]!);
    for (const [i, t] of talks.entries()) await dir.run('UPDATE submission_submission SET title = ?, abstract = ? WHERE id = ?', hostile(i), hostile(i + 1), t.id);
    await dir.run('UPDATE person_speakerprofile SET name = ?', hostile(3));
    // Room names stay distinct: schedule.json keys a day's rooms by name.
    for (const { id } of await dir.query<{ id: number }>('SELECT id FROM schedule_room')) await dir.run('UPDATE schedule_room SET name = ? WHERE id = ?', JSON.stringify({ en: `${INJECTION} ${id}` }), id);
    await dir.run('UPDATE event_event SET name = ?', JSON.stringify({ en: INJECTION }));
    expect((await dir.call(['export_schedule_html', 'democon', '--site-url', 'https://schedule.example.org', '-v', '0'])).exitCode).toBe(0);
    const site = dir.join('data', 'htmlexport', 'democon');
    const feeds = ['schedule.ics', ...readdirSync(join(site, 'talk')).filter((f) => f.endsWith('.ics')).map((f) => `talk/${f}`)];
    expect(feeds.length).toBeGreaterThan(10);
    const all = JSON.parse(readFileSync(join(site, 'schedule.json'), 'utf8')).schedule.conference.days.flatMap((d: { rooms: Record<string, unknown[]> }) => Object.values(d.rooms).flat()) as { title: string; abstract: string; room: string; persons: { name: string }[] }[];

    for (const feed of feeds) {
      const text = readFileSync(join(site, feed), 'utf8');
      expect({ feed, raw: /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/.test(text.replace(/\r\n/g, '')) }).toEqual({ feed, raw: false });
      const calendar = new ICAL.Component(ICAL.parse(text));
      const events = calendar.getAllSubcomponents('vevent');
      expect({ feed, alarms: events.flatMap((e) => e.getAllSubcomponents('valarm')).length }).toEqual({ feed, alarms: 0 });
      // X-WR-CALNAME is not a TEXT property to ical.js: its escapes are read back by hand.
      const name = String(calendar.getFirstPropertyValue('x-wr-calname')).replace(/\\([\\;,nN])/g, (_, c: string) => (c.toLowerCase() === 'n' ? '\n' : c));
      const titleOf = (event: ICAL.Component) => all.find((e) => String(event.getFirstPropertyValue('summary')).startsWith(clean(e.title)))!.title;
      expect({ feed, name }).toEqual({ feed, name: clean(feed === 'schedule.ics' ? INJECTION : titleOf(events[0]!)) });
      for (const event of calendar.getAllSubcomponents('vevent')) {
        const summary = String(event.getFirstPropertyValue('summary'));
        const planted = all.find((e) => summary === clean(`${e.title} - ${e.persons.map((p) => p.name).join(', ')}`) && String(event.getFirstPropertyValue('location')) === clean(e.room));
        expect({ feed, summary, found: planted !== undefined }).toEqual({ feed, summary, found: true });
        expect(String(event.getFirstPropertyValue('location'))).toStartWith(`${clean(INJECTION)} `);
        expect(event.getFirstPropertyValue('description')).toBe(clean(planted!.abstract));
      }
    }
    const counts = JSON.parse(
      Bun.spawnSync(['/usr/bin/python3', '-c', `
import icalendar, json, sys
out = {}
for path in sys.argv[1:]:
    cal = icalendar.Calendar.from_ical(open(path, 'rb').read())
    out[path] = [c.name for c in cal.walk()]
print(json.dumps(out))`, ...feeds.map((f) => join(site, f))]).stdout.toString(),
    ) as Record<string, string[]>;
    for (const feed of feeds) {
      const names = counts[join(site, feed)]!;
      const events = readFileSync(join(site, feed), 'utf8').match(/^BEGIN:VEVENT\r$/gm)!.length;
      expect({ feed, names }).toEqual({ feed, names: ['VCALENDAR', ...Array(events).fill('VEVENT')] });
    }
  }, 60_000);
});
