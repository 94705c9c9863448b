import { afterAll, beforeAll, describe, expect, test } from 'bun:test';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { markdown } from '../../core/export/markdown.ts';
import { BACKENDS, newSite, type Site } from '../support/site.ts';
import { AVATAR_ATTACKS, escapeText, MARKDOWN_ATTACKS, pageProblems, plantAlone, TEXT_ATTACKS, type Planted } from '../support/xss.ts';

/**
 * Hostile text, each attack ALONE in its field, so that each rule is reached on its own: the
 * Markdown sanitiser and its link filter (test/support/xss.ts's poison() starts every field with
 * <script>, which an earlier rule escapes whole), the escaping of plain text, and attribute values.
 */
const env = { CONFCTL_NOW: '2026-05-01T09:00:00Z' };

const LINK = (text: string) => `<a rel="noopener noreferrer nofollow">${text}</a>`;
/** Exactly what each Markdown attack renders to: links lose a href that is not http(s) or mailto. */
const RENDERED: Record<string, string> = {
  '[click me](javascript:alert(1))': `<p>${LINK('click me')}</p>`,
  '[click me](JaVaScRiPt:alert(1))': `<p>${LINK('click me')}</p>`,
  '[click me](&#106;avascript:alert(1))': `<p>${LINK('click me')}</p>`,
  '[click me](&#x6A;avascript:alert(1))': `<p>${LINK('click me')}</p>`,
  '[click me](javascript&#58;alert(1))': `<p>${LINK('click me')}</p>`,
  '[click me](jav&#x09;ascript:alert(1))': `<p>${LINK('click me')}</p>`,
  '[click me](  javascript:alert(1))': `<p>${LINK('click me')}</p>`,
  '[click me](\tjavascript:alert(1))': `<p>${LINK('click me')}</p>`,
  '[click me](<javascript:alert(1)>)': `<p>${LINK('click me')}</p>`,
  '[click me](javascript:alert(1) "title")': '<p><a title="title" rel="noopener noreferrer nofollow">click me</a></p>',
  '[click me](vbscript:msgbox(1))': `<p>${LINK('click me')}</p>`,
  '[click me](data:text/html,<script>alert(1)</script>)': `<p>${LINK('click me')}</p>`,
  '[click me](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)': `<p>${LINK('click me')}</p>`,
  '[click me](//evil.example/)': `<p>${LINK('click me')}</p>`,
  '[click me][x]\n\n[x]: javascript:alert(1)': `<p>${LINK('click me')}</p>`,
  '<javascript:alert(1)>': `<p>${LINK('javascript:alert(1)')}</p>`,
  '![click me](javascript:alert(1))': `<p>${LINK('click me')}</p>`,
  '[![click me](https://example.org/a.png)](javascript:alert(1))': `<p>${LINK('')}<a href="https://example.org/a.png" rel="noopener noreferrer nofollow">click me</a></p>`,
  '*[click me](javascript:alert(1))*': `<p><em>${LINK('click me')}</em></p>`,
  '| a |\n| - |\n| [click me](javascript:alert(1)) |': `<table>\n<thead>\n<tr>\n<th>a</th>\n</tr>\n</thead>\n<tbody><tr>\n<td>${LINK('click me')}</td>\n</tr>\n</tbody></table>`,
  '> [click me](javascript:alert(1))': `<blockquote>\n<p>${LINK('click me')}</p>\n</blockquote>`,
  '[click me](https://example.org/ "a\\" onmouseover=\\"alert(1)")':
    '<p><a href="https://example.org/" title="a&quot; onmouseover=&quot;alert(1)" rel="noopener noreferrer nofollow">click me</a></p>',
  '[click me](https://example.org/a"onmouseover="alert(1))': '<p><a href="https://example.org/a%22onmouseover=%22alert(1)" rel="noopener noreferrer nofollow">click me</a></p>',
  '<a href="javascript:alert(1)">click me</a>': '<p>&lt;a href="javascript:alert(1)"&gt;click me&lt;/a&gt;</p>',
  '<script>alert(1)</script>': '&lt;script&gt;alert(1)&lt;/script&gt;',
  '<img src=x onerror=alert(1)>': '&lt;img src=x onerror=alert(1)&gt;',
  '"><svg onload=alert(1)>': '<p>"&gt;&lt;svg onload=alert(1)&gt;</p>',
  '<iframe src="javascript:alert(1)"></iframe>': '&lt;iframe src="javascript:alert(1)"&gt;&lt;/iframe&gt;',
  '<style>*{background:url(javascript:alert(1))}</style>': '&lt;style&gt;*{background:url(javascript:alert(1))}&lt;/style&gt;',
  'javascript:alert(1)': '<p>javascript:alert(1)</p>',
  '[click me](https://example.org/ok)': '<p><a href="https://example.org/ok" rel="noopener noreferrer nofollow">click me</a></p>',
  '[write](mailto:speaker@example.org)': '<p><a href="mailto:speaker@example.org" rel="noopener noreferrer nofollow">write</a></p>',
};

const IMG = (src: string) => `<img class="avatar" src="${src}" alt="" loading="lazy" referrerpolicy="no-referrer">`;
/** What each avatar URL shows as: an image whose URL stays inside src="…", or nothing. */
const AVATARS: Record<string, string> = {
  'https://example.org/a.png" onerror="alert(1)': IMG('https://example.org/a.png&quot; onerror=&quot;alert(1)'),
  'https://example.org/a.png"><script>alert(1)</script>': IMG('https://example.org/a.png&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;'),
  "HTTPS://example.org/b.png' onerror='alert(1)": IMG('HTTPS://example.org/b.png&#39; onerror=&#39;alert(1)'),
  'http://example.org/c.png?a=1&b=<2>': IMG('http://example.org/c.png?a=1&amp;b=&lt;2&gt;'),
  'javascript:alert(1)': '',
  'JaVaScRiPt:alert(1)//https://example.org/': '',
  ' javascript:alert(1)': '',
  'data:image/svg+xml,<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>': '',
  '//evil.example/a.png': '',
  'https://example.org/ok.png': IMG('https://example.org/ok.png'),
};

const shown = (p: Planted) => (p.kind === 'markdown' ? RENDERED[p.value]! : p.kind === 'avatar' ? AVATARS[p.value]! : escapeText(p.value));

test('every Markdown attack, alone, renders to exactly its safe form', () => {
  expect(Object.keys(RENDERED)).toEqual(MARKDOWN_ATTACKS);
  for (const attack of MARKDOWN_ATTACKS) expect({ attack, html: markdown(attack).value }).toEqual({ attack, html: RENDERED[attack]! });
});

test('the page checker itself finds each kind of danger', async () => {
  expect(await pageProblems('<p><a href="https://example.org/" rel="noopener">x</a><a href="../talk/A/index.html">y</a><a href="mailto:a@example.org">z</a><script src="../static/confctl.js" defer></script></p>')).toEqual([]);
  expect(await pageProblems('<a href="javascript:alert(1)">x</a>')).toEqual(['<a href="javascript:alert(1)">: javascript: URL']);
  expect(await pageProblems('<a href="&#106;avascript:alert(1)">x</a>')).toEqual(['<a href="&#106;avascript:alert(1)">: javascript: URL']);
  expect(await pageProblems('<a href=" JaVaScRiPt:alert(1)">x</a>')).toEqual(['<a href=" JaVaScRiPt:alert(1)">: javascript: URL']);
  expect(await pageProblems('<a href="java&Tab;script:alert(1)">x</a>')).toEqual(['<a href="java&Tab;script:alert(1)">: unknown character reference']);
  expect(await pageProblems('<a href="data:text/html,x">x</a>')).toEqual(['<a href="data:text/html,x">: data: URL']);
  expect(await pageProblems('<a href="//evil.example/">x</a>')).toEqual(['<a href="//evil.example/">: leaves the site without saying so']);
  expect(await pageProblems('<img class="avatar" src="https://example.org/a.png" onerror="alert(1)">')).toEqual(['<img onerror="alert(1)">: an event handler']);
  expect(await pageProblems('<svg onload=alert(1)>')).toEqual(["<svg>: not a tag of confctl's pages", '<svg onload="alert(1)">: an event handler']);
  expect(await pageProblems('<script>alert(1)</script>')).toEqual(['<script src="undefined">: not confctl.js', 'inline script: alert(1)']);
  expect(await pageProblems('<style>main:has(#f-r0:not(:checked)) .r0{display:none}</style>')).toEqual([]);
  expect(await pageProblems('<style>body{background:url(https://evil.example/)}</style>')).toEqual(['style element: body{background:url(https://evil.example/)}']);
});

for (const backend of BACKENDS) describe(`an export with each attack alone in each field (${backend})`, () => {
  let site: Site;
  let planted: Planted[];
  let pages: Map<string, string>;
  beforeAll(async () => {
    site = await newSite(backend);
    await site.initialised();
    await site.call(['create_test_event', '--seed', '3', '-v', '0'], { env });
    const plant = await plantAlone(site);
    planted = plant.planted;
    for (const slug of plant.slugs) {
      const result = await site.call(['export_schedule_html', slug, '--output-dir', 'out'], { env });
      if (result.exitCode !== 0) throw new Error(`export of ${slug} failed: ${result.stderr}`);
    }
    const out = site.join('out');
    pages = new Map(
      readdirSync(out, { recursive: true, encoding: 'utf8' })
        .filter((f) => f.endsWith('.html'))
        .sort()
        .map((f) => [f, readFileSync(join(out, f), 'utf8')]),
    );
  });
  afterAll(() => site?.[Symbol.asyncDispose]());

  test('every corpus reaches every field it is meant for, each value alone', () => {
    const fields = (kind: Planted['kind']) => [...new Set(planted.filter((p) => p.kind === kind).map((p) => p.field))].sort();
    expect(fields('markdown')).toEqual(['abstract', 'biography', 'description', 'featured text', 'landing text', 'release comment']);
    expect(fields('text')).toEqual(['event name', 'room name', 'speaker name', 'talk title', 'track name', 'type name']);
    const corpus = { markdown: MARKDOWN_ATTACKS, text: TEXT_ATTACKS, avatar: AVATAR_ATTACKS };
    for (const kind of ['markdown', 'text', 'avatar'] as const) {
      for (const field of fields(kind)) {
        const values = new Set(planted.filter((p) => p.kind === kind && p.field === field).map((p) => p.value));
        expect({ field, missing: corpus[kind].filter((v) => !values.has(v)) }).toEqual({ field, missing: [] });
      }
    }
  });

  test('each value shows exactly as its rule makes it, where it belongs', () => {
    const wrong = planted.filter((p) => !pages.get(p.page)?.includes(`${p.before}${shown(p)}${p.after}`));
    expect(wrong.map((p) => ({ field: p.field, value: p.value, page: p.page, expected: `${p.before}${shown(p)}${p.after}` }))).toEqual([]);
  });

  test('no page has a script, handler, foreign tag or javascript:/data: link', async () => {
    expect(pages.size).toBeGreaterThan(100);
    const found: string[] = [];
    for (const [page, text] of pages) for (const problem of await pageProblems(text)) found.push(`${page}: ${problem}`);
    expect(found).toEqual([]);
  });

  test('an avatar URL never leaves its src attribute, and only http(s) avatars show', () => {
    for (const p of planted.filter((x) => x.kind === 'avatar')) {
      const page = pages.get(p.page)!;
      const images = page.match(/<img\b[^>]*>/g) ?? [];
      expect({ avatar: p.value, images }).toEqual({ avatar: p.value, images: AVATARS[p.value] ? [AVATARS[p.value]!] : [] });
    }
  });
});
