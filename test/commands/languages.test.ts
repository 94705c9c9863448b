import { afterAll, beforeAll, describe, expect, test } from 'bun:test';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, normalize, relative } from 'node:path';
import type { Kysely } from 'kysely';
import { createApp } from '../../core/serve/app.ts';
import type { Database } from '../../db/schema.ts';
import { BACKENDS, newSite, type Site } from '../support/site.ts';

/**
 * An event in several languages (pretalx's locales): its default language at the site's root, each
 * other one under <lang>/ with the same file names, a language switch and hreflang alternates.
 */
const env = { CONFCTL_NOW: '2026-05-01T09:00:00Z' };

const filesUnder = (dir: string): string[] =>
  readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((f) => statSync(join(dir, f)).isFile())
    .sort();

/** Every relative link (href, src) of a page but its language switch, resolved to a path below the site. */
const linksOf = (site: string, page: string): string[] =>
  [...readFileSync(join(site, page), 'utf8').replace(/<nav class="languages".*?<\/nav>/, '').matchAll(/(?:href|src)="([^"#:]+)"/g)].map((m) => relative(site, normalize(join(site, dirname(page), m[1]!))));

describe('create_event and create_test_event set the languages', () => {
  test('--locale de --locales de,en stores both, the default first; a language pretalx does not know is refused with the nearest', async () => {
    await using site = await newSite('sqlite');
    await site.initialised();
    const base = ['create_event', '--name', 'Konferenz', '--date-from', '2026-06-01', '--date-to', '2026-06-02', '-v', '0'];
    expect(await site.call([...base, '--slug', 'konf', '--locale', 'de', '--locales', 'en,de'], { env })).toEqual({ stdout: '', stderr: '', exitCode: 0 });
    expect(await site.call([...base, '--slug', 'konf2', '--locale', 'de', '--locales', 'en,dee'], { env })).toEqual({
      stdout: '',
      stderr: expect.stringMatching(/^CommandError: Unknown locale "dee"\. Did you mean "de"\? Known: ar, ca, .*\n$/),
      exitCode: 1,
    });
    // Any language, not only pretalx's 30: a Hungarian translation can have its event.
    expect(await site.call([...base, '--slug', 'hu', '--locale', 'HU', '--locales', 'ja,en'], { env })).toEqual({ stdout: '', stderr: '', exitCode: 0 });
    expect((await site.call([...base, '--slug', 'x', '--locale', 'jp'], { env })).stderr).toStartWith('CommandError: Unknown locale "jp". Did you mean "ja-jp"?');
    expect(await site.call(['create_test_event', '--seed', '3', '--locale', 'pt-br', '-v', '0'], { env })).toEqual({ stdout: '', stderr: '', exitCode: 0 });
    expect(await site.call(['create_test_event', '--slug', 'multi', '--seed', '3', '--locale', 'de', '--locales', 'en,ja,de', '-v', '0'], { env })).toEqual({ stdout: '', stderr: '', exitCode: 0 });
    expect(await site.call(['create_test_event', '--slug', 'other', '--locale', 'klingon', '-v', '0'], { env })).toMatchObject({ exitCode: 1, stderr: expect.stringMatching(/^CommandError: Unknown locale "klingon"\./) });
    expect(await site.query('SELECT slug, locale, locales FROM event_event ORDER BY slug')).toEqual([
      { slug: 'democon', locale: 'pt-br', locales: '["pt-br"]' },
      { slug: 'hu', locale: 'hu', locales: '["hu","ja","en"]' },
      { slug: 'konf', locale: 'de', locales: '["de","en"]' },
      { slug: 'multi', locale: 'de', locales: '["de","en","ja"]' },
    ]);
  });
});

for (const backend of BACKENDS) {
  describe(`an event in English, German and Japanese (${backend})`, () => {
    let site: Site;
    let db: Kysely<Database>;
    beforeAll(async () => {
      site = await newSite(backend);
      await site.initialised();
      await site.call(['create_test_event', '--seed', '3', '-v', '0'], { env });
      // A list from Pretalx may hold anything: what is not a language code never becomes a folder.
      await site.run(`UPDATE event_event SET locales = '["en","de","ja-jp","../../x","DE"]'`);
      db = await site.open();
    });
    afterAll(async () => {
      await db?.destroy();
      await site?.[Symbol.asyncDispose]();
    });

    test('export_schedule_html writes each language with the same files, every link staying in its language but the switch', async () => {
      const result = await site.call(['export_schedule_html', 'democon', '--site-url', 'https://x.example/'], { env });
      expect(result.exitCode).toBe(0);
      const root = site.join('data', 'htmlexport', 'democon');
      const all = filesUnder(root);
      const english = all.filter((f) => !f.startsWith('de/') && !f.startsWith('ja-jp/'));
      expect(all.filter((f) => f.startsWith('de/')).map((f) => f.slice(3))).toEqual(english);
      expect(all.filter((f) => f.startsWith('ja-jp/')).map((f) => f.slice(6))).toEqual(english);
      expect(readdirSync(root).sort()).toEqual(['de', 'featured', 'index.html', 'ja-jp', 'schedule', 'schedule.ics', 'schedule.json', 'schedule.xml', 'speaker', 'static', 'talk']);

      for (const page of english.filter((f) => f.endsWith('.html'))) {
        for (const [prefix, lang, tag] of [['', 'en', 'en'], ['de/', 'de', 'de'], ['ja-jp/', 'ja-jp', 'ja-JP']] as const) {
          const text = readFileSync(join(root, prefix + page), 'utf8');
          expect(text).toContain(`<html lang="${lang}">`);
          const folder = page.replace(/(^|\/)index\.html$/, '$1');
          expect(text).toContain(
            `<link rel="alternate" hreflang="en" href="https://x.example/democon/${folder}">\n<link rel="alternate" hreflang="de" href="https://x.example/democon/de/${folder}">\n` +
              `<link rel="alternate" hreflang="ja-JP" href="https://x.example/democon/ja-jp/${folder}">\n<link rel="alternate" hreflang="x-default" href="https://x.example/democon/${folder}">\n</head>`,
          );
          const switchLinks = [...text.matchAll(/<nav class="languages" aria-label="[^"]+">(.*?)<\/nav>/g)].map((m) => m[1]);
          expect(switchLinks).toHaveLength(1);
          expect(switchLinks[0]).toContain(`lang="${tag}" aria-current="true"`);
          // Every other link stays inside this language's folder and points at a file that exists.
          const links = linksOf(root, prefix + page);
          expect(links.length).toBeGreaterThan(5);
          for (const link of links) expect({ page: prefix + page, link, exists: all.includes(link) }).toEqual({ page: prefix + page, link, exists: true });
          const outside = links.filter((l) => (prefix === '' ? l.startsWith('de/') || l.startsWith('ja-jp/') : !l.startsWith(prefix)));
          expect(outside).toEqual([]);
        }
      }
      const german = readFileSync(join(root, 'de', 'talk', 'index.html'), 'utf8');
      expect(german).toContain('<nav class="languages" aria-label="Sprache"><a href="../../talk/index.html" lang="en" hreflang="en">English</a><a href="../../de/talk/index.html" lang="de" aria-current="true">Deutsch</a><a href="../../ja-jp/talk/index.html" lang="ja-JP" hreflang="ja-JP">日本語</a></nav>');
      expect(german).toContain('<title>Beiträge · DemoCon</title>');
      expect(readFileSync(join(root, 'ja-jp', 'schedule', 'index.html'), 'utf8')).toContain('<h1>タイムテーブル</h1>');
      // The feeds under a language link to that language's pages.
      expect(readFileSync(join(root, 'de', 'schedule.json'), 'utf8')).toContain('"url": "https://x.example/democon/de/talk/');
      // The same database and catalogues give the same site, byte for byte.
      expect((await site.call(['export_schedule_html', 'democon', '--site-url', 'https://x.example/', '--zip'], { env })).exitCode).toBe(0);
      const zip = readFileSync(site.join('data', 'htmlexport', 'democon.zip'));
      expect((await site.call(['export_schedule_html', 'democon', '--site-url', 'https://x.example/', '--zip'], { env })).exitCode).toBe(0);
      expect(readFileSync(site.join('data', 'htmlexport', 'democon.zip')).equals(zip)).toBe(true);
    });

    test('--locale de exports German alone at the root: no folders, no switch, no alternates', async () => {
      const result = await site.call(['export_schedule_html', 'democon', '--locale', 'DE', '--output-dir', site.join('one')], { env });
      expect(result.exitCode).toBe(0);
      const root = site.join('one', 'democon');
      expect(readdirSync(root).sort()).toEqual(['featured', 'index.html', 'schedule', 'schedule.ics', 'schedule.json', 'schedule.xml', 'speaker', 'static', 'talk']);
      const page = readFileSync(join(root, 'schedule', 'index.html'), 'utf8');
      expect(page).toContain('<html lang="de">');
      expect(page).toContain('<h1>Programm</h1>');
      expect(page).not.toContain('hreflang');
      expect(page).not.toContain('class="languages"');
      expect(await site.call(['export_schedule_html', 'democon', '--locale', '../x'], { env })).toEqual({ stdout: '', stderr: 'CommandError: --locale: "../x" is not a language code (such as en, de or pt-br).\n', exitCode: 1 });
    });

    test('runserver: the root sends a browser that prefers German or Japanese to its folder; each language is served as exported', async () => {
      const app = createApp({ db, siteUrl: 'https://x.example', version: '0.1.0', clock: { now: () => new Date('2026-05-01T09:00:00Z') } });
      const get = (path: string, language?: string) => app(new Request(`http://localhost${path}`, { headers: language ? { 'Accept-Language': language } : {} }));
      const german = await get('/democon/', 'de-AT,de;q=0.9,en;q=0.5');
      expect([german.status, german.headers.get('location'), german.headers.get('vary')]).toEqual([302, '/democon/de/', 'Accept-Language']);
      expect((await get('/democon/', 'ja')).headers.get('location')).toBe('/democon/ja-jp/');
      // The switch's link to the default language names index.html, which is never redirected:
      // a visitor whose browser prefers German can still pick English.
      const picked = await get('/democon/index.html', 'de');
      expect([picked.status, (await picked.text()).includes('<html lang="en">')]).toEqual([200, true]);
      expect(readFileSync(site.join('data', 'htmlexport', 'democon', 'de', 'index.html'), 'utf8')).toContain('<a href="../index.html" lang="en" hreflang="en">English</a>');
      const english = await get('/democon/', 'en-GB,fr;q=0.8');
      expect([english.status, english.headers.get('vary')]).toEqual([200, 'Accept-Encoding, Accept-Language']);
      expect(await english.text()).toContain('<html lang="en">');
      expect((await get('/democon/', undefined)).status).toBe(200);
      // Below the root a page is what it is, whatever the browser prefers.
      const schedule = await get('/democon/de/schedule/', 'ja');
      expect(schedule.status).toBe(200);
      expect(await schedule.text()).toContain('<h1>Programm</h1>');
      const older = await get('/democon/de/schedule/v/v1.0/', 'en');
      expect(older.status).toBe(200);
      expect(await older.text()).toContain('<h1>Programmversion v1.0</h1>');
      expect((await get('/democon/x/')).status).toBe(404);
    });
  });
}

test('a single-language event gets neither a language switch nor alternates (its export is as before)', async () => {
  await using site = await newSite('sqlite');
  await site.initialised();
  await site.call(['create_test_event', '--seed', '3', '-v', '0'], { env });
  expect((await site.call(['export_schedule_html', 'democon'], { env })).exitCode).toBe(0);
  const root = site.join('data', 'htmlexport', 'democon');
  for (const page of filesUnder(root).filter((f) => f.endsWith('.html'))) {
    const text = readFileSync(join(root, page), 'utf8');
    expect(text).not.toContain('hreflang');
    expect(text).not.toContain('class="languages"');
    expect(text).toContain('<link rel="stylesheet" href="');
    expect(text).toMatch(/event\.css">\n<\/head>/);
  }
});
