// core/serve/ — runserver and testserver: the live site and feeds from the database, the read-only
// Pretalx-compatible API, organiser login, and listening on an address.
import { existsSync, readFileSync, realpathSync, statSync } from 'node:fs';
import { normalize, resolve, sep } from 'node:path';
import { backendOf, queries, rawStatements } from '../../db/connection.ts';
import { SCRIPT, STYLESHEET } from '../export/assets.ts';
import { pick } from '../export/format.ts';
import { eventLanguages } from '../export/data.ts';
import { html } from '../export/html.ts';
import { availableLanguages, translatorFor } from '../i18n/catalogues.ts';
import { negotiateLanguage } from '../i18n/negotiate.ts';
import type { Translator } from '../i18n/translator.ts';
import { etagOf, gzipped, SiteBuilder, type PageRenderer, type PageResult } from './sites.ts';
import type { Db } from '../auth/users.ts';
import type { Clock } from '../common/clock.ts';
import { apiResponse } from './api.ts';
import { UntilChanged } from './until-changed.ts';
import { favicon, instancePage } from './pages.ts';
import { login, logout, organisedEventIds, organises, SESSION_COOKIE, SESSION_DAYS, sessionUser, type SessionUser } from './auth.ts';

/**
 * confctl's web server as one function from Request to Response (tests call it directly; runserver
 * puts Bun.serve around it). Public events are served as export_schedule_html writes them (the same
 * code), cached per event until another process commits (SQLite's data_version); plus a
 * Pretalx-compatible read-only API and the embedded static assets.
 */
export interface AppOptions {
  db: Db;
  siteUrl: string;
  version: string;
  /** The operator's catalogue folders (i18n.locale_dirs), looked in before the embedded catalogues. */
  localeDirs?: readonly string[];
  /** Also serve this folder below /static/ (rebuild and regenerate_css write there). */
  staticDir?: string | undefined;
  maxPageSize?: number;
  clock: Clock;
  /** Where event pages are built: on this thread (the default), or in a Worker (runserver). */
  renderer?: PageRenderer;
  /** Told of a problem the server works around (an operator's catalogue that cannot be read). */
  warn?: (message: string) => void;
  /** The peer address of a request (the server's); tests pass a fixed one. */
  address?: (request: Request) => string;
}

interface Cached {
  body: Uint8Array;
  type: string;
  etag: string;
  gzip?: Uint8Array;
}

const TYPES: Record<string, string> = {
  html: 'text/html; charset=utf-8',
  css: 'text/css; charset=utf-8',
  js: 'text/javascript; charset=utf-8',
  json: 'application/json',
  xml: 'application/xml; charset=utf-8',
  ics: 'text/calendar; charset=utf-8',
  png: 'image/png',
  svg: 'image/svg+xml',
  woff2: 'font/woff2',
  woff: 'font/woff',
  txt: 'text/plain; charset=utf-8',
  jpg: 'image/jpeg',
  jpeg: 'image/jpeg',
  gif: 'image/gif',
  webp: 'image/webp',
  ico: 'image/x-icon',
  pdf: 'application/pdf',
};
const typeOf = (path: string) => TYPES[path.split('.').pop()!.toLowerCase()] ?? 'application/octet-stream';

export const SECURITY_HEADERS: Record<string, string> = {
  'Content-Security-Policy':
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' https: data:; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'",
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'strict-origin-when-cross-origin',
  'X-Frame-Options': 'DENY',
};

/** At most this many bytes of API answers are kept (any query string makes a new entry). */
const API_CACHE_BYTES = 32 * 1024 * 1024;
/** At most this many bytes of rendered pages are kept (a crawler may ask for every page of every version). */
const PAGE_CACHE_BYTES = 64 * 1024 * 1024;

type PageAnswer = ({ kind: 'file' } & Cached) | Exclude<PageResult, { kind: 'file' }>;

function cached(body: string | Uint8Array, type: string): Cached {
  const bytes = typeof body === 'string' ? new TextEncoder().encode(body) : body;
  return { body: bytes, type, etag: etagOf(bytes) };
}

interface Stamps {
  byId: Map<number, number>;
  bySlug: Map<string, number>;
  total: number;
}

const STAMPS_SQL = 'SELECT s.event_id, s.stamp, lower(e.slug) FROM confctl_eventstamp s LEFT JOIN event_event e ON e.id = s.event_id';

function stampsOf(rows: [unknown, unknown, unknown][]): Stamps {
  return {
    byId: new Map(rows.map(([id, stamp]) => [Number(id), Number(stamp)])),
    bySlug: new Map(rows.filter(([, , slug]) => slug !== null).map(([, stamp, slug]) => [String(slug), Number(stamp)])),
    // Stamps come from the clock (0003, about 2^51): their sum is kept exact below 2^52, and changes whenever one does.
    total: Number(rows.reduce((sum, [, stamp]) => (sum + BigInt(Number(stamp))) % 2n ** 52n, 0n)),
  };
}

/**
 * Each event's stamp (confctl_eventstamp, kept by triggers: see db/migrations/0002 and 0003; never
 * given twice), by id and by slug, and their sum, as of the last `refresh()`. On SQLite the stamps
 * are read again only when another connection has committed something (data_version), so a request
 * costs one PRAGMA when nothing changed. PostgreSQL has no such counter: each request that uses the
 * caches reads the stamps (a few rows) after it arrived, so that a page asked for after any
 * process's commit is never the one from before; requests that arrive while a read runs share the
 * next one.
 */
function eventStamps(db: Db): { refresh(): Promise<void>; now(): Stamps } {
  let known: Stamps = { byId: new Map(), bySlug: new Map(), total: 0 };
  if (backendOf(db) === 'postgres') {
    const q = queries(db);
    let running: Promise<void> | null = null;
    let queued: Promise<void> | null = null;
    const refresh = (): Promise<void> => {
      if (running === null) {
        running = q
          .values(STAMPS_SQL)
          .then((rows) => {
            known = stampsOf(rows as [unknown, unknown, unknown][]);
          })
          .finally(() => {
            running = null;
          });
        return running;
      }
      queued ??= running
        .catch(() => {})
        .then(() => {
          queued = null;
          return refresh();
        });
      return queued;
    };
    return { refresh, now: () => known };
  }
  const raw = rawStatements(db);
  const version = raw.prepare('PRAGMA data_version');
  const read = raw.prepare(STAMPS_SQL);
  let seen = Number.NaN;
  return {
    refresh: async () => {},
    now: () => {
      const now = Number(version.values()[0]![0]);
      if (now === seen) return known;
      known = stampsOf(read.values() as [unknown, unknown, unknown][]);
      seen = now;
      return known;
    },
  };
}

/** Whether Accept-Encoding allows gzip: listed (or "*") with a q-value above 0 (RFC 9110 12.5.3). */
export function acceptsGzip(header: string | null): boolean {
  let gzip: number | undefined;
  let any: number | undefined;
  for (const part of (header ?? '').split(',')) {
    const [coding = '', ...params] = part.split(';').map((p) => p.trim().toLowerCase());
    const q = params.map((p) => /^q=([0-9.]+)$/.exec(p.replace(/\s+/g, ''))?.[1]).find((v) => v !== undefined);
    const weight = q === undefined ? 1 : Number(q);
    if (coding === 'gzip' || coding === 'x-gzip') gzip = weight;
    else if (coding === '*') any = weight;
  }
  return (gzip ?? any ?? 0) > 0;
}

/** If-None-Match by the weak comparison (RFC 9110 13.1.2): W/ is ignored, and "*" matches. */
export function ifNoneMatchHits(header: string | null, etag: string): boolean {
  if (header === null) return false;
  return header.split(',').some((tag) => {
    const trimmed = tag.trim();
    return trimmed === '*' || trimmed.replace(/^W\//, '') === etag;
  });
}

const safeDecode = (text: string) => {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
};

export function createApp(options: AppOptions): (request: Request) => Promise<Response> {
  const { db } = options;
  const stamps = eventStamps(db);
  /** Page keys start with the event id: a page is kept until its event's stamp changes. */
  const pageVersion = (key: string) => stamps.now().byId.get(Number(key.split('|')[0])) ?? -1;
  /** An API answer about one event is kept until that event changes; others (the event list) until any does. */
  const answerVersion = (href: string) => {
    const now = stamps.now();
    const slug = /^\/api\/events\/([^/]+)\//.exec(new URL(href).pathname)?.[1];
    return (slug === undefined ? undefined : now.bySlug.get(safeDecode(slug).toLowerCase())) ?? now.total;
  };
  /**
   * Each event's pages (public, or with the WIP schedule for organisers) as the renderer built them,
   * and the API's answers. A request that comes after a change waits for the rebuild (never the page
   * before the change); the requests for other events' pages do not, as the rebuild runs in the renderer.
   */
  const renderer = options.renderer ?? new SiteBuilder(db, { siteUrl: options.siteUrl, version: options.version, localeDirs: options.localeDirs ?? [], ...(options.warn ? { warn: options.warn } : {}) });
  const pages = new UntilChanged<PageAnswer>(pageVersion, { size: (page) => (page.kind === 'file' ? page.body.byteLength : 0), maxBytes: PAGE_CACHE_BYTES });
  const answers = new UntilChanged<Cached | null>(answerVersion, { size: (answer) => answer?.body.byteLength ?? 0, maxBytes: API_CACHE_BYTES });
  /** Events by slug (any case), until any event changes: a page request asks the database nothing more than the stamps. */
  const events = new UntilChanged<{ id: number; slug: string; is_public: 0 | 1; locale: string; locales: string } | null>(() => stamps.now().total, { size: () => 1, maxBytes: 10_000 });
  const icon = cached(favicon(), 'image/x-icon');
  const assets = new Map([
    ['confctl.css', cached(STYLESHEET, TYPES.css!)],
    ['confctl.js', cached(SCRIPT, TYPES.js!)],
  ]);

  /** An event by its slug (any case), if this visitor may see it, and whether as an organiser. */
  async function visibleEvent(slug: string, user: SessionUser | null): Promise<{ id: number; slug: string; organiser: boolean; languages: string[] } | null> {
    const event = await events.get(slug.toLowerCase(), async () =>
      (await db.selectFrom('event_event').select(['id', 'slug', 'is_public', 'locale', 'locales']).where((eb) => eb(eb.fn('lower', ['slug']), '=', slug.toLowerCase())).executeTakeFirst()) ?? null,
    );
    if (!event) return null;
    const organiser = user !== null && (await organises(db, user, event.id));
    return event.is_public === 1 || organiser ? { id: event.id, slug: event.slug, organiser, languages: eventLanguages(event.locale, event.locales) } : null;
  }

  /** One page of an event's site, rendered by the renderer when its event changed since. */
  async function page(event: { id: number; slug: string; organiser: boolean }, file: string): Promise<PageAnswer> {
    const key = `${event.id}|${event.organiser ? 'organiser' : 'public'}|${file}`;
    return pages.get(key, async () => {
      const result = await renderer.page({ eventId: event.id, slug: event.slug, organiser: event.organiser, stamp: pageVersion(key), file });
      return result.kind === 'file' ? { kind: 'file', body: result.body, type: typeOf(result.path), etag: result.etag, ...(result.gzip ? { gzip: result.gzip } : {}) } : result;
    });
  }

  /** API answers, by absolute URL (next links are absolute). */
  async function apiAnswer(url: URL, path: string): Promise<Cached | null> {
    await stamps.refresh();
    return answers.get(url.href, async () => {
      const body = await db.transaction().setAccessMode('read only').execute((trx) => apiResponse({ db: trx, url, version: options.version, maxPageSize: options.maxPageSize ?? 250 }, path.slice('/api/'.length)));
      return body === null ? null : cached(JSON.stringify(body), TYPES.json!);
    });
  }

  const cookie = (request: Request, name: string) =>
    (request.headers.get('cookie') ?? '')
      .split(';')
      .map((c) => c.trim().split('='))
      .find(([k]) => k === name)?.[1];

  /** Whether the request came through a proxy on this host, whose X-Forwarded-* headers are believed. */
  const fromProxy = (request: Request) => /^(127\.|::1$|::ffff:127\.)/.test(options.address?.(request) ?? 'unknown');

  /**
   * Behind a proxy on the same host, the client's address is the last X-Forwarded-For entry: the one
   * the proxy added. Entries before it come from the client (nginx's $proxy_add_x_forwarded_for keeps
   * them), so the first one could be anything and would let a client escape the login throttle.
   */
  function addressOf(request: Request): string {
    const peer = options.address?.(request) ?? 'unknown';
    const forwarded = request.headers.get('x-forwarded-for');
    return forwarded && fromProxy(request) ? forwarded.split(',').at(-1)!.trim() || peer : peer;
  }

  /**
   * The origin the browser sees: behind a TLS-terminating proxy on this host the request arrives as
   * http but the page was https (X-Forwarded-Proto), so a login's Origin header says https.
   */
  function publicOrigin(request: Request, url: URL): string {
    const proto = fromProxy(request) ? request.headers.get('x-forwarded-proto')?.split(',')[0]?.trim() : undefined;
    return proto === 'https' || proto === 'http' ? `${proto}://${url.host}` : url.origin;
  }

  function loginPage(t: Translator, status: number, message = '', extra: Record<string, string> = {}): Response {
    const body = instancePage(
      t,
      t.gettext('Organiser login'),
      html`<h1>${t.gettext('Organiser login')}</h1>${message ? html`<p class="notice" role="alert">${message}</p>` : ''}
<form class="login" method="post" action="/login"><p><label>${t.gettext('E-mail address')}<br><input type="email" name="email" autocomplete="username" required></label></p>
<p><label>${t.gettext('Password')}<br><input type="password" name="password" autocomplete="current-password" required></label></p><p><button type="submit">${t.gettext('Log in')}</button></p></form>`,
      { loggedIn: false },
    );
    return new Response(body, { status, headers: { ...SECURITY_HEADERS, 'Content-Type': TYPES.html!, 'Cache-Control': 'no-store', ...languageHeaders(t), ...extra } });
  }

  /** The list of public events; for a logged-in organiser also theirs, with the WIP schedule and a logout button. */
  async function home(request: Request): Promise<Response> {
    const t = await translatorOf(request);
    const user = await sessionUser(db, options.clock, cookie(request, SESSION_COOKIE));
    const mine = user ? await organisedEventIds(db, user) : new Set<number>();
    const events = (await db.selectFrom('event_event').select(['id', 'slug', 'name', 'locale', 'date_from', 'date_to', 'is_public']).orderBy('date_from').orderBy('slug').execute()).filter(
      (e) => e.is_public === 1 || mine.has(e.id),
    );
    // Several events may share a name (every create_test_event is "DemoCon"): the slug and the dates tell them apart.
    const items = events.map((e) => {
      const slug = encodeURIComponent(e.slug);
      const dates = e.date_from === e.date_to ? e.date_from : `${e.date_from} – ${e.date_to}`;
      const extra = mine.has(e.id) ? html` · <a href="/${slug}/schedule/v/wip/">${t.gettext('work-in-progress schedule')}</a>${e.is_public === 1 ? '' : html` <span class="muted">${t.gettext('(not public)')}</span>`}` : '';
      return html`<li><a href="/${slug}/">${pick(JSON.parse(e.name), e.locale)}</a> <span class="muted">${e.slug} · ${dates}</span>${extra}</li>`;
    });
    const account = user ? html`<form method="post" action="/logout"><p>${t.gettext('Logged in as %(email)s.', { email: user.email })} <button type="submit">${t.gettext('Log out')}</button></p></form>` : '';
    const list = items.length === 0 ? html`<p>${t.gettext('No public events yet.')}</p>` : html`<ul class="events">${items}</ul>`;
    const page = instancePage(t, t.gettext('Events'), html`<h1>${t.gettext('Events')}</h1>${account}${list}`, { loggedIn: user !== null });
    return send(request, cached(page, TYPES.html!), { ...languageHeaders(t), ...(user ? { 'Cache-Control': 'private, no-cache' } : {}) });
  }

  async function handleLogin(request: Request, url: URL): Promise<Response> {
    const t = await translatorOf(request);
    if (request.method !== 'POST') return loginPage(t, 200);
    const origin = request.headers.get('origin');
    if (origin && origin !== publicOrigin(request, url)) return new Response('Cross-site login refused\n', { status: 403, headers: SECURITY_HEADERS });
    const form = new URLSearchParams(await request.text());
    const result = await login(db, options.clock, { email: form.get('email') ?? '', password: form.get('password') ?? '', address: addressOf(request) });
    if (!result.ok) {
      return result.reason === 'throttled'
        ? loginPage(t, 429, t.ngettext('Too many failed attempts. Please try again in %(count)s minute.', 'Too many failed attempts. Please try again in %(count)s minutes.', Math.ceil(result.retryAfter / 60)), { 'Retry-After': String(result.retryAfter) })
        : loginPage(t, 400, t.gettext('Wrong e-mail address or password.'));
    }
    // Secure only makes the cookie stricter: an X-Forwarded-Proto from anyone may ask for it.
    const secure = url.protocol === 'https:' || request.headers.get('x-forwarded-proto') === 'https' ? '; Secure' : '';
    return new Response(null, {
      status: 303,
      headers: { ...SECURITY_HEADERS, Location: '/', 'Set-Cookie': `${SESSION_COOKIE}=${result.sessionKey}; Path=/; HttpOnly; SameSite=Lax; Max-Age=${SESSION_DAYS * 86400}${secure}` },
    });
  }

  function send(request: Request, file: Cached, extra: Record<string, string> = {}): Response {
    const gzip = file.body.byteLength > 1024 && acceptsGzip(request.headers.get('accept-encoding'));
    // Each representation has its own strong ETag (RFC 9110 8.8.3): the gzipped one ends in "-gz".
    const etag = gzip ? `${file.etag.slice(0, -1)}-gz"` : file.etag;
    // Bun writes no Date on a HEAD answer by itself.
    const headers: Record<string, string> = { ...SECURITY_HEADERS, 'Content-Type': file.type, ETag: etag, 'Cache-Control': 'no-cache', Date: new Date().toUTCString(), ...extra, Vary: extra.Vary ? `Accept-Encoding, ${extra.Vary}` : 'Accept-Encoding' };
    if (ifNoneMatchHits(request.headers.get('if-none-match'), etag)) return new Response(null, { status: 304, headers });
    if (gzip) {
      file.gzip ??= gzipped(file.body)!;
      headers['Content-Encoding'] = 'gzip';
    }
    const body = gzip ? file.gzip! : file.body;
    // A HEAD answer says how long the GET answer would be.
    headers['Content-Length'] = String(body.byteLength);
    return new Response(request.method === 'HEAD' ? null : (body as Uint8Array<ArrayBuffer>), { status: 200, headers });
  }

  /** The instance's own pages speak the browser's language, of English and those with a catalogue. */
  const dirs = options.localeDirs ?? [];
  const languages = ['en', ...availableLanguages(dirs)];
  const translatorOf = (request: Request) => translatorFor(negotiateLanguage(request.headers.get('accept-language'), languages, 'en'), dirs, options.warn);
  const languageHeaders = (t: Translator) => ({ 'Content-Language': t.language, Vary: 'Accept-Language' });
  /**
   * A redirect to a path of this server, without scheme or host (RFC 9110 allows a relative Location):
   * behind a TLS proxy the browser stays on https, and a forged Host header is never echoed.
   */
  const redirect = (status: number, path: string, extra: Record<string, string> = {}) => new Response(null, { status, headers: { ...SECURITY_HEADERS, Location: path, ...extra } });
  const notFoundPages = new Map<string, string>();
  const notFoundPage = (t: Translator) => {
    let page = notFoundPages.get(t.language);
    if (page === undefined) {
      page = instancePage(t, t.gettext('Not found'), html`<h1>${t.gettext('Not found')}</h1><p>${t.gettext('There is no page at this address.')} <a href="/">${t.gettext('All events')}</a></p>`, { loggedIn: false });
      notFoundPages.set(t.language, page);
    }
    return page;
  };
  const notFound = async (request: Request, api = false) => {
    if (api) return new Response(JSON.stringify({ detail: 'Not found.' }), { status: 404, headers: { ...SECURITY_HEADERS, 'Access-Control-Allow-Origin': '*', 'Content-Type': TYPES.json! } });
    const t = await translatorOf(request);
    return new Response(notFoundPage(t), { status: 404, headers: { ...SECURITY_HEADERS, 'Content-Type': TYPES.html!, ...languageHeaders(t) } });
  };

  return async (request) => {
    const url = new URL(request.url);
    if (url.pathname === '/login' || url.pathname === '/login/') return handleLogin(request, url);
    if (url.pathname === '/logout' && request.method === 'POST') {
      const origin = request.headers.get('origin');
      if (origin && origin !== publicOrigin(request, url)) return new Response('Cross-site logout refused\n', { status: 403, headers: SECURITY_HEADERS });
      await logout(db, cookie(request, SESSION_COOKIE));
      return new Response(null, { status: 303, headers: { ...SECURITY_HEADERS, Location: '/', 'Set-Cookie': `${SESSION_COOKIE}=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0` } });
    }
    if (request.method !== 'GET' && request.method !== 'HEAD') {
      return new Response('Method not allowed\n', { status: 405, headers: { ...SECURITY_HEADERS, Allow: 'GET, HEAD' } });
    }
    let path: string;
    try {
      path = decodeURIComponent(url.pathname);
    } catch {
      return new Response('Bad request\n', { status: 400, headers: SECURITY_HEADERS });
    }

    if (path === '/api' || path.startsWith('/api/')) {
      const answer = await apiAnswer(url, path);
      return answer ? send(request, answer, { 'Access-Control-Allow-Origin': '*' }) : notFound(request, true);
    }

    if (path.startsWith('/static/')) {
      const name = path.slice('/static/'.length);
      const asset = assets.get(name);
      if (asset) return send(request, asset);
      if (options.staticDir) {
        // Only files inside the static folder: normalised, resolved through links, and contained.
        const root = resolve(options.staticDir);
        const target = resolve(root, normalize(name));
        if (target.startsWith(root + sep) && existsSync(target) && statSync(target).isFile() && realpathSync(target).startsWith(realpathSync(root) + sep)) {
          return send(request, cached(readFileSync(target), typeOf(target)));
        }
      }
      return notFound(request);
    }

    if (path === '/' || path === '') return home(request);
    if (path === '/favicon.ico') return send(request, icon);

    const [, slug = '', ...rest] = path.split('/');
    // The stamps as of this request (PostgreSQL reads them now; SQLite when another connection committed).
    await stamps.refresh();
    const user = await sessionUser(db, options.clock, cookie(request, SESSION_COOKIE));
    const event = await visibleEvent(slug, user);
    if (!event) return notFound(request);
    if (rest.length === 0) return redirect(301, `/${encodeURIComponent(slug)}/`);
    let file = rest.join('/');
    // pretalx's content negotiation on the schedule: JSON and XML clients get the feed.
    if (file === 'schedule/' || file === 'schedule') {
      const accept = request.headers.get('accept') ?? '';
      if (/application\/json/.test(accept) && !/text\/html/.test(accept)) return redirect(303, `/${slug}/schedule.json`);
      if (/(application|text)\/xml/.test(accept) && !/text\/html/.test(accept)) return redirect(303, `/${slug}/schedule.xml`);
    }
    // An event in several languages: its root (/slug/, as people type it) sends a browser that prefers
    // another of them there. The pages' own links, the language switch's too, name index.html, which
    // is never redirected: a visitor who picks the default language gets it.
    const multilingual = event.languages.length > 1 && file === '';
    if (multilingual) {
      const preferred = negotiateLanguage(request.headers.get('accept-language'), event.languages, event.languages[0]!);
      if (preferred !== event.languages[0]) return redirect(302, `/${slug}/${preferred}/`, { Vary: 'Accept-Language' });
    }
    if (file === '' || file.endsWith('/')) file += 'index.html';
    if (file.split('/').includes('..')) return notFound(request);
    const found = await page(event, file);
    if (found.kind === 'missing') return notFound(request);
    if (found.kind === 'dir') return redirect(301, `/${slug}/${file}/`);
    return send(request, found, { ...(user ? { 'Cache-Control': 'private, no-cache' } : {}), ...(multilingual ? { Vary: 'Accept-Language' } : {}) });
  };
}

