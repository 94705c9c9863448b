import { afterAll, beforeAll, describe, expect, test } from 'bun:test';
import { Database as Sqlite } from 'bun:sqlite';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
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

  test('an export full of XSS attempts opens no dialog and runs no script', async () => {
    using evil = tempDir();
    await initialisedDatabase(evil.path);
    await call(['create_test_event', '--seed', '8', '-v', '0'], { cwd: evil.path, env });
    poison(evil.join('data', 'db.sqlite3'));
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
