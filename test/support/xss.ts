import { Database as Sqlite } from 'bun:sqlite';
import type { Site } from './site.ts';

/** Every text field that comes from speakers or organisers, filled with attacks. */
export const XSS = [
  '<script>alert("xss")</script>',
  '<img src=x onerror=alert(1)>',
  '"><svg onload=alert(1)>',
  "'><iframe src=javascript:alert(1)></iframe>",
  '[click](javascript:alert(1))',
  '<a href="javascript:alert(1)">x</a>',
  '</title><script>alert(1)</script>',
  '{{constructor.constructor("alert(1)")()}}',
];

export async function poison(target: string | Site): Promise<void> {
  const sqlite = typeof target === 'string' ? new Sqlite(target) : null;
  const run = sqlite ? async (sql: string, ...params: string[]) => sqlite.query(sql).run(...params).changes : (target as Site).run;
  const evil = XSS.join(' ');
  const i18n = JSON.stringify({ en: evil });
  try {
    // The attacks are longer than a speaker's name may be (120, as in pretalx): PostgreSQL would refuse them, SQLite never checks.
    if (typeof target !== 'string' && target.backend === 'postgres') await run('ALTER TABLE person_speakerprofile ALTER COLUMN name TYPE text');
    await run('UPDATE submission_submission SET title = ?, abstract = ?, description = ?', evil, evil, evil);
    await run('UPDATE person_speakerprofile SET name = ?, biography = ?, avatar_url = ?', evil, evil, 'javascript:alert(1)');
    await run('UPDATE schedule_room SET name = ?, description = ?', i18n, i18n);
    await run('UPDATE submission_track SET name = ?', i18n);
    await run('UPDATE submission_submissiontype SET name = ?', i18n);
    await run('UPDATE event_event SET name = ?, landing_page_text = ?, featured_sessions_text = ?', i18n, i18n, i18n);
    await run('UPDATE schedule_schedule SET comment = ?', i18n);
  } finally {
    sqlite?.close();
  }
}


/**
 * Attacks meant to be planted each ALONE in a field, so that each one reaches the rule meant for it
 * (poison() joins them into one text that starts with <script>, so the first rule decides for all):
 * Markdown fields go through the Markdown sanitiser, the link filter above all.
 */
export const MARKDOWN_ATTACKS = [
  '[click me](javascript:alert(1))',
  '[click me](JaVaScRiPt:alert(1))',
  '[click me](&#106;avascript:alert(1))',
  '[click me](&#x6A;avascript:alert(1))',
  '[click me](javascript&#58;alert(1))',
  '[click me](jav&#x09;ascript:alert(1))',
  '[click me](  javascript:alert(1))',
  '[click me](\tjavascript:alert(1))',
  '[click me](<javascript:alert(1)>)',
  '[click me](javascript:alert(1) "title")',
  '[click me](vbscript:msgbox(1))',
  '[click me](data:text/html,<script>alert(1)</script>)',
  '[click me](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)',
  '[click me](//evil.example/)',
  '[click me][x]\n\n[x]: javascript:alert(1)',
  '<javascript:alert(1)>',
  '![click me](javascript:alert(1))',
  '[![click me](https://example.org/a.png)](javascript:alert(1))',
  '*[click me](javascript:alert(1))*',
  '| a |\n| - |\n| [click me](javascript:alert(1)) |',
  '> [click me](javascript:alert(1))',
  '[click me](https://example.org/ "a\\" onmouseover=\\"alert(1)")',
  '[click me](https://example.org/a"onmouseover="alert(1))',
  '<a href="javascript:alert(1)">click me</a>',
  '<script>alert(1)</script>',
  '<img src=x onerror=alert(1)>',
  '"><svg onload=alert(1)>',
  '<iframe src="javascript:alert(1)"></iframe>',
  '<style>*{background:url(javascript:alert(1))}</style>',
  'javascript:alert(1)',
  // Harmless ones, which must keep working: the filter is an allowlist, not a wall.
  '[click me](https://example.org/ok)',
  '[write](mailto:speaker@example.org)',
];

/** Attacks on plain-text fields (titles, names, room, track and type names): shown as typed, escaped. */
export const TEXT_ATTACKS = [
  '<script>alert("xss")</script>',
  '<img src=x onerror=alert(1)>',
  '"><svg onload=alert(1)>',
  "'><iframe src=javascript:alert(1)></iframe>",
  '</title><script>alert(1)</script>',
  '" onmouseover="alert(1)',
  "' onmouseover='alert(1)",
  'javascript:alert(1)',
  '[click me](javascript:alert(1))',
  '<a href="javascript:alert(1)">click me</a>',
  '&lt;script&gt;alert(1)&lt;/script&gt;',
  '<!--',
  '{{constructor.constructor("alert(1)")()}}',
];

/** Avatar URLs: only http(s) ones are shown, always inside their src="…". */
export const AVATAR_ATTACKS = [
  'https://example.org/a.png" onerror="alert(1)',
  'https://example.org/a.png"><script>alert(1)</script>',
  "HTTPS://example.org/b.png' onerror='alert(1)",
  'http://example.org/c.png?a=1&b=<2>',
  'javascript:alert(1)',
  'JaVaScRiPt:alert(1)//https://example.org/',
  ' javascript:alert(1)',
  'data:image/svg+xml,<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>',
  '//evil.example/a.png',
  'https://example.org/ok.png',
];

/** Where one planted value must show: in `page` (below the export folder), between `before` and `after`. */
export interface Planted {
  kind: 'markdown' | 'text' | 'avatar';
  field: string;
  value: string;
  page: string;
  before: string;
  after: string;
}

/** A small, dependency-free escaper, independent of the one under test. */
export const escapeText = (text: string) =>
  text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');

/**
 * Plants the corpora in a database made by create_test_event (event "democon"), each value alone in
 * its field and each corpus entirely in each field: talks get titles, abstracts and descriptions;
 * new speakers (one per entry) get names, biographies and avatars; new rooms, tracks and types get
 * names; new released versions get changelog comments; and one new event per Markdown attack gets
 * its name, landing text and featured text. Returns the slugs to export and where each value shows.
 */
export async function plantAlone(site: Site): Promise<{ slugs: string[]; planted: Planted[] }> {
  const planted: Planted[] = [];
  const i18n = (text: string) => JSON.stringify({ en: text });
  const nth = <T>(list: readonly T[], i: number) => list[i % list.length]!;
  const run = (sql: string, ...params: (string | number)[]) => site.run(sql, ...params);
  const insert = async (sql: string, ...params: (string | number)[]) => Number((await site.query<{ id: number }>(`${sql} RETURNING id`, ...params))[0]!.id);
  const [event] = await site.query<{ id: number }>("SELECT id FROM event_event WHERE slug = 'democon'");
  const talks = await site.query<{ id: number; code: string }>(
    `SELECT DISTINCT s.id, s.code FROM submission_submission s JOIN schedule_talkslot t ON t.submission_id = s.id
     JOIN schedule_schedule v ON v.id = t.schedule_id WHERE v.event_id = ? AND v.version = 'v1.0' AND t.is_visible = TRUE AND t.room_id IS NOT NULL ORDER BY s.id`,
    event!.id,
  );
  const talkPage = (code: string) => `democon/talk/${code}/index.html`;

  // Rooms: the two in use first, then one more per text attack, each given a talk's slot (the grid
  // shows a day's rooms in use only, each at the head of its column).
  const used = await site.query<{ id: number }>('SELECT id FROM schedule_room WHERE event_id = ? ORDER BY id', event!.id);
  for (const [i, room] of used.entries()) await run('UPDATE schedule_room SET name = ?, position = ? WHERE id = ?', i18n(TEXT_ATTACKS[i]!), i, room.id);
  const roomAttack = new Map(used.map((room, i) => [room.id, TEXT_ATTACKS[i]!]));
  for (let i = used.length; i < TEXT_ATTACKS.length; i++) {
    const room = await insert('INSERT INTO schedule_room (event_id, name, position) VALUES (?, ?, ?)', event!.id, i18n(TEXT_ATTACKS[i]!), i);
    roomAttack.set(room, TEXT_ATTACKS[i]!);
    await run("UPDATE schedule_talkslot SET room_id = ? WHERE id = (SELECT t.id FROM schedule_talkslot t JOIN schedule_schedule v ON v.id = t.schedule_id WHERE v.version = 'v1.0' AND t.submission_id = ? ORDER BY t.start LIMIT 1)", room, talks[i]!.id);
  }
  for (const name of TEXT_ATTACKS) {
    planted.push({ kind: 'text', field: 'room name', value: name, page: 'democon/schedule/index.html', before: '">', after: '</div>' });
  }

  // Tracks and types: one per text attack, handed out to the talks in turn.
  const tracks: number[] = [];
  const types: number[] = [];
  for (const name of TEXT_ATTACKS) {
    tracks.push(await insert('INSERT INTO submission_track (event_id, name, color, position) VALUES (?, ?, ?, ?)', event!.id, i18n(name), '#336699', 100 + tracks.length));
    types.push(await insert('INSERT INTO submission_submissiontype (event_id, name) VALUES (?, ?)', event!.id, i18n(name)));
  }

  for (const [i, talk] of talks.entries()) {
    const title = nth(TEXT_ATTACKS, i);
    const abstract = nth(MARKDOWN_ATTACKS, i);
    const description = nth(MARKDOWN_ATTACKS, i + 1);
    await run('UPDATE submission_submission SET title = ?, abstract = ?, description = ?, track_id = ?, submission_type_id = ? WHERE id = ?', title, abstract, description, nth(tracks, i), nth(types, i), talk.id);
    const page = talkPage(talk.code);
    planted.push(
      { kind: 'text', field: 'talk title', value: title, page, before: '<article class="prose"><h1>', after: '</h1>' },
      { kind: 'text', field: 'track name', value: nth(TEXT_ATTACKS, i), page, before: '<dt>Track</dt><dd>', after: '</dd>' },
      { kind: 'text', field: 'type name', value: nth(TEXT_ATTACKS, i), page, before: '<dt>Type</dt><dd>', after: '</dd></dl>' },
      { kind: 'markdown', field: 'abstract', value: abstract, page, before: '<h2>Abstract</h2>', after: '\n' },
      { kind: 'markdown', field: 'description', value: description, page, before: '<h2>Description</h2>', after: '\n' },
    );
  }
  // The rooms in use show on the talk pages too.
  for (const talk of talks) {
    const [{ room_id }] = (await site.query<{ room_id: number }>("SELECT t.room_id FROM schedule_talkslot t JOIN schedule_schedule v ON v.id = t.schedule_id WHERE v.version = 'v1.0' AND t.submission_id = ? ORDER BY t.start LIMIT 1", talk.id)) as [{ room_id: number }];
    const name = roomAttack.get(room_id)!;
    planted.push({ kind: 'text', field: 'room name', value: name, page: talkPage(talk.code), before: '<dt>Room</dt><dd>', after: '</dd>' });
  }

  // One new speaker per entry of the longest corpus, each on a talk of the schedule.
  const speakers = Math.max(MARKDOWN_ATTACKS.length, TEXT_ATTACKS.length, AVATAR_ATTACKS.length);
  for (let i = 0; i < speakers; i++) {
    const code = `HOSTILE${String(i).padStart(3, '0')}`;
    const [name, biography, avatar] = [nth(TEXT_ATTACKS, i), nth(MARKDOWN_ATTACKS, i), nth(AVATAR_ATTACKS, i)];
    const id = await insert("INSERT INTO person_speakerprofile (event_id, name, code, biography, avatar_url, created, updated) VALUES (?, ?, ?, ?, ?, '2026-05-01 09:00:00', '2026-05-01 09:00:00')", event!.id, name, code, biography, avatar);
    await run('INSERT INTO submission_speakerrole (submission_id, speaker_id, position) VALUES (?, ?, 9)', nth(talks, i).id, id);
    const page = `democon/speaker/${code}/index.html`;
    planted.push(
      { kind: 'text', field: 'speaker name', value: name, page, before: '<article class="prose"><h1>', after: '</h1>' },
      { kind: 'markdown', field: 'biography', value: biography, page, before: '<h2>Biography</h2>', after: '\n' },
      { kind: 'avatar', field: 'avatar URL', value: avatar, page, before: '</h1>\n', after: '\n' },
    );
  }

  // Released versions older than v1.0, one per Markdown attack, each with it as its comment.
  for (const [i, comment] of MARKDOWN_ATTACKS.entries()) {
    await run('INSERT INTO schedule_schedule (event_id, version, published, comment) VALUES (?, ?, ?, ?)', event!.id, `v0.${i}`, `2026-01-01 00:00:${String(i).padStart(2, '0')}`, i18n(comment));
    planted.push({ kind: 'markdown', field: 'release comment', value: comment, page: 'democon/schedule/changelog/index.html', before: '<div class="prose">', after: '</div></section>' });
  }

  // One more event per Markdown attack: its name, landing text and featured text.
  const slugs = ['democon'];
  for (const [i, landing] of MARKDOWN_ATTACKS.entries()) {
    const slug = `hostile-${i}`;
    const [name, featured] = [nth(TEXT_ATTACKS, i), nth(MARKDOWN_ATTACKS, i + 1)];
    await run(
      "INSERT INTO event_event (name, slug, is_public, date_from, date_to, landing_page_text, featured_sessions_text, created, updated) VALUES (?, ?, TRUE, '2026-01-01', '2026-01-01', ?, ?, '2026-01-01 00:00:00', '2026-01-01 00:00:00')",
      i18n(name), slug, i18n(landing), i18n(featured),
    );
    slugs.push(slug);
    planted.push(
      { kind: 'text', field: 'event name', value: name, page: `${slug}/index.html`, before: '<h1>', after: '</h1>' },
      { kind: 'text', field: 'event name', value: name, page: `${slug}/talk/index.html`, before: '<title>Talks · ', after: '</title>' },
      { kind: 'markdown', field: 'landing text', value: landing, page: `${slug}/index.html`, before: '<div class="prose">', after: '</div>' },
      { kind: 'markdown', field: 'featured text', value: featured, page: `${slug}/featured/index.html`, before: '<div class="prose">', after: '</div>' },
    );
  }
  return { slugs, planted };
}

/** Every tag confctl's pages use; anything else in a page came from the data. */
const TAGS = new Set('html head meta title link body a header nav main footer script h1 h2 h3 h4 h5 h6 p br div section span ol ul li strong em del code pre blockquote hr table thead tbody tr th td article dl dt dd img details summary label input style'.split(' '));
const ATTRIBUTES = new Set('lang charset name content rel href src class id style title alt loading referrerpolicy defer align aria-label aria-labelledby aria-current data-start data-end data-room type checked hidden tabindex'.split(' '));
const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

/** An attribute value as a browser reads it (numeric and the basic named references). */
function decodeAttribute(value: string): string | null {
  let unknown = false;
  const decoded = value.replace(/&(#[xX][0-9a-fA-F]+|#\d+|[A-Za-z][A-Za-z0-9]*);?/g, (whole, body: string) => {
    if (body.startsWith('#')) return String.fromCodePoint(/^#[xX]/.test(body) ? parseInt(body.slice(2), 16) : parseInt(body.slice(1), 10));
    const known = ENTITIES[body.toLowerCase()];
    if (known === undefined) unknown = true;
    return known ?? whole;
  });
  return unknown ? null : decoded;
}

/**
 * What a browser would find dangerous in a page, tokenised as a browser does (Bun's HTMLRewriter):
 * a tag confctl never writes, an event handler or unknown attribute, a script other than
 * static/confctl.js or with inline code, an image other than an http(s) avatar, and any href/src
 * that is not http(s), mailto or a link within the site.
 */
export async function pageProblems(page: string): Promise<string[]> {
  const problems: string[] = [];
  let styleText = '';
  const checkUrl = (tag: string, name: string, raw: string) => {
    const value = decodeAttribute(raw);
    if (value === null) return problems.push(`<${tag} ${name}="${raw}">: unknown character reference`);
    let url: URL;
    try {
      url = new URL(value, 'https://site.invalid/event/talk/CODE/index.html');
    } catch {
      return problems.push(`<${tag} ${name}="${raw}">: not a URL`);
    }
    if (!['http:', 'https:', 'mailto:'].includes(url.protocol)) return problems.push(`<${tag} ${name}="${raw}">: ${url.protocol} URL`);
    if (url.host !== 'site.invalid' && !/^(https?:\/\/|mailto:)/i.test(value)) problems.push(`<${tag} ${name}="${raw}">: leaves the site without saying so`);
  };
  const rewriter = new HTMLRewriter()
    .on('*', {
      element(el) {
        const tag = el.tagName;
        const attributes = new Map([...el.attributes]);
        if (!TAGS.has(tag)) problems.push(`<${tag}>: not a tag of confctl's pages`);
        for (const [name, value] of attributes) {
          if (!ATTRIBUTES.has(name)) problems.push(`<${tag} ${name}="${value}">: ${name.startsWith('on') ? 'an event handler' : 'not an attribute of confctl\'s pages'}`);
          if (name === 'href' || name === 'src') checkUrl(tag, name, value);
        }
        if (tag === 'script' && !/^(\.\.\/)*static\/confctl\.js$/.test(attributes.get('src') ?? '')) problems.push(`<script src="${attributes.get('src')}">: not confctl.js`);
        if (tag === 'img' && (attributes.get('class') !== 'avatar' || !/^https?:\/\//i.test(attributes.get('src') ?? ''))) problems.push(`<img src="${attributes.get('src')}">: not an avatar`);
      },
    })
    .on('style', {
      // The room filter's rules, and nothing else: text from the data never reaches a style element.
      text(chunk) {
        styleText += chunk.text;
        if (chunk.lastInTextNode && !/^(main:has\(#f-r\d+:not\(:checked\)\) \.(grid\{--r\d+:0px\}|r\d+\{display:none\})\n?)*$/.test(styleText)) problems.push(`style element: ${styleText.slice(0, 80)}`);
        if (chunk.lastInTextNode) styleText = '';
      },
    })
    .on('script', {
      text(chunk) {
        if (chunk.text.trim() !== '') problems.push(`inline script: ${chunk.text}`);
      },
    });
  await rewriter.transform(new Response(page)).text();
  return problems;
}
