import { describe, expect, test } from 'bun:test';
import { existsSync, readdirSync, readFileSync, renameSync, statSync } from 'node:fs';
import { dirname, join, normalize } from 'node:path';
import Ajv from 'ajv';
import addFormats from 'ajv-formats';
import draft6 from 'ajv/dist/refs/json-schema-draft-06.json' with { type: 'json' };
import ICAL from 'ical.js';
import JSZip from 'jszip';
import { installBinary, runBinary } from '../support/binary.ts';
import { colour } from '../../core/sync/snapshot.ts';
import { call } from '../support/cli.ts';
import { BACKENDS, newSite, type Site } from '../support/site.ts';
import { PYTHON } from '../support/django.ts';
import { poison } from '../support/xss.ts';

const env = { CONFCTL_NOW: '2026-05-01T09:00:00Z' };
const schemas = join(import.meta.dir, '..', '..', '..', 'shared', 'data', 'schemas');

const validateJson = (() => {
  const ajv = new Ajv({ allErrors: true, strict: false });
  ajv.addMetaSchema(draft6);
  addFormats(ajv);
  ajv.addFormat('color', /^#[0-9a-fA-F]{3,8}$/);
  return ajv.compile(JSON.parse(readFileSync(join(schemas, 'json__schema.json'), 'utf8')));
})();

function files(dir: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((f) => statSync(join(dir, f)).isFile())
    .sort();
}

async function demo(site: Site) {
  await site.initialised();
  await site.call(['create_test_event', '--seed', '3', '-v', '0'], { env });
}

/** What another writer could have stored: on PostgreSQL the column first takes text longer than its varchar(n) (SQLite never checks). */
async function widened(site: Site, table: string, column: string) {
  if (site.backend === 'postgres') await site.run(`ALTER TABLE ${table} ALTER COLUMN ${column} TYPE text`);
}

for (const backend of BACKENDS) {
  describe(`export_schedule_html (${backend})`, () => {
    test('writes the site, prints its path, and the feeds validate', async () => {
      await using dir = await newSite(backend);
      await demo(dir);
      const result = await dir.call(['export_schedule_html', 'DemoCon', '--site-url', 'https://schedule.example.org/']);
      const site = dir.join('data', 'htmlexport', 'democon');
      expect(result).toEqual({ stdout: `${site}\n`, stderr: '', exitCode: 0 });
      const all = files(site);
      for (const path of ['index.html', 'schedule/index.html', 'schedule/nojs/index.html', 'schedule/changelog/index.html', 'schedule/v/v1.0/index.html',
        'schedule/v/v1.0/nojs/index.html', 'schedule/widgets/schedule.json', 'talk/index.html', 'speaker/index.html', 'featured/index.html',
        'schedule.json', 'schedule.xml', 'schedule.ics', 'static/confctl.css', 'static/confctl.js', 'static/event.css']) {
        expect(all).toContain(path);
      }
      expect(all.filter((f) => /^talk\/[A-Z3789]{6}\/index\.html$/.test(f))).toHaveLength(36);
      expect(all.filter((f) => /^talk\/[A-Z3789]{6}\.ics$/.test(f))).toHaveLength(36);

      const json = JSON.parse(readFileSync(join(site, 'schedule.json'), 'utf8'));
      expect(validateJson(json)).toBe(true);
      const events = json.schedule.conference.days.flatMap((d: { rooms: Record<string, unknown[]> }) => Object.values(d.rooms).flat());
      expect(events).toHaveLength(36);
      expect(json.schedule.conference).toMatchObject({ acronym: 'democon', time_zone_name: 'Europe/Berlin', start: '2026-04-30', daysCount: 3 });
      expect(events[0].date).toMatch(/^2026-04-30T09:00:00\+02:00$/);

      const xsd = Bun.spawnSync(['xmllint', '--noout', '--schema', join(schemas, 'xsd__schedule.xml.xsd'), join(site, 'schedule.xml')]);
      expect(xsd.stderr.toString().trim()).toBe(`${join(site, 'schedule.xml')} validates`);

      for (const ics of all.filter((f) => f.endsWith('.ics'))) {
        const calendar = new ICAL.Component(ICAL.parse(readFileSync(join(site, ics), 'utf8')));
        expect(calendar.getAllSubcomponents('vevent').length).toBeGreaterThan(0);
      }
      const whole = new ICAL.Component(ICAL.parse(readFileSync(join(site, 'schedule.ics'), 'utf8')));
      expect(whole.getAllSubcomponents('vevent')).toHaveLength(36);
    });

    test('every relative link and asset in every page resolves to a file of the export, also from older versions', async () => {
      await using dir = await newSite(backend);
      await demo(dir);
      // A second release without one talk: v1.0's pages show it, and it has no page any more.
      await dir.run("INSERT INTO schedule_schedule (id, event_id, version, published) SELECT 3, event_id, 'v2', '2026-05-02 09:00:00' FROM schedule_schedule WHERE id = 1");
      await dir.run('INSERT INTO schedule_talkslot (submission_id, room_id, schedule_id, start, "end", is_visible, slot_type) SELECT submission_id, room_id, 3, start, "end", is_visible, slot_type FROM schedule_talkslot WHERE schedule_id = 1 AND submission_id <> (SELECT min(submission_id) FROM schedule_talkslot WHERE schedule_id = 1)');
      const [gone] = await dir.query<{ title: string }>('SELECT title FROM submission_submission WHERE id = (SELECT min(submission_id) FROM schedule_talkslot WHERE schedule_id = 1)');
      await dir.call(['export_schedule_html', 'democon']);
      const site = dir.join('data', 'htmlexport', 'democon');
      const all = new Set(files(site));
      for (const page of [...all].filter((f) => f.endsWith('.html'))) {
        const text = readFileSync(join(site, page), 'utf8');
        for (const [, target] of text.matchAll(/(?:href|src)="([^"#]*)"/g)) {
          if (/^(https?:|mailto:)/.test(target!)) continue;
          expect(target).not.toStartWith('/');
          const resolved = normalize(join(dirname(page), target!));
          const file = target!.endsWith('/') || target === '' ? join(resolved, 'index.html') : resolved;
          expect({ page, target, exists: all.has(file) }).toEqual({ page, target, exists: true });
        }
      }
      // The talk that went is still in v1.0's grid and list, as text.
      for (const page of ['schedule/v/v1.0/index.html', 'schedule/v/v1.0/nojs/index.html']) expect(readFileSync(join(site, page), 'utf8')).toContain(gone!.title.replace(/'/g, '&#39;'));
    });

    test('the same database gives the same bytes, as a folder and as a zip', async () => {
      await using dir = await newSite(backend);
      await demo(dir);
      await dir.call(['export_schedule_html', 'democon', '--output-dir', 'a']);
      await dir.call(['export_schedule_html', 'democon', '--output-dir', 'b']);
      const a = files(dir.join('a', 'democon'));
      expect(files(dir.join('b', 'democon'))).toEqual(a);
      for (const f of a) expect(readFileSync(dir.join('b', 'democon', f)).equals(readFileSync(dir.join('a', 'democon', f)))).toBe(true);
      await dir.call(['export_schedule_html', 'democon', '--zip', '--output-dir', 'a']);
      await dir.call(['export_schedule_html', 'democon', '--zip', '--output-dir', 'b']);
      expect(readFileSync(dir.join('a', 'democon.zip')).equals(readFileSync(dir.join('b', 'democon.zip')))).toBe(true);
    });

    test('--zip: every entry under <slug>/, the same files as the folder, and no folder', async () => {
      await using dir = await newSite(backend);
      await demo(dir);
      const result = await dir.call(['export_schedule_html', 'democon', '--zip']);
      expect(result.stdout).toBe(`${dir.join('data', 'htmlexport', 'democon.zip')}\n`);
      expect(existsSync(dir.join('data', 'htmlexport', 'democon'))).toBe(false);
      const zip = await JSZip.loadAsync(readFileSync(dir.join('data', 'htmlexport', 'democon.zip')));
      const entries = Object.keys(zip.files).filter((name) => !zip.files[name]!.dir);
      expect(entries.every((name) => name.startsWith('democon/'))).toBe(true);
      await dir.call(['export_schedule_html', 'democon']);
      expect(entries.map((e) => e.slice('democon/'.length)).sort()).toEqual(files(dir.join('data', 'htmlexport', 'democon')));
      // The natively deflated entries inflate, with their CRC checked, to the folder's bytes.
      const checked = await JSZip.loadAsync(readFileSync(dir.join('data', 'htmlexport', 'democon.zip')), { checkCRC32: true });
      for (const name of entries) {
        const inflated = Buffer.from(await checked.file(name)!.async('uint8array'));
        expect({ name, same: inflated.equals(readFileSync(dir.join('data', 'htmlexport', name))) }).toEqual({ name, same: true });
      }
      const python = Bun.spawnSync([PYTHON, '-m', 'zipfile', '-t', dir.join('data', 'htmlexport', 'democon.zip')]);
      expect({ out: python.stdout.toString(), exitCode: python.exitCode }).toEqual({ out: 'Done testing\n', exitCode: 0 });
    });

    test('without a site URL the feeds point at localhost, and it says so; --site-url or [site] url set it', async () => {
      await using dir = await newSite(backend);
      await demo(dir);
      const site = dir.join('data', 'htmlexport', 'democon');
      expect(await dir.call(['export_schedule_html', 'democon'])).toEqual({
        stdout: `${site}\n`,
        stderr: 'Warning: No site URL is set: the feeds and calendar UIDs point at http://localhost:8000. Set [site] url in the settings file, or pass --site-url.\n',
        exitCode: 0,
      });
      expect(readFileSync(join(site, 'schedule.json'), 'utf8')).toContain('"url": "http://localhost:8000/democon/schedule.json"');
      expect((await dir.call(['export_schedule_html', 'democon', '--site-url', 'https://fahrplan.example.org/2026'])).stderr).toBe('');
      expect(readFileSync(join(site, 'schedule.xml'), 'utf8')).toContain('<base_url>https://fahrplan.example.org/2026/democon/</base_url>');
      dir.write({ 'confctl.toml': '[site]\nurl = "https://schedule.example.org"\n' });
      expect((await dir.call(['export_schedule_html', 'democon'])).stderr).toBe('');
      expect(readFileSync(join(site, 'schedule.xml'), 'utf8')).toContain('<base_url>https://schedule.example.org/democon/</base_url>');
      for (const bad of ['schedule.example.org', 'ftp://x.org', 'https://x.org/?a=1', 'https://u:p@x.org']) {
        expect(await dir.call(['export_schedule_html', 'democon', '--site-url', bad])).toMatchObject({ stdout: '', exitCode: 1 });
      }
      expect((await dir.call(['export_schedule_html', 'democon', '--site-url', 'nope'])).stderr).toBe('CommandError: --site-url must be an http:// or https:// URL, not "nope".\n');
    });

    test("what a killed export left is removed by the next one (a running export's own files are not); a site set aside is put back", async () => {
      await using dir = await newSite(backend);
      await demo(dir);
      const root = dir.join('data', 'htmlexport');
      const dead = Bun.spawnSync(['true']).pid; // a process that has exited
      const alive = process.ppid; // a process that runs
      dir.write({
        [`data/htmlexport/democon.building-k3j2h1g0/index.html`]: 'half',
        [`data/htmlexport/democon.previous-a1b2c3d4/index.html`]: 'old',
        [`data/htmlexport/.democon.build-${dead}-x1y2z3/index.html`]: 'half',
        [`data/htmlexport/.democon.old-${dead}-x1y2z4/index.html`]: 'old',
        [`data/htmlexport/.democon.build-${alive}-q1w2e3/index.html`]: 'in progress',
        [`data/htmlexport/democon.zip.tmp-${dead}-z9z9z9`]: 'half a zip',
        [`data/htmlexport/democon.zip.tmp-r5t6y7u8`]: 'half a zip',
        [`data/htmlexport/other.building-k3j2h1g0/x`]: 'not ours',
      });
      expect((await dir.call(['export_schedule_html', 'democon', '-v', '0'])).exitCode).toBe(0);
      expect(readdirSync(root).sort()).toEqual([`.democon.build-${alive}-q1w2e3`, 'democon', 'democon.zip.tmp-r5t6y7u8', `democon.zip.tmp-${dead}-z9z9z9`, 'other.building-k3j2h1g0'].sort());
      expect((await dir.call(['export_schedule_html', 'democon', '--zip', '-v', '0'])).exitCode).toBe(0);
      expect(readdirSync(root).sort()).toEqual([`.democon.build-${alive}-q1w2e3`, 'democon', 'democon.zip', 'other.building-k3j2h1g0'].sort());

      // Killed between the two renames of the fallback switch: no site, the old one aside. The next
      // export puts it back before it builds, so a failure of that export still leaves a site.
      renameSync(join(root, 'democon'), join(root, `.democon.old-${dead}-a1a1a1`));
      await widened(dir, 'submission_submission', 'code');
      await dir.run('UPDATE submission_submission SET code = ? WHERE id = (SELECT max(submission_id) FROM schedule_talkslot)', 'X'.repeat(300));
      expect((await dir.call(['export_schedule_html', 'democon', '-v', '0'])).exitCode).toBe(1);
      expect(existsSync(join(root, 'democon', 'index.html'))).toBe(true);
      expect(readdirSync(root).filter((e) => e.includes('.old-'))).toEqual([]);
    });

    test('the new site replaces the old in one step (rename-exchange): the path is never missing while exports run', async () => {
      await using dir = await newSite(backend);
      await demo(dir);
      expect((await dir.call(['export_schedule_html', 'democon', '-v', '0'])).exitCode).toBe(0);
      const again = await dir.call(['export_schedule_html', 'democon', '-v', '2', '--no-pretalx-information']);
      expect(again.stderr).toContain('Swapped the new site in with one rename-exchange: the path was never missing\n');
      const confctl = installBinary(dir.path);
      const index = dir.join('data', 'htmlexport', 'democon', 'schedule', 'index.html');
      let done = false;
      const exports = (async () => {
        for (let i = 0; i < 5; i++) expect((await runBinary(confctl, ['export_schedule_html', 'democon', '-v', '0'], dir.path, dir.env)).exitCode).toBe(0);
        done = true;
      })();
      let checks = 0;
      let missing = 0;
      while (!done) {
        checks++;
        if (!existsSync(index)) missing++;
        if (checks % 200 === 0) await Bun.sleep(0);
      }
      await exports;
      expect({ missing, checked: checks > 1000 }).toEqual({ missing: 0, checked: true });
    }, 60_000);

    test('a failure midway leaves the previous export as it was and no temporary folder behind', async () => {
      await using dir = await newSite(backend);
      await demo(dir);
      await dir.call(['export_schedule_html', 'democon']);
      const root = dir.join('data', 'htmlexport');
      const before = files(join(root, 'democon'));
      // A code from upstream too long for a file name: writing that talk's page fails halfway through.
      await widened(dir, 'submission_submission', 'code');
      await dir.run('UPDATE submission_submission SET code = ? WHERE id = (SELECT max(submission_id) FROM schedule_talkslot)', 'X'.repeat(300));
      const result = await dir.call(['export_schedule_html', 'democon', '-v', '0']);
      expect(result.exitCode).toBe(1);
      expect(result.stderr).toMatch(/^CommandError: Export failed: ENAMETOOLONG/);
      expect(result.stdout).toBe('');
      expect(files(join(root, 'democon'))).toEqual(before);
      expect(readdirSync(root)).toEqual(['democon']);
      const zipped = await dir.call(['export_schedule_html', 'democon', '--zip']);
      expect(zipped.exitCode).toBe(0);
    });

    test('an event with no released schedule still exports, saying the schedule is not out yet', async () => {
      await using dir = await newSite(backend);
      await dir.migrated();
      await dir.call(['create_event', '--slug', 'soon', '--name', 'Soon', '--date-from', '2026-09-01', '--date-to', '2026-09-02', '--locale', 'de', '-v', '0'], { env });
      expect((await dir.call(['export_schedule_html', 'soon'])).exitCode).toBe(0);
      const page = readFileSync(dir.join('data', 'htmlexport', 'soon', 'schedule', 'index.html'), 'utf8');
      expect(page).toContain('<html lang="de">');
      expect(page).toContain('Das Programm ist noch nicht veröffentlicht.');
      const json = JSON.parse(readFileSync(dir.join('data', 'htmlexport', 'soon', 'schedule.json'), 'utf8'));
      expect(validateJson(json)).toBe(true);
    });

    test('an unknown event is the pretalx error line', async () => {
      await using dir = await newSite(backend);
      await dir.migrated();
      expect(await dir.call(['export_schedule_html', 'nope'])).toEqual({
        stdout: '',
        stderr: 'CommandError: Could not find event with slug "nope".\n',
        exitCode: 1,
      });
    });
  });

  describe(`rebuild and regenerate_css (${backend})`, () => {
    test('rebuild writes the embedded assets; --clear empties the folder first', async () => {
      await using dir = await newSite(backend);
      dir.write({ 'data/static/old.txt': 'stale' });
      expect(await dir.call(['rebuild'])).toEqual({ stdout: `Wrote 2 static files to ${dir.join('data', 'static')}\n`, stderr: '', exitCode: 0 });
      expect(files(dir.join('data', 'static'))).toEqual(['confctl.css', 'confctl.js', 'old.txt']);
      expect(await dir.call(['rebuild', '--clear', '-s'])).toEqual({ stdout: '', stderr: '', exitCode: 0 });
      expect(files(dir.join('data', 'static'))).toEqual(['confctl.css', 'confctl.js']);
      expect(readFileSync(dir.join('data', 'static', 'confctl.css'), 'utf8')).toContain('prefers-color-scheme:dark');
    });

    test('rebuild (--clear too) writes every event stylesheet back, as pretalx runs regenerate_css', async () => {
      await using dir = await newSite(backend);
      await dir.migrated();
      for (const [slug, colour] of [['red', '#cc0000'], ['blue', '#0000cc']]) {
        await dir.call(['create_event', '--slug', slug!, '--name', slug!, '--date-from', '2026-01-01', '--date-to', '2026-01-01', '--primary-color', colour!, '-v', '0']);
      }
      const stat = dir.join('data', 'static');
      expect(await dir.call(['rebuild', '--clear'])).toEqual({ stdout: `Wrote 2 static files and 2 event stylesheets to ${stat}\n`, stderr: '', exitCode: 0 });
      expect(files(stat)).toEqual(['blue/event.css', 'confctl.css', 'confctl.js', 'red/event.css']);
      expect(readFileSync(join(stat, 'red', 'event.css'), 'utf8')).toBe(':root{--primary:#cc0000;--link:#cc0000}\n@media (prefers-color-scheme:dark){:root{--link:#de5c5c}}\n');
    });

    test('regenerate_css writes each coloured event\'s stylesheet; one event by slug; unknown is an error', async () => {
      await using dir = await newSite(backend);
      await dir.migrated();
      const make = (slug: string, colour?: string) =>
        dir.call(['create_event', '--slug', slug, '--name', slug, '--date-from', '2026-01-01', '--date-to', '2026-01-01', '-v', '0', ...(colour ? ['--primary-color', colour] : [])], { env });
      await make('red', '#CC0000');
      await make('plain');
      expect(await dir.call(['regenerate_css'])).toEqual({ stdout: '[red] Event style was successfully regenerated.\n', stderr: '', exitCode: 0 });
      expect(readFileSync(dir.join('data', 'static', 'red', 'event.css'), 'utf8')).toBe(':root{--primary:#cc0000;--link:#cc0000}\n@media (prefers-color-scheme:dark){:root{--link:#de5c5c}}\n');
      expect(existsSync(dir.join('data', 'static', 'plain'))).toBe(false);
      expect((await dir.call(['regenerate_css', '--event', 'PLAIN'])).stdout).toBe('[plain] Event style was successfully regenerated.\n');
      expect(readFileSync(dir.join('data', 'static', 'plain', 'event.css'), 'utf8')).toBe('/* default theme */\n');
      expect(await dir.call(['regenerate_css', '--event', 'nope'])).toEqual({ stdout: '', stderr: 'CommandError: Could not find event with slug "nope".\n', exitCode: 1 });
    });
  });

  describe(`pages people read (${backend})`, () => {
    test('the talks index is in title order; the Grid/List tabs mark the view shown', async () => {
      await using dir = await newSite(backend);
      await demo(dir);
      // Titles whose order by code, by id and by byte value all differ from their order for people.
      const titles = ['Écoles ouvertes', 'zebra crossings', 'Zürich by night', 'apples', 'Talk 10', 'Talk 9', 'Émile', 'banana'];
      const ids = await dir.query<{ id: number }>("SELECT id FROM submission_submission WHERE state = 'confirmed' ORDER BY code DESC");
      for (const [i, title] of titles.entries()) await dir.run('UPDATE submission_submission SET title = ? WHERE id = ?', title, ids[i]!.id);
      expect((await dir.call(['export_schedule_html', 'democon', '-v', '0'])).exitCode).toBe(0);
      const site = dir.join('data', 'htmlexport', 'democon');
      const index = readFileSync(join(site, 'talk', 'index.html'), 'utf8');
      const listed = [...index.matchAll(/<li><a href="[^"]+">([^<]+)<\/a>/g)].map((m) => m[1]!.replace(/&#39;/g, "'"));
      const collator = new Intl.Collator('en', { sensitivity: 'base', numeric: true });
      expect(listed).toEqual([...listed].sort((a, b) => collator.compare(a, b)));
      expect(listed.filter((t) => titles.includes(t))).toEqual(['apples', 'banana', 'Écoles ouvertes', 'Émile', 'Talk 9', 'Talk 10', 'zebra crossings', 'Zürich by night']);
      const tabs = (page: string) => /<p class="tabs">(.*?)<\/p>/.exec(readFileSync(join(site, page), 'utf8'))![1]!;
      expect(tabs('schedule/index.html')).toBe('<a href="./index.html" aria-current="page">Grid view</a><a href="nojs/index.html">List view</a>');
      expect(tabs('schedule/nojs/index.html')).toBe('<a href="../index.html">Grid view</a><a href="./index.html" aria-current="page">List view</a>');
    });
  });

  describe(`the grid (${backend})`, () => {
    test('each day shows the rooms used that day only, in the event\'s order', async () => {
      await using dir = await newSite(backend);
      await demo(dir);
      // A third room, first in the event's order, used on the last day only.
      const [event] = await dir.query<{ id: number; date_to: string }>("SELECT id, date_to FROM event_event WHERE slug = 'democon'");
      await dir.run(`INSERT INTO schedule_room (event_id, name, position) VALUES (?, '{"en": "Annex"}', -1)`, event!.id);
      const [{ room }] = (await dir.query<{ room: number }>('SELECT max(id) AS room FROM schedule_room')) as [{ room: number }];
      await dir.run(`UPDATE schedule_talkslot SET room_id = ? WHERE id = (SELECT t.id FROM schedule_talkslot t JOIN schedule_schedule v ON v.id = t.schedule_id WHERE v.version IS NOT NULL AND t.submission_id IS NOT NULL AND substr(CAST(t.start AS text), 1, 10) = ? ORDER BY t.start LIMIT 1)`, room, event!.date_to);
      expect((await dir.call(['export_schedule_html', 'democon', '-v', '0'])).exitCode).toBe(0);
      const page = readFileSync(dir.join('data', 'htmlexport', 'democon', 'schedule', 'index.html'), 'utf8');
      const days = [...page.matchAll(/<section class="day"[^>]*>([\s\S]*?)<\/section>/g)].map((m) => [...m[1]!.matchAll(/<div class="room-head[ "][^>]*>([^<]*)<\/div>/g)].map((h) => h[1]));
      expect(days.slice(0, -1).every((heads) => !heads.includes('Annex'))).toBe(true);
      expect(days.at(-1)![0]).toBe('Annex');
      expect(days.at(-1)!.length).toBe(days[0]!.length + 1);
    });
  });

  describe(`what it says (${backend})`, () => {
    test('-v 2 counts talks and released versions in good English; -v 3 logs each query with its time in seconds, as Django does', async () => {
      await using dir = await newSite(backend);
      await demo(dir);
      const verbose = await dir.call(['export_schedule_html', 'democon', '-v', '2', '--no-pretalx-information']);
      expect(verbose.stderr).toContain('Exporting democon: 36 talks, 1 released version\n');
      const debug = await dir.call(['list_events', '-v', '3', '--no-pretalx-information']);
      const queries = debug.stderr.split('\n').filter((line) => line.startsWith('('));
      expect(queries.length).toBeGreaterThan(0);
      for (const line of queries) expect(line).toMatch(/^\(\d+\.\d{3}\) (select|SELECT|PRAGMA|with) /);
    });
  });

  describe(`untrusted text (${backend})`, () => {
    test('a track colour that is not a colour never reaches a style attribute (no CSS injection into the grid)', async () => {
      await using dir = await newSite(backend);
      await demo(dir);
      await widened(dir, 'submission_track', 'color');
      await dir.run("UPDATE submission_track SET color = 'red;position:fixed;inset:0;z-index:99;background:url(https://evil.example/x.png)'");
      expect((await dir.call(['export_schedule_html', 'democon', '-v', '0'])).exitCode).toBe(0);
      const grid = readFileSync(dir.join('data', 'htmlexport', 'democon', 'schedule', 'index.html'), 'utf8');
      expect(grid).not.toContain('evil.example');
      expect(grid).not.toContain('--track:');
      expect(colour('#A1b2C3')).toBe('#a1b2c3');
      expect(colour('#abc')).toBe('#abc');
      for (const bad of ['red', 'red;x:y', '#abcd', '#12345g', '', null]) expect(colour(bad)).toBe('#000000');
    });

    test('control characters that XML 1.0 forbids are dropped from schedule.xml, which stays well-formed; tabs and CRLF come back as written', async () => {
      await using dir = await newSite(backend);
      await demo(dir);
      const bad = 'A\u0001B\u0008C\u000bD\u000cE\u001fF\ufffeG\uffffH\tI\r\nJ';
      await dir.run('UPDATE submission_submission SET title = ?, abstract = ?', bad, bad);
      await dir.run('UPDATE person_speakerprofile SET name = ?', bad);
      await dir.run('UPDATE schedule_room SET name = ?', JSON.stringify({ en: bad }));
      expect((await dir.call(['export_schedule_html', 'democon'])).exitCode).toBe(0);
      const xml = dir.join('data', 'htmlexport', 'democon', 'schedule.xml');
      const lint = Bun.spawnSync(['xmllint', '--noout', xml]);
      expect({ exitCode: lint.exitCode, stderr: lint.stderr.toString() }).toEqual({ exitCode: 0, stderr: '' });
      const text = (xpath: string) => Bun.spawnSync(['xmllint', '--xpath', xpath, xml]).stdout.toString().replace(/\n$/, '');
      for (const xpath of ['string(//event[1]/title)', 'string(//event[1]/abstract)', 'string(//event[1]/persons/person[1])', 'string(//event[1]/room)', 'string(//room[1]/@name)']) {
        expect({ xpath, text: text(xpath) }).toEqual({ xpath, text: 'ABCDEFGH\tI\r\nJ' });
      }
    });

    test('no script, handler or javascript: link survives in any page, and the feeds stay valid', async () => {
      await using dir = await newSite(backend);
      await demo(dir);
      await poison(dir);
      expect((await dir.call(['export_schedule_html', 'democon'])).exitCode).toBe(0);
      const site = dir.join('data', 'htmlexport', 'democon');
      for (const page of files(site).filter((f) => f.endsWith('.html'))) {
        const text = readFileSync(join(site, page), 'utf8');
        const scripts = [...text.matchAll(/<script\b[^>]*>/g)].map((m) => m[0]);
        expect(scripts.every((s) => /^<script src="(\.\.\/)*static\/confctl\.js" defer>$/.test(s))).toBe(true);
        // Text never contains a raw "<", so the real tags are exactly the "<name ...>" sequences.
        const tags = [...text.matchAll(/<[a-zA-Z][^>]*>/g)].map((m) => m[0]);
        for (const tag of tags) {
          expect({ page, tag, handler: /\son\w+\s*=/i.test(tag) }).toEqual({ page, tag, handler: false });
          expect(tag).not.toMatch(/(href|src)\s*=\s*"?\s*javascript:/i);
          expect(tag).not.toMatch(/^<(iframe|svg|object|embed|img|script(?! src))/i);
        }
      }
      expect(validateJson(JSON.parse(readFileSync(join(site, 'schedule.json'), 'utf8')))).toBe(true);
      const xsd = Bun.spawnSync(['xmllint', '--noout', '--schema', join(schemas, 'xsd__schedule.xml.xsd'), join(site, 'schedule.xml')]);
      expect(xsd.exitCode).toBe(0);
    });
  });
}
