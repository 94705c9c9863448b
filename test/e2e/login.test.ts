import { afterAll, beforeAll, describe, expect, test } from 'bun:test';
import { Database as Sqlite } from 'bun:sqlite';
import { existsSync } from 'node:fs';
import type { Kysely } from 'kysely';
import type { Browser } from 'playwright-core';
import { createApp } from '../../core/serve/app.ts';
import { openDatabase } from '../../db/connection.ts';
import type { Database } from '../../db/schema.ts';
import { CHROMIUM, launchBrowser } from '../support/browser.ts';
import { call } from '../support/cli.ts';
import { initialisedDatabase, query } from '../support/db.ts';
import { tempDir, type TempDir } from '../support/tmp.ts';

/**
 * An organiser in Debian's chromium against a real server on 127.0.0.1: logs in through the form,
 * finds the work-in-progress schedule with a talk the public cannot see yet, and logs out.
 */
const env = { CONFCTL_NOW: '2026-05-01T09:00:00Z' };
const PLANNED = 'A talk still being planned';

describe('organiser login in chromium', () => {
  let browser: Browser;
  let dir: TempDir;
  let db: Kysely<Database>;
  let server: ReturnType<typeof Bun.serve>;
  let base: string;
  beforeAll(async () => {
    if (!existsSync(CHROMIUM)) throw new Error("Debian's chromium is needed: apt-get install chromium (.ci/run installs it).");
    dir = tempDir('confctl-login-browser-');
    const path = await initialisedDatabase(dir.path);
    await call(['create_test_event', '--seed', '3', '-v', '0'], { cwd: dir.path, env });
    // A new talk, scheduled in the work-in-progress schedule only.
    const sql = new Sqlite(path);
    sql.run(`INSERT INTO submission_submission (event_id, code, title, submission_type_id, state, duration, created, updated)
             SELECT event_id, 'PLANNED1', ?, submission_type_id, 'confirmed', 30, '2026-05-01 09:00:00', '2026-05-01 09:00:00' FROM submission_submission LIMIT 1`, [PLANNED]);
    sql.run(`INSERT INTO schedule_talkslot (submission_id, room_id, schedule_id, is_visible, start, "end")
             SELECT s.id, (SELECT room_id FROM schedule_talkslot WHERE room_id IS NOT NULL LIMIT 1), w.id, 1, e.date_from || ' 20:00:00', e.date_from || ' 20:30:00'
             FROM submission_submission s JOIN event_event e ON e.id = s.event_id JOIN schedule_schedule w ON w.event_id = e.id AND w.version IS NULL WHERE s.code = 'PLANNED1'`);
    sql.close();
    db = openDatabase(path, { busyTimeout: 1000 });
    server = Bun.serve({
      hostname: '127.0.0.1',
      port: 0,
      fetch: createApp({ db, siteUrl: 'https://schedule.example.org', version: '0.1.0', clock: { now: () => new Date() }, address: (r) => server.requestIP(r)?.address ?? 'unknown' }),
    });
    base = `http://127.0.0.1:${server.port}`;
    browser = await launchBrowser();
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    await server?.stop(true);
    await db?.destroy();
    dir?.[Symbol.dispose]();
  });

  test('logs in, sees the work-in-progress schedule, logs out', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    const problems: string[] = [];
    page.on('pageerror', (e) => problems.push(String(e)));
    const failures: string[] = [];
    page.on('response', (r) => r.status() >= 400 && failures.push(`${r.status()} ${r.url().slice(base.length)}`));

    expect((await page.goto(`${base}/democon/schedule/v/wip/`))!.status()).toBe(404);
    await page.goto(`${base}/login`);
    await page.getByLabel('E-mail address').fill('admin@example.org');
    await page.getByLabel('Password').fill('not the password');
    await page.getByRole('button', { name: 'Log in' }).click();
    expect(await page.getByRole('alert').textContent()).toBe('Wrong e-mail address or password.');

    await page.getByLabel('E-mail address').fill('admin@example.org');
    await page.getByLabel('Password').fill('a-long-s3cret-phrase');
    await page.getByRole('button', { name: 'Log in' }).click();
    await page.waitForURL(`${base}/`);
    expect(await page.locator('main > form p').textContent()).toBe('Logged in as admin@example.org. Log out');
    const cookies = await context.cookies();
    expect(cookies.map((c) => ({ name: c.name, httpOnly: c.httpOnly, sameSite: c.sameSite }))).toEqual([{ name: 'confctl_session', httpOnly: true, sameSite: 'Lax' }]);
    expect(await page.evaluate('document.cookie')).toBe(''); // HttpOnly: scripts never see it

    await page.getByRole('link', { name: 'work-in-progress schedule' }).click();
    await page.waitForURL(`${base}/democon/schedule/v/wip/`);
    expect(await page.getByText(PLANNED).count()).toBeGreaterThan(0);
    await page.goto(`${base}/democon/schedule/`);
    expect(await page.getByText(PLANNED).count()).toBe(0); // the released schedule does not have it yet

    await page.goto(`${base}/`);
    await page.getByRole('button', { name: 'Log out' }).click();
    await page.waitForURL(`${base}/`);
    expect(await page.getByRole('button', { name: 'Log out' }).count()).toBe(0);
    expect(await context.cookies()).toEqual([]);
    expect((await page.goto(`${base}/democon/schedule/v/wip/`))!.status()).toBe(404);
    expect(query(dir.join('data', 'db.sqlite3'), 'SELECT count(*) AS n FROM common_session')).toEqual([{ n: 0 }]);
    expect(problems).toEqual([]);
    expect(failures).toEqual(['404 /democon/schedule/v/wip/', '400 /login', '404 /democon/schedule/v/wip/']);
    await context.close();
  }, 60_000);
});
