import { expect, test } from 'bun:test';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { installBinary, spawnBinary } from '../support/binary.ts';
import { PYTHON } from '../support/django.ts';
import { postgresServer } from '../support/postgres.ts';
import { filesBelow, tempDir } from '../support/tmp.ts';

const root = join(import.meta.dir, '..', '..');

test("the README's main job (npm run demo) builds the binary and exports the demo site and zip", () => {
  const result = Bun.spawnSync(['sh', 'scripts/demo.sh'], { cwd: root, env: { ...process.env, CONFCTL_NOW: '2026-05-01T09:00:00Z' }, stdout: 'pipe', stderr: 'pipe' });
  const out = result.stdout.toString();
  expect({ exitCode: result.exitCode, stderr: result.stderr.toString() }).toEqual({ exitCode: 0, stderr: '' });
  expect(out).toContain('Applying 0001_initial... OK');
  expect(out).toContain('Built data for stage "schedule".');
  const site = join(root, 'demo', 'htmlexport', 'democon');
  expect(out).toContain(`The demo site:  ${site}/index.html\n`);
  expect(out).toContain(`The same, zipped: ${site}.zip\n`);
  expect(existsSync(join(site, 'index.html'))).toBe(true);
  // The compiled binary's zip (jszip around Bun's DEFLATE) passes Python's CRC check of every entry.
  const check = Bun.spawnSync([PYTHON, '-m', 'zipfile', '-t', `${site}.zip`]);
  expect({ out: check.stdout.toString(), exitCode: check.exitCode }).toEqual({ out: 'Done testing\n', exitCode: 0 });
}, 120_000);

test('the demo path on PostgreSQL, the binary alone in an empty folder: the same site and zip as on SQLite, byte for byte', async () => {
  const trees: Map<string, Buffer>[] = [];
  for (const database of [undefined, (await postgresServer()).createDatabase()]) {
    using dir = tempDir();
    const confctl = installBinary(dir.path);
    const env = {
      CONFCTL_NOW: '2026-05-01T09:00:00Z',
      DJANGO_SUPERUSER_EMAIL: 'admin@example.org',
      DJANGO_SUPERUSER_PASSWORD: 'demo-password-2026',
      PRETALX_INIT_ORGANISER_NAME: 'Demo Organiser',
      PRETALX_INIT_ORGANISER_SLUG: 'demoorg',
      ...(database !== undefined && { CONFCTL_DATABASE: database }),
    };
    const run = (...argv: string[]) => spawnBinary(confctl, argv, dir.path, env);
    expect(run('migrate').stdout).toContain('Applying 0001_initial... OK');
    expect(run('init', '--noinput', '-v', '0')).toEqual({ stdout: '', stderr: '', exitCode: 0 });
    expect(run('create_test_event', '--seed', '1').exitCode).toBe(0);
    const site = run('export_schedule_html', 'democon', '--site-url', 'http://localhost:8000');
    const zip = run('export_schedule_html', 'democon', '--zip', '--site-url', 'http://localhost:8000');
    expect({ site: site.stdout, zip: zip.stdout }).toEqual({ site: `${dir.join('data', 'htmlexport', 'democon')}\n`, zip: `${dir.join('data', 'htmlexport', 'democon.zip')}\n` });
    // On PostgreSQL nothing but the export lands in the folder (no database file).
    expect(existsSync(dir.join('data', 'db.sqlite3'))).toBe(database === undefined);
    trees.push(filesBelow(dir.join('data', 'htmlexport')));
  }
  const [sqlite, postgres] = trees as [Map<string, Buffer>, Map<string, Buffer>];
  expect(sqlite.size).toBeGreaterThan(50);
  expect([...postgres.keys()]).toEqual([...sqlite.keys()]);
  for (const [file, bytes] of sqlite) expect({ file, same: bytes.equals(postgres.get(file)!) }).toEqual({ file, same: true });
}, 120_000);
