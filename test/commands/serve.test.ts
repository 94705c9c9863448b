import { afterAll, beforeAll, describe, expect, test } from 'bun:test';
import { existsSync, mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { makePassword } from '../../core/auth/passwords.ts';
import { createApp } from '../../core/serve/app.ts';
import { workerRenderer } from '../../core/serve/render.ts';
import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema.ts';
import { installBinary, runBinary, startServer } from '../support/binary.ts';
import { call } from '../support/cli.ts';
import { initialisedDatabase, migratedDatabase, query } from '../support/db.ts';
import { freePort } from '../support/port.ts';
import { postgresServer } from '../support/postgres.ts';
import { BACKENDS, newSite, type Site } from '../support/site.ts';
import { tempDir } from '../support/tmp.ts';

const env = { CONFCTL_NOW: '2026-05-01T09:00:00Z' };

for (const backend of BACKENDS) describe(`the web app, in-process (${backend})`, () => {
  let dir: Site;
  let db: Kysely<Database>;
  let app: (request: Request) => Promise<Response>;
  let talk: string;
  beforeAll(async () => {
    dir = await newSite(backend);
    await dir.initialised();
    await dir.call(['create_test_event', '--seed', '5', '-v', '0'], { env });
    await dir.call(['create_event', '--slug', 'hidden', '--name', 'Hidden', '--date-from', '2026-01-01', '--date-to', '2026-01-01', '-v', '0'], { env });
    db = await dir.open();
    app = createApp({ db, siteUrl: 'https://schedule.example.org', version: '0.1.0', staticDir: dir.join('static'), clock: { now: () => new Date('2026-05-01T09:00:00Z') }, address: () => '192.0.2.1' });
    dir.write({ 'static/logo.svg': '<svg xmlns="http://www.w3.org/2000/svg"/>', 'secret.txt': 'no' });
    talk = (await dir.query<{ code: string }>("SELECT code FROM submission_submission WHERE state = 'confirmed' ORDER BY code LIMIT 1"))[0]!.code;
  });
  afterAll(async () => {
    await db?.destroy();
    await dir?.[Symbol.asyncDispose]();
  });
  const get = (path: string, headers: Record<string, string> = {}) => app(new Request(`http://localhost${path}`, { headers }));

  test("the server's own pages (index, login, not found) have the site's styles, header and a way back", async () => {
    for (const [path, status, heading] of [['/', 200, 'Events'], ['/login', 200, 'Organiser login'], ['/nope/', 404, 'Not found'], ['/democon/nope.html', 404, 'Not found']] as const) {
      const response = await get(path, { accept: 'text/html' });
      const text = await response.text();
      expect({ path, status: response.status, type: response.headers.get('content-type') }).toEqual({ path, status, type: 'text/html; charset=utf-8' });
      expect(text).toContain('<link rel="stylesheet" href="/static/confctl.css">');
      expect(text).toContain('<header class="site"><a class="brand" href="/">Events</a>');
      expect(text).toContain(`<h1>${heading}</h1>`);
    }
    expect(await (await get('/nope/')).text()).toContain('<a href="/">All events</a></p>');
    // Events of the same name are told apart by slug and dates.
    expect(await (await get('/')).text()).toContain('<li><a href="/democon/">DemoCon</a> <span class="muted">democon · 2026-04-30 – 2026-05-02</span></li>');
  });

  test('HEAD says the length the GET would send (gzipped or not); /favicon.ico is an icon', async () => {
    for (const path of ['/', '/democon/schedule/', '/democon/schedule.json', '/api/events/', '/static/confctl.css']) {
      for (const encoding of ['identity', 'gzip']) {
        const headers = { 'accept-encoding': encoding, accept: 'text/html' };
        const got = await get(path, headers);
        const length = (await got.arrayBuffer()).byteLength;
        const head = await app(new Request(`http://localhost${path}`, { method: 'HEAD', headers }));
        expect({ path, encoding, status: head.status, length: head.headers.get('content-length'), body: await head.text() }).toEqual({ path, encoding, status: 200, length: String(length), body: '' });
      }
    }
    const icon = await get('/favicon.ico');
    expect(icon.status).toBe(200);
    expect(icon.headers.get('content-type')).toBe('image/x-icon');
    const bytes = new Uint8Array(await icon.arrayBuffer());
    expect([...bytes.slice(0, 8)]).toEqual([0, 0, 1, 0, 1, 0, 16, 16]);
    expect(bytes.byteLength).toBe(6 + 16 + 40 + 16 * 16 * 4 + 16 * 4);
  });

  test('pages of a public event, with security headers', async () => {
    const page = await get('/democon/schedule/', { accept: 'text/html' });
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(page.headers.get('content-security-policy')).toContain("script-src 'self'");
    expect(page.headers.get('x-content-type-options')).toBe('nosniff');
    expect(page.headers.get('referrer-policy')).toBe('strict-origin-when-cross-origin');
    expect((await page.text()).match(/class="slot[ "]/g)).toHaveLength(36);
    for (const path of ['/democon/', '/democon/index.html', `/democon/talk/${talk}/`, `/democon/talk/${talk}.ics`, '/democon/speaker/', '/democon/schedule/nojs/', '/democon/schedule/changelog/', '/democon/schedule/v/v1.0/']) {
      expect({ path, status: (await get(path)).status }).toEqual({ path, status: 200 });
    }
    expect((await get(`/democon/talk/${talk}.ics`)).headers.get('content-type')).toBe('text/calendar; charset=utf-8');
    expect((await get('/democon/schedule.json')).headers.get('content-type')).toBe('application/json');
  });

  test('JSON and XML clients of /<slug>/schedule/ are sent to the feeds', async () => {
    const json = await get('/democon/schedule/', { accept: 'application/json' });
    expect(json.status).toBe(303);
    expect(json.headers.get('location')).toBe('/democon/schedule.json');
    expect((await get('/democon/schedule/', { accept: 'application/xml' })).headers.get('location')).toBe('/democon/schedule.xml');
    const bare = await get('/democon/schedule', { accept: 'text/html' });
    expect(bare.status).toBe(301);
    expect(bare.headers.get('location')).toBe('/democon/schedule/');
    // A path, not a URL: behind a TLS proxy the browser stays on https, and a forged Host is never echoed.
    const proxied = await get('/democon', { host: 'evil.example', 'x-forwarded-proto': 'https' });
    expect([proxied.status, proxied.headers.get('location')]).toEqual([301, '/democon/']);
  });

  test('ETag and If-None-Match (weak comparison, *, one tag per representation); gzip when Accept-Encoding allows it', async () => {
    const first = await get('/democon/schedule.json');
    const etag = first.headers.get('etag')!;
    expect(etag).toMatch(/^"[\w-]+"$/);
    expect((await get('/democon/schedule.json', { 'if-none-match': etag })).status).toBe(304);
    const zipped = await get('/democon/schedule.json', { 'accept-encoding': 'gzip, br' });
    expect(zipped.headers.get('content-encoding')).toBe('gzip');
    expect(gunzipSync(Buffer.from(await zipped.arrayBuffer())).toString()).toBe(await first.text());
    // The gzipped representation has its own ETag; each is matched weakly (W/ ignored), and "*" matches.
    const zippedTag = zipped.headers.get('etag')!;
    expect(zippedTag).toBe(`${etag.slice(0, -1)}-gz"`);
    for (const [encoding, inm, status] of [
      ['gzip', zippedTag, 304],
      ['gzip', etag, 200],
      ['', zippedTag, 200],
      ['', `W/${etag}`, 304],
      ['', '*', 304],
      ['gzip', `"other", W/${zippedTag}`, 304],
    ] as const) {
      const response = await get('/democon/schedule.json', { 'accept-encoding': encoding, 'if-none-match': inm });
      expect({ encoding, inm, status: response.status }).toEqual({ encoding, inm, status });
    }
    // Accept-Encoding's q-values: q=0 refuses gzip; "*" allows it; identity alone does not.
    for (const [encoding, gzipped] of [['gzip;q=0', false], ['gzip; q=0.0, identity', false], ['*;q=0.5', true], ['identity', false], ['GZIP', true], ['br, x-gzip;q=1', true], ['gzip;q=0, *;q=1', false]] as const) {
      const response = await get('/democon/schedule.json', { 'accept-encoding': encoding });
      expect({ encoding, gzipped: response.headers.get('content-encoding') === 'gzip' }).toEqual({ encoding, gzipped });
    }
    // A HEAD answer has its Date, as a GET's has.
    const head = await app(new Request('http://localhost/democon/schedule.json', { method: 'HEAD' }));
    expect(new Date(head.headers.get('date')!).getTime()).toBeGreaterThan(0);
  });

  test('each file, rendered when first asked for and in any order, is the exported file', async () => {
    await using here = await newSite(backend);
    await here.initialised();
    await here.call(['create_test_event', '--seed', '5', '-v', '0'], { env });
    // Two talk codes that clean up to the same file name: which one gets "-2" must not depend on the order of requests.
    await here.run("UPDATE submission_submission SET code = CASE id WHEN 1 THEN 'AB:CD' ELSE 'AB?CD' END WHERE id IN (1, 2)");
    // A second release, with a name that is no folder name and one talk moved: v1.0 becomes an older
    // version, whose pages the server reads apart from the current one's.
    await here.run("INSERT INTO schedule_schedule (id, event_id, version, published) SELECT 3, event_id, 'v2 (late/beta)', '2026-05-02 09:00:00' FROM schedule_schedule WHERE id = 1");
    await here.run('INSERT INTO schedule_talkslot (submission_id, room_id, schedule_id, start, "end", is_visible, slot_type) SELECT submission_id, room_id, 3, start, "end", is_visible, slot_type FROM schedule_talkslot WHERE schedule_id = 1');
    await here.run(`UPDATE schedule_talkslot SET start = ${here.shifted('start', 1)}, "end" = ${here.shifted('"end"', 1)} WHERE id = (SELECT min(id) FROM schedule_talkslot WHERE schedule_id = 3 AND submission_id IS NOT NULL)`);
    here.write({ 'confctl.toml': '[site]\nurl = "https://schedule.example.org"\n' });
    expect((await here.call(['export_schedule_html', 'democon', '--output-dir', 'out'], { env })).exitCode).toBe(0);
    const root = here.join('out', 'democon');
    const exported = (function walk(dir: string): string[] {
      return readdirSync(join(root, dir), { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? walk(join(dir, e.name)) : [join(dir, e.name)]));
    })('');
    expect(exported).toContain('talk/AB_CD-2/index.html');
    expect(exported.filter((f) => f.startsWith('schedule/v/')).sort()).toEqual([
      'schedule/v/v1.0/index.html',
      'schedule/v/v1.0/nojs/index.html',
      'schedule/v/v1.0/widgets/schedule.json',
      'schedule/v/v2__late_beta_/index.html',
      'schedule/v/v2__late_beta_/nojs/index.html',
      'schedule/v/v2__late_beta_/widgets/schedule.json',
    ]);
    const served = await here.open();
    // Built on this thread (the default) and in a Worker with its own connection (runserver's way).
    const inWorker = workerRenderer({ databasePath: here.label, busyTimeout: 1000, siteUrl: 'https://schedule.example.org', version: '0.1.0' });
    try {
      for (const renderer of [undefined, inWorker]) {
        const fresh = createApp({ db: served, siteUrl: 'https://schedule.example.org', version: '0.1.0', staticDir: here.join('static'), clock: { now: () => new Date('2026-05-01T09:00:00Z') }, renderer });
        for (const file of exported.sort().reverse()) {
          const response = await fresh(new Request(`http://localhost/democon/${file}`));
          const same = Buffer.from(await response.arrayBuffer()).equals(readFileSync(join(root, file)));
          expect({ file, worker: renderer !== undefined, status: response.status, same }).toEqual({ file, worker: renderer !== undefined, status: 200, same: true });
        }
        expect((await fresh(new Request('http://localhost/democon/schedule'))).status).toBe(301);
        expect((await fresh(new Request('http://localhost/democon/schedule/v/nope/'))).status).toBe(404);
      }
    } finally {
      inWorker.close();
      await served.destroy();
    }
  });

  test('a Worker that cannot open the database fails every page asked of it with that reason', async () => {
    using here = tempDir();
    const renderer = workerRenderer({ databasePath: here.join('missing.sqlite3'), busyTimeout: 1000, siteUrl: 'https://schedule.example.org', version: '0.1.0' });
    try {
      const ask = () => renderer.page({ eventId: 1, slug: 'democon', organiser: false, stamp: 1, file: 'index.html' }).then(() => 'rendered', (e: Error) => e.message);
      for (let i = 0; i < 2; i++) expect(await ask()).toBe(`Cannot open database ${here.join('missing.sqlite3')}: ENOENT: no such file or directory, stat '${here.join('missing.sqlite3')}'`);
    } finally {
      renderer.close();
    }
  });

  test('requests sent after a commit all get the new page, also while one of them is rebuilding it', async () => {
    await get(`/democon/talk/${talk}/`);
    await get('/democon/schedule/');
    await dir.run('UPDATE submission_submission SET title = ? WHERE code = ?', 'Renamed under load', talk);
    const pages = await Promise.all([`/democon/talk/${talk}/`, `/democon/talk/${talk}/`, '/democon/schedule/', '/democon/schedule/', '/democon/schedule.json'].map(async (p) => (await get(p)).text()));
    expect(pages.map((page) => page.includes('Renamed under load'))).toEqual([true, true, true, true, true]);
  });

  test('a change committed by another process shows at once, in pages and in the API', async () => {
    const titles = async () => ((await (await get('/api/events/democon/submissions/?page_size=100')).json()) as { results: { code: string; title: string }[] }).results;
    expect((await titles()).find((s) => s.code === talk)!.title).not.toBe('A renamed talk');
    await get(`/democon/talk/${talk}/`);
    await dir.run('UPDATE submission_submission SET title = ? WHERE code = ?', 'A renamed talk', talk);
    expect(await (await get(`/democon/talk/${talk}/`)).text()).toContain('A renamed talk');
    expect((await titles()).find((s) => s.code === talk)!.title).toBe('A renamed talk');
  });

  test('an event hidden, shown again or renamed by another process is served so at once', async () => {
    const status = async (path: string) => (await get(path)).status;
    expect(await status('/democon/schedule/')).toBe(200);
    try {
      await dir.run("UPDATE event_event SET is_public = FALSE WHERE slug = 'democon'");
      expect(await status('/democon/schedule/')).toBe(404);
      await dir.run("UPDATE event_event SET is_public = TRUE WHERE slug = 'democon'");
      expect(await status('/democon/schedule/')).toBe(200);
      await dir.run("UPDATE event_event SET slug = 'democon2' WHERE slug = 'democon'");
      expect([await status('/democon/schedule/'), await status('/democon2/schedule/')]).toEqual([404, 200]);
    } finally {
      await dir.run("UPDATE event_event SET slug = 'democon' WHERE slug = 'democon2'");
    }
    expect(await status('/democon/schedule/')).toBe(200);
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
    // pretalx's detail endpoints: each item as its list has it, by code or id; anything else is 404.
    const all = async (resource: string) => ((await (await get(`/api/events/democon/${resource}/?page_size=100`)).json()) as { results: Record<string, unknown>[] }).results;
    for (const [resource, key] of [['submissions', 'code'], ['speakers', 'code'], ['rooms', 'id'], ['slots', 'id'], ['tracks', 'id'], ['submission-types', 'id']] as const) {
      const item = (await all(resource))[0]!;
      const response = await get(`/api/events/democon/${resource}/${encodeURIComponent(String(item[key]))}/`);
      expect({ resource, status: response.status, body: await response.json() }).toEqual({ resource, status: 200, body: item });
      expect({ resource, status: (await get(`/api/events/democon/${resource}/NOSUCH0/`)).status }).toEqual({ resource, status: 404 });
    }
    // Every field of Pretalx's v2 answers (../shared/data/pretalx-api) is there, in the same envelope.
    const example = (name: string) => JSON.parse(readFileSync(join(import.meta.dir, '..', '..', '..', 'shared', 'data', 'pretalx-api', 'synthesized', `v2_GET_${name}.json`), 'utf8'));
    const fields = (answer: { results?: object[] } | object[] | object) => Object.keys((Array.isArray(answer) ? answer[0] : 'results' in answer ? answer.results![0] : answer) ?? {}).filter((k) => k !== '_note').sort();
    for (const [name, path] of [['api-root', '/api/'], ['events_event', '/api/events/democon/'], ['events_event_rooms', '/api/events/democon/rooms/'], ['events_event_tracks', '/api/events/democon/tracks/'],
      ['events_event_submission-types', '/api/events/democon/submission-types/'], ['events_event_speakers', '/api/events/democon/speakers/'], ['events_event_submissions', '/api/events/democon/submissions/'],
      ['events_event_slots', '/api/events/democon/slots/'], ['events_event_schedules', '/api/events/democon/schedules/'], ['events_event_schedules_latest', '/api/events/democon/schedules/latest/']] as const) {
      const theirs = example(name);
      const ours = (await (await get(path)).json()) as object;
      expect({ name, envelope: Object.keys(ours) }).toEqual({ name, envelope: Object.keys(theirs).filter((k) => k !== '_note') });
      expect({ name, missing: fields(theirs).filter((k) => !fields(ours).includes(k)) }).toEqual({ name, missing: [] });
    }
    expect(fields((await (await get('/api/events/')).json()) as object[])).toEqual(fields(example('events').body));
    const missing = await get('/api/events/hidden/rooms/');
    expect(missing.status).toBe(404);
    expect(await missing.json()).toEqual({ detail: 'Not found.' });
  });
});

for (const backend of BACKENDS) describe(`caching per event (${backend})`, () => {
  test("a change to one event rebuilds that event's pages only; another event's stay as they were built", async () => {
    await using dir = await newSite(backend);
    await dir.initialised();
    await dir.call(['create_test_event', '--seed', '5', '-v', '0'], { env });
    await dir.call(['create_event', '--slug', 'other', '--name', 'Other', '--date-from', '2026-01-01', '--date-to', '2026-01-01', '--public', '-v', '0'], { env });
    const db = await dir.open();
    try {
      const app = createApp({ db, siteUrl: 'https://schedule.example.org', version: '0.1.0', clock: { now: () => new Date('2026-05-01T09:00:00Z') } });
      const page = async (target: string) => (await app(new Request(`http://localhost${target}`))).text();
      const talk = (await dir.query<{ code: string }>("SELECT code FROM submission_submission WHERE state = 'confirmed' ORDER BY code LIMIT 1"))[0]!.code;
      expect(await page('/other/')).toContain('Other');
      await page(`/democon/talk/${talk}/`);
      // Renamed behind the stamps' back (its trigger off for the moment): a page rebuilt now would show it.
      if (backend === 'sqlite') {
        const trigger = (await dir.query<{ sql: string }>("SELECT sql FROM sqlite_schema WHERE name = 'confctl_stamp_event_event_update'"))[0]!.sql;
        await dir.run('DROP TRIGGER confctl_stamp_event_event_update');
        await dir.run("UPDATE event_event SET name = '{\"en\": \"Renamed quietly\"}' WHERE slug = 'other'");
        await dir.run(trigger);
      } else {
        await dir.run('ALTER TABLE event_event DISABLE TRIGGER USER');
        await dir.run("UPDATE event_event SET name = '{\"en\": \"Renamed quietly\"}' WHERE slug = 'other'");
        await dir.run('ALTER TABLE event_event ENABLE TRIGGER USER');
      }
      // Then DemoCon changes, as a sync would change it.
      await dir.run('UPDATE submission_submission SET title = ? WHERE code = ?', 'A renamed talk', talk);
      expect(await page(`/democon/talk/${talk}/`)).toContain('A renamed talk');
      expect(await page('/other/')).not.toContain('Renamed quietly');
      // A change the stamps see rebuilds it.
      await dir.run("UPDATE event_event SET updated = '2026-05-02 09:00:00' WHERE slug = 'other'");
      expect(await page('/other/')).toContain('Renamed quietly');
    } finally {
      await db.destroy();
    }
  });
});

for (const backend of BACKENDS) describe(`rendering in Workers (${backend})`, () => {
  test('two events are built by two Workers; a change to one leaves the other as it was', async () => {
    await using dir = await newSite(backend);
    await dir.initialised();
    await dir.call(['create_test_event', '--seed', '5', '-v', '0'], { env });
    await dir.call(['create_event', '--slug', 'other', '--name', 'Other', '--date-from', '2026-01-01', '--date-to', '2026-01-01', '--public', '-v', '0'], { env });
    const db = await dir.open();
    const renderer = workerRenderer({ databasePath: dir.label, busyTimeout: 1000, siteUrl: 'https://schedule.example.org', version: '0.1.0' });
    try {
      const app = createApp({ db, siteUrl: 'https://schedule.example.org', version: '0.1.0', clock: { now: () => new Date('2026-05-01T09:00:00Z') }, renderer });
      const get = (target: string) => app(new Request(`http://localhost${target}`));
      const [demo, other] = await Promise.all([get('/democon/schedule/'), get('/other/')]);
      expect([demo.status, other.status]).toEqual([200, 200]);
      expect(await other.text()).toContain('Other');
      const demoTag = demo.headers.get('etag');
      await dir.run("UPDATE event_event SET name = '{\"en\": \"Other, renamed\"}' WHERE slug = 'other'");
      expect(await (await get('/other/')).text()).toContain('Other, renamed');
      expect((await get('/democon/schedule/')).headers.get('etag')).toBe(demoTag);
    } finally {
      renderer.close();
      await db.destroy();
    }
  });
});

for (const backend of BACKENDS) describe(`organiser login (${backend})`, () => {
  let dir: Site;
  let db: Kysely<Database>;
  let now = new Date('2026-05-01T09:00:00Z');
  let address = '192.0.2.1';
  let app: (request: Request) => Promise<Response>;
  beforeAll(async () => {
    dir = await newSite(backend);
    await dir.initialised(); // admin@example.org, an administrator
    await dir.call(['create_test_event', '--seed', '5', '-v', '0'], { env });
    await dir.call(['create_event', '--slug', 'hidden', '--name', 'Hidden', '--date-from', '2026-01-01', '--date-to', '2026-01-01', '--organiser', 'org', '-v', '0'], { env });
    const hash = makePassword('member-password-1', { iterations: 1000 });
    await dir.run("INSERT INTO person_user (email, name, code, password) VALUES ('member@example.org', 'Member', 'MEMBERCODE000001', ?), ('stranger@example.org', 'Stranger', 'STRANGERCODE0001', ?)", hash, hash);
    await dir.run("INSERT INTO event_team (organiser_id, name) SELECT id, 'Hidden helpers' FROM event_organiser WHERE slug = 'org'");
    await dir.run("INSERT INTO event_team_members (team_id, user_id) SELECT t.id, u.id FROM event_team t, person_user u WHERE t.name = 'Hidden helpers' AND u.email = 'member@example.org'");
    await dir.run("INSERT INTO event_team_limit_events (team_id, event_id) SELECT t.id, e.id FROM event_team t, event_event e WHERE t.name = 'Hidden helpers' AND e.slug = 'hidden'");
    db = await dir.open();
    app = createApp({ db, siteUrl: 'https://schedule.example.org', version: '0.1.0', clock: { now: () => now }, address: () => address });
  });
  afterAll(async () => {
    await db?.destroy();
    await dir?.[Symbol.asyncDispose]();
  });
  const post = (path: string, form: Record<string, string>, headers: Record<string, string> = {}) =>
    app(new Request(`http://localhost${path}`, { method: 'POST', body: new URLSearchParams(form).toString(), headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers } }));
  const get = (path: string, cookie?: string) => app(new Request(`http://localhost${path}`, { headers: cookie ? { cookie } : {} }));
  const logIn = async (email: string, password: string, headers: Record<string, string> = {}) => {
    const response = await post('/login', { email, password }, headers);
    return { response, cookie: response.headers.get('set-cookie')?.split(';')[0] };
  };

  test('the login page, then a session in an HttpOnly SameSite=Lax cookie', async () => {
    const page = await get('/login');
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('<form class="login" method="post" action="/login">');
    const { response, cookie } = await logIn('Admin@Example.org', 'a-long-s3cret-phrase');
    expect(response.status).toBe(303);
    expect(response.headers.get('set-cookie')).toMatch(/^confctl_session=[\w-]{40}; Path=\/; HttpOnly; SameSite=Lax; Max-Age=1209600$/);
    const key = cookie!.split('=')[1]!;
    expect(await dir.query('SELECT expire_date FROM common_session WHERE session_key = ?', key)).toEqual([{ expire_date: '2026-05-15 09:00:00' }]);
    const secure = await logIn('admin@example.org', 'a-long-s3cret-phrase', { 'x-forwarded-proto': 'https' });
    expect(secure.response.headers.get('set-cookie')).toEndWith('; Secure');
  });

  test('organisers see non-public events and the work-in-progress schedule; others get 404', async () => {
    const admin = (await logIn('admin@example.org', 'a-long-s3cret-phrase')).cookie!;
    const member = (await logIn('member@example.org', 'member-password-1')).cookie!;
    const stranger = (await logIn('stranger@example.org', 'member-password-1')).cookie!;
    expect((await get('/hidden/')).status).toBe(404);
    expect((await get('/hidden/', stranger)).status).toBe(404);
    expect((await get('/hidden/', member)).status).toBe(200);
    expect((await get('/hidden/', admin)).status).toBe(200);
    expect((await get('/democon/schedule/v/wip/')).status).toBe(404);
    const wip = await get('/democon/schedule/v/wip/', admin);
    expect(wip.status).toBe(200);
    expect(wip.headers.get('cache-control')).toBe('private, no-cache');
    expect(await wip.text()).toMatch(/class="slot[ "]/);
    expect((await get('/democon/schedule/v/wip/', member)).status).toBe(404);
  });

  test('logout ends the session', async () => {
    const { cookie } = await logIn('admin@example.org', 'a-long-s3cret-phrase');
    const out = await app(new Request('http://localhost/logout', { method: 'POST', headers: { cookie: cookie! } }));
    expect(out.status).toBe(303);
    expect(out.headers.get('set-cookie')).toBe('confctl_session=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0');
    expect((await get('/hidden/', cookie)).status).toBe(404);
  });

  test('an expired session is no session; clearsessions removes it', async () => {
    const { cookie } = await logIn('admin@example.org', 'a-long-s3cret-phrase');
    now = new Date('2026-06-01T09:00:00Z');
    try {
      expect((await get('/hidden/', cookie)).status).toBe(404);
    } finally {
      now = new Date('2026-05-01T09:00:00Z');
    }
  });

  test('failed logins: a clear message, then throttled per address and per account', async () => {
    address = '198.51.100.7';
    const wrong = await post('/login', { email: 'member@example.org', password: 'nope' });
    expect(wrong.status).toBe(400);
    expect(await wrong.text()).toContain('Wrong e-mail address or password.');
    for (let i = 0; i < 9; i++) await post('/login', { email: 'member@example.org', password: 'nope' });
    // The 11th attempt is refused even with the right password, from this address…
    expect((await logIn('member@example.org', 'member-password-1')).response.status).toBe(429);
    // …and for this account from another address.
    address = '203.0.113.9';
    expect((await logIn('member@example.org', 'member-password-1')).response.status).toBe(429);
    // Another account from a fresh address is fine; after the window everything is.
    expect((await logIn('admin@example.org', 'a-long-s3cret-phrase')).response.status).toBe(303);
    now = new Date('2026-05-01T09:06:00Z');
    try {
      expect((await logIn('member@example.org', 'member-password-1')).response.status).toBe(303);
    } finally {
      now = new Date('2026-05-01T09:00:00Z');
    }
  });

  test('a login or logout posted from another site is refused', async () => {
    const response = await post('/login', { email: 'admin@example.org', password: 'a-long-s3cret-phrase' }, { origin: 'https://evil.example' });
    expect(response.status).toBe(403);
    expect(response.headers.get('set-cookie')).toBeNull();
    const { cookie } = await logIn('admin@example.org', 'a-long-s3cret-phrase');
    expect((await post('/logout', {}, { origin: 'https://evil.example', cookie: cookie! })).status).toBe(403);
    expect((await get('/hidden/', cookie)).status).toBe(200); // still logged in
  });

  test('the front page lists an organiser’s events, with the work-in-progress schedule and a logout button', async () => {
    const { cookie } = await logIn('member@example.org', 'member-password-1');
    const page = await (await get('/', cookie)).text();
    expect(page).toContain('<li><a href="/hidden/">Hidden</a> <span class="muted">hidden · 2026-01-01</span> · <a href="/hidden/schedule/v/wip/">work-in-progress schedule</a> <span class="muted">(not public)</span></li>');
    expect(page).toContain('<li><a href="/democon/">DemoCon</a> <span class="muted">democon · 2026-04-30 – 2026-05-02</span></li>');
    expect(page).toContain('Logged in as member@example.org. <button type="submit">Log out</button>');
    expect(page).not.toContain('/democon/schedule/v/wip/'); // the member's team has only the hidden event
    const anonymous = await (await get('/')).text();
    expect(anonymous).not.toContain('Hidden');
    expect(anonymous).not.toContain('Log out');
  });
});

for (const backend of BACKENDS) describe(`confctl syncs from confctl (${backend})`, () => {
  test('a second instance mirrors the first through its API and has the same programme', async () => {
    await using source = await newSite(backend);
    await using mirror = await newSite(backend);
    await source.initialised();
    await source.call(['create_test_event', '--seed', '6', '-v', '0'], { env });
    const db = await source.open();
    const server = Bun.serve({ hostname: '127.0.0.1', port: 0, fetch: createApp({ db, siteUrl: 'http://127.0.0.1', version: '0.1.0', clock: { now: () => new Date() } }) });
    try {
      await mirror.migrated();
      mirror.write({ 'confctl.toml': '[sync]\npace = 0\n' });
      const made = await mirror.call(['create_event', '--from-pretalx', `http://127.0.0.1:${server.port}/democon/`, '--slug', 'copy'], { env });
      expect(made.stderr).toBe('');
      const synced = await mirror.call(['sync_pretalx', '--conference', 'copy'], { env });
      expect(synced.stderr).toBe('');
      expect(synced.stdout).toStartWith('Synced 2 rooms, ');
      const programme = (site: Site, slug: string) =>
        site.query(
          `SELECT s.code, s.title, t.start, t."end", ${site.jsonText('r.name', 'en')} AS room,
                  (SELECT ${site.groupConcat('name', 'position')} FROM (SELECT p.name, sr.position FROM submission_speakerrole sr JOIN person_speakerprofile p ON p.id = sr.speaker_id WHERE sr.submission_id = s.id ORDER BY sr.position) AS x) AS speakers
           FROM schedule_talkslot t JOIN schedule_schedule v ON v.id = t.schedule_id JOIN event_event e ON e.id = v.event_id
           JOIN submission_submission s ON s.id = t.submission_id JOIN schedule_room r ON r.id = t.room_id
           WHERE e.slug = ? AND v.version = 'v1.0' ORDER BY t.start, s.code`,
          slug,
        );
      const original = await programme(source, 'democon');
      expect(original).toHaveLength(36);
      expect(await programme(mirror, 'copy')).toEqual(original);
      expect((await mirror.call(['sync_pretalx', '--conference', 'copy'], { env })).stdout).toEndWith('Nothing changed.\n');
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
    const { url, child, output } = await startServer(confctl, ['runserver', '127.0.0.1:0'], dir.path);
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);
    const page = await fetch(`${url}democon/schedule/`, { headers: { accept: 'text/html' } });
    expect(page.status).toBe(200);
    expect(await page.text()).toMatch(/class="slot[ "]/);
    const huge = await fetch(`${url}login`, { method: 'POST', body: 'email=' + 'a'.repeat(100 * 1024), headers: { 'content-type': 'application/x-www-form-urlencoded' } });
    expect(huge.status).toBe(413); // request bodies are limited to 64 KiB
    child.kill('SIGTERM');
    expect(await child.exited).toBe(0);
    expect(await output()).toEqual({ stdout: `Starting server at ${url}\nQuit the server with CONTROL-C.\n`, stderr: 'SIGTERM: stopping after the requests in flight…\n' });
  }, 60_000);

  test('testserver serves fixtures from a temporary database and never touches the configured one', async () => {
    using source = tempDir();
    using dir = tempDir();
    await initialisedDatabase(source.path);
    await call(['create_test_event', '--seed', '5', '-v', '0'], { cwd: source.path, env });
    await call(['dumpdata', '-o', dir.join('demo.json')], { cwd: source.path });
    const confctl = installBinary(dir.path);
    mkdirSync(dir.join('tmp'));
    const { url, child, output } = await startServer(confctl, ['testserver', 'demo', '--addrport', '127.0.0.1:0'], dir.path, { TMPDIR: dir.join('tmp') });
    expect((await fetch(`${url}api/events/democon/submissions/`)).status).toBe(200);
    child.kill('SIGINT');
    expect(await child.exited).toBe(0);
    expect((await output()).stdout).toMatch(/^Installed \d+ object\(s\) from 1 fixture\(s\)\nStarting server at http:\/\/127\.0\.0\.1:\d+\/\n/);
    expect(existsSync(dir.join('data'))).toBe(false);
    expect(readdirSync(dir.join('tmp'))).toEqual([]);
    // A closed terminal (SIGHUP) stops it as cleanly: the temporary database goes too.
    const hung = await startServer(confctl, ['testserver', 'demo', '--addrport', '127.0.0.1:0'], dir.path, { TMPDIR: dir.join('tmp') });
    hung.child.kill('SIGHUP');
    expect(await hung.child.exited).toBe(0);
    expect(readdirSync(dir.join('tmp'))).toEqual([]);
  }, 60_000);

  test('testserver on PostgreSQL: test_<name> on the configured server, dropped on exit; one left by a killed run is dropped first', async () => {
    using dir = tempDir();
    const pg = await postgresServer();
    const configured = pg.createDatabase();
    const name = /^postgres:\/\/\/(\w+)\?/.exec(configured)![1]!;
    dir.write({ 'demo.json': JSON.stringify([{ model: 'event.organiser', pk: 3, fields: { name: { en: 'Org' }, slug: 'org' } }, { model: 'event.event', pk: 4, fields: { name: { en: 'Served' }, slug: 'served', organiser: 3, date_from: '2026-01-01', date_to: '2026-01-02', is_public: true, created: '2026-01-01T00:00:00Z', updated: '2026-01-01T00:00:00Z' } }]) });
    const confctl = installBinary(dir.path);
    const testDatabases = () => pg.psql('postgres', `SELECT datname FROM pg_database WHERE datname LIKE 'test_${name}%'`).trim();
    const started = await startServer(confctl, ['testserver', 'demo', '--addrport', '127.0.0.1:0', '--database', configured], dir.path);
    expect(testDatabases()).toBe(`test_${name}`);
    expect(((await (await fetch(`${started.url}api/events/`)).json()) as { slug: string }[]).map((e) => e.slug)).toEqual(['served']);
    started.child.kill('SIGTERM');
    expect(await started.child.exited).toBe(0);
    expect(await started.output()).toEqual({
      stdout: `Installed 2 object(s) from 1 fixture(s)\nStarting server at ${started.url}\nQuit the server with CONTROL-C.\n`,
      stderr: `Creating test database for alias 'default' ('test_${name}')...\nDestroying test database for alias 'default' ('test_${name}')...\n`,
    });
    expect(testDatabases()).toBe('');
    // The configured database was never touched (it is not even migrated).
    expect(pg.psql(name, "SELECT count(*) FROM pg_tables WHERE schemaname = 'public'").trim()).toBe('0');
    // kill -9 leaves test_<name> behind; the next run drops it (--noinput) and starts afresh.
    const killed = await startServer(confctl, ['testserver', 'demo', '--addrport', '127.0.0.1:0', '--database', configured], dir.path);
    killed.child.kill('SIGKILL');
    await killed.child.exited;
    expect(testDatabases()).toBe(`test_${name}`);
    // At a terminal, Django's question first; "no" cancels and leaves it.
    expect(await call(['testserver', 'demo', '--addrport', '127.0.0.1:0', '--database', configured], { cwd: dir.path, stdin: 'no\n', tty: { stdin: true } })).toEqual({
      stdout: `Got an error creating the test database: database "test_${name}" already exists\nType 'yes' if you would like to try deleting the test database 'test_${name}', or 'no' to cancel: `,
      stderr: `Creating test database for alias 'default' ('test_${name}')...\nCommandError: Tests cancelled.\n`,
      exitCode: 1,
    });
    expect(testDatabases()).toBe(`test_${name}`);
    // Without a terminal, and without --noinput, it is never dropped (another testserver may be using it).
    expect(await call(['testserver', 'demo', '--addrport', '127.0.0.1:0', '--database', configured], { cwd: dir.path })).toEqual({
      stdout: '',
      stderr: `Creating test database for alias 'default' ('test_${name}')...\nCommandError: The test database "test_${name}" already exists (left by an earlier run, or in use by another testserver) and there is no terminal to confirm deleting it: pass --noinput.\n`,
      exitCode: 1,
    });
    expect(testDatabases()).toBe(`test_${name}`);
    const again = await startServer(confctl, ['testserver', 'demo', '--addrport', '127.0.0.1:0', '--noinput', '--database', configured], dir.path);
    again.child.kill('SIGINT');
    expect(await again.child.exited).toBe(0);
    expect((await again.output()).stderr).toBe(
      `Creating test database for alias 'default' ('test_${name}')...\nDestroying old test database for alias 'default' ('test_${name}')...\nDestroying test database for alias 'default' ('test_${name}')...\n`,
    );
    expect(testDatabases()).toBe('');
  }, 60_000);

  test('from source, runserver runs under the reloader unless --noreload; SIGTERM ends both processes', async () => {
    using dir = tempDir();
    await migratedDatabase(dir.path);
    const cli = join(import.meta.dir, '..', '..', 'cli.ts');
    const watched = await startServer(process.execPath, [cli, 'runserver', '127.0.0.1:0'], dir.path);
    expect((await fetch(watched.url)).status).toBe(200);
    watched.child.kill('SIGTERM');
    expect(await watched.child.exited).toBe(0);
    expect((await watched.output()).stderr).toBe('Watching for file changes with fs.watch\nSIGTERM: stopping after the requests in flight…\n');
    // A service manager signals every process of the service: the server gets SIGTERM twice (from it
    // and from the reloader) and still stops cleanly, once.
    const port = await freePort();
    const grouped = await startServer(process.execPath, [cli, 'runserver', `127.0.0.1:${port}`], dir.path);
    expect(Bun.spawnSync(['pkill', '-TERM', '-f', `runserver 127.0.0.1:${port}`]).exitCode).toBe(0);
    expect(await grouped.child.exited).toBe(0);
    expect((await grouped.output()).stderr).toBe('Watching for file changes with fs.watch\nSIGTERM: stopping after the requests in flight…\n');
    const plain = await startServer(process.execPath, [cli, 'runserver', '127.0.0.1:0', '--noreload'], dir.path);
    plain.child.kill('SIGTERM');
    expect(await plain.child.exited).toBe(0);
    expect((await plain.output()).stderr).toBe('SIGTERM: stopping after the requests in flight…\n');
  }, 60_000);

  test("runserver --adminmedia DIR (Django 1.0) serves DIR's files below /static/; HEAD over HTTP keeps its Content-Length", async () => {
    using dir = tempDir();
    await migratedDatabase(dir.path);
    dir.write({ 'media/logo.txt': 'our logo\n' });
    const confctl = installBinary(dir.path);
    expect(await runBinary(confctl, ['runserver', '127.0.0.1:0', '--adminmedia', 'nomedia'], dir.path)).toEqual({ stdout: '', stderr: `CommandError: --adminmedia: ${dir.join('nomedia')} is not a folder.\n`, exitCode: 1 });
    const { url, child } = await startServer(confctl, ['runserver', '127.0.0.1:0', '--adminmedia', 'media'], dir.path);
    try {
      const logo = await fetch(`${url}static/logo.txt`);
      expect({ type: logo.headers.get('content-type'), text: await logo.text() }).toEqual({ type: 'text/plain; charset=utf-8', text: 'our logo\n' });
      expect((await fetch(`${url}static/../media/logo.txt`)).status).toBe(404);
      const head = await fetch(url, { method: 'HEAD', headers: { 'accept-encoding': 'identity' } });
      expect(head.headers.get('content-length')).toBe(String((await (await fetch(url, { headers: { 'accept-encoding': 'identity' } })).arrayBuffer()).byteLength));
    } finally {
      child.kill('SIGTERM');
      await child.exited;
    }
  }, 60_000);

  test('a bad address or a taken port is one line', async () => {
    using dir = tempDir();
    await migratedDatabase(dir.path);
    expect(await call(['runserver', 'localhost:http'], { cwd: dir.path })).toEqual({
      stdout: '',
      stderr: 'CommandError: "localhost:http" is not a valid port number or address:port pair.\n',
      exitCode: 1,
    });
    // A host that does not resolve, an address this machine does not have: said in words (Bun said "ENOENT: no such file or directory, listen").
    expect(await call(['runserver', 'nosuch.invalid:8200'], { cwd: dir.path })).toEqual({
      stdout: '',
      stderr: 'CommandError: Cannot listen on nosuch.invalid:8200: no such host ("nosuch.invalid" does not resolve to an address).\n',
      exitCode: 1,
    });
    expect(await call(['runserver', '192.0.2.1:8200'], { cwd: dir.path })).toEqual({
      stdout: '',
      stderr: "CommandError: Cannot listen on 192.0.2.1:8200: that address is not one of this machine's.\n",
      exitCode: 1,
    });
    const taken = Bun.serve({ hostname: '127.0.0.1', port: 0, fetch: () => new Response('') });
    try {
      expect(await call(['runserver', `127.0.0.1:${taken.port}`], { cwd: dir.path })).toEqual({ stdout: '', stderr: 'Error: That port is already in use.\n', exitCode: 1 });
    } finally {
      taken.stop(true);
    }
  });

  test("runserver PORT, as Django's docs write it, listens on 127.0.0.1; a second server on that port refuses with Django's line", async () => {
    using dir = tempDir();
    await initialisedDatabase(dir.path);
    await call(['create_test_event', '--seed', '5', '-v', '0'], { cwd: dir.path, env });
    const confctl = installBinary(dir.path);
    const probe = Bun.serve({ hostname: '127.0.0.1', port: 0, fetch: () => new Response('') });
    const port = probe.port!;
    probe.stop(true);
    const first = await startServer(confctl, ['runserver', String(port)], dir.path);
    try {
      expect(first.url).toBe(`http://127.0.0.1:${port}/`);
      expect((await fetch(first.url)).status).toBe(200);
      // Another process (even on another database) must not share the port and split the traffic.
      for (const addrport of [String(port), `127.0.0.1:${port}`]) {
        expect(await runBinary(confctl, ['runserver', addrport], dir.path)).toEqual({ stdout: '', stderr: 'Error: That port is already in use.\n', exitCode: 1 });
      }
      // Without a [site] url the feeds' links point at this server, not at port 8000.
      expect(((await (await fetch(`${first.url}democon/schedule.json`)).json()) as { schedule: { url: string } }).schedule.url).toBe(`http://127.0.0.1:${port}/democon/schedule.json`);
    } finally {
      first.child.kill('SIGTERM');
      await first.child.exited;
    }
  }, 60_000);
});
