import { afterAll, beforeAll, describe, expect, test } from 'bun:test';
import { Database as Sqlite } from 'bun:sqlite';
import { existsSync, mkdirSync, readdirSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { createApp } from '../../core/serve/app.ts';
import { openDatabase } from '../../db/connection.ts';
import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema.ts';
import { installBinary } from '../support/binary.ts';
import { call } from '../support/cli.ts';
import { initialisedDatabase, migratedDatabase, query } from '../support/db.ts';
import { tempDir, type TempDir } from '../support/tmp.ts';

const env = { CONFCTL_NOW: '2026-05-01T09:00:00Z' };

describe('the web app, in-process', () => {
  let dir: TempDir;
  let db: Kysely<Database>;
  let app: (request: Request) => Promise<Response>;
  let talk: string;
  beforeAll(async () => {
    dir = tempDir('confctl-serve-');
    await initialisedDatabase(dir.path);
    await call(['create_test_event', '--seed', '5', '-v', '0'], { cwd: dir.path, env });
    await call(['create_event', '--slug', 'hidden', '--name', 'Hidden', '--date-from', '2026-01-01', '--date-to', '2026-01-01', '-v', '0'], { cwd: dir.path, env });
    db = openDatabase(dir.join('data', 'db.sqlite3'), { busyTimeout: 1000 });
    app = createApp({ db, siteUrl: 'https://schedule.example.org', version: '0.1.0', staticDir: dir.join('static') });
    dir.write({ 'static/logo.svg': '<svg xmlns="http://www.w3.org/2000/svg"/>', 'secret.txt': 'no' });
    talk = query<{ code: string }>(dir.join('data', 'db.sqlite3'), "SELECT code FROM submission_submission WHERE state = 'confirmed' ORDER BY code LIMIT 1")[0]!.code;
  });
  afterAll(async () => {
    await db?.destroy();
    dir?.[Symbol.dispose]();
  });
  const get = (path: string, headers: Record<string, string> = {}) => app(new Request(`http://localhost${path}`, { headers }));

  test('pages of a public event, with security headers', async () => {
    const page = await get('/democon/schedule/', { accept: 'text/html' });
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(page.headers.get('content-security-policy')).toContain("script-src 'self'");
    expect(page.headers.get('x-content-type-options')).toBe('nosniff');
    expect(page.headers.get('referrer-policy')).toBe('strict-origin-when-cross-origin');
    expect((await page.text()).match(/class="slot"/g)).toHaveLength(36);
    for (const path of ['/democon/', '/democon/index.html', `/democon/talk/${talk}/`, `/democon/talk/${talk}.ics`, '/democon/speaker/', '/democon/schedule/nojs/', '/democon/schedule/changelog/', '/democon/schedule/v/v1.0/']) {
      expect({ path, status: (await get(path)).status }).toEqual({ path, status: 200 });
    }
    expect((await get(`/democon/talk/${talk}.ics`)).headers.get('content-type')).toBe('text/calendar; charset=utf-8');
    expect((await get('/democon/schedule.json')).headers.get('content-type')).toBe('application/json');
  });

  test('JSON and XML clients of /<slug>/schedule/ are sent to the feeds', async () => {
    const json = await get('/democon/schedule/', { accept: 'application/json' });
    expect(json.status).toBe(303);
    expect(json.headers.get('location')).toBe('http://localhost/democon/schedule.json');
    expect((await get('/democon/schedule/', { accept: 'application/xml' })).headers.get('location')).toBe('http://localhost/democon/schedule.xml');
    const bare = await get('/democon/schedule', { accept: 'text/html' });
    expect(bare.status).toBe(301);
    expect(bare.headers.get('location')).toBe('http://localhost/democon/schedule/');
  });

  test('ETag and If-None-Match; gzip when asked', async () => {
    const first = await get('/democon/schedule.json');
    const etag = first.headers.get('etag')!;
    expect(etag).toMatch(/^"[\w-]+"$/);
    expect((await get('/democon/schedule.json', { 'if-none-match': etag })).status).toBe(304);
    const zipped = await get('/democon/schedule.json', { 'accept-encoding': 'gzip, br' });
    expect(zipped.headers.get('content-encoding')).toBe('gzip');
    expect(gunzipSync(Buffer.from(await zipped.arrayBuffer())).toString()).toBe(await first.text());
  });

  test('a change committed by another process shows at once', async () => {
    const other = new Sqlite(dir.join('data', 'db.sqlite3'));
    other.run('UPDATE submission_submission SET title = ? WHERE code = ?', ['A renamed talk', talk]);
    other.close();
    expect(await (await get(`/democon/talk/${talk}/`)).text()).toContain('A renamed talk');
  });

  test('not found: unknown paths, hidden events, traversal; other methods are refused', async () => {
    for (const path of ['/democon/nope', '/hidden/', '/nosuch/schedule/', '/democon/../hidden/', '/static/../secret.txt', '/static/%2e%2e/secret.txt', '/static/..%2fsecret.txt']) {
      expect({ path, status: (await get(path)).status }).toEqual({ path, status: 404 });
    }
    expect((await app(new Request('http://localhost/democon/', { method: 'POST', body: 'x' }))).status).toBe(405);
    expect((await get('/static/confctl.css')).status).toBe(200);
    expect(await (await get('/static/logo.svg')).text()).toContain('<svg');
    expect((await get('/democon')).status).toBe(301);
  });

  test('the API: root, a bare array of public events, paginated resources with absolute next links', async () => {
    expect(await (await get('/api/')).json() as unknown).toEqual({ name: 'confctl', version: '0.1.0', api_version: 'v2', urls: { events: 'http://localhost/api/events/' } });
    expect(((await (await get('/api/events/')).json()) as { slug: string }[]).map((e) => e.slug)).toEqual(['democon']);
    const first = (await (await get('/api/events/democon/submissions/?page_size=10')).json()) as { count: number; results: unknown[]; next: string };
    expect(first.count).toBe(36);
    expect(first.results).toHaveLength(10);
    expect(first.next).toBe('http://localhost/api/events/democon/submissions/?page_size=10&page=2');
    const slots = (await (await get('/api/events/democon/slots/')).json()) as { count: number; results: { start: string }[] };
    expect(slots.count).toBe(36);
    expect(slots.results[0]!.start).toMatch(/\+02:00$/);
    expect(await (await get('/api/events/democon/schedules/latest/')).json()).toMatchObject({ version: 'v1.0' });
    const missing = await get('/api/events/hidden/rooms/');
    expect(missing.status).toBe(404);
    expect(await missing.json()).toEqual({ detail: 'Not found.' });
  });
});

describe('confctl syncs from confctl', () => {
  test('a second instance mirrors the first through its API and has the same programme', async () => {
    using source = tempDir();
    using mirror = tempDir();
    const sourceDb = await initialisedDatabase(source.path);
    await call(['create_test_event', '--seed', '6', '-v', '0'], { cwd: source.path, env });
    const db = openDatabase(sourceDb, { busyTimeout: 1000 });
    const server = Bun.serve({ hostname: '127.0.0.1', port: 0, fetch: createApp({ db, siteUrl: 'http://127.0.0.1', version: '0.1.0' }) });
    try {
      const mirrorDb = await migratedDatabase(mirror.path);
      mirror.write({ 'confctl.toml': '[sync]\npace = 0\n' });
      const made = await call(['create_event', '--from-pretalx', `http://127.0.0.1:${server.port}/democon/`, '--slug', 'copy'], { cwd: mirror.path, env });
      expect(made.stderr).toBe('');
      const synced = await call(['sync_pretalx', '--conference', 'copy'], { cwd: mirror.path, env });
      expect(synced.stderr).toBe('');
      expect(synced.stdout).toStartWith('Synced 2 rooms, ');
      const programme = (path: string, slug: string) =>
        query(
          path,
          `SELECT s.code, s.title, t.start, t."end", json_extract(r.name, '$.en') AS room,
                  (SELECT group_concat(name, ', ') FROM (SELECT p.name FROM submission_speakerrole sr JOIN person_speakerprofile p ON p.id = sr.speaker_id WHERE sr.submission_id = s.id ORDER BY sr.position)) AS speakers
           FROM schedule_talkslot t JOIN schedule_schedule v ON v.id = t.schedule_id JOIN event_event e ON e.id = v.event_id
           JOIN submission_submission s ON s.id = t.submission_id JOIN schedule_room r ON r.id = t.room_id
           WHERE e.slug = ? AND v.version = 'v1.0' ORDER BY t.start, s.code`,
          slug,
        );
      const original = programme(sourceDb, 'democon');
      expect(original).toHaveLength(36);
      expect(programme(mirrorDb, 'copy')).toEqual(original);
      expect((await call(['sync_pretalx', '--conference', 'copy'], { cwd: mirror.path, env })).stdout).toEndWith('Nothing changed.\n');
    } finally {
      server.stop(true);
      await db.destroy();
    }
  }, 60_000);
});

describe('runserver', () => {
  test('serves from the binary and stops cleanly on SIGTERM', async () => {
    using dir = tempDir();
    await initialisedDatabase(dir.path);
    await call(['create_test_event', '--seed', '5', '-v', '0'], { cwd: dir.path, env });
    const confctl = installBinary(dir.path);
    const child = Bun.spawn([confctl, 'runserver', '127.0.0.1:0'], { cwd: dir.path, env: { PATH: '/usr/bin:/bin', NO_COLOR: '1' }, stdout: 'pipe', stderr: 'pipe' });
    const reader = child.stdout.getReader();
    let out = '';
    while (!out.includes('CONTROL-C')) out += new TextDecoder().decode((await reader.read()).value);
    const url = /Starting server at (http:\/\/127\.0\.0\.1:\d+\/)/.exec(out)![1]!;
    const page = await fetch(`${url}democon/schedule/`, { headers: { accept: 'text/html' } });
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('class="slot"');
    child.kill('SIGTERM');
    expect(await child.exited).toBe(0);
  }, 60_000);

  test('testserver serves fixtures from a temporary database and never touches the configured one', async () => {
    using source = tempDir();
    using dir = tempDir();
    await initialisedDatabase(source.path);
    await call(['create_test_event', '--seed', '5', '-v', '0'], { cwd: source.path, env });
    await call(['dumpdata', '-o', dir.join('demo.json')], { cwd: source.path });
    const confctl = installBinary(dir.path);
    mkdirSync(dir.join('tmp'));
    const child = Bun.spawn([confctl, 'testserver', 'demo', '--addrport', '127.0.0.1:0'], { cwd: dir.path, env: { PATH: '/usr/bin:/bin', NO_COLOR: '1', TMPDIR: dir.join('tmp') }, stdout: 'pipe', stderr: 'pipe' });
    const reader = child.stdout.getReader();
    let out = '';
    while (!out.includes('CONTROL-C')) out += new TextDecoder().decode((await reader.read()).value);
    expect(out).toMatch(/^Installed \d+ object\(s\) from 1 fixture\(s\)\nStarting server at http:\/\/127\.0\.0\.1:\d+\/\n/);
    const url = /Starting server at (\S+)/.exec(out)![1]!;
    expect((await fetch(`${url}api/events/democon/submissions/`)).status).toBe(200);
    child.kill('SIGINT');
    expect(await child.exited).toBe(0);
    expect(existsSync(dir.join('data'))).toBe(false);
    expect(readdirSync(dir.join('tmp'))).toEqual([]);
  }, 60_000);

  test('a bad address or a taken port is one line', async () => {
    using dir = tempDir();
    await migratedDatabase(dir.path);
    expect(await call(['runserver', 'localhost:http'], { cwd: dir.path })).toEqual({
      stdout: '',
      stderr: 'CommandError: "localhost:http" is not a valid port number or address:port pair.\n',
      exitCode: 1,
    });
    const taken = Bun.serve({ hostname: '127.0.0.1', port: 0, fetch: () => new Response('') });
    try {
      expect(await call(['runserver', `127.0.0.1:${taken.port}`], { cwd: dir.path })).toEqual({ stdout: '', stderr: 'CommandError: That port is already in use.\n', exitCode: 1 });
    } finally {
      taken.stop(true);
    }
  });
});
