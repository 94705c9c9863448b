import { describe, expect, test } from 'bun:test';
import { lstatSync, readdirSync, readFileSync, symlinkSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import JSZip from 'jszip';
import { BACKENDS, newSite, type Site } from '../support/site.ts';

const env = { CONFCTL_NOW: '2026-05-01T09:00:00Z' };

async function oneEvent(site: Site) {
  await site.migrated();
  await site.call(['create_event', '--slug', 'democon', '--name', 'DemoCon', '--date-from', '2026-03-10', '--date-to', '2026-03-12', '-v', '0'], { env });
}

for (const backend of BACKENDS) {
  describe(`dumpdata (${backend})`, () => {
    test("writes Django's JSON (compactly): model, pk and fields, foreign keys as pks, JSON fields as values, no trailing newline", async () => {
      await using site = await newSite(backend);
      await oneEvent(site);
      const result = await site.call(['dumpdata', 'submission.SubmissionType', 'schedule.schedule']);
      expect(result).toEqual({
        stdout:
          '[{"model":"submission.submissiontype","pk":1,"fields":{"event":1,"name":{"en":"Talk"},"default_duration":30,"deadline":null,' +
          '"requires_access_code":false,"attendee_signup_required":false,"pretalx_id":null}},' +
          '{"model":"schedule.schedule","pk":1,"fields":{"event":1,"version":null,"published":null,"comment":null,"upstream":null}}]',
        stderr: '',
        exitCode: 0,
      });
    });

    test('--indent puts one object per block, as Django does', async () => {
      await using site = await newSite(backend);
      await oneEvent(site);
      const result = await site.call(['dumpdata', 'schedule.Schedule', '--indent', '2']);
      expect(result.stdout).toBe(
        '[\n{\n  "model": "schedule.schedule",\n  "pk": 1,\n  "fields": {\n    "event": 1,\n    "version": null,\n    "published": null,\n    "comment": null,\n    "upstream": null\n  }\n}\n]\n',
      );
    });

    test('datetimes are ISO 8601 in UTC with Z, dates plain, decimals as strings', async () => {
      await using site = await newSite(backend);
      await site.initialised();
      await site.call(['create_test_event', '--seed', '1', '-v', '0'], { env });
      const objects = JSON.parse((await site.call(['dumpdata', 'event.event', 'submission.review', 'schedule.talkslot'])).stdout);
      const event = objects.find((o: { model: string }) => o.model === 'event.event');
      expect(event.fields.created).toBe('2026-05-01T09:00:00Z');
      expect(event.fields.date_from).toBe('2026-04-30');
      const review = objects.find((o: { model: string }) => o.model === 'submission.review');
      expect(review.fields.score).toMatch(/^[012]\.00$/);
      const slot = objects.find((o: { model: string }) => o.model === 'schedule.talkslot');
      expect(slot.fields.start).toMatch(/^2026-04-\d\dT\d\d:\d\d:00Z$/);
    });

    test('fractions of a second are cut to milliseconds as Django writes them; a JSON value as long as a stored datetime stays a value', async () => {
      await using site = await newSite(backend);
      await oneEvent(site);
      await site.run(`UPDATE event_event SET created = '2026-05-01 09:00:00.123456', updated = '2026-05-01 09:00:00.000000'`);
      // {"en":"Room 12345"} has the 19 characters of "2026-05-01 09:00:00".
      await site.run(`INSERT INTO schedule_room (event_id, name) VALUES (1, '{"en":"Room 12345"}')`);
      const [event] = JSON.parse((await site.call(['dumpdata', 'event.event'])).stdout);
      expect([event.fields.created, event.fields.updated]).toEqual(['2026-05-01T09:00:00.123Z', '2026-05-01T09:00:00Z']);
      const [room] = JSON.parse((await site.call(['dumpdata', 'schedule.room'])).stdout);
      expect(room.fields.name).toEqual({ en: 'Room 12345' });
    });

    test('everything by default: models in dependency order, rows in pk order, many-to-many as lists; the same every time', async () => {
      await using site = await newSite(backend);
      await site.initialised();
      await site.call(['create_test_event', '--seed', '2', '-v', '0'], { env });
      const first = (await site.call(['dumpdata'])).stdout;
      expect((await site.call(['dumpdata'])).stdout).toBe(first);
      const objects: { model: string; pk: number; fields: Record<string, unknown> }[] = JSON.parse(first);
      const order = [...new Set(objects.map((o) => o.model))];
      expect(order).toEqual([
        'person.user', 'event.organiser', 'event.event', 'submission.submissiontype', 'submission.track', 'submission.cfp', 'event.team',
        'person.speakerprofile', 'submission.submission', 'submission.speakerrole', 'submission.review', 'schedule.room', 'schedule.schedule',
        'schedule.talkslot',
      ]);
      for (const model of order) {
        const pks = objects.filter((o) => o.model === model).map((o) => o.pk);
        expect(pks).toEqual(pks.toSorted((a, b) => a - b));
      }
      const team = objects.find((o) => o.model === 'event.team' && (o.fields.members as number[]).length > 0)!;
      expect(team.fields.members).toEqual([1]);
      expect(team.fields).toHaveProperty('limit_events');
      expect(objects.some((o) => o.model.startsWith('confctl') || o.model.includes('cache'))).toBe(false);
    });

    test('app labels, --exclude and --pks choose what is dumped', async () => {
      await using site = await newSite(backend);
      await site.initialised();
      await site.call(['create_test_event', '--seed', '3', '-v', '0'], { env });
      const models = async (...argv: string[]) => [...new Set(JSON.parse((await site.call(['dumpdata', ...argv])).stdout).map((o: { model: string }) => o.model))];
      expect(await models('schedule')).toEqual(['schedule.room', 'schedule.schedule', 'schedule.talkslot']);
      expect(await models('schedule', '--exclude', 'schedule.TalkSlot', '-e', 'schedule.room')).toEqual(['schedule.schedule']);
      expect(await models('event', '--exclude=event.team')).toEqual(['event.organiser', 'event.event']);
      const picked = JSON.parse((await site.call(['dumpdata', 'schedule.room', '--pks', '2,1'])).stdout);
      expect(picked.map((o: { pk: number }) => o.pk)).toEqual([1, 2]);
    });

    test('--natural-foreign writes users, organisers and events by e-mail or slug', async () => {
      await using site = await newSite(backend);
      await site.initialised();
      const [team] = JSON.parse((await site.call(['dumpdata', 'event.team', '--natural-foreign'])).stdout);
      expect(team.fields.organiser).toEqual(['org']);
      expect(team.fields.members).toEqual([['admin@example.org']]);
    });

    test('--natural-primary leaves out the pk of users, organisers and events: such a dump loads into an empty database, then again into the same one, and dumps the same', async () => {
      await using source = await newSite(backend);
      await source.initialised();
      expect((await source.call(['create_test_event', '--seed', '2', '-v', '0'])).exitCode).toBe(0);
      for (const format of ['json', 'xml']) {
        const dump = async (site: Site) => (await site.call(['dumpdata', '--format', format, '--natural-foreign', '--natural-primary', '--indent', '1'])).stdout;
        const original = await dump(source);
        const withoutPk = format === 'json' ? JSON.parse(original).filter((o: { pk?: number }) => o.pk === undefined).map((o: { model: string }) => o.model) : [...original.matchAll(/<object model="([\w.]+)">/g)].map((m) => m[1]);
        expect({ format, withoutPk: [...new Set(withoutPk)] }).toEqual({ format, withoutPk: ['person.user', 'event.organiser', 'event.event'] });
        await using target = await newSite(backend);
        await target.migrated();
        target.write({ [`all.${format}`]: original });
        for (let i = 0; i < 2; i++) expect((await target.call(['loaddata', `all.${format}`, '-v', '0'])).exitCode).toBe(0);
        expect({ format, same: (await dump(target)) === original }).toEqual({ format, same: true });
      }
    }, 30_000);

    test("--format xml --indent 2 writes Django's XML exactly: nested indentation, <None></None>, datetimes with +00:00", async () => {
      await using site = await newSite(backend);
      await oneEvent(site);
      expect((await site.call(['dumpdata', 'schedule.schedule', '--format', 'xml', '--indent', '2'])).stdout).toBe(
        [
          '<?xml version="1.0" encoding="utf-8"?>',
          '<django-objects version="1.0">',
          '  <object model="schedule.schedule" pk="1">',
          '    <field name="event" rel="ManyToOneRel" to="event.event">1</field>',
          '    <field name="version" type="TextField"><None></None></field>',
          '    <field name="published" type="DateTimeField"><None></None></field>',
          '    <field name="comment" type="JSONField"><None></None></field>',
          '    <field name="upstream" type="JSONField"><None></None></field>',
          '  </object>',
          '</django-objects>',
        ].join('\n'),
      );
      const event = (await site.call(['dumpdata', 'event.event', '--format', 'xml', '--indent', '2'])).stdout;
      expect(event).toContain('\n    <field name="created" type="DateTimeField">2026-05-01T09:00:00+00:00</field>\n');
      expect(event).toContain('\n    <field name="is_public" type="BooleanField">False</field>\n');
    });

    test('XML: a text primary key with quotes and markup is escaped in its attribute, and loads back as it was', async () => {
      await using site = await newSite(backend);
      await oneEvent(site);
      const key = 'a"b<c>&d\'e';
      site.write({ 's.json': JSON.stringify([{ model: 'common.session', pk: key, fields: { session_data: 'x', expire_date: '2026-05-02T09:00:00Z' } }]) });
      expect((await site.call(['loaddata', 's.json'])).exitCode).toBe(0);
      const xml = (await site.call(['dumpdata', 'common.session', '--format', 'xml'])).stdout;
      expect(xml).toContain('<object model="common.session" pk="a&quot;b&lt;c&gt;&amp;d\'e">');
      await using other = await newSite(backend);
      await oneEvent(other);
      other.write({ 's.xml': xml });
      expect((await other.call(['loaddata', 's.xml'])).exitCode).toBe(0);
      const again = JSON.parse((await other.call(['dumpdata', 'common.session'])).stdout);
      expect(again.map((o: { pk: string }) => o.pk)).toEqual([key]);
    });

    test('jsonl is one object per line; xml is django-objects', async () => {
      await using site = await newSite(backend);
      await oneEvent(site);
      const jsonl = (await site.call(['dumpdata', 'submission', '--format', 'jsonl'])).stdout;
      expect(jsonl.split('\n')).toHaveLength(3);
      expect(JSON.parse(jsonl.split('\n')[0]!)).toMatchObject({ model: 'submission.submissiontype', pk: 1 });
      const xml = (await site.call(['dumpdata', 'event.event', '--format', 'xml'])).stdout;
      expect(xml).toStartWith('<?xml version="1.0" encoding="utf-8"?>\n<django-objects version="1.0"><object model="event.event" pk="1">');
      expect(xml).toContain('<field name="name" type="JSONField">{"en": "DemoCon"}</field>');
      expect(xml).toContain('<field name="is_public" type="BooleanField">False</field>');
      expect(xml).toContain('<field name="email" type="TextField"><None></None></field>');
      expect(xml).toEndWith('</object></django-objects>');
    });

    test('--output writes a file, compressed by its extension', async () => {
      await using site = await newSite(backend);
      await oneEvent(site);
      const plain = (await site.call(['dumpdata'])).stdout;
      for (const name of ['dump.json', 'dump.json.gz', 'dump.json.bz2', 'dump.json.xz', 'dump.json.zip']) {
        expect(await site.call(['dumpdata', '-o', name])).toEqual({ stdout: '', stderr: '', exitCode: 0 });
      }
      expect(readFileSync(site.join('dump.json'), 'utf8')).toBe(plain);
      expect(gunzipSync(readFileSync(site.join('dump.json.gz'))).toString()).toBe(plain);
      expect(Bun.spawnSync(['bzip2', '-dc', site.join('dump.json.bz2')]).stdout.toString()).toBe(plain);
      expect(Bun.spawnSync(['xz', '-dc', site.join('dump.json.xz')]).stdout.toString()).toBe(plain);
      const zip = await JSZip.loadAsync(readFileSync(site.join('dump.json.zip')));
      expect(Object.keys(zip.files)).toEqual(['dump.json']);
      expect(await zip.file('dump.json')!.async('string')).toBe(plain);
    });

    test('a file on a terminal shows progress on stderr; stdout never does', async () => {
      await using site = await newSite(backend);
      await oneEvent(site);
      const toFile = await site.call(['dumpdata', '-o', 'x.json'], { tty: { stderr: true } });
      expect(toFile.stderr).toBe('\r[4/4] objects\n');
      const toXml = await site.call(['dumpdata', '--format', 'xml', '-o', 'x.xml'], { tty: { stderr: true } });
      expect(toXml.stderr).toBe('\r[4/4] objects\n');
      const toStdout = await site.call(['dumpdata'], { tty: { stderr: true } });
      expect(toStdout.stderr).toBe('');
    });

    const errors: [string[], string][] = [
      [['nosuchapp'], "No installed app with label 'nosuchapp'."],
      [['event.Nosuch'], 'Unknown model: event.Nosuch'],
      [['event', '--exclude', 'nosuch'], "No installed app with label 'nosuch'."],
      [['event', '--pks', '1'], 'You can only use --pks option with one model'],
      [['--format', 'yaml'], 'Unknown serialization format: yaml'],
      [['--indent', 'x'], '--indent must be a whole number from 0 to 16, not "x".'],
    ];
    for (const [argv, message] of errors) {
      test(`refuses ${argv.join(' ')}`, async () => {
        await using site = await newSite(backend);
        await oneEvent(site);
        expect(await site.call(['dumpdata', ...argv])).toEqual({ stdout: '', stderr: `CommandError: ${message}\n`, exitCode: 1 });
      });
    }

    test('more rows than one read page (1,000): every row exactly once, in key order, in every format', async () => {
      // Pins the keyset paging: a page boundary that re-reads (>=) or skips (OFFSET) a row fails here.
      await using site = await newSite(backend);
      await oneEvent(site);
      await site.run(`WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 2501)
              INSERT INTO submission_tag (event_id, tag) SELECT 1, 'tag ' || i FROM n`);
      const expected = Array.from({ length: 2501 }, (_, i) => i + 1);
      const json = JSON.parse((await site.call(['dumpdata', 'submission.tag'])).stdout) as { pk: number; fields: { tag: string } }[];
      expect(json.map((o) => o.pk)).toEqual(expected);
      expect(json.map((o) => o.fields.tag)).toEqual(expected.map((i) => `tag ${i}`));
      const jsonl = (await site.call(['dumpdata', 'submission.tag', '--format', 'jsonl'])).stdout.trim().split('\n');
      expect(jsonl.map((line) => (JSON.parse(line) as { pk: number }).pk)).toEqual(expected);
      const xml = (await site.call(['dumpdata', 'submission.tag', '--format', 'xml'])).stdout;
      expect([...xml.matchAll(/<object model="submission.tag" pk="(\d+)">/g)].map((m) => Number(m[1]))).toEqual(expected);
    });

    test('--output into a folder that does not exist, or onto a folder: one line naming the user\'s path, nothing left behind', async () => {
      await using site = await newSite(backend);
      await oneEvent(site);
      for (const ext of ['json', 'json.gz', 'json.bz2', 'json.xz', 'json.zip', 'xml']) {
        const target = site.join('nonexist', `x.${ext}`);
        expect({ ext, ...(await site.call(['dumpdata', '-o', `nonexist/x.${ext}`])) }).toEqual({
          ext,
          stdout: '',
          stderr: `CommandError: Cannot write ${target}: the folder ${site.join('nonexist')} does not exist.\n`,
          exitCode: 1,
        });
      }
      site.write({ 'out/.keep': '' });
      expect(await site.call(['dumpdata', '-o', 'out'])).toEqual({ stdout: '', stderr: `CommandError: Cannot write ${site.join('out')}: it is a folder.\n`, exitCode: 1 });
      expect(readdirSync(site.path).sort()).toEqual(backend === 'sqlite' ? ['data', 'out'] : ['out']);
      expect(readdirSync(site.join('out'))).toEqual(['.keep']);
    });

    test('--output into a link writes the file it points at (the link stays); into a FIFO writes into it (never replaces it)', async () => {
      await using site = await newSite(backend);
      await oneEvent(site);
      site.write({ 'real/target.json': 'old' });
      symlinkSync(site.join('real', 'target.json'), site.join('link.json'));
      expect(await site.call(['dumpdata', 'event.event', '-o', 'link.json'])).toEqual({ stdout: '', stderr: '', exitCode: 0 });
      expect(lstatSync(site.join('link.json')).isSymbolicLink()).toBe(true);
      expect(JSON.parse(readFileSync(site.join('real', 'target.json'), 'utf8'))[0].model).toBe('event.event');
      expect(readdirSync(site.join('real'))).toEqual(['target.json']);

      expect(Bun.spawnSync(['mkfifo', site.join('pipe')]).exitCode).toBe(0);
      const reader = Bun.spawn(['cat', site.join('pipe')], { stdout: 'pipe' });
      expect(await site.call(['dumpdata', 'event.event', '-o', 'pipe'])).toEqual({ stdout: '', stderr: '', exitCode: 0 });
      expect(JSON.parse(await new Response(reader.stdout).text())[0].model).toBe('event.event');
      expect(lstatSync(site.join('pipe')).isFIFO()).toBe(true);
    });

    test('a missing database is an error, not an empty dump', async () => {
      await using site = await newSite(backend);
      expect(await site.call(['dumpdata'])).toEqual({
        stdout: '',
        stderr: site.unmigratedLine,
        exitCode: 1,
      });
    });
  });
}
