import { describe, expect, test } from 'bun:test';
import { Database as Sqlite } from 'bun:sqlite';
import { lstatSync, readdirSync, readFileSync, symlinkSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import JSZip from 'jszip';
import { call } from '../support/cli.ts';
import { initialisedDatabase, migratedDatabase } from '../support/db.ts';
import { tempDir } from '../support/tmp.ts';

const env = { CONFCTL_NOW: '2026-05-01T09:00:00Z' };

async function oneEvent(cwd: string) {
  await migratedDatabase(cwd);
  await call(['create_event', '--slug', 'democon', '--name', 'DemoCon', '--date-from', '2026-03-10', '--date-to', '2026-03-12', '-v', '0'], { cwd, env });
}

describe('dumpdata', () => {
  test("writes Django's JSON (compactly): model, pk and fields, foreign keys as pks, JSON fields as values, no trailing newline", async () => {
    using dir = tempDir();
    await oneEvent(dir.path);
    const result = await call(['dumpdata', 'submission.SubmissionType', 'schedule.schedule'], { cwd: dir.path });
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
    using dir = tempDir();
    await oneEvent(dir.path);
    const result = await call(['dumpdata', 'schedule.Schedule', '--indent', '2'], { cwd: dir.path });
    expect(result.stdout).toBe(
      '[\n{\n  "model": "schedule.schedule",\n  "pk": 1,\n  "fields": {\n    "event": 1,\n    "version": null,\n    "published": null,\n    "comment": null,\n    "upstream": null\n  }\n}\n]\n',
    );
  });

  test('datetimes are ISO 8601 in UTC with Z, dates plain, decimals as strings', async () => {
    using dir = tempDir();
    await initialisedDatabase(dir.path);
    await call(['create_test_event', '--seed', '1', '-v', '0'], { cwd: dir.path, env });
    const objects = JSON.parse((await call(['dumpdata', 'event.event', 'submission.review', 'schedule.talkslot'], { cwd: dir.path })).stdout);
    const event = objects.find((o: { model: string }) => o.model === 'event.event');
    expect(event.fields.created).toBe('2026-05-01T09:00:00Z');
    expect(event.fields.date_from).toBe('2026-04-30');
    const review = objects.find((o: { model: string }) => o.model === 'submission.review');
    expect(review.fields.score).toMatch(/^[012]\.00$/);
    const slot = objects.find((o: { model: string }) => o.model === 'schedule.talkslot');
    expect(slot.fields.start).toMatch(/^2026-04-\d\dT\d\d:\d\d:00Z$/);
  });

  test('fractions of a second are cut to milliseconds as Django writes them; a JSON value as long as a stored datetime stays a value', async () => {
    using dir = tempDir();
    await oneEvent(dir.path);
    const db = new Sqlite(dir.join('data', 'db.sqlite3'));
    db.run(`UPDATE event_event SET created = '2026-05-01 09:00:00.123456', updated = '2026-05-01 09:00:00.000000'`);
    // {"en":"Room 12345"} has the 19 characters of "2026-05-01 09:00:00".
    db.run(`INSERT INTO schedule_room (event_id, name) VALUES (1, '{"en":"Room 12345"}')`);
    db.close();
    const [event] = JSON.parse((await call(['dumpdata', 'event.event'], { cwd: dir.path })).stdout);
    expect([event.fields.created, event.fields.updated]).toEqual(['2026-05-01T09:00:00.123Z', '2026-05-01T09:00:00Z']);
    const [room] = JSON.parse((await call(['dumpdata', 'schedule.room'], { cwd: dir.path })).stdout);
    expect(room.fields.name).toEqual({ en: 'Room 12345' });
  });

  test('everything by default: models in dependency order, rows in pk order, many-to-many as lists; the same every time', async () => {
    using dir = tempDir();
    await initialisedDatabase(dir.path);
    await call(['create_test_event', '--seed', '2', '-v', '0'], { cwd: dir.path, env });
    const first = (await call(['dumpdata'], { cwd: dir.path })).stdout;
    expect((await call(['dumpdata'], { cwd: dir.path })).stdout).toBe(first);
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
    using dir = tempDir();
    await initialisedDatabase(dir.path);
    await call(['create_test_event', '--seed', '3', '-v', '0'], { cwd: dir.path, env });
    const models = async (...argv: string[]) => [...new Set(JSON.parse((await call(['dumpdata', ...argv], { cwd: dir.path })).stdout).map((o: { model: string }) => o.model))];
    expect(await models('schedule')).toEqual(['schedule.room', 'schedule.schedule', 'schedule.talkslot']);
    expect(await models('schedule', '--exclude', 'schedule.TalkSlot', '-e', 'schedule.room')).toEqual(['schedule.schedule']);
    expect(await models('event', '--exclude=event.team')).toEqual(['event.organiser', 'event.event']);
    const picked = JSON.parse((await call(['dumpdata', 'schedule.room', '--pks', '2,1'], { cwd: dir.path })).stdout);
    expect(picked.map((o: { pk: number }) => o.pk)).toEqual([1, 2]);
  });

  test('--natural-foreign writes users, organisers and events by e-mail or slug', async () => {
    using dir = tempDir();
    await initialisedDatabase(dir.path);
    const [team] = JSON.parse((await call(['dumpdata', 'event.team', '--natural-foreign'], { cwd: dir.path })).stdout);
    expect(team.fields.organiser).toEqual(['org']);
    expect(team.fields.members).toEqual([['admin@example.org']]);
  });

  test("--format xml --indent 2 writes Django's XML exactly: nested indentation, <None></None>, datetimes with +00:00", async () => {
    using dir = tempDir();
    await oneEvent(dir.path);
    expect((await call(['dumpdata', 'schedule.schedule', '--format', 'xml', '--indent', '2'], { cwd: dir.path })).stdout).toBe(
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
    const event = (await call(['dumpdata', 'event.event', '--format', 'xml', '--indent', '2'], { cwd: dir.path })).stdout;
    expect(event).toContain('\n    <field name="created" type="DateTimeField">2026-05-01T09:00:00+00:00</field>\n');
    expect(event).toContain('\n    <field name="is_public" type="BooleanField">False</field>\n');
  });

  test('XML: a text primary key with quotes and markup is escaped in its attribute, and loads back as it was', async () => {
    using dir = tempDir();
    await oneEvent(dir.path);
    const key = 'a"b<c>&d\'e';
    dir.write({ 's.json': JSON.stringify([{ model: 'common.session', pk: key, fields: { session_data: 'x', expire_date: '2026-05-02T09:00:00Z' } }]) });
    expect((await call(['loaddata', 's.json'], { cwd: dir.path })).exitCode).toBe(0);
    const xml = (await call(['dumpdata', 'common.session', '--format', 'xml'], { cwd: dir.path })).stdout;
    expect(xml).toContain('<object model="common.session" pk="a&quot;b&lt;c&gt;&amp;d\'e">');
    using other = tempDir();
    await oneEvent(other.path);
    other.write({ 's.xml': xml });
    expect((await call(['loaddata', 's.xml'], { cwd: other.path })).exitCode).toBe(0);
    const again = JSON.parse((await call(['dumpdata', 'common.session'], { cwd: other.path })).stdout);
    expect(again.map((o: { pk: string }) => o.pk)).toEqual([key]);
  });

  test('jsonl is one object per line; xml is django-objects', async () => {
    using dir = tempDir();
    await oneEvent(dir.path);
    const jsonl = (await call(['dumpdata', 'submission', '--format', 'jsonl'], { cwd: dir.path })).stdout;
    expect(jsonl.split('\n')).toHaveLength(3);
    expect(JSON.parse(jsonl.split('\n')[0]!)).toMatchObject({ model: 'submission.submissiontype', pk: 1 });
    const xml = (await call(['dumpdata', 'event.event', '--format', 'xml'], { cwd: dir.path })).stdout;
    expect(xml).toStartWith('<?xml version="1.0" encoding="utf-8"?>\n<django-objects version="1.0"><object model="event.event" pk="1">');
    expect(xml).toContain('<field name="name" type="JSONField">{"en": "DemoCon"}</field>');
    expect(xml).toContain('<field name="is_public" type="BooleanField">False</field>');
    expect(xml).toContain('<field name="email" type="TextField"><None></None></field>');
    expect(xml).toEndWith('</object></django-objects>');
  });

  test('--output writes a file, compressed by its extension', async () => {
    using dir = tempDir();
    await oneEvent(dir.path);
    const plain = (await call(['dumpdata'], { cwd: dir.path })).stdout;
    for (const name of ['dump.json', 'dump.json.gz', 'dump.json.bz2', 'dump.json.xz', 'dump.json.zip']) {
      expect(await call(['dumpdata', '-o', name], { cwd: dir.path })).toEqual({ stdout: '', stderr: '', exitCode: 0 });
    }
    expect(readFileSync(dir.join('dump.json'), 'utf8')).toBe(plain);
    expect(gunzipSync(readFileSync(dir.join('dump.json.gz'))).toString()).toBe(plain);
    expect(Bun.spawnSync(['bzip2', '-dc', dir.join('dump.json.bz2')]).stdout.toString()).toBe(plain);
    expect(Bun.spawnSync(['xz', '-dc', dir.join('dump.json.xz')]).stdout.toString()).toBe(plain);
    const zip = await JSZip.loadAsync(readFileSync(dir.join('dump.json.zip')));
    expect(Object.keys(zip.files)).toEqual(['dump.json']);
    expect(await zip.file('dump.json')!.async('string')).toBe(plain);
  });

  test('a file on a terminal shows progress on stderr; stdout never does', async () => {
    using dir = tempDir();
    await oneEvent(dir.path);
    const toFile = await call(['dumpdata', '-o', 'x.json'], { cwd: dir.path, tty: { stderr: true } });
    expect(toFile.stderr).toBe('\r[4/4] objects\n');
    const toXml = await call(['dumpdata', '--format', 'xml', '-o', 'x.xml'], { cwd: dir.path, tty: { stderr: true } });
    expect(toXml.stderr).toBe('\r[4/4] objects\n');
    const toStdout = await call(['dumpdata'], { cwd: dir.path, tty: { stderr: true } });
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
      using dir = tempDir();
      await oneEvent(dir.path);
      expect(await call(['dumpdata', ...argv], { cwd: dir.path })).toEqual({ stdout: '', stderr: `CommandError: ${message}\n`, exitCode: 1 });
    });
  }

  test('more rows than one read page (1,000): every row exactly once, in key order, in every format', async () => {
    // Pins the keyset paging: a page boundary that re-reads (>=) or skips (OFFSET) a row fails here.
    using dir = tempDir();
    await oneEvent(dir.path);
    const db = new Sqlite(dir.join('data', 'db.sqlite3'));
    db.run(`WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 2501)
            INSERT INTO submission_tag (event_id, tag) SELECT 1, 'tag ' || i FROM n`);
    db.close();
    const expected = Array.from({ length: 2501 }, (_, i) => i + 1);
    const json = JSON.parse((await call(['dumpdata', 'submission.tag'], { cwd: dir.path })).stdout) as { pk: number; fields: { tag: string } }[];
    expect(json.map((o) => o.pk)).toEqual(expected);
    expect(json.map((o) => o.fields.tag)).toEqual(expected.map((i) => `tag ${i}`));
    const jsonl = (await call(['dumpdata', 'submission.tag', '--format', 'jsonl'], { cwd: dir.path })).stdout.trim().split('\n');
    expect(jsonl.map((line) => (JSON.parse(line) as { pk: number }).pk)).toEqual(expected);
    const xml = (await call(['dumpdata', 'submission.tag', '--format', 'xml'], { cwd: dir.path })).stdout;
    expect([...xml.matchAll(/<object model="submission.tag" pk="(\d+)">/g)].map((m) => Number(m[1]))).toEqual(expected);
  });

  test('--output into a folder that does not exist, or onto a folder: one line naming the user\'s path, nothing left behind', async () => {
    using dir = tempDir();
    await oneEvent(dir.path);
    for (const ext of ['json', 'json.gz', 'json.bz2', 'json.xz', 'json.zip', 'xml']) {
      const target = dir.join('nonexist', `x.${ext}`);
      expect({ ext, ...(await call(['dumpdata', '-o', `nonexist/x.${ext}`], { cwd: dir.path })) }).toEqual({
        ext,
        stdout: '',
        stderr: `CommandError: Cannot write ${target}: the folder ${dir.join('nonexist')} does not exist.\n`,
        exitCode: 1,
      });
    }
    dir.write({ 'out/.keep': '' });
    expect(await call(['dumpdata', '-o', 'out'], { cwd: dir.path })).toEqual({ stdout: '', stderr: `CommandError: Cannot write ${dir.join('out')}: it is a folder.\n`, exitCode: 1 });
    expect(readdirSync(dir.path).sort()).toEqual(['data', 'out']);
    expect(readdirSync(dir.join('out'))).toEqual(['.keep']);
  });

  test('--output into a link writes the file it points at (the link stays); into a FIFO writes into it (never replaces it)', async () => {
    using dir = tempDir();
    await oneEvent(dir.path);
    dir.write({ 'real/target.json': 'old' });
    symlinkSync(dir.join('real', 'target.json'), dir.join('link.json'));
    expect(await call(['dumpdata', 'event.event', '-o', 'link.json'], { cwd: dir.path })).toEqual({ stdout: '', stderr: '', exitCode: 0 });
    expect(lstatSync(dir.join('link.json')).isSymbolicLink()).toBe(true);
    expect(JSON.parse(readFileSync(dir.join('real', 'target.json'), 'utf8'))[0].model).toBe('event.event');
    expect(readdirSync(dir.join('real'))).toEqual(['target.json']);

    expect(Bun.spawnSync(['mkfifo', dir.join('pipe')]).exitCode).toBe(0);
    const reader = Bun.spawn(['cat', dir.join('pipe')], { stdout: 'pipe' });
    expect(await call(['dumpdata', 'event.event', '-o', 'pipe'], { cwd: dir.path })).toEqual({ stdout: '', stderr: '', exitCode: 0 });
    expect(JSON.parse(await new Response(reader.stdout).text())[0].model).toBe('event.event');
    expect(lstatSync(dir.join('pipe')).isFIFO()).toBe(true);
  });

  test('a missing database is an error, not an empty dump', async () => {
    using dir = tempDir();
    expect(await call(['dumpdata'], { cwd: dir.path })).toEqual({
      stdout: '',
      stderr: `CommandError: The database ${dir.join('data', 'db.sqlite3')} does not exist: run "confctl migrate" to create it.\n`,
      exitCode: 1,
    });
  });
});
