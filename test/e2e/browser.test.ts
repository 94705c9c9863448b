import { afterAll, beforeAll, describe, expect, test } from 'bun:test';
import { Database as Sqlite } from 'bun:sqlite';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { call } from '../support/cli.ts';
import { initialisedDatabase } from '../support/db.ts';
import { CHROMIUM, launchBrowser } from '../support/browser.ts';
import { tempDir, type TempDir } from '../support/tmp.ts';
import { poison } from '../support/xss.ts';

/**
 * The exported site in Debian's chromium (headless, through playwright-core), opened from file://
 * as someone who downloaded the zip would. UPDATE_SCREENSHOTS=1 writes the README's screenshots.
 */
const env = { CONFCTL_NOW: '2026-05-01T09:00:00Z' };
const docs = join(import.meta.dir, '..', '..', 'docs');

describe('the exported site in chromium', () => {
  let browser: Browser;
  let dir: TempDir;
  let site: string;
  beforeAll(async () => {
    if (!existsSync(CHROMIUM)) throw new Error("Debian's chromium is needed: apt-get install chromium (.ci/run installs it).");
    dir = tempDir('confctl-browser-');
    await initialisedDatabase(dir.path);
    await call(['create_test_event', '--seed', '8', '-v', '0'], { cwd: dir.path, env });
    await call(['export_schedule_html', 'democon'], { cwd: dir.path });
    site = dir.join('data', 'htmlexport', 'democon');
    browser = await launchBrowser();
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    dir?.[Symbol.dispose]();
  });

  const open = async (path: string, options: { width?: number; dark?: boolean } = {}) => {
    const page = await browser.newPage({ viewport: { width: options.width ?? 1280, height: 900 }, colorScheme: options.dark ? 'dark' : 'light' });
    const problems: string[] = [];
    page.on('console', (m) => m.type() === 'error' && problems.push(m.text()));
    page.on('pageerror', (e) => problems.push(String(e)));
    page.on('dialog', async (d) => {
      problems.push(`dialog: ${d.message()}`);
      await d.dismiss();
    });
    await page.goto(`file://${join(site, path)}`);
    return { page, problems };
  };

  test('every kind of page loads without errors', async () => {
    const talk = readdirSync(join(site, 'talk')).find((f) => statSync(join(site, 'talk', f)).isDirectory())!;
    const speaker = readdirSync(join(site, 'speaker')).find((f) => statSync(join(site, 'speaker', f)).isDirectory())!;
    for (const path of ['index.html', 'schedule/index.html', 'schedule/nojs/index.html', 'schedule/changelog/index.html', 'schedule/v/v1.0/index.html',
      'talk/index.html', `talk/${talk}/index.html`, 'speaker/index.html', `speaker/${speaker}/index.html`, 'featured/index.html']) {
      const { page, problems } = await open(path);
      expect({ path, problems }).toEqual({ path, problems: [] });
      expect(await page.locator('h1').count()).toBe(1);
      await page.close();
    }
  }, 60_000);

  test('the grid shows every slot, and a click leads to the talk', async () => {
    const { page, problems } = await open('schedule/index.html');
    const slots = page.locator('a.slot');
    expect(await slots.count()).toBe(36);
    for (const slot of await slots.all()) expect(await slot.isVisible()).toBe(true);
    const title = (await slots.first().locator('.title').textContent())!;
    await slots.first().click();
    expect(await page.locator('h1').textContent()).toBe(title);
    const list = await open('schedule/nojs/index.html');
    expect(await list.page.locator('ol.list li').count()).toBe(36);
    expect([...problems, ...list.problems]).toEqual([]);
  }, 60_000);

  test('during the event the running talks are marked now and the following ones next', async () => {
    const page = await browser.newPage();
    await page.clock.setFixedTime(new Date('2026-04-30T07:10:00Z')); // 09:10 in Berlin, day one
    await page.goto(`file://${join(site, 'schedule', 'index.html')}`);
    expect(await page.locator('a.slot.now').count()).toBe(2);
    expect(await page.locator('a.slot.next').count()).toBe(2);
    // The badge takes no room from the card, however short the talk (a 30-minute card is only a few
    // lines high): the card's content is as tall with it as without it, and the badge is inside.
    const cards = await page.$$eval('a.slot.now, a.slot.next', (slots) =>
      slots.map((slot) => {
        const mark = slot.classList.contains('now') ? 'now' : 'next';
        const card = slot.getBoundingClientRect();
        const badge = slot.querySelector(`.badge.${mark}`)!.getBoundingClientRect();
        const marked = slot.scrollHeight;
        slot.classList.remove(mark);
        const plain = slot.scrollHeight;
        slot.classList.add(mark);
        const inside = badge.top >= card.top && badge.bottom <= card.bottom && badge.left >= card.left && badge.right <= card.right;
        return { minutes: (Date.parse(slot.dataset.end!) - Date.parse(slot.dataset.start!)) / 60000, extra: marked - plain, inside };
      }),
    );
    expect(cards.some((c) => c.minutes <= 30)).toBe(true);
    for (const card of cards) expect(card).toEqual({ minutes: card.minutes, extra: 0, inside: true });
    await page.close();
  });

  test('a pale primary colour (#eaedae on white) still gives readable links, tabs and badges, light and dark', async () => {
    const db = new Sqlite(dir.join('data', 'db.sqlite3'));
    db.run("UPDATE event_event SET primary_color = '#eaedae' WHERE slug = 'democon'");
    db.close();
    expect((await call(['export_schedule_html', 'democon', '--output-dir', 'pale', '-v', '0'], { cwd: dir.path })).exitCode).toBe(0);
    for (const dark of [false, true]) {
      const page = await browser.newPage({ colorScheme: dark ? 'dark' : 'light' });
      await page.clock.setFixedTime(new Date('2026-04-30T07:10:00Z'));
      await page.goto(`file://${dir.join('pale', 'democon', 'schedule', 'index.html')}`);
      const ratios = await page.evaluate(() => {
        // The page's own globals (the tests are typed without the DOM library).
        const { document, getComputedStyle } = globalThis as unknown as {
          document: { documentElement: object; querySelector(selector: string): object | null };
          getComputedStyle(element: object): { color: string; backgroundColor: string };
        };
        const rgb = (css: string) => css.match(/[\d.]+/g)!.slice(0, 3).map(Number);
        const lum = (css: string) => {
          const [r, g, b] = rgb(css).map((c) => (c / 255 <= 0.04045 ? c / 255 / 12.92 : ((c / 255 + 0.055) / 1.055) ** 2.4));
          return 0.2126 * r! + 0.7152 * g! + 0.0722 * b!;
        };
        const ratio = (a: string, b: string) => {
          const [x, y] = [lum(a), lum(b)].sort((p, q) => q - p);
          return (x! + 0.05) / (y! + 0.05);
        };
        const page = getComputedStyle(document.documentElement).backgroundColor;
        const color = (selector: string) => getComputedStyle(document.querySelector(selector)!).color;
        const background = (selector: string) => getComputedStyle(document.querySelector(selector)!).backgroundColor;
        return {
          nav: ratio(color('header.site nav a'), page),
          tab: ratio(color('.tabs a[aria-current]'), background('.tabs a[aria-current]')),
          badge: ratio(color('.slot.next .badge.next'), background('.slot.next .badge.next')),
        };
      });
      for (const [what, ratio] of Object.entries(ratios)) expect({ dark, what, aa: ratio >= 4.5 }).toEqual({ dark, what, aa: true });
      await page.close();
    }
  });

  test('screenshots of the grid and a talk page, light and dark, phone and desktop', async () => {
    const out = process.env.UPDATE_SCREENSHOTS ? docs : dir.path;
    const grid = await open('schedule/index.html');
    await grid.page.screenshot({ path: join(out, 'screenshot-schedule.png') });
    await grid.page.locator('a.slot').first().click();
    await grid.page.screenshot({ path: join(out, 'screenshot-talk.png') });
    const phone = await open('schedule/index.html', { width: 390, dark: true });
    await phone.page.screenshot({ path: join(out, 'screenshot-phone-dark.png') });
    for (const name of ['screenshot-schedule.png', 'screenshot-talk.png', 'screenshot-phone-dark.png']) {
      expect(statSync(join(out, name)).size).toBeGreaterThan(10_000);
    }
  }, 60_000);

  test('a Japanese schedule: the interface, dates and lang in Japanese, readable on desktop and phone', async () => {
    const database = new Sqlite(dir.join('data', 'db.sqlite3'));
    database.run(`UPDATE event_event SET locale = 'ja-jp', locales = '["ja-jp"]'`);
    database.close();
    try {
      expect((await call(['export_schedule_html', 'democon', '--output-dir', dir.join('ja')], { cwd: dir.path })).exitCode).toBe(0);
    } finally {
      const restore = new Sqlite(dir.join('data', 'db.sqlite3'));
      restore.run(`UPDATE event_event SET locale = 'en', locales = '["en"]'`);
      restore.close();
    }
    const out = process.env.UPDATE_SCREENSHOTS ? docs : dir.path;
    for (const [size, width] of [['desktop', 1280], ['phone', 390]] as const) {
      const page = await browser.newPage({ viewport: { width, height: 900 } });
      await page.goto(`file://${dir.join('ja', 'democon', 'schedule', 'index.html')}`);
      expect(await page.locator('html').getAttribute('lang')).toBe('ja-jp');
      expect(await page.locator('header nav a').allTextContents()).toEqual(['タイムテーブル', '講演', '登壇者', '注目の講演', '変更履歴']);
      expect(await page.locator('.tabs a').allTextContents()).toEqual(['グリッド表示', 'リスト表示']);
      expect(await page.locator('section.day h2').first().textContent()).toMatch(/^\d{4}年\d{1,2}月\d{1,2}日[月火水木金土日]曜日$/);
      // The Japanese glyphs are drawn, not boxes: a font has them (.ci/run installs one), unlike a code point no font has.
      const tofu = await page.evaluate(`(() => { const c = document.createElement('canvas').getContext('2d'); c.font = '16px sans-serif';
        return [c.measureText('講演講演').width, c.measureText('\\u{10FFFD}\\u{10FFFD}\\u{10FFFD}\\u{10FFFD}').width]; })()`);
      expect((tofu as number[])[0]).not.toBe((tofu as number[])[1]);
      const path = join(out, `screenshot-ja-${size}.png`);
      await page.screenshot({ path });
      expect(statSync(path).size).toBeGreaterThan(10_000);
      await page.close();
    }
  }, 60_000);

  test('an export full of XSS attempts opens no dialog and runs no script', async () => {
    using evil = tempDir();
    await initialisedDatabase(evil.path);
    await call(['create_test_event', '--seed', '8', '-v', '0'], { cwd: evil.path, env });
    await poison(evil.join('data', 'db.sqlite3'));
    await call(['export_schedule_html', 'democon'], { cwd: evil.path });
    const root = evil.join('data', 'htmlexport', 'democon');
    const pages = readdirSync(root, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.html'));
    expect(pages.length).toBeGreaterThan(50);
    const page = await browser.newPage();
    const problems: string[] = [];
    page.on('dialog', async (d) => {
      problems.push(d.message());
      await d.dismiss();
    });
    for (const path of pages) {
      await page.goto(`file://${join(root, path)}`);
      expect({ path, problems }).toEqual({ path, problems: [] });
    }
    await page.close();
  }, 120_000);
});

/**
 * A big day: 60 rooms (a name long enough to wrap), 3 to 5 talks a room, long titles, a double
 * booking, as a c3voc file imported into an event; and the largest real schedule in ../shared/data.
 */
function bigSchedule(): string {
  const guid = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;
  const titles = ['Short', 'A rather long title about decentralised infrastructure and its discontents in the modern age', 'Übersicht: wie man 60 Räume plant', 'Lightning'];
  const rooms = Array.from({ length: 60 }, (_, i) => ({ name: `Room ${String(i + 1).padStart(2, '0')}${i % 9 === 0 ? ' – Großer Saal mit langem Namen' : ''}`, guid: guid(900000 + i) }));
  let n = 0;
  const days = [27, 28].map((d, index) => ({
    index: index + 1,
    date: `2026-12-${d}`,
    rooms: Object.fromEntries(
      rooms.map((room, r) => {
        let minute = 600 + (r % 3) * 15;
        const events = Array.from({ length: 3 + (r % 3) }, (_, k) => {
          n++;
          const duration = [20, 30, 45, 60, 90][(r + k) % 5]!;
          const at = `${String(Math.floor(minute / 60)).padStart(2, '0')}:${String(minute % 60).padStart(2, '0')}`;
          minute += duration + 10;
          return { guid: guid(n), id: n, date: `2026-12-${d}T${at}:00+01:00`, start: at, duration: `00:${String(duration % 60).padStart(2, '0')}`.replace(/^00:(\d\d)$/, duration >= 60 ? `0${Math.floor(duration / 60)}:$1` : '00:$1'), room: room.name, title: `${titles[(r * 7 + k) % 4]} #${n}`, type: 'Talk', language: 'en', persons: [{ guid: guid(500000 + n), name: `Speaker ${n}` }] };
        });
        // Room 2 is double-booked on the first day: a second talk at the same time as its first.
        if (r === 1 && d === 27) events.push({ ...events[0]!, guid: guid(800000), id: 800000, title: 'Parallel session' });
        return [room.name, events];
      }),
    ),
  }));
  return JSON.stringify({ schedule: { version: '1.0', conference: { acronym: 'big', title: 'Big', time_zone_name: 'Europe/Berlin', rooms, days } } });
}

type Rect = { top: number; left: number; bottom: number; right: number; width: number; height: number };

describe('a 60-room day in chromium', () => {
  let browser: Browser;
  let dir: TempDir;
  let site: string;
  let real: string;
  beforeAll(async () => {
    dir = tempDir('confctl-big-');
    await initialisedDatabase(dir.path);
    dir.write({ 'big.json': bigSchedule() });
    await call(['create_event', '--slug', 'big', '--name', 'Big', '--date-from', '2026-12-27', '--date-to', '2026-12-28', '-v', '0'], { cwd: dir.path, env });
    expect((await call(['import_schedule', 'big.json', '--event', 'big', '-v', '0'], { cwd: dir.path, env })).exitCode).toBe(0);
    await call(['export_schedule_html', 'big', '-v', '0'], { cwd: dir.path });
    site = dir.join('data', 'htmlexport', 'big');
    await call(['create_event', '--slug', 'camp', '--name', 'Camp 2019', '--date-from', '2019-08-21', '--date-to', '2019-08-25', '-v', '0'], { cwd: dir.path, env });
    await call(['import_schedule', join(import.meta.dir, '..', '..', '..', 'shared', 'data', 'schedules', 'c3voc-examples', 'frab-camp2019.json'), '--event', 'camp', '-v', '0'], { cwd: dir.path, env });
    await call(['export_schedule_html', 'camp', '-v', '0'], { cwd: dir.path });
    real = dir.join('data', 'htmlexport', 'camp');
    browser = await launchBrowser();
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    dir?.[Symbol.dispose]();
  });
  const open = async (path: string, options: { width?: number; height?: number; javaScript?: boolean; at?: string } = {}) => {
    const context = await browser.newContext({ viewport: { width: options.width ?? 1400, height: options.height ?? 1000 }, javaScriptEnabled: options.javaScript ?? true });
    const page = await context.newPage();
    if (options.at) await page.clock.setFixedTime(new Date(options.at));
    await page.goto(`file://${path}`);
    return { page, [Symbol.asyncDispose]: () => context.close() };
  };
  const box = (page: Page, selector: string) => page.locator(selector).first().evaluate((e) => JSON.parse(JSON.stringify(e.getBoundingClientRect())) as Rect);

  test('the room filter works without JavaScript: an unchecked room loses its column and its talks, in the grid and the list', async () => {
    await using grid = await open(join(site, 'schedule', 'index.html'), { javaScript: false });
    const { page } = grid;
    const first = page.locator('.day').first();
    expect(await first.locator('.room-head').count()).toBe(60);
    const widthOf = () => first.locator('.room-head.r1').evaluate((e) => e.getBoundingClientRect().width);
    expect(await widthOf()).toBeGreaterThan(100);
    const talksOfRoom2 = await first.locator('.slot.r1').count();
    expect(talksOfRoom2).toBe(5);
    await page.locator('details.filter summary').click();
    await page.locator('#f-r1').uncheck();
    expect(await first.locator('.slot.r1:visible').count()).toBe(0);
    expect(await first.locator('.room-head.r1:visible').count()).toBe(0);
    // The column is gone: room 3's head moves left to where room 2's was.
    const before = await box(page, '.day .room-head.r0');
    const third = await box(page, '.day .room-head.r2');
    expect(third.left - (before.left + before.width)).toBeLessThan(12);
    await using list = await open(join(site, 'schedule', 'nojs', 'index.html'), { javaScript: false });
    const items = await list.page.locator('ol.list li.r1').count();
    expect(items).toBeGreaterThan(0);
    await list.page.locator('details.filter summary').click();
    await list.page.locator('#f-r1').uncheck();
    expect(await list.page.locator('ol.list li.r1:visible').count()).toBe(0);
  });

  test('parallel talks in one room stand side by side; room names and times stay in view while the grid scrolls', async () => {
    await using grid = await open(join(site, 'schedule', 'index.html'));
    const { page } = grid;
    const [a, b] = await page.locator('.day').first().locator('.slot.r1').evaluateAll((slots) => slots.slice(0, 2).map((s) => JSON.parse(JSON.stringify(s.getBoundingClientRect())) as Rect));
    expect(a!.top).toBe(b!.top);
    expect(a!.left + a!.width).toBeLessThanOrEqual(b!.left);
    const head = await box(page, '.day .room-head.r0');
    expect(head.width).toBeGreaterThan(100);
    await page.locator('.grid').first().evaluate((g) => {
      g.scrollIntoView();
      g.scrollTop = 400;
      g.scrollLeft = 2000;
    });
    const gridBox = await box(page, '.grid');
    const someHead = page.locator('.day').first().locator('.room-head').nth(20);
    const headBox = await someHead.evaluate((e) => JSON.parse(JSON.stringify(e.getBoundingClientRect())) as Rect);
    expect(Math.abs(headBox.top - gridBox.top)).toBeLessThan(2);
    const time = await box(page, '.day .time');
    expect(Math.abs(time.left - gridBox.left)).toBeLessThan(2);
  });

  test('a box too small for its title shows all of it on hover and on keyboard focus', async () => {
    await using grid = await open(join(site, 'schedule', 'index.html'));
    const { page } = grid;
    const clipped = page.locator('.day').first().locator('a.slot', { hasText: 'A rather long title' }).first();
    const fits = () => clipped.evaluate((e) => e.scrollHeight <= e.clientHeight + 1);
    expect(await fits()).toBe(false);
    expect(await clipped.locator('.title').textContent()).toStartWith('A rather long title about decentralised infrastructure and its discontents in the modern age #');
    await clipped.hover();
    expect(await fits()).toBe(true);
    await page.mouse.move(0, 0);
    await clipped.focus();
    expect(await fits()).toBe(true);
  });

  test('on a phone: day links stay at the top, and "Now" jumps to what runs now (only with JavaScript and a running talk)', async () => {
    await using phone = await open(join(site, 'schedule', 'index.html'), { width: 390, height: 844, at: '2026-12-28T09:05:00Z' });
    const { page } = phone;
    expect(await page.locator('nav.days a').allTextContents()).toEqual(['Sun, Dec 27', 'Mon, Dec 28', 'Now']);
    await page.locator('nav.days a', { hasText: 'Now' }).click();
    const now = page.locator('#now');
    expect(await now.getAttribute('class')).toContain('now');
    const slot = await now.evaluate((e) => JSON.parse(JSON.stringify(e.getBoundingClientRect())) as Rect);
    const nav = await box(page, 'nav.days');
    expect(nav.top).toBe(0);
    expect(slot.top).toBeGreaterThanOrEqual(nav.bottom - 1);
    expect(slot.bottom).toBeLessThanOrEqual(844);
    await page.locator('nav.days a', { hasText: 'Mon, Dec 28' }).click();
    expect(Math.round((await box(page, '#day-2026-12-28')).top)).toBeGreaterThanOrEqual(Math.round(nav.height) - 1);
    await using still = await open(join(site, 'schedule', 'index.html'), { width: 390, height: 844, javaScript: false });
    expect(await still.page.locator('nav.days a.jump-now').isVisible()).toBe(false);
  });

  test('screenshots at 1400×1000 and 390×844 of the 60-room day and of the largest real schedule', async () => {
    const out = process.env.UPDATE_SCREENSHOTS ? docs : dir.path;
    for (const [name, folder] of [['60-rooms', site], ['camp2019', real]] as const) {
      for (const [size, width, height] of [['desktop', 1400, 1000], ['phone', 390, 844]] as const) {
        await using shot = await open(join(folder, 'schedule', 'index.html'), { width, height });
        const path = join(out, `screenshot-${name}-${size}.png`);
        await shot.page.screenshot({ path });
        expect(statSync(path).size).toBeGreaterThan(10_000);
      }
    }
  }, 60_000);
});
