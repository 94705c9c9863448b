import { afterAll, beforeAll, describe, expect, test } from 'bun:test';
import type { Kysely } from 'kysely';
import { makePassword } from '../../core/auth/passwords.ts';
import { createApp } from '../../core/serve/app.ts';
import { listen } from '../../core/serve/listen.ts';
import type { Database } from '../../db/schema.ts';
import { BACKENDS, newSite, type Site } from '../support/site.ts';

/**
 * The server's promises to organisers and against attackers, each pinned on its own: which events a
 * team's members see, that a deactivated account is no account, which client address the login
 * throttle counts (X-Forwarded-For only from a proxy on this host), and that a stale ETag never
 * earns a 304.
 */
const env = { CONFCTL_NOW: '2026-05-01T09:00:00Z' };
const PASSWORD = 'member-password-1';
let now = new Date('2026-05-01T09:00:00Z');

for (const backend of BACKENDS) describe(`the server's promises (${backend})`, () => {
  let dir: Site;
  let db: Kysely<Database>;
  /** The peer address the app sees for the next request (Bun's server.requestIP in runserver). */
  let peer = '192.0.2.1';
  let app: (request: Request) => Promise<Response>;
  let talk: string;

  /** Writes as another process would (a sync, an admin), so that the app sees the change. */
  const write = (sql: string, ...params: (string | number)[]) => dir.run(sql, ...params);

  beforeAll(async () => {
    dir = await newSite(backend);
    await dir.initialised();
    await dir.call(['create_test_event', '--seed', '5', '-v', '0'], { env }); // democon, public, of organiser democonorg
    const event = (slug: string, organiser: string) =>
      dir.call(['create_event', '--slug', slug, '--name', slug.toUpperCase(), '--date-from', '2026-02-01', '--date-to', '2026-02-01', '--organiser', organiser, '-v', '0'], { env });
    await event('alpha', 'democonorg'); // not public
    await event('beta', 'democonorg'); // not public
    await event('elsewhere', 'org'); // not public, another organiser
    const hash = makePassword(PASSWORD, { iterations: 1000 });
    const user = (email: string, name: string, code: string, active: number) => dir.run('INSERT INTO person_user (email, name, code, password, is_active) VALUES (?, ?, ?, ?, ?)', email, name, code, hash, active);
    for (const [email, active] of [['limited', 1], ['everything', 1], ['cross', 1], ['gone', 0], ['leaving', 1]] as const) await user(`${email}@example.org`, email, `CODE${email.toUpperCase()}`.slice(0, 16), active);
    for (let i = 0; i < 80; i++) await user(`user${i}@example.org`, `User ${i}`, `CODEUSER${i}`, 1);
    const team = async (organiser: string, name: string, allEvents: number, members: string[], limits: string[]) => {
      await dir.run('INSERT INTO event_team (organiser_id, name, all_events) SELECT id, ?, ? FROM event_organiser WHERE slug = ?', name, allEvents, organiser);
      const [{ id }] = (await dir.query<{ id: number }>('SELECT id FROM event_team WHERE name = ?', name)) as [{ id: number }];
      for (const m of members) await dir.run('INSERT INTO event_team_members (team_id, user_id) SELECT ?, id FROM person_user WHERE email = ?', id, `${m}@example.org`);
      for (const e of limits) await dir.run('INSERT INTO event_team_limit_events (team_id, event_id) SELECT ?, id FROM event_event WHERE slug = ?', id, e);
    };
    await team('democonorg', 'Alpha only', 0, ['limited'], ['alpha']);
    await team('democonorg', 'Everything', 1, ['everything', 'leaving'], []);
    // A team of "org" whose limit names an event of another organiser: it grants nothing there.
    await team('org', 'Cross', 0, ['cross'], ['beta']);
    db = await dir.open();
    app = createApp({ db, siteUrl: 'https://schedule.example.org', version: '0.1.0', clock: { now: () => now }, address: () => peer });
    talk = (await dir.query<{ code: string }>("SELECT code FROM submission_submission WHERE state = 'confirmed' ORDER BY code LIMIT 1"))[0]!.code;
  });
  afterAll(async () => {
    await db?.destroy();
    await dir?.[Symbol.asyncDispose]();
  });

  const get = (target: string, headers: Record<string, string> = {}) => app(new Request(`http://localhost${target}`, { headers }));
  const post = (target: string, form: Record<string, string>, headers: Record<string, string> = {}) =>
    app(new Request(`http://localhost${target}`, { method: 'POST', body: new URLSearchParams(form).toString(), headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers } }));
  async function logIn(email: string, password = PASSWORD, headers: Record<string, string> = {}) {
    const response = await post('/login', { email, password }, headers);
    return { status: response.status, cookie: response.headers.get('set-cookie')?.split(';')[0], body: await response.text() };
  }
  async function session(email: string): Promise<string> {
    const { status, cookie } = await logIn(email);
    if (status !== 303 || !cookie) throw new Error(`${email} could not log in (${status})`);
    return cookie;
  }
  /** The failed-login counters the throttle keeps, by cache key. */
  const counters = async (like: string) =>
    Object.fromEntries((await dir.query<{ cache_key: string; value: string }>('SELECT cache_key, value FROM common_cacheentry WHERE cache_key LIKE ? ORDER BY cache_key', like)).map((r) => [r.cache_key, JSON.parse(r.value)]));
  /** A fresh account for each failed attempt, so that only the per-address counter grows. */
  let nextUser = 0;
  const freshUser = () => `user${nextUser++}@example.org`;

  describe('organisers see the events their team covers, and no others', () => {
    const PATHS = ['/alpha/', '/alpha/schedule/v/wip/', '/beta/', '/beta/schedule/v/wip/', '/elsewhere/', '/democon/', '/democon/schedule/v/wip/'];
    const statuses = async (cookie?: string) => Object.fromEntries(await Promise.all(PATHS.map(async (p) => [p, (await get(p, cookie ? { cookie } : {})).status])));
    /** The front page's events: slug, and whether it offers the work-in-progress schedule. */
    const listed = async (cookie?: string) =>
      [...(await (await get('/', cookie ? { cookie } : {})).text()).matchAll(/<li><a href="\/([^/"]+)\/">.*?<\/li>/g)].map((m) => `${m[1]}${m[0].includes('work-in-progress') ? ' +wip' : ''}${m[0].includes('(not public)') ? ' (not public)' : ''}`);

    test('anonymous visitors: the public event only', async () => {
      expect(await statuses()).toEqual({ '/alpha/': 404, '/alpha/schedule/v/wip/': 404, '/beta/': 404, '/beta/schedule/v/wip/': 404, '/elsewhere/': 404, '/democon/': 200, '/democon/schedule/v/wip/': 404 });
      expect(await listed()).toEqual(['democon']);
    });

    test('a team limited to one event sees that event only, not the other events of its organiser nor their work-in-progress schedules', async () => {
      const cookie = await session('limited@example.org');
      expect(await statuses(cookie)).toEqual({ '/alpha/': 200, '/alpha/schedule/v/wip/': 200, '/beta/': 404, '/beta/schedule/v/wip/': 404, '/elsewhere/': 404, '/democon/': 200, '/democon/schedule/v/wip/': 404 });
      expect(await listed(cookie)).toEqual(['alpha +wip (not public)', 'democon']);
    });

    test('a team for all events sees every event of its organiser, and none of another organiser', async () => {
      const cookie = await session('everything@example.org');
      expect(await statuses(cookie)).toEqual({ '/alpha/': 200, '/alpha/schedule/v/wip/': 200, '/beta/': 200, '/beta/schedule/v/wip/': 200, '/elsewhere/': 404, '/democon/': 200, '/democon/schedule/v/wip/': 200 });
      expect(await listed(cookie)).toEqual(['alpha +wip (not public)', 'beta +wip (not public)', 'democon +wip']);
    });

    test("a team's limit naming another organiser's event grants nothing there", async () => {
      const cookie = await session('cross@example.org');
      expect(await statuses(cookie)).toEqual({ '/alpha/': 404, '/alpha/schedule/v/wip/': 404, '/beta/': 404, '/beta/schedule/v/wip/': 404, '/elsewhere/': 404, '/democon/': 200, '/democon/schedule/v/wip/': 404 });
      expect(await listed(cookie)).toEqual(['democon']);
    });

    test('whoever asks first after a change, only organisers get the work-in-progress schedule', async () => {
      const organiser = await session('everything@example.org');
      const member = await session('limited@example.org');
      const wip = async (cookie?: string) => (await get('/democon/schedule/v/wip/', cookie ? { cookie } : {})).status;
      for (const [n, first] of [organiser, member, undefined].entries()) {
        await write("UPDATE event_event SET email = ? WHERE slug = 'democon'", `orga${n}@example.org`); // a new data_version: every site is built again
        const order = first === organiser ? [organiser, undefined, member] : first === member ? [member, undefined, organiser] : [undefined, member, organiser];
        const seen = [];
        for (const cookie of order) seen.push(await wip(cookie));
        expect({ n, seen }).toEqual({ n, seen: order.map((c) => (c === organiser ? 200 : 404)) });
      }
    });
  });

  describe('a deactivated account', () => {
    test('cannot log in with the right password: the answer of a wrong password, no cookie, no session', async () => {
      peer = '192.0.2.40';
      const wrong = await logIn('limited@example.org', 'not the password');
      const gone = await logIn('gone@example.org');
      expect(gone).toEqual({ status: 400, cookie: undefined, body: wrong.body });
      expect(gone.body).toContain('<p class="notice" role="alert">Wrong e-mail address or password.</p>');
      expect(await dir.query("SELECT count(*) AS n FROM common_session s JOIN person_user u ON u.id = s.user_id WHERE u.email = 'gone@example.org'")).toEqual([{ n: 0 }]);
      expect(await dir.query("SELECT last_login FROM person_user WHERE email = 'gone@example.org'")).toEqual([{ last_login: null }]);
      expect(await counters('login_failures:account:gone@%')).toEqual({ 'login_failures:account:gone@example.org': 1 });
    });

    test('a session from before the deactivation stops working at once', async () => {
      peer = '192.0.2.41';
      const cookie = await session('leaving@example.org');
      expect((await get('/beta/', { cookie })).status).toBe(200);
      await write("UPDATE person_user SET is_active = FALSE WHERE email = 'leaving@example.org'");
      expect((await get('/beta/', { cookie })).status).toBe(404);
      expect((await get('/democon/schedule/v/wip/', { cookie })).status).toBe(404);
      const home = await (await get('/', { cookie })).text();
      expect(home).not.toContain('Logged in as');
      expect(home).not.toContain('/beta/');
    });
  });

  describe('the client address the login throttle counts', () => {
    /** Ten failed logins from `peer`, each for a fresh account and with a fresh X-Forwarded-For. */
    async function tenFailures(forwarded: (i: number) => string | undefined) {
      for (let i = 0; i < 10; i++) {
        const xff = forwarded(i);
        expect((await logIn(freshUser(), 'wrong', xff ? { 'x-forwarded-for': xff } : {})).status).toBe(400);
      }
    }

    test('X-Forwarded-For from a peer that is not this host is ignored: a fresh one per request does not escape the throttle', async () => {
      // Addresses that merely contain "127." or end in "::1" are not loopback.
      for (const [n, address] of ['192.0.2.50', '198.51.127.9', '2001:db8::1', '::ffff:192.0.2.51', '10.127.0.1'].entries()) {
        peer = address;
        await tenFailures((i) => `203.0.113.${n * 10 + i}`);
        expect({ peer, status: (await logIn(freshUser(), PASSWORD, { 'x-forwarded-for': `203.0.113.${n * 10 + 99}` })).status }).toEqual({ peer, status: 429 });
        expect({ peer, status: (await logIn(freshUser())).status }).toEqual({ peer, status: 429 });
      }
      expect(await counters('login_failures:address:%')).toMatchObject({
        'login_failures:address:192.0.2.50': 10,
        'login_failures:address:198.51.127.9': 10,
        'login_failures:address:2001:db8::1': 10,
        'login_failures:address:::ffff:192.0.2.51': 10,
        'login_failures:address:10.127.0.1': 10,
      });
      expect(Object.keys(await counters('login_failures:address:203.0.113.%'))).toEqual([]);
      // Another peer is not throttled.
      peer = '192.0.2.59';
      expect((await logIn(freshUser())).status).toBe(303);
    });

    // One address per header: in a list, which entry is the client's depends on whether the proxy replaces the header or appends to it.
    test('behind a proxy on this host, X-Forwarded-For names the client, throttled on its own', async () => {
      peer = '127.0.0.1';
      await tenFailures(() => '198.18.0.1');
      expect((await logIn(freshUser(), PASSWORD, { 'x-forwarded-for': '198.18.0.1' })).status).toBe(429);
      // Another client through the same proxy, and the proxy itself, are not throttled.
      expect((await logIn(freshUser(), PASSWORD, { 'x-forwarded-for': '198.18.0.2' })).status).toBe(303);
      expect((await logIn(freshUser())).status).toBe(303);
      for (const [address, client] of [['::1', '198.18.0.3'], ['::ffff:127.0.0.1', '198.18.0.4'], ['127.8.9.10', '198.18.0.5']] as const) {
        peer = address;
        await logIn(freshUser(), 'wrong', { 'x-forwarded-for': ` ${client} ` });
      }
      await logIn(freshUser(), 'wrong'); // the proxy's own request, without the header
      expect(await counters('login_failures:address:198.18.%')).toEqual({
        'login_failures:address:198.18.0.1': 10,
        'login_failures:address:198.18.0.3': 1,
        'login_failures:address:198.18.0.4': 1,
        'login_failures:address:198.18.0.5': 1,
      });
      expect(await counters('login_failures:address:127.%')).toEqual({ 'login_failures:address:127.8.9.10': 1 });
      expect(await counters('login_failures:address:::1')).toEqual({});
    });

    test('a fresh X-Forwarded-For never resets the per-account counter', async () => {
      peer = '127.0.0.1';
      const account = freshUser();
      for (let i = 0; i < 10; i++) await logIn(account, 'wrong', { 'x-forwarded-for': `198.18.1.${i}` });
      expect((await logIn(account, PASSWORD, { 'x-forwarded-for': '198.18.1.200' })).status).toBe(429);
      peer = '192.0.2.60';
      expect((await logIn(account, PASSWORD, { 'x-forwarded-for': '198.18.1.201' })).status).toBe(429);
      expect(await counters(`login_failures:account:${account}`)).toEqual({ [`login_failures:account:${account}`]: 10 });
    });

    test('with no peer address at all, X-Forwarded-For is not trusted either', async () => {
      const blind = createApp({ db, siteUrl: 'https://schedule.example.org', version: '0.1.0', clock: { now: () => now } });
      const body = new URLSearchParams({ email: freshUser(), password: 'wrong' }).toString();
      const response = await blind(new Request('http://localhost/login', { method: 'POST', body, headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-forwarded-for': '198.18.4.1' } }));
      expect(response.status).toBe(400);
      expect(await counters('login_failures:address:unknown')).toEqual({ 'login_failures:address:unknown': 1 });
      expect(await counters('login_failures:address:198.18.4.%')).toEqual({});
    });

    describe("runserver's listener counts the socket's peer", () => {
      const serve = async (hostname: string, run: (base: string) => Promise<void>) => {
        const { server } = listen(hostname, 0, { db, siteUrl: 'https://schedule.example.org', version: '0.1.0', clock: { now: () => now } }, () => {});
        try {
          await run(`http://${hostname.includes(':') ? `[${hostname}]` : hostname}:${server.port}`);
        } finally {
          await server.stop(true);
        }
      };
      const failAt = (base: string, headers: Record<string, string> = {}) =>
        fetch(`${base}/login`, { method: 'POST', body: new URLSearchParams({ email: freshUser(), password: 'wrong' }).toString(), headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers } });

      test('on loopback: the peer, or the proxy’s X-Forwarded-For', async () => {
        await write("DELETE FROM common_cacheentry WHERE cache_key LIKE 'login_failures:address:127.0.0.1' OR cache_key LIKE 'login_failures:address:198.18.2.%'");
        await serve('127.0.0.1', async (base) => {
          expect((await failAt(base)).status).toBe(400);
          expect((await failAt(base, { 'x-forwarded-for': '198.18.2.1' })).status).toBe(400);
        });
        expect(await counters('login_failures:address:127.0.0.1')).toEqual({ 'login_failures:address:127.0.0.1': 1 });
        expect(await counters('login_failures:address:198.18.2.%')).toEqual({ 'login_failures:address:198.18.2.1': 1 });
      });
    });
  });

  describe('ETag', () => {
    test('a matching ETag gets 304; after a change the stale one gets 200 with the new body and a new ETag', async () => {
      peer = '192.0.2.70';
      const paths = [`/democon/talk/${talk}/`, '/democon/schedule.json', '/api/events/democon/rooms/', '/'];
      const before = new Map<string, { etag: string; body: string }>();
      for (const p of paths) {
        const response = await get(p);
        expect({ p, status: response.status }).toEqual({ p, status: 200 });
        const etag = response.headers.get('etag')!;
        expect(etag).toMatch(/^"[\w-]{27}"$/);
        before.set(p, { etag, body: await response.text() });
        const again = await get(p, { 'if-none-match': etag });
        expect({ p, status: again.status, etag: again.headers.get('etag'), body: await again.text() }).toEqual({ p, status: 304, etag, body: '' });
      }

      await write('UPDATE submission_submission SET title = ? WHERE code = ?', 'A retitled talk', talk);
      await write('UPDATE schedule_room SET name = ? WHERE id = (SELECT min(id) FROM schedule_room)', JSON.stringify({ en: 'A renamed room' }));
      await write("UPDATE event_event SET name = ? WHERE slug = 'democon'", JSON.stringify({ en: 'DemoCon Renamed' }));
      const shows: Record<string, string> = { [paths[0]!]: 'A retitled talk', [paths[1]!]: 'A retitled talk', [paths[2]!]: 'A renamed room', [paths[3]!]: 'DemoCon Renamed' };

      for (const p of paths) {
        const old = before.get(p)!;
        for (const inm of [old.etag, `W/${old.etag}`, `"not-it", ${old.etag}`, '"not-it"']) {
          const stale = await get(p, { 'if-none-match': inm });
          const body = await stale.text();
          expect({ p, inm, status: stale.status, fresh: body !== old.body && body.includes(shows[p]!) }).toEqual({ p, inm, status: 200, fresh: true });
          expect(stale.headers.get('etag')).not.toBe(old.etag);
        }
        const etag = (await get(p)).headers.get('etag')!;
        for (const inm of [etag, `${old.etag}, ${etag}`, `"not-it",${etag}`]) {
          const current = await get(p, { 'if-none-match': inm });
          expect({ p, inm, status: current.status, body: await current.text() }).toEqual({ p, inm, status: 304, body: '' });
        }
      }
    });
  });

  describe('avatars on the served pages', () => {
    test('a quote in an https avatar URL stays inside src="…"', async () => {
      const speaker = (await dir.query<{ code: string }>('SELECT p.code FROM person_speakerprofile p JOIN submission_speakerrole r ON r.speaker_id = p.id JOIN submission_submission s ON s.id = r.submission_id WHERE s.code = ? ORDER BY p.id LIMIT 1', talk))[0]!.code;
      await write('UPDATE person_speakerprofile SET avatar_url = ? WHERE code = ?', 'https://example.org/a.png" onerror="alert(1)', speaker);
      const page = await (await get(`/democon/speaker/${speaker}/`)).text();
      expect(page.match(/<img\b[^>]*>/g)).toEqual(['<img class="avatar" src="https://example.org/a.png&quot; onerror=&quot;alert(1)" alt="" loading="lazy" referrerpolicy="no-referrer">']);
    });
  });

  describe('behind a TLS-terminating proxy on this host', () => {
    test('a login from the https page is accepted (Origin https, request http, X-Forwarded-Proto https); another site still is not', async () => {
      peer = '127.0.0.1';
      const proxied = { origin: 'https://localhost', 'x-forwarded-proto': 'https', 'x-forwarded-for': '198.51.100.7' };
      const { status } = await logIn('everything@example.org', PASSWORD, proxied);
      expect(status).toBe(303);
      expect((await logIn('everything@example.org', PASSWORD, { ...proxied, origin: 'https://evil.example' })).status).toBe(403);
      // The header is believed only from the proxy: a client elsewhere cannot claim https.
      peer = '192.0.2.80';
      expect((await logIn('everything@example.org', PASSWORD, proxied)).status).toBe(403);
      expect((await logIn('everything@example.org', PASSWORD, { origin: 'http://localhost' })).status).toBe(303);
    });
  });

  describe('X-Forwarded-For through an appending proxy', () => {
    test("the proxy's own entry (the last) is the client; what the client put before it is not believed", async () => {
      peer = '127.0.0.1';
      await write("DELETE FROM common_cacheentry WHERE cache_key LIKE 'login_failures:address:%'");
      for (const spoof of ['203.0.113.1', '203.0.113.2', '203.0.113.3']) {
        expect((await logIn(freshUser(), 'wrong', { 'x-forwarded-for': `${spoof}, 198.51.100.9` })).status).toBe(400);
      }
      expect(await counters('login_failures:address:%')).toEqual({ 'login_failures:address:198.51.100.9': 3 });
    });
  });

  describe('logging in', () => {
    test('an address is matched whatever its case, as stored and as typed', async () => {
      await write("INSERT INTO person_user (email, name, code, password, is_active) VALUES ('Mixed.Case@Example.ORG', 'Mixed', 'CODEMIXED', ?, TRUE)", makePassword(PASSWORD, { iterations: 1000 }));
      peer = '192.0.2.77';
      expect((await logIn('mixed.case@example.org')).status).toBe(303);
      expect((await logIn('MIXED.CASE@EXAMPLE.ORG')).status).toBe(303);
    });
  });

  describe('the login throttle is not a way to lock an organiser out', () => {
    test("failures from strangers do not block the owner's known address; they do block new addresses, with Retry-After", async () => {
      const account = 'cross@example.org';
      peer = '192.0.2.200'; // the organiser's usual browser, which has logged in before
      expect((await logIn(account)).status).toBe(303);
      for (let i = 0; i < 10; i++) {
        peer = `198.18.9.${i}`; // an attacker, from ten addresses
        expect((await logIn(account, 'wrong')).status).toBe(400);
      }
      peer = '198.18.9.99';
      const blocked = await post('/login', { email: account, password: PASSWORD });
      expect(blocked.status).toBe(429);
      expect(blocked.headers.get('retry-after')).toBe('300');
      expect(await blocked.text()).toContain('Too many failed attempts. Please try again in 5 minutes.');
      peer = '192.0.2.200';
      expect((await logIn(account)).status).toBe(303);
      // The attacker's failures still count for new addresses after the owner's login.
      peer = '198.18.9.100';
      expect((await logIn(account)).status).toBe(429);
      // An address that failed ten times is blocked for every account, with the time left.
      peer = '198.18.9.200';
      for (let i = 0; i < 10; i++) await logIn(freshUser(), 'wrong');
      const address = await post('/login', { email: 'limited@example.org', password: PASSWORD });
      expect({ status: address.status, retryAfter: address.headers.get('retry-after') }).toEqual({ status: 429, retryAfter: '300' });
    });

    test('the owner’s address stays known for 90 days after a login: a new attack 89 days on still does not block it', async () => {
      const account = 'cross@example.org';
      const started = now;
      try {
        now = new Date(started.getTime() + 89 * 86400_000);
        for (let i = 0; i < 10; i++) {
          peer = `198.18.10.${i}`;
          expect((await logIn(account, 'wrong')).status).toBe(400);
        }
        peer = '198.18.10.99';
        expect((await logIn(account)).status).toBe(429);
        peer = '192.0.2.200';
        expect((await logIn(account)).status).toBe(303);
      } finally {
        now = started;
      }
    });
  });
});
