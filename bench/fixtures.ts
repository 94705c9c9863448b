/**
 * bench/fixtures: dumpdata and loaddata of 200,000 rows (100,000 speaker profiles and 100,000
 * submissions of one event), confctl's compiled binary against Django 3.2 (Debian python3-django,
 * installed with apt if missing) on the same SQLite data; then 1,000,000 rows for confctl alone to
 * show that memory stays flat. Wall time and peak memory (max RSS) of each process.
 * Run: npm run bench:fixtures   (takes a few minutes: Django's loaddata is slow)
 */
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ensureBinary } from '../test/support/binary.ts';
import { PYTHON, writeDjangoProject } from '../test/support/django.ts';
import { aptInstall, machine, measureProcess, median3, writeSection, type Measured } from './_lib.ts';

const confctl = ensureBinary();
aptInstall('django-admin', 'python3-django');
const djangoVersion = Bun.spawnSync([PYTHON, '-c', 'import django; print(django.get_version())']).stdout.toString().trim();
const root = mkdtempSync(join(tmpdir(), 'confctl-bench-fixtures-'));
const env = { PATH: '/usr/bin:/bin', NO_COLOR: '1', CONFCTL_NOW: '2026-05-01T09:00:00Z' };

const measure = (cmd: string[], options: { cwd: string; env?: Record<string, string> }) => measureProcess(cmd, { ...options, env: options.env ?? env });

function confctlRun(cwd: string, argv: string[]): void {
  const result = Bun.spawnSync([confctl, ...argv], { cwd, env, stdout: 'ignore', stderr: 'pipe' });
  if (result.exitCode !== 0) throw new Error(`confctl ${argv.join(' ')}: ${result.stderr.toString()}`);
}

/** A migrated database with one event and `rows` rows: half speaker profiles, half submissions. */
function generate(dir: string, rows: number): string {
  confctlRun(dir, ['migrate', '-v', '0']);
  confctlRun(dir, ['create_event', '--slug', 'big', '--name', 'Big', '--date-from', '2026-03-10', '--date-to', '2026-03-12', '-v', '0']);
  const half = rows / 2;
  const sql = `
    WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < ${half})
    INSERT INTO person_speakerprofile (event_id, name, code, email, locale, biography, has_arrived, created, updated)
    SELECT 1, 'Speaker ' || i, 'S' || i, 'speaker' || i || '@example.org', 'en',
           'Speaker ' || i || ' has spoken at many conferences about databases and command lines.', i % 2,
           '2026-04-01 10:00:00', '2026-04-02 11:30:00' FROM n;
    WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < ${half})
    INSERT INTO submission_submission (event_id, code, title, submission_type_id, state, abstract, duration, content_locale, is_featured, do_not_record, created, updated)
    SELECT 1, 'T' || i, 'Talk number ' || i || ': a title of some length', 1, 'confirmed',
           'An abstract for talk ' || i || ' that says what it is about.', 30, 'en', 0, i % 11 = 0,
           '2026-03-01 12:00:00', '2026-03-05 08:15:00' FROM n;`;
  const db = join(dir, 'data', 'db.sqlite3');
  const result = Bun.spawnSync(['sqlite3', db], { stdin: new TextEncoder().encode(sql), stderr: 'pipe' });
  if (result.exitCode !== 0) throw new Error(result.stderr.toString());
  return db;
}

try {
  // 200,000 rows, both tools.
  const source = join(root, 'source');
  Bun.spawnSync(['mkdir', '-p', source]);
  const sourceDb = generate(source, 200_000);
  const project = join(root, 'django');
  Bun.spawnSync(['mkdir', '-p', project]);
  await writeDjangoProject(project);
  const djangoEnv = { PATH: '/usr/bin:/bin', PYTHONPATH: project, DJANGO_SETTINGS_MODULE: 'confctl_peer.settings', TZ: 'UTC' };
  const models = ['person.speakerprofile', 'submission.submission'];

  const confctlDump = median3(() => measure([confctl, 'dumpdata', ...models, '-o', join(root, 'confctl.json')], { cwd: source }));
  const djangoDump = measure([PYTHON, '-m', 'django', 'dumpdata', ...models, '-o', join(root, 'django.json')], {
    cwd: project,
    env: { ...djangoEnv, CONFCTL_PEER_DB: sourceDb },
  });

  const freshTarget = (name: string) => {
    const dir = join(root, name);
    Bun.spawnSync(['mkdir', '-p', dir]);
    confctlRun(dir, ['migrate', '-v', '0']);
    confctlRun(dir, ['create_event', '--slug', 'big', '--name', 'Big', '--date-from', '2026-03-10', '--date-to', '2026-03-12', '-v', '0']);
    return dir;
  };
  let attempt = 0;
  let confctlTarget = '';
  const confctlLoad = median3(() => {
    confctlTarget = freshTarget(`confctl-load-${attempt++}`);
    return measure([confctl, 'loaddata', join(root, 'confctl.json')], { cwd: confctlTarget });
  });
  // The floor: the least a Bun process can do with the same dump (bench/fixtures-floor.ts).
  const floorLoad = median3(() => {
    const target = freshTarget(`floor-load-${attempt++}`);
    return measure([process.execPath, join(import.meta.dir, 'fixtures-floor.ts'), join(root, 'confctl.json'), join(target, 'data', 'db.sqlite3')], { cwd: target });
  });
  // The same sources under Deno (figures, not goals): node:sqlite, its own JSON and streams.
  const deno = [join(import.meta.dir, '..', 'node_modules', '.bin', 'deno'), 'run', '-A', join(import.meta.dir, '..', 'cli.ts')];
  const denoEnv = { ...process.env, DENO_DIR: join(import.meta.dir, '..', 'node_modules', '.cache', 'deno'), DENO_NO_UPDATE_CHECK: '1' } as Record<string, string>;
  const denoDump = measure([...deno, 'dumpdata', ...models, '-o', join(root, 'deno.json')], { cwd: source, env: denoEnv });
  const denoLoad = measure([...deno, 'loaddata', join(root, 'confctl.json')], { cwd: freshTarget(`deno-load-${attempt++}`), env: denoEnv });
  const djangoTarget = freshTarget('django-load');
  const djangoLoad = measure([PYTHON, '-m', 'django', 'loaddata', join(root, 'confctl.json')], {
    cwd: project,
    env: { ...djangoEnv, CONFCTL_PEER_DB: join(djangoTarget, 'data', 'db.sqlite3') },
  });
  // Both tools loaded the same objects.
  const count = (db: string) => Bun.spawnSync(['sqlite3', db, 'SELECT count(*) FROM person_speakerprofile; SELECT count(*) FROM submission_submission;']).stdout.toString().trim().replace('\n', ' + ');
  const loadedBoth = `${count(join(confctlTarget, 'data', 'db.sqlite3'))} / ${count(join(djangoTarget, 'data', 'db.sqlite3'))}`;

  // 1,000,000 rows, confctl alone.
  const million = join(root, 'million');
  Bun.spawnSync(['mkdir', '-p', million]);
  generate(million, 1_000_000);
  const bigDump = median3(() => measure([confctl, 'dumpdata', ...models, '-o', join(root, 'million.json')], { cwd: million }));
  const bigSize = statSync(join(root, 'million.json')).size / 1024 / 1024;
  const bigLoad = median3(() => measure([confctl, 'loaddata', join(root, 'million.json')], { cwd: freshTarget(`million-load-${attempt++}`) }));

  const row = (what: string, m: Measured) => `| ${what} | ${m.seconds.toFixed(2)} s | ${m.mb.toFixed(0)} MB |`;
  const x = (a: Measured, b: Measured) => `${(b.seconds / a.seconds).toFixed(0)}×`;
  const body = `
## dumpdata and loaddata (bench/fixtures.ts)

\`npm run bench:fixtures\` — 200,000 rows (100,000 speaker profiles + 100,000 submissions of one event, 13–21
fields each) on SQLite: confctl's compiled binary against Django ${djangoVersion} (Debian python3-django) using a
project whose unmanaged models mirror confctl's tables; each tool loads the same confctl dump into a fresh
database. Then 1,000,000 rows for confctl alone. Wall time and peak RSS of the process; confctl's figures
are the median of three runs, Django's of one (its loaddata alone takes over a minute).
Machine: ${machine()}.

| 200,000 rows | time | peak memory |
|---|---:|---:|
${row('confctl dumpdata', confctlDump)}
${row(`Django ${djangoVersion} dumpdata`, djangoDump)}
${row('confctl loaddata', confctlLoad)}
${row('floor: one JSON.parse, bun:sqlite 32-row inserts, no checks', floorLoad)}
${row(`Django ${djangoVersion} loaddata`, djangoLoad)}
${row('deno run -A cli.ts dumpdata (one run)', denoDump)}
${row('deno run -A cli.ts loaddata (one run)', denoLoad)}

- dumpdata: confctl is **${x(confctlDump, djangoDump)}** Django's speed (goal ≥ 50×); loaddata: **${x(confctlLoad, djangoLoad)}** (goal ≥ 80×).
- The floor (bench/fixtures-floor.ts) parses the whole dump at once and checks nothing; it is ${x(floorLoad, djangoLoad)} Django's
  speed, so 80× lies below what Bun and SQLite do on this machine. confctl streams (flat memory), checks
  every field and names the object of any error, at ${(confctlLoad.seconds / floorLoad.seconds).toFixed(2)}× the floor's time.
- Rows loaded (speakers + submissions), confctl / Django: ${loadedBoth}.
- Under Deno the same sources take ${(denoDump.seconds / confctlDump.seconds).toFixed(1)}× (dumpdata) and ${(denoLoad.seconds / confctlLoad.seconds).toFixed(1)}× (loaddata) the binary's time.
  Deno runs node:sqlite and its node: streams where the binary runs bun:sqlite and Bun's, from sources
  rather than bytecode; where its time goes has not been profiled yet.

| 1,000,000 rows, confctl (${bigSize.toFixed(0)} MB of JSON) | time | peak memory |
|---|---:|---:|
${row('dumpdata', bigDump)}
${row('loaddata', bigLoad)}

Goal: peak memory ≤ 150 MB for both at 1,000,000 rows.
`;
  writeSection('fixtures', body);
  process.stdout.write(body);
} finally {
  rmSync(root, { recursive: true, force: true });
}
