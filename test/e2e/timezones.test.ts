import { afterEach, describe, expect, test } from 'bun:test';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { installBinary, spawnBinary } from '../support/binary.ts';
import { call } from '../support/cli.ts';
import { query } from '../support/db.ts';
import { tempDir } from '../support/tmp.ts';

/**
 * The host's time zone must never leak into data: every other test forces TZ=UTC, so a time read
 * or written in the host's local zone would pass them. Here the same commands run under hosts in
 * UTC, New York (behind UTC, with summer time) and Kolkata (a half-hour offset), in-process and as
 * the binary; the outputs must be identical, and the times in them must be the event's (Berlin).
 */
const zones = ['UTC', 'America/New_York', 'Asia/Kolkata'] as const;
const env = { CONFCTL_NOW: '2026-05-01T09:00:00Z' };
const admin = {
  DJANGO_SUPERUSER_EMAIL: 'admin@example.org',
  DJANGO_SUPERUSER_PASSWORD: 'a-long-s3cret-phrase',
  PRETALX_INIT_ORGANISER_NAME: 'Org',
  PRETALX_INIT_ORGANISER_SLUG: 'org',
};
/** The demo path, plus move_event and an import of the exported XML (each parses or writes times). */
const steps: string[][] = [
  ['migrate', '-v', '0'],
  ['init', '--noinput', '-v', '0'],
  ['create_test_event', '--seed', '4', '-v', '0'],
  ['move_event', '--event', 'democon', '--date', '2026-10-24', '-v', '0'],
  ['export_schedule_html', 'democon', '-v', '0'],
  ['create_event', '--slug', 'copy', '--name', 'Copy', '--date-from', '2026-10-20', '--date-to', '2026-10-30', '--timezone', 'Europe/Berlin', '-v', '0'],
  ['import_schedule', 'data/htmlexport/democon/schedule.xml', '--event', 'copy', '-v', '0'],
];

type Outputs = Record<string, string>;

/** A dump without what init makes at random (the administrator's password salt and user code). */
const withoutRandom = (dump: string) =>
  JSON.stringify(
    (JSON.parse(dump) as { model: string; fields: Record<string, unknown> }[]).map((o) =>
      o.model === 'person.user' ? { ...o, fields: { ...o.fields, password: '…', code: '…' } } : o,
    ),
    null,
    1,
  );

/** What a host zone could change: the feeds and pages, a full dump, and the event list. */
function collect(cwd: string, dump: string, events: string): Outputs {
  const outputs: Outputs = {};
  const site = join(cwd, 'data', 'htmlexport', 'democon');
  for (const file of readdirSync(site, { recursive: true, encoding: 'utf8' }).sort()) {
    if (statSync(join(site, file)).isFile() && !file.startsWith('static/')) outputs[file] = readFileSync(join(site, file), 'utf8');
  }
  outputs.dumpdata = withoutRandom(dump);
  outputs.list_events = events;
  return outputs;
}

const berlin = new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/Berlin', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });

/** Every scheduled talk in schedule.json at its database instant, written as Berlin wall-clock time. */
function checkTimes(cwd: string, outputs: Outputs) {
  const slots = query<{ code: string; start: string; end: string }>(
    join(cwd, 'data', 'db.sqlite3'),
    `SELECT s.code, t.start, t."end" FROM schedule_talkslot t JOIN schedule_schedule v ON v.id = t.schedule_id
     JOIN event_event e ON e.id = v.event_id JOIN submission_submission s ON s.id = t.submission_id
     WHERE e.slug = 'democon' AND v.version = (SELECT max(version) FROM schedule_schedule w WHERE w.event_id = e.id) ORDER BY s.code`,
  );
  expect(slots.length).toBeGreaterThan(20);
  const json = JSON.parse(outputs['schedule.json']!) as {
    schedule: { conference: { days: { rooms: Record<string, { url: string; date: string; start: string; duration: string }[]> }[] } };
  };
  const events = json.schedule.conference.days.flatMap((d) => Object.values(d.rooms).flat());
  expect(events).toHaveLength(slots.length);
  for (const slot of slots) {
    const event = events.find((e) => e.url.endsWith(`/talk/${slot.code}/`))!;
    const instant = new Date(`${slot.start.replace(' ', 'T')}Z`);
    const minutes = (Date.parse(`${slot.end.replace(' ', 'T')}Z`) - instant.getTime()) / 60000;
    const duration = `${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}`;
    expect({ code: slot.code, at: Date.parse(event.date), start: event.start, offset: event.date.slice(19), duration: event.duration }).toEqual({
      code: slot.code,
      at: instant.getTime(),
      start: berlin.format(instant),
      // Late October 2026: the 24th is still summer time in Berlin, the 26th on is winter time.
      offset: instant < new Date('2026-10-25T01:00:00Z') ? '+02:00' : '+01:00',
      duration,
    });
  }
}

describe('the host time zone never changes data or feeds', () => {
  afterEach(() => {
    process.env.TZ = 'UTC';
  });

  test('in-process, under UTC, New York and Kolkata hosts: identical outputs with Berlin times', async () => {
    const results: Record<string, Outputs> = {};
    for (const zone of zones) {
      process.env.TZ = zone;
      using dir = tempDir();
      for (const argv of steps) {
        const result = await call(argv, { cwd: dir.path, env: { ...env, ...admin, TZ: zone } });
        expect({ zone, argv, stderr: result.stderr, exitCode: result.exitCode }).toEqual({ zone, argv, stderr: '', exitCode: 0 });
      }
      const dump = await call(['dumpdata', '--indent', '1'], { cwd: dir.path, env: { TZ: zone } });
      const list = await call(['list_events', '--json'], { cwd: dir.path, env: { ...env, TZ: zone } });
      const outputs = collect(dir.path, dump.stdout, list.stdout);
      process.env.TZ = 'UTC';
      checkTimes(dir.path, outputs);
      results[zone] = outputs;
    }
    expect(Object.keys(results.UTC!).length).toBeGreaterThan(40);
    expect(results['America/New_York']).toEqual(results.UTC!);
    expect(results['Asia/Kolkata']).toEqual(results.UTC!);
  });

  test('the binary, under UTC, New York and Kolkata hosts: identical outputs with Berlin times', () => {
    const results: Record<string, Outputs> = {};
    for (const zone of zones) {
      using dir = tempDir();
      const binary = installBinary(dir.path);
      const run = (argv: string[]) => {
        const result = spawnBinary(binary, argv, dir.path, { ...env, ...admin, TZ: zone });
        expect({ zone, argv, stderr: result.stderr, exitCode: result.exitCode }).toEqual({ zone, argv, stderr: '', exitCode: 0 });
        return result.stdout;
      };
      for (const argv of steps) run(argv);
      const outputs = collect(dir.path, run(['dumpdata', '--indent', '1']), run(['list_events', '--json']));
      checkTimes(dir.path, outputs);
      results[zone] = outputs;
    }
    expect(results['America/New_York']).toEqual(results.UTC!);
    expect(results['Asia/Kolkata']).toEqual(results.UTC!);
    // 27 runs of the binary: some 4 s on an idle machine, past bun's default 5 s on a busy one.
  }, 30_000);
});
