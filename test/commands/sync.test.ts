import { describe, expect, test } from 'bun:test';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fakePretalx, pyconfrDataset, synthesizedDataset, type Dataset } from '../support/fake-pretalx.ts';
import { BACKENDS, newSite, type BackendName, type Site } from '../support/site.ts';
import { COLUMN_LENGTHS } from '../../core/sync/snapshot.ts';

const env = { CONFCTL_NOW: '2026-05-01T09:00:00Z', CONFCTL_PRETALX_TOKEN: 'secret-token' };

/**
 * A fake Pretalx serving `data`, and a database whose event "conf" mirrors its event `slug` with
 * fast retries and no pacing; both go when the `using` scope ends.
 */
async function mirrored(backend: BackendName, data: Dataset, options: Parameters<typeof fakePretalx>[1] & { slug?: string } = {}) {
  const { slug = 'pyconfr-2025', ...fakeOptions } = options;
  const fake = fakePretalx(data, fakeOptions);
  const dir = await newSite(backend);
  const dispose = async () => {
    await dir[Symbol.asyncDispose]();
    fake[Symbol.dispose]();
  };
  try {
    await dir.migrated();
    dir.write({ 'confctl.toml': '[sync]\npace = 0\nbackoff = 1\nretries = 2\n' });
    const made = await dir.call(['create_event', '--slug', 'conf', '--name', 'Conf', '--date-from', '2025-10-30', '--date-to', '2025-11-02', '--locale', 'fr', '--pretalx-url', fake.url, '--pretalx-event', slug, '-v', '0'], { env });
    if (made.exitCode !== 0) throw new Error(made.stderr);
    return { fake, dir, [Symbol.asyncDispose]: dispose };
  } catch (error) {
    await dispose();
    throw error;
  }
}
const sync = (dir: Site, ...flags: string[]) => dir.call(['sync_pretalx', '--conference', 'conf', ...flags], { env });
const count = async (dir: Site, table: string, where = '1=1') => (await dir.query<{ n: number }>(`SELECT count(*) AS n FROM ${table} WHERE ${where}`))[0]!.n;
const clone = (d: Dataset): Dataset => structuredClone(d);

for (const backend of BACKENDS) {
  describe(`sync_pretalx: a first sync and a second one (${backend})`, () => {
    test('mirrors real data: rooms with fr/en names, multi-slot talks, several speakers, non-ASCII names', async () => {
      await using mirror = await mirrored(backend, pyconfrDataset());
      const { fake, dir } = mirror;
      expect(await sync(dir)).toEqual({
        stdout: 'Synced 13 rooms, 87 speakers, 84 talks, 93 schedule slots\nChanged: rooms +13 ~0 -0, types +9 ~0 -0, speakers +87 ~0 -0, talks +84 ~0 -0, slots +93 ~0 -0\n',
        stderr: "The event now uses Pretalx's time zone, Europe/Paris.\n",
        exitCode: 0,
      });
      expect((await dir.query("SELECT name FROM schedule_room WHERE pretalx_id = 12"))[0]).toEqual({ name: expect.stringContaining('"fr"') });
      expect(await count(dir, 'person_speakerprofile', "name IN ('Aivars Kalvāns', 'Sarah Haïm-Lubczanski')")).toBe(2);
      const repeated = await dir.query<{ n: number }>('SELECT count(*) AS n FROM (SELECT submission_id FROM schedule_talkslot GROUP BY submission_id HAVING count(*) > 1) AS x');
      expect(repeated).toEqual([{ n: 9 }]);
      expect(await count(dir, 'submission_speakerrole')).toBeGreaterThan(84);
      expect(await dir.query("SELECT version, published FROM schedule_schedule WHERE version IS NOT NULL")).toEqual([{ version: '1.0', published: '2025-10-28 11:00:00' }]);
      // Every request carried the token; all but the API root asked for v2 (beside the root, not after it); none twice.
      expect(fake.requests.every((r) => r.authorization === 'Token secret-token')).toBe(true);
      expect(fake.requests.filter((r) => r.version !== 'v2').map((r) => r.url)).toEqual([`${fake.url}/api/`]);
      expect(new Set(fake.requests.map((r) => r.url)).size).toBe(fake.requests.length);
      expect(fake.requests.some((r) => /\/talks\//.test(r.url))).toBe(false);
    });

    test('against unchanged data the second sync writes nothing and says so', async () => {
      await using mirror = await mirrored(backend, pyconfrDataset());
      const { dir } = mirror;
      await sync(dir);
      const before = await dir.dump();
      expect((await sync(dir)).stdout).toBe('Synced 13 rooms, 87 speakers, 84 talks, 93 schedule slots\nNothing changed.\n');
      expect(await dir.dump()).toBe(before);
    });

    test('--json and --dry-run', async () => {
      await using mirror = await mirrored(backend, pyconfrDataset());
      const { dir } = mirror;
      const dry = await sync(dir, '--dry-run');
      expect(dry.stdout).toStartWith('Would sync 13 rooms, 87 speakers, 84 talks, 93 schedule slots\nWould change: rooms +13');
      expect(await count(dir, 'schedule_room')).toBe(0);
      const json = JSON.parse((await sync(dir, '--json')).stdout);
      expect(json).toMatchObject({ counts: { rooms: 13, speakers: 87, talks: 84, slots: 93 }, unscheduled: 0, version: '1.0', dry_run: false });
      expect(json.changes.talks).toEqual({ created: 84, updated: 0, removed: 0 });
    });

    test("the mirror takes Pretalx's time zone: a 09:00 Paris talk reads 09:00; a different local zone set by hand is warned about", async () => {
      await using mirror = await mirrored(backend, pyconfrDataset());
      const { dir } = mirror;
      await sync(dir, '-v', '0');
      expect(await dir.query("SELECT timezone FROM event_event WHERE slug = 'conf'")).toEqual([{ timezone: 'Europe/Paris' }]);
      expect((await dir.call(['export_schedule_html', 'conf'], { env })).exitCode).toBe(0);
      const json = JSON.parse(readFileSync(dir.join('data', 'htmlexport', 'conf', 'schedule.json'), 'utf8'));
      const [first] = await dir.query<{ start: string }>('SELECT min(start) AS start FROM schedule_talkslot');
      const events = json.schedule.conference.days.flatMap((d: { rooms: Record<string, { date: string; start: string }[]> }) => Object.values(d.rooms).flat());
      const earliest = events.find((e: { date: string }) => Date.parse(e.date) === Date.parse(`${first!.start.replace(' ', 'T')}Z`));
      expect(json.schedule.conference.time_zone_name).toBe('Europe/Paris');
      expect(earliest.date).toEndWith('+01:00');
      expect(earliest.start).toBe(new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/Paris', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(new Date(earliest.date)));
      expect((await sync(dir)).stderr).toBe('');

      await dir.run("UPDATE event_event SET timezone = 'Europe/Berlin' WHERE slug = 'conf'");
      const dry = await sync(dir, '--dry-run');
      expect(dry.stderr).toBe("Warning: The event's time zone was Europe/Berlin; Pretalx's event is in Europe/Paris, which the mirror would now use.\n");
      expect(await dir.query("SELECT timezone FROM event_event WHERE slug = 'conf'")).toEqual([{ timezone: 'Europe/Berlin' }]);
      const real = await sync(dir);
      expect(real.stderr).toBe("Warning: The event's time zone was Europe/Berlin; Pretalx's event is in Europe/Paris, which the mirror now uses.\n");
      expect(await dir.query("SELECT timezone FROM event_event WHERE slug = 'conf'")).toEqual([{ timezone: 'Europe/Paris' }]);
    });

    test('codes that look like paths are mapped to safe ones, the same every sync; every feed link finds its page', async () => {
      const data = clone(pyconfrDataset());
      const hostile = ['..', '../../../tmp/x', '/tmp/x', 'A B', '.', 'ALONGERCODETHAN16'];
      const renamed = new Map<string, string>();
      data.submissions.filter((s) => s.state === 'confirmed').slice(0, hostile.length).forEach((s, i) => {
        renamed.set(String(s.code), hostile[i]!);
        s.code = hostile[i]!;
      });
      for (const slot of data.slots) if (renamed.has(String(slot.submission))) slot.submission = renamed.get(String(slot.submission))!;
      const speaker = data.speakers[0]!;
      for (const s of data.submissions) s.speakers = (s.speakers as string[]).map((c) => (c === speaker.code ? '../evil' : c));
      speaker.code = '../evil';
      await using mirror = await mirrored(backend, data);
      const { dir } = mirror;
      expect((await sync(dir, '-v', '0')).exitCode).toBe(0);
      const codes = (await dir.query<{ code: string }>('SELECT code FROM submission_submission UNION ALL SELECT code FROM person_speakerprofile')).map((r) => r.code);
      expect(codes.every((c) => /^[A-Za-z0-9][A-Za-z0-9_-]{0,15}$/.test(c))).toBe(true);
      expect(codes.filter((c) => /^X[0-9A-F]{15}$/.test(c))).toHaveLength(hostile.length + 1);
      expect((await sync(dir)).stdout).toEndWith('Nothing changed.\n');
      expect((await dir.call(['export_schedule_html', 'conf', '--site-url', 'https://x.example.org', '-v', '0'], { env })).exitCode).toBe(0);
      const site = dir.join('data', 'htmlexport', 'conf');
      const json = JSON.parse(readFileSync(join(site, 'schedule.json'), 'utf8'));
      const urls: string[] = json.schedule.conference.days.flatMap((d: { rooms: Record<string, { url: string }[]> }) => Object.values(d.rooms).flat().map((e) => e.url));
      expect(urls.length).toBeGreaterThan(80);
      for (const url of urls) {
        const relativePath = url.replace('https://x.example.org/conf/', '');
        expect({ url, page: existsSync(join(site, relativePath, 'index.html')) }).toEqual({ url, page: true });
      }
    });

    test('NUL characters in what Pretalx sends are dropped (PostgreSQL cannot store them, and failed the whole sync), the same on both databases', async () => {
      const data = clone(pyconfrDataset());
      const talk = data.submissions.find((s) => s.state === 'confirmed')!;
      talk.title = 'Nul\u0000 in the title';
      talk.abstract = '\u0000';
      data.speakers[0]!.name = 'Ada\u0000 Lovelace';
      await using mirror = await mirrored(backend, data);
      const { dir } = mirror;
      expect((await sync(dir, '-v', '0')).exitCode).toBe(0);
      expect(await dir.query('SELECT title, abstract FROM submission_submission WHERE code = ?', String(talk.code))).toEqual([{ title: 'Nul in the title', abstract: '' }]);
      expect(await count(dir, 'person_speakerprofile', "name = 'Ada Lovelace'")).toBe(1);
      expect((await sync(dir)).stdout).toEndWith('Nothing changed.\n');
    });

    test('texts longer than their columns: the same on both databases (PostgreSQL failed the whole sync), each said on stderr', async () => {
      const data = clone(pyconfrDataset());
      const talk = data.submissions.find((s) => s.state === 'confirmed')!;
      const speaker = data.speakers[0]!;
      // A title of 1,001 characters, 1,002 UTF-16 units: the last character is cut, the microphone kept whole.
      talk.title = `${'\u{1F3A4}'}${'t'.repeat(1000)}`;
      speaker.name = 'n'.repeat(500);
      speaker.avatar_url = `https://pretalx.example.org/media/${'a'.repeat(480)}.png`;
      data.tags = [{ id: 601, tag: 'g'.repeat(51), color: '#445566' }];
      talk.tags = [601];
      await using mirror = await mirrored(backend, data);
      const { dir } = mirror;
      const notes = [
        `Warning: The name of speaker ${speaker.code} has 500 characters: only the first 120 are kept (the most the database holds).`,
        `Warning: The avatar URL of speaker ${speaker.code} has 518 characters, more than the 500 the database holds: it is left out.`,
        `Warning: The title of talk ${talk.code} has 1001 characters: only the first 1000 are kept (the most the database holds).`,
        'Warning: Tag 601 has 51 characters: only the first 50 are kept (the most the database holds).',
      ];
      const first = await sync(dir);
      expect({ exitCode: first.exitCode, stderr: first.stderr.split('\n').sort() }).toEqual({ exitCode: 0, stderr: ['', ...notes, "The event now uses Pretalx's time zone, Europe/Paris."].sort() });
      expect(await dir.query('SELECT title FROM submission_submission WHERE code = ?', String(talk.code))).toEqual([{ title: `${'\u{1F3A4}'}${'t'.repeat(999)}` }]);
      expect(await dir.query('SELECT name, avatar_url FROM person_speakerprofile WHERE code = ?', String(speaker.code))).toEqual([{ name: 'n'.repeat(120), avatar_url: null }]);
      expect(await dir.query('SELECT tag FROM submission_tag')).toEqual([{ tag: 'g'.repeat(50) }]);
      // The next sync keeps the same parts: nothing changes, and the notes come again.
      const again = await sync(dir);
      expect(again.stdout).toEndWith('Nothing changed.\n');
      expect(again.stderr.split('\n').sort()).toEqual(['', ...notes].sort());
    });

    test('tracks, tags, do-not-record and speakers follow upstream, added, changed and taken away', async () => {
      const data = clone(pyconfrDataset());
      data.tracks = [{ id: 501, name: { en: 'Web' }, color: '#112233', position: 1 }];
      data.tags = [{ id: 601, tag: 'beginner', color: '#445566' }, { id: 602, tag: 'advanced', color: '#778899' }];
      const talk = data.submissions.find((s) => s.state === 'confirmed')!;
      Object.assign(talk, { track: 501, tags: [601, 602], do_not_record: true });
      await using mirror = await mirrored(backend, data);
      const { fake, dir } = mirror;
      expect((await sync(dir, '-v', '0')).exitCode).toBe(0);
      const row = async () =>
        (await dir.query<{ track: number | null; dnr: number; tags: string | null }>(`SELECT (SELECT t.pretalx_id FROM submission_track t WHERE t.id = s.track_id) AS track, s.do_not_record AS dnr,
           (SELECT ${dir.groupConcat('g.pretalx_id', 'g.pretalx_id')} FROM (SELECT g.pretalx_id FROM submission_submission_tags st JOIN submission_tag g ON g.id = st.tag_id WHERE st.submission_id = s.id ORDER BY g.pretalx_id) g) AS tags
           FROM submission_submission s WHERE s.code = ?`,
          String(talk.code),
        ))[0]!;
      expect(await row()).toEqual({ track: 501, dnr: 1, tags: '601,602' });
      expect(await dir.query('SELECT color FROM submission_track')).toEqual([{ color: '#112233' }]);

      // Upstream changes: the track goes, one tag goes, recording is allowed, a speaker leaves every talk.
      const speaker = data.speakers.at(-1)!;
      Object.assign(talk, { track: null, tags: [602], do_not_record: false });
      for (const s of data.submissions) s.speakers = (s.speakers as string[]).filter((c) => c !== speaker.code);
      data.speakers = data.speakers.filter((s) => s !== speaker);
      fake.data = data;
      const second = await sync(dir);
      expect(second.exitCode).toBe(0);
      expect(await row()).toEqual({ track: null, dnr: 0, tags: '602' });
      expect(await dir.query('SELECT count(*) AS n FROM person_speakerprofile WHERE code = ?', String(speaker.code))).toEqual([{ n: 0 }]);
      expect(second.stdout).toContain('speakers +0 ~0 -1');
      expect((await sync(dir)).stdout).toEndWith('Nothing changed.\n');
    });

    test('on a terminal, stderr shows the requests as they go and is cleared at the end', async () => {
      await using mirror = await mirrored(backend, pyconfrDataset());
      const { dir } = mirror;
      const result = await dir.call(['sync_pretalx', '--conference', 'conf'], { env, tty: { stderr: true } });
      expect(result.stderr).toStartWith('\rFetching from Pretalx: 1 request\rFetching from Pretalx: 2 requests');
      expect(result.stderr).toEndWith("\r\x1b[KThe event now uses Pretalx's time zone, Europe/Paris.\n");
      expect((await sync(dir)).stderr).toBe('');
    });

    test('named steps run in order rooms, speakers, talks, schedule and print a line each', async () => {
      await using mirror = await mirrored(backend, pyconfrDataset());
      const { dir } = mirror;
      const result = await sync(dir, '--schedule', '--rooms');
      expect(result.stdout).toStartWith('Synced 13 rooms\nSynced 93 schedule slots\n');
    });
  });

  describe(`sync_pretalx: the mirror holds what Pretalx sent, field by field (${backend})`, () => {
    const i18n = (value: unknown) => (value && typeof value === 'object' && Object.keys(value).length > 0 ? JSON.stringify(value) : null);
    const utc = (value: unknown) => new Date(String(value)).toISOString().replace('T', ' ').slice(0, 19);

    /** What the database should hold for a dataset: each table as Pretalx's objects say. */
    function expected(data: Dataset) {
      const talks = new Set(data.submissions.map((s) => s.code));
      const byRoomAndStart = (a: { room: unknown; start: unknown; code: unknown }, b: typeof a) => `${a.start} ${a.room} ${a.code}`.localeCompare(`${b.start} ${b.room} ${b.code}`);
      const byId = <T extends { id: unknown }>(rows: T[]) => rows.sort((a, b) => Number(a.id) - Number(b.id));
      return {
        rooms: byId(data.rooms.map((r) => ({ id: r.id, name: JSON.stringify(r.name), guid: r.guid ?? r.uuid ?? null, description: i18n(r.description), capacity: r.capacity ?? null, position: r.position ?? null }))),
        // Colours are stored as #rrggbb, lower case.
        tracks: byId(data.tracks.map((t) => ({ id: t.id, name: JSON.stringify(t.name), color: String(t.color).toLowerCase(), position: t.position ?? null }))),
        types: byId(data.types.map((t) => ({ id: t.id, name: JSON.stringify(t.name), default_duration: t.default_duration }))),
        tags: byId(data.tags.map((t) => ({ id: t.id, tag: t.tag, color: String(t.color).toLowerCase() }))),
        speakers: [...data.speakers].sort((a, b) => String(a.code).localeCompare(String(b.code))).map((s) => ({ code: s.code, name: s.name, biography: s.biography ?? null, avatar_url: s.avatar_url ?? null, email: s.email ?? null })),
        talks: data.submissions.map((s) => ({
          code: s.code, title: s.title, state: s.state, abstract: s.abstract, description: s.description, duration: s.duration, slot_count: s.slot_count,
          content_locale: s.content_locale, do_not_record: s.do_not_record ? 1 : 0, type: s.submission_type, track: s.track, speakers: (s.speakers as string[]).join(',') || null,
          tags: [...(s.tags as number[])].sort((a, b) => a - b).join(',') || null,
        })),
        slots: data.slots
          .filter((s) => s.submission === null || talks.has(s.submission))
          .map((s) => ({ code: s.submission, room: s.room, start: utc(s.start), end: utc(s.end), slot_type: s.submission === null ? 'break' : 'talk', description: i18n(s.description) }))
          .sort(byRoomAndStart),
      };
    }

    /** What the database holds, in the same shape. */
    async function mirror(dir: Site) {
      const sorted = <T extends { start: unknown; room: unknown; code: unknown }>(rows: T[]) => rows.sort((a, b) => `${a.start} ${a.room} ${a.code}`.localeCompare(`${b.start} ${b.room} ${b.code}`));
      return {
        rooms: await dir.query('SELECT pretalx_id AS id, name, guid, description, capacity, position FROM schedule_room ORDER BY pretalx_id'),
        tracks: await dir.query('SELECT pretalx_id AS id, name, color, position FROM submission_track ORDER BY pretalx_id'),
        types: await dir.query('SELECT pretalx_id AS id, name, default_duration FROM submission_submissiontype WHERE pretalx_id IS NOT NULL ORDER BY pretalx_id'),
        tags: await dir.query('SELECT pretalx_id AS id, tag, color FROM submission_tag ORDER BY pretalx_id'),
        speakers: await dir.query('SELECT code, name, biography, avatar_url, email FROM person_speakerprofile ORDER BY code'),
        talks: await dir.query(`SELECT s.code, s.title, s.state, s.abstract, s.description, s.duration, s.slot_count, s.content_locale, s.do_not_record,
             (SELECT pretalx_id FROM submission_submissiontype WHERE id = s.submission_type_id) AS type, (SELECT pretalx_id FROM submission_track WHERE id = s.track_id) AS track,
             (SELECT ${dir.groupConcat('code', 'position')} FROM (SELECT p.code, r.position FROM submission_speakerrole r JOIN person_speakerprofile p ON p.id = r.speaker_id WHERE r.submission_id = s.id ORDER BY r.position) AS x) AS speakers,
             (SELECT ${dir.groupConcat('pretalx_id', 'pretalx_id')} FROM (SELECT g.pretalx_id FROM submission_submission_tags t JOIN submission_tag g ON g.id = t.tag_id WHERE t.submission_id = s.id ORDER BY g.pretalx_id) AS x) AS tags
           FROM submission_submission s ORDER BY s.id`,
        ),
        slots: sorted(
          await dir.query<{ code: unknown; room: unknown; start: unknown; end: unknown; slot_type: unknown; description: unknown }>(`SELECT (SELECT code FROM submission_submission WHERE id = t.submission_id) AS code, (SELECT pretalx_id FROM schedule_room WHERE id = t.room_id) AS room,
               t.start, t."end", t.slot_type, t.description
             FROM schedule_talkslot t WHERE t.schedule_id = (SELECT id FROM schedule_schedule WHERE version IS NOT NULL ORDER BY published DESC, id DESC LIMIT 1)`,
          ),
        ),
      };
    }

    /** PyCon FR with what it lacks: tracks, tags, a break, room details, an e-mail, a talk not to record. */
    function richDataset(): Dataset {
      const data = clone(pyconfrDataset());
      data.tracks = [{ id: 501, name: { en: 'Web', fr: 'Toile' }, color: '#112233', position: 2 }, { id: 502, name: { en: 'Data' }, color: '#AABBCC', position: 1 }];
      data.tags = [{ id: 601, tag: 'beginner', color: '#445566' }, { id: 602, tag: 'advanced', color: '#778899' }];
      data.submissions.forEach((s, i) => Object.assign(s, { track: i % 3 === 0 ? null : 501 + (i % 2), tags: i % 4 === 0 ? [602, 601] : i % 4 === 1 ? [601] : [], do_not_record: i % 5 === 0 }));
      data.rooms.forEach((r, i) => Object.assign(r, { description: i % 2 ? { en: `Floor ${i}`, fr: `Étage ${i}` } : {}, capacity: i % 3 ? 50 * i : null }));
      // Lookups no talk uses (upstream may remove them), and a talk without a type (it gets the event's own).
      data.tracks.push({ id: 503, name: { en: 'Unused' }, color: '#123456', position: 3 });
      data.tags.push({ id: 603, tag: 'unused', color: '#654321' });
      data.types.push({ id: 777, name: { en: 'Unused' }, default_duration: 10 });
      data.rooms.push({ id: 999, name: { en: 'Spare room' }, description: {}, guid: null, capacity: null, position: 99 });
      data.submissions[2]!.submission_type = null;
      data.speakers[0]!.email = 'first@example.org';
      const first = data.slots[0]!;
      data.slots.push({ id: 99_001, room: first.room, start: '2025-10-30T12:30:00+01:00', end: '2025-10-30T13:30:00+01:00', submission: null, schedule: 1, description: { en: 'Lunch', fr: 'Déjeuner' }, duration: 60 });
      return data;
    }

    test('a first sync stores every field of every object; a second after upstream changes every field stores the new ones', async () => {
      const data = richDataset();
      await using mirrored_ = await mirrored(backend, data);
      const { fake, dir } = mirrored_;
      expect((await sync(dir, '-v', '0')).exitCode).toBe(0);
      expect(await mirror(dir)).toEqual(expected(data));
      // The talk without a type has the event's own (the CfP's "Talk"); no other type is made for it.
      expect(await count(dir, 'submission_submissiontype', 'pretalx_id IS NULL')).toBe(1);
      const order = data.submissions.map((s) => s.code);

      // Upstream changes one object of each kind in every field; a break moves.
      const changed = clone(data);
      Object.assign(changed.rooms[1]!, { name: { en: 'Amphi B', fr: 'Amphi B' }, description: { en: 'Upstairs' }, capacity: 7, position: 99 });
      Object.assign(changed.tracks[0]!, { name: { en: 'The Web' }, color: '#000001', position: 5 });
      Object.assign(changed.types[0]!, { name: { en: 'Long talk' }, default_duration: 45 });
      Object.assign(changed.tags[0]!, { tag: 'newcomer', color: '#000002' });
      Object.assign(changed.speakers[1]!, { name: 'Renamed Person', biography: 'New bio', avatar_url: 'https://pretalx.example/media/new.png', email: 'new@example.org' });
      const talk = changed.submissions[1]!;
      Object.assign(talk, { title: 'New title', abstract: 'New abstract', description: 'New description', duration: 55, content_locale: 'en', do_not_record: !talk.do_not_record, submission_type: changed.types[1]!.id, track: 502, tags: [602], speakers: [changed.speakers[2]!.code, ...(talk.speakers as string[])] });
      const slot = changed.slots.find((s) => s.submission === talk.code)!;
      Object.assign(slot, { start: '2025-11-01T08:05:00+01:00', end: '2025-11-01T09:00:00+01:00' });
      Object.assign(changed.slots.at(-1)!, { start: '2025-10-30T12:00:00+01:00', description: { en: 'Early lunch' } });
      changed.tracks.pop();
      changed.tags.pop();
      changed.types.pop();
      changed.rooms.pop();
      // A talk goes (it is canceled here) and its slots with it.
      const gone = changed.submissions.splice(changed.submissions.findIndex((s, i) => i > 3 && (s.slots as unknown[]).length === 1), 1)[0]!;
      changed.slots = changed.slots.filter((s) => s.submission !== gone.code);
      fake.data = changed;
      const second = await sync(dir);
      expect(second.stdout).toBe('Synced 13 rooms, 87 speakers, 83 talks, 93 schedule slots\nChanged: rooms +0 ~1 -1, tracks +0 ~1 -1, types +0 ~1 -1, tags +0 ~1 -1, speakers +0 ~1 -0, talks +0 ~1 -1, slots +1 ~1 -2\n');
      const canceled = { ...expected(data).talks.find((t) => t.code === gone.code)!, state: 'canceled' };
      expect(await mirror(dir)).toEqual({ ...expected(changed), talks: [...expected(changed).talks, canceled].sort((a, b) => order.indexOf(a.code) - order.indexOf(b.code)) });
      expect(await count(dir, 'submission_submissiontype', 'pretalx_id IS NULL')).toBe(1);
      expect((await sync(dir)).stdout).toEndWith('Nothing changed.\n');
    });
  });

  describe(`sync_pretalx: order and thresholds (${backend})`, () => {
    test('slots that come in another order are numbered by their start: the same data in reverse changes nothing', async () => {
      await using mirror = await mirrored(backend, pyconfrDataset());
      const { fake, dir } = mirror;
      expect((await sync(dir, '-v', '0')).exitCode).toBe(0);
      const reversed = clone(fake.data);
      reversed.slots.reverse();
      fake.data = reversed;
      expect((await sync(dir)).stdout).toEndWith('Nothing changed.\n');
    });

    test('a talk without a type, in an event with no type at all, gets a new "Talk" type', async () => {
      const data = clone(synthesizedDataset());
      data.types = [];
      for (const talk of data.submissions) talk.submission_type = null;
      await using mirror = await mirrored(backend, data, { slug: String(data.event.slug) });
      const { dir } = mirror;
      await dir.run('DELETE FROM submission_cfp');
      await dir.run('DELETE FROM submission_submissiontype');
      expect((await sync(dir, '-v', '0')).exitCode).toBe(0);
      expect(await dir.query('SELECT t.name, t.pretalx_id, count(s.id) AS talks FROM submission_submissiontype t LEFT JOIN submission_submission s ON s.submission_type_id = t.id GROUP BY t.id')).toEqual([
        { name: JSON.stringify({ en: 'Talk' }), pretalx_id: null, talks: data.submissions.length },
      ]);
    });

    test('guard_max_fraction = 0 refuses any drop, yet lets through a sync that drops nothing', async () => {
      await using mirror = await mirrored(backend, pyconfrDataset());
      const { fake, dir } = mirror;
      dir.write({ 'confctl.toml': '[sync]\npace = 0\nbackoff = 1\nretries = 2\nguard_min_existing = 0\nguard_max_fraction = 0\n' });
      expect((await sync(dir, '-v', '0')).exitCode).toBe(0);
      expect((await sync(dir)).stdout).toEndWith('Nothing changed.\n');
      const fewer = clone(fake.data);
      fewer.speakers = fewer.speakers.slice(1);
      for (const talk of fewer.submissions) talk.speakers = (talk.speakers as string[]).filter((code) => fewer.speakers.some((sp) => sp.code === code));
      fake.data = fewer;
      expect((await sync(dir)).stderr).toStartWith('CommandError: Aborting sync: would remove 1/87 existing speakers');
    });
  });

  describe(`sync_pretalx: moves, renames and removals (${backend})`, () => {
    test('a full reflow (new times and rooms) updates slots in place; nothing is removed', async () => {
      const data = pyconfrDataset();
      await using mirror = await mirrored(backend, data);
      const { fake, dir } = mirror;
      await sync(dir);
      const ids = await dir.query('SELECT id FROM schedule_talkslot ORDER BY id');
      const moved = clone(data);
      const rooms = moved.rooms.map((r) => r.id as number);
      moved.slots = moved.slots.map((s, i) => ({ ...s, id: 10_000 + i, room: rooms[(rooms.indexOf(s.room as number) + 1) % rooms.length], start: shift(s.start, 2), end: shift(s.end, 2) }));
      fake.data = moved;
      const result = await sync(dir);
      expect(result.stdout).toBe('Synced 13 rooms, 87 speakers, 84 talks, 93 schedule slots\nChanged: slots +0 ~93 -0\n');
      expect(await dir.query('SELECT id FROM schedule_talkslot ORDER BY id')).toEqual(ids);
    });

    test('a mass room rename is an update of every room, not a deletion', async () => {
      const data = pyconfrDataset();
      await using mirror = await mirrored(backend, data);
      const { fake, dir } = mirror;
      await sync(dir);
      const renamed = clone(data);
      renamed.rooms = renamed.rooms.map((r) => ({ ...r, name: { en: `Hall ${r.id}` } }));
      fake.data = renamed;
      expect((await sync(dir)).stdout).toBe('Synced 13 rooms, 87 speakers, 84 talks, 93 schedule slots\nChanged: rooms +0 ~13 -0\n');
      expect(await count(dir, 'schedule_room', "name LIKE '%Hall%'")).toBe(13);
    });

    test('a transient upstream drop is refused by the guard and nothing is written', async () => {
      const data = pyconfrDataset();
      await using mirror = await mirrored(backend, data);
      const { fake, dir } = mirror;
      await sync(dir);
      const before = await dir.dump();
      const half = clone(data);
      half.slots = half.slots.slice(0, 50);
      fake.data = half;
      expect(await sync(dir)).toEqual({
        stdout: '',
        stderr:
          'CommandError: Aborting schedule sync: would remove 43/93 existing slots (46.2%), which exceeds the configured safety threshold. Retry with --allow-large-schedule-drop only if this is intentional.\n',
        exitCode: 1,
      });
      expect(await dir.dump()).toBe(before);
      const allowed = await sync(dir, '--allow-large-schedule-drop');
      expect(allowed.exitCode).toBe(0);
      expect(await count(dir, 'schedule_talkslot')).toBe(50);
    });

    test('the guard protects rooms and speakers too', async () => {
      const data = pyconfrDataset();
      await using mirror = await mirrored(backend, data);
      const { fake, dir } = mirror;
      await sync(dir, '-v', '0');
      const before = await dir.dump();
      const fewerRooms = clone(data);
      fewerRooms.rooms = fewerRooms.rooms.slice(0, 5);
      fake.data = fewerRooms;
      expect((await sync(dir, '--rooms')).stderr).toStartWith('CommandError: Aborting sync: would remove 8/13 existing rooms (61.5%)');
      const fewerSpeakers = clone(data);
      fewerSpeakers.speakers = fewerSpeakers.speakers.slice(0, 20);
      fake.data = fewerSpeakers;
      expect((await sync(dir, '--speakers')).stderr).toStartWith('CommandError: Aborting sync: would remove 67/87 existing speakers (77.0%)');
      expect(await dir.dump()).toBe(before);
    });

    test('the guard protects talks too: half the talks vanishing aborts, naming the flag that lets it through', async () => {
      const data = pyconfrDataset();
      await using mirror = await mirrored(backend, data);
      const { fake, dir } = mirror;
      await sync(dir);
      const before = await dir.dump();
      const fewer = clone(data);
      fewer.submissions = fewer.submissions.slice(0, 40);
      fewer.slots = fewer.slots.filter((s) => fewer.submissions.some((t) => t.code === s.submission));
      fake.data = fewer;
      const result = await sync(dir);
      expect(result).toEqual({
        stdout: '',
        stderr:
          'CommandError: Aborting sync: would remove 44/84 existing talks (52.4%), which exceeds the configured safety threshold (sync.guard_max_fraction, sync.guard_min_existing). Nothing was written. Retry with --allow-large-schedule-drop only if this is intentional.\n',
        exitCode: 1,
      });
      expect(await dir.dump()).toBe(before);
      // The flag lets an intended drop through for every kind, not only the slots.
      const allowed = await sync(dir, '--allow-large-schedule-drop', '-v', '0');
      expect(allowed.exitCode).toBe(0);
      expect(await count(dir, 'submission_submission', "state != 'canceled'")).toBe(40); // vanished talks are marked canceled
    });

    const boundaries: [number, number, boolean][] = [
      [5, 2, false],
      [10, 3, true],
      [4, 4, true],
    ];
    for (const [existing, stale, proceeds] of boundaries) {
      test(`guard boundary: ${existing} existing slots, ${stale} gone ${proceeds ? 'proceeds' : 'aborts'}`, async () => {
        const data = synthesizedDataset();
        const base = data.submissions[0]!;
        data.submissions = Array.from({ length: existing }, (_, i) => ({ ...base, code: `TALK${i}`, speakers: [], slots: [900 + i] }));
        data.slots = data.submissions.map((s, i) => ({ id: 900 + i, room: 11, start: `2026-03-10T${String(9 + i).padStart(2, '0')}:00:00+01:00`, end: `2026-03-10T${String(9 + i).padStart(2, '0')}:30:00+01:00`, submission: s.code, schedule: 6, description: {}, duration: 30 }));
        await using mirror = await mirrored(backend, data, { slug: 'democon' });
        const { fake, dir } = mirror;
        expect((await sync(dir)).exitCode).toBe(0);
        const next = clone(data);
        next.slots = next.slots.slice(stale);
        fake.data = next;
        const result = await sync(dir, '--schedule');
        expect(result.exitCode).toBe(proceeds ? 0 : 1);
        expect(await count(dir, 'schedule_talkslot')).toBe(proceeds ? existing - stale : existing);
      });
    }

    test('talks that vanish are marked canceled and no longer count as unscheduled', async () => {
      const data = pyconfrDataset();
      await using mirror = await mirrored(backend, data);
      const { fake, dir } = mirror;
      await sync(dir);
      const gone = clone(data);
      const code = gone.submissions[0]!.code;
      gone.submissions = gone.submissions.slice(1);
      gone.slots = gone.slots.filter((s) => s.submission !== code);
      fake.data = gone;
      const result = await sync(dir);
      expect(result.exitCode).toBe(0);
      expect(await dir.query('SELECT state FROM submission_submission WHERE code = ?', String(code))).toEqual([{ state: 'canceled' }]);
    });

    test('a new release becomes a new local version; the old one stays as history', async () => {
      const data = pyconfrDataset();
      await using mirror = await mirrored(backend, data);
      const { fake, dir } = mirror;
      await sync(dir);
      const next = clone(data);
      next.schedule = { id: 2, version: '1.1', published: '2025-10-29T08:00:00+01:00' };
      Object.assign(next.slots[0]!, { start: shift(next.slots[0]!.start, 1), end: shift(next.slots[0]!.end, 1) });
      fake.data = next;
      // Counted against the release before: one slot moved, the other 92 as they were.
      expect((await sync(dir)).stdout).toBe('Synced 13 rooms, 87 speakers, 84 talks, 93 schedule slots\nChanged: slots +0 ~1 -0\n');
      expect(await dir.query("SELECT version, (SELECT count(*) FROM schedule_talkslot t WHERE t.schedule_id = s.id) AS slots FROM schedule_schedule s WHERE version IS NOT NULL ORDER BY id")).toEqual([
        { version: '1.0', slots: 93 },
        { version: '1.1', slots: 93 },
      ]);
      expect((await sync(dir)).stdout).toEndWith('Nothing changed.\n');
    });
  });

  describe(`sync_pretalx: talking to Pretalx (${backend})`, () => {
    test('pages by next links only, removes duplicates across pages, asks for a page size', async () => {
      const data = pyconfrDataset();
      await using mirror = await mirrored(backend, data, { maxPageSize: 20 });
      const { fake, dir } = mirror;
      // The same speaker on every page of speakers/: a duplicate across pages.
      const dup = data.speakers[0]!;
      fake.data = { ...data, speakers: data.speakers.flatMap((s, i) => (i % 20 === 19 ? [s, dup] : [s])) };
      expect((await sync(dir)).exitCode).toBe(0);
      expect(await count(dir, 'person_speakerprofile')).toBe(87);
      expect(fake.requests.some((r) => r.url.includes('page_size=250'))).toBe(true);
      expect(fake.requests.filter((r) => r.url.includes('/submissions/')).length).toBe(5);
    });

    test('the pace setting spaces the requests (2 per second by default; 10 here)', async () => {
      await using mirror = await mirrored(backend, synthesizedDataset(), { slug: 'democon' });
      const { fake, dir } = mirror;
      dir.write({ 'confctl.toml': '[sync]\npace = 10\nbackoff = 1\n' });
      const started = performance.now();
      expect((await sync(dir)).exitCode).toBe(0);
      const elapsed = performance.now() - started;
      // 10 requests at 10 per second: the last one leaves no earlier than 0.9 s after the first.
      expect(fake.requests.length).toBe(10);
      expect(elapsed).toBeGreaterThanOrEqual(900);
    });

    test('retries 5xx and 429 (with Retry-After), then succeeds', async () => {
      await using mirror = await mirrored(backend, pyconfrDataset());
      const { fake, dir } = mirror;
      fake.faults = [
        { path: 'rooms/', status: 502, times: 2 },
        { path: 'slots/', status: 429, times: 1, headers: { 'retry-after': '0' } },
      ];
      const result = await sync(dir);
      expect(result.exitCode).toBe(0);
      // Each retry is announced on stderr (verbosity 1), the waits rounded to a tenth of a second.
      const rooms = `${fake.url}/api/events/pyconfr-2025/rooms/?page_size=250`;
      expect(result.stderr.split('\n').filter(Boolean).sort()).toEqual([
        `Pretalx answered 429 for ${fake.url}/api/events/pyconfr-2025/slots/?page_size=250; retrying in 0 s (attempt 2 of 3)`,
        `Pretalx answered 502 for ${rooms}; retrying in 0 s (attempt 2 of 3)`,
        `Pretalx answered 502 for ${rooms}; retrying in 0 s (attempt 3 of 3)`,
        "The event now uses Pretalx's time zone, Europe/Paris.",
      ]);
    });

    const failures: [string, Partial<{ status: number; body: string }>, string][] = [
      ['401', { status: 401, body: '{"detail": "Invalid token."}' }, 'Pretalx refused the token (401) for URL {url}speakers/?page_size=250: check CONFCTL_PRETALX_TOKEN or [pretalx.tokens].'],
      ['403', { status: 403 }, 'Pretalx denied access (403) to URL {url}speakers/?page_size=250: the token lacks the permission for this event or endpoint.'],
      ['a lasting 503', { status: 503 }, 'Pretalx API request failed: 503 for URL {url}speakers/?page_size=250 (after 2 retries)'],
      ['a body that is not JSON', { status: 200, body: '<html>maintenance</html>' }, 'Pretalx sent something that is not JSON for URL {url}speakers/?page_size=250 (<html>maintenance</html>).'],
      ['an unexpected shape', { status: 200, body: '{"items": []}' }, 'Pretalx sent an unexpected shape for URL {url}speakers/?page_size=250: expected a list or {count, next, results}.'],
    ];
    test('a 401 without a configured token says to configure one; --dry-run of named steps says "Would sync"', async () => {
      await using mirror = await mirrored(backend, pyconfrDataset());
      const { fake, dir } = mirror;
      fake.faults = [{ path: 'speakers/', status: 401, times: Infinity, body: '{"detail": "Authentication credentials were not provided."}' }];
      const { CONFCTL_PRETALX_TOKEN: _, ...noToken } = env;
      expect(await dir.call(['sync_pretalx', '--conference', 'conf', '-v', '0'], { env: noToken })).toEqual({
        stdout: '',
        stderr: `CommandError: Pretalx wants a token (401) for URL ${fake.url}/api/events/pyconfr-2025/speakers/?page_size=250, and none is configured for ${fake.url}: set CONFCTL_PRETALX_TOKEN, or add it under [pretalx.tokens] in the settings file.\n`,
        exitCode: 1,
      });
      fake.faults = [];
      expect((await sync(dir, '--rooms', '--talks', '--dry-run')).stdout).toStartWith('Would sync 13 rooms\nWould sync 84 talks\n');
    });

    test('a truncated body or a maintenance page is retried like a 503; a lasting one is one line with a one-line excerpt', async () => {
      await using mirror = await mirrored(backend, pyconfrDataset());
      const { fake, dir } = mirror;
      const page = '<!DOCTYPE html>\n<html>\n  <head><title>Down for maintenance</title></head>\n  <body>Back soon.</body>\n</html>\n';
      fake.faults = [
        { path: 'speakers/', status: 200, times: 1, body: page },
        { path: 'rooms/', status: 200, times: 1, body: '{"count": 13, "next": null, "results": [{"id": 1, "name"' },
      ];
      const result = await sync(dir);
      expect(result.exitCode).toBe(0);
      expect(result.stderr.split('\n').filter((l) => l.startsWith('Pretalx')).sort()).toEqual([
        `Pretalx sent something that is not JSON for ${fake.url}/api/events/pyconfr-2025/rooms/?page_size=250; retrying in 0 s (attempt 2 of 3)`,
        `Pretalx sent something that is not JSON for ${fake.url}/api/events/pyconfr-2025/speakers/?page_size=250; retrying in 0 s (attempt 2 of 3)`,
      ]);
      fake.faults = [{ path: 'speakers/', status: 200, times: Infinity, body: page }];
      expect(await sync(dir, '-v', '0')).toEqual({
        stdout: '',
        stderr: `CommandError: Pretalx sent something that is not JSON for URL ${fake.url}/api/events/pyconfr-2025/speakers/?page_size=250 (<!DOCTYPE html> <html> <head><title>Down for maintenance</ti…).\n`,
        exitCode: 1,
      });
    });

    for (const [what, fault, message] of failures) {
      test(`${what} is one CommandError line and nothing is written`, async () => {
        await using mirror = await mirrored(backend, pyconfrDataset());
        const { fake, dir } = mirror;
        fake.faults = [{ path: 'speakers/', status: fault.status ?? 500, times: Infinity, ...(fault.body ? { body: fault.body } : {}) }];
        const before = await dir.dump();
        expect(await sync(dir, '-v', '0')).toEqual({ stdout: '', stderr: `CommandError: ${message.replace('{url}', `${fake.url}/api/events/pyconfr-2025/`)}\n`, exitCode: 1 });
        expect(await dir.dump()).toBe(before);
      });
    }

    test('a next link to another origin is refused, and the token never goes there', async () => {
      using other = fakePretalx(pyconfrDataset());
      await using mirror = await mirrored(backend, pyconfrDataset(), { maxPageSize: 50 });
      const { fake, dir } = mirror;
      fake.override = (url) =>
        url.pathname.endsWith('/speakers/') && !url.searchParams.has('page')
          ? Response.json({ count: 100, next: `${other.url}/api/events/pyconfr-2025/speakers/?page=2`, previous: null, results: [] })
          : undefined;
      const result = await sync(dir);
      expect(result.exitCode).toBe(1);
      expect(result.stderr).toBe(`CommandError: Pretalx sent a link to ${other.url}, not ${fake.url}: refusing to follow it (the token is only for ${fake.url}).\n`);
      expect(other.requests).toEqual([]);
    });

    test('a paging loop is detected', async () => {
      await using mirror = await mirrored(backend, pyconfrDataset());
      const { fake, dir } = mirror;
      fake.override = (url) =>
        url.pathname.endsWith('/tags/') ? Response.json({ count: 3, next: `${fake.url}/api/events/pyconfr-2025/tags/?page_size=250`, previous: null, results: [] }) : undefined;
      const result = await sync(dir);
      expect(result.stderr).toBe(`CommandError: Pretalx's paging of events/pyconfr-2025/tags/ loops back to ${fake.url}/api/events/pyconfr-2025/tags/?page_size=250.\n`);
    });

    test('a 2025.x server (v1): /api/ is 404, so v1 is asked for, and the sync works', async () => {
      await using mirror = await mirrored(backend, pyconfrDataset(), { api: 'v1' });
      const { fake, dir } = mirror;
      expect((await sync(dir)).exitCode).toBe(0);
      expect(await count(dir, 'submission_submission')).toBe(84);
      // The v2 requests that left beside the root were refused (400); everything was read again as v1.
      const v1 = fake.requests.filter((r) => r.version === 'v1').map((r) => new URL(r.url).pathname + new URL(r.url).search.replace('?page_size=250', ''));
      const lists = ['rooms', 'speakers', 'submissions', 'slots', 'tracks', 'submission-types', 'tags'].map((l) => `/api/events/pyconfr-2025/${l}/`);
      expect(v1.sort()).toEqual([...lists, ...['speakers', 'submissions', 'slots'].map((l) => `/api/events/pyconfr-2025/${l}/&page=2`), '/api/events/pyconfr-2025/', '/api/events/pyconfr-2025/schedules/latest/'].sort());
    });

    for (const api of ['v1', 'legacy'] as const) {
      test(`with a pace, a ${api} server never sees the v2 requests asked for beside the root`, async () => {
        await using mirror = await mirrored(backend, pyconfrDataset(), { api });
        const { fake, dir } = mirror;
        dir.write({ 'confctl.toml': '[sync]\npace = 50\nbackoff = 1\n' });
        expect((await sync(dir)).exitCode).toBe(0);
        // They waited for their moment (20 ms apart), and the root's answer abandoned them first.
        expect(fake.requests.filter((r) => r.version === 'v2')).toEqual([]);
        expect(fake.requests[0]!.url).toBe(`${fake.url}/api/`);
      });
    }

    test('a legacy server (pretalx ≤ 2024.3): limit/offset pages, one slot per talk, names beside ids', async () => {
      await using mirror = await mirrored(backend, pyconfrDataset(), { api: 'legacy' });
      const { fake, dir } = mirror;
      const result = await sync(dir);
      expect(result.stderr).toBe("The event now uses Pretalx's time zone, Europe/Paris.\n");
      // The legacy API shows one slot per confirmed talk (the 9 repeats are not visible there), so the 4
      // accepted talks count as unscheduled.
      expect(result.stdout).toBe('Synced 13 rooms, 87 speakers, 84 talks, 80 schedule slots\nChanged: rooms +13 ~0 -0, types +9 ~0 -0, speakers +87 ~0 -0, talks +84 ~0 -0, slots +80 ~0 -0 (4 unscheduled)\n');
      expect(await count(dir, 'submission_submissiontype')).toBe(10);
      expect(fake.requests.some((r) => r.url.includes('offset=25'))).toBe(true);
      // Read without a version header, after the v2 requests that left beside the root were abandoned.
      expect(fake.requests.filter((r) => r.url.includes('offset=') || r.url.includes('schedules/latest')).every((r) => r.version === null)).toBe(true);
      expect((await sync(dir)).stdout).toEndWith('Nothing changed.\n');
    });

    test("django-program's errors: unknown conference, no Pretalx source, unknown Pretalx event", async () => {
      await using mirror = await mirrored(backend, pyconfrDataset(), { slug: 'no-such-event' });
      const { fake, dir } = mirror;
      await dir.call(['create_event', '--slug', 'local', '--name', 'Local', '--date-from', '2026-01-01', '--date-to', '2026-01-01', '-v', '0'], { env });
      expect((await dir.call(['sync_pretalx', '--conference', 'nope'], { env })).stderr).toBe("CommandError: Conference with slug 'nope' not found\n");
      expect((await dir.call(['sync_pretalx', '--conference', 'local'], { env })).stderr).toBe("CommandError: Conference 'local' has no pretalx_event_slug configured\n");
      expect((await sync(dir)).stderr).toBe(`CommandError: Pretalx has no event "no-such-event" at ${fake.url}/api/events/no-such-event/ (404).\n`);
    });
  });

  describe(`create_event --from-pretalx (${backend})`, () => {
    test('takes name, dates, time zone and languages from the Pretalx event, then syncs', async () => {
      using fake = fakePretalx(pyconfrDataset());
      await using dir = await newSite(backend);
      await dir.migrated();
      const result = await dir.call(['create_event', '--from-pretalx', `${fake.url}/pyconfr-2025/`], { env });
      expect(result).toEqual({
        stdout: `Created event "PyCon FR 2025" (pyconfr-2025): 2025-10-30 to 2025-11-02, Europe/Paris, mirrors pyconfr-2025 from ${fake.url}.\n`,
        stderr: '',
        exitCode: 0,
      });
      expect(await dir.query('SELECT name, locale, locales, timezone, pretalx_base_url FROM event_event')).toEqual([
        { name: '{"en":"PyCon FR 2025","fr":"PyCon FR 2025"}', locale: 'fr', locales: '["fr","en"]', timezone: 'Europe/Paris', pretalx_base_url: fake.url },
      ]);
      dir.write({ 'confctl.toml': '[sync]\npace = 0\n' });
      expect((await dir.call(['sync_pretalx', '--conference', 'pyconfr-2025'], { env })).exitCode).toBe(0);
    });

    test('the API URL works too; options given on the command line win', async () => {
      using fake = fakePretalx(pyconfrDataset());
      await using dir = await newSite(backend);
      await dir.migrated();
      const result = await dir.call(['create_event', '--from-pretalx', `${fake.url}/api/events/pyconfr-2025/`, '--slug', 'pyfr', '--timezone', 'UTC'], { env });
      expect(result.exitCode).toBe(0);
      expect(await dir.query('SELECT slug, timezone, pretalx_event_slug FROM event_event')).toEqual([{ slug: 'pyfr', timezone: 'UTC', pretalx_event_slug: 'pyconfr-2025' }]);
      expect((await dir.call(['create_event', '--from-pretalx', `${fake.url}/nope/`, '--slug', 'x'], { env })).stderr).toBe(`CommandError: Pretalx has no event "nope" at ${fake.url}.\n`);
      expect((await dir.call(['create_event', '--from-pretalx', 'not a url'], { env })).stderr).toBe('CommandError: --from-pretalx must be the URL of a Pretalx event, not "not a url".\n');
    });
  });

  describe(`runperiodic syncs events that have a sync interval (${backend})`, () => {
    test('create_event --sync-interval, then runperiodic mirrors the event, and not again before the interval', async () => {
      using fake = fakePretalx(pyconfrDataset());
      await using dir = await newSite(backend);
      await dir.migrated();
      dir.write({ 'confctl.toml': '[sync]\npace = 0\nbackoff = 1\n' });
      const made = await dir.call(['create_event', '--slug', 'conf', '--name', 'Conf', '--date-from', '2025-10-30', '--date-to', '2025-11-02', '--pretalx-url', fake.url, '--pretalx-event', 'pyconfr-2025', '--sync-interval', '30', '-v', '0'], { env });
      expect(made.exitCode).toBe(0);
      const first = await dir.call(['runperiodic', '-v', '2', '--no-pretalx-information'], { env });
      expect(first.exitCode).toBe(0);
      expect(first.stderr).toContain('sync_pretalx:conf: ran: synced 13 rooms, 87 speakers, 84 talks, 93 schedule slots\n');
      expect(await count(dir, 'submission_submission')).toBe(84);
      const requests = fake.requests.length;
      const again = await dir.call(['runperiodic', '-v', '2', '--no-pretalx-information'], { env: { ...env, CONFCTL_NOW: '2026-05-01T09:20:00Z' } });
      expect(again.stderr).toContain('sync_pretalx:conf: skipped: last run 2026-05-01T09:00:00.000Z, runs every 30 minutes\n');
      expect(fake.requests.length).toBe(requests);
    });

    test('a failing sync fails runperiodic after the other tasks ran', async () => {
      using fake = fakePretalx(pyconfrDataset());
      await using dir = await newSite(backend);
      await dir.migrated();
      dir.write({ 'confctl.toml': '[sync]\npace = 0\nbackoff = 1\nretries = 0\n' });
      await dir.call(['create_event', '--slug', 'conf', '--name', 'Conf', '--date-from', '2025-10-30', '--date-to', '2025-11-02', '--pretalx-url', fake.url, '--pretalx-event', 'pyconfr-2025', '--sync-interval', '5', '-v', '0'], { env });
      fake.faults = [{ path: '*', status: 500, times: Infinity }];
      const result = await dir.call(['runperiodic'], { env });
      expect(result.exitCode).toBe(1);
      expect(result.stderr).toBe(`sync_pretalx:conf: failed: Pretalx API request failed: 500 for URL ${fake.url}/api/events/pyconfr-2025/ (after 0 retries)\nCommandError: 1 of 2 periodic tasks failed: sync_pretalx:conf.\n`);
    });

    test('a Pretalx that does not answer fails sync_pretalx and runperiodic after a few announced retries', async () => {
      await using dir = await newSite(backend);
      await dir.migrated();
      dir.write({ 'confctl.toml': '[sync]\npace = 0\nbackoff = 1\n' });
      const probe = Bun.serve({ hostname: '127.0.0.1', port: 0, fetch: () => new Response('') });
      const origin = `http://127.0.0.1:${probe.port}`;
      probe.stop(true);
      await dir.call(['create_event', '--slug', 'dead', '--name', 'Dead', '--date-from', '2025-10-30', '--date-to', '2025-11-02', '--pretalx-url', origin, '--pretalx-event', 'gone', '--sync-interval', '5', '-v', '0'], { env });
      const refused = 'ECONNREFUSED: Unable to connect';
      const gaveUp = `Pretalx at ${origin} did not answer (${refused}) after 3 attempts; check the event's Pretalx URL and this server's network, or raise sync.connect_retries.`;
      const retrying = (prefix: string, n: number) => new RegExp(`^${prefix}Pretalx did not answer ${origin}/api/\\S* \\(${refused.replace(/[.?]/g, '\\$&')}\\); retrying in 0 s \\(attempt ${n} of 3\\)$`);

      const synced = await dir.call(['sync_pretalx', '--conference', 'dead'], { env });
      const lines = synced.stderr.split('\n');
      expect({ exitCode: synced.exitCode, stdout: synced.stdout, count: lines.length, last: lines.slice(2) }).toEqual({ exitCode: 1, stdout: '', count: 4, last: [`CommandError: ${gaveUp}`, ''] });
      expect(lines[0]).toMatch(retrying('', 2));
      expect(lines[1]).toMatch(retrying('', 3));

      const quiet = await dir.call(['sync_pretalx', '--conference', 'dead', '-v', '0'], { env });
      expect(quiet.stderr).toBe(`CommandError: ${gaveUp}\n`);

      const periodic = await dir.call(['runperiodic'], { env });
      const plines = periodic.stderr.split('\n');
      expect(periodic.exitCode).toBe(1);
      expect(plines[0]).toMatch(retrying('sync_pretalx:dead: ', 2));
      expect(plines[1]).toMatch(retrying('sync_pretalx:dead: ', 3));
      expect(plines.slice(2)).toEqual([`sync_pretalx:dead: failed: ${gaveUp}`, 'CommandError: 1 of 2 periodic tasks failed: sync_pretalx:dead.', '']);
    });

    test('--sync-interval needs a Pretalx source', async () => {
      await using dir = await newSite(backend);
      await dir.migrated();
      expect((await dir.call(['create_event', '--slug', 'x', '--name', 'X', '--date-from', '2026-01-01', '--date-to', '2026-01-01', '--sync-interval', '10'])).stderr).toBe(
        'CommandError: --sync-interval needs a Pretalx source (--pretalx-url and --pretalx-event).\n',
      );
    });
  });

  function shift(value: unknown, hours: number): string {
    const date = new Date(String(value));
    return new Date(date.getTime() + hours * 3600_000).toISOString().replace('.000Z', 'Z');
  }
}

test('the lengths a sync or an import fits texts to are those of their columns', async () => {
  await using site = await newSite('sqlite');
  await site.migrated();
  const columns: Record<keyof typeof COLUMN_LENGTHS, [string, string]> = {
    speakerName: ['person_speakerprofile', 'name'],
    speakerEmail: ['person_speakerprofile', 'email'],
    avatarUrl: ['person_speakerprofile', 'avatar_url'],
    title: ['submission_submission', 'title'],
    state: ['submission_submission', 'state'],
    contentLocale: ['submission_submission', 'content_locale'],
    tag: ['submission_tag', 'tag'],
    version: ['schedule_schedule', 'version'],
  };
  const types: Record<string, string> = {};
  for (const [key, [table, column]] of Object.entries(columns)) types[key] = (await site.query<{ type: string }>(`SELECT type FROM pragma_table_info('${table}') WHERE name = ?`, column))[0]!.type;
  expect(types).toEqual(Object.fromEntries(Object.entries(COLUMN_LENGTHS).map(([key, max]) => [key, `varchar(${max})`])));
});
