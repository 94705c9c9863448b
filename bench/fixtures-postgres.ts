/**
 * bench/fixtures-postgres: dumpdata and loaddata on PostgreSQL. 200,000 rows (100,000 speaker
 * profiles and 100,000 submissions of one event) on a private cluster of Debian's postgresql (the
 * tests' own, test/support/postgres.ts), confctl's compiled binary against Django 3.2 with Debian's
 * python3-psycopg2 on the same server; then 1,000,000 rows for confctl alone, for its memory.
 * Wall time and peak memory (max RSS) of each process.
 * Run: npm run bench:fixtures-postgres   (a few minutes: Django's loaddata is slow)
 */
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ensureBinary } from '../test/support/binary.ts';
import { PYTHON, writeDjangoProject } from '../test/support/django.ts';
import { postgresServer, stopPostgresServer } from '../test/support/postgres.ts';
import { aptInstall, machine, measureProcess, median3, writeSection, type Measured } from './_lib.ts';

const confctl = ensureBinary();
aptInstall('django-admin', 'python3-django');
aptInstall(() => Bun.spawnSync([PYTHON, '-c', 'import psycopg2']).exitCode === 0, 'python3-psycopg2');
const djangoVersion = Bun.spawnSync([PYTHON, '-c', 'import django; print(django.get_version())']).stdout.toString().trim();
const pg = await postgresServer();
const serverVersion = pg.psql('postgres', 'SHOW server_version').trim();
const root = mkdtempSync(join(tmpdir(), 'confctl-bench-pgfixtures-'));
const env = { PATH: '/usr/bin:/bin', NO_COLOR: '1', CONFCTL_NOW: '2026-05-01T09:00:00Z' };
const nameOf = (url: string) => /^postgres:\/\/\/(\w+)\?/.exec(url)![1]!;

const measure = (cmd: string[], options: { cwd: string; env?: Record<string, string> }) => measureProcess(cmd, { ...options, env: options.env ?? env });

function confctlRun(url: string, argv: string[]): void {
  const result = Bun.spawnSync([confctl, ...argv, '--database', url], { cwd: root, env, stdout: 'ignore', stderr: 'pipe' });
  if (result.exitCode !== 0) throw new Error(`confctl ${argv.join(' ')}: ${result.stderr.toString()}`);
}

/** A migrated database with one event; its URL. */
function fresh(): string {
  const url = pg.createDatabase('confctl_bench');
  confctlRun(url, ['migrate', '-v', '0']);
  confctlRun(url, ['create_event', '--slug', 'big', '--name', 'Big', '--date-from', '2026-03-10', '--date-to', '2026-03-12', '-v', '0']);
  return url;
}

/** `fresh()` with `rows` rows: half speaker profiles, half submissions (as bench/fixtures.ts makes them on SQLite). */
function generate(rows: number): string {
  const url = fresh();
  const half = rows / 2;
  pg.psql(
    nameOf(url),
    `INSERT INTO person_speakerprofile (event_id, name, code, email, locale, biography, has_arrived, created, updated)
     SELECT 1, 'Speaker ' || i, 'S' || i, 'speaker' || i || '@example.org', 'en',
            'Speaker ' || i || ' has spoken at many conferences about databases and command lines.', i % 2 = 1,
            '2026-04-01 10:00:00+00', '2026-04-02 11:30:00+00' FROM generate_series(1, ${half}) AS i;
     INSERT INTO submission_submission (event_id, code, title, submission_type_id, state, abstract, duration, content_locale, is_featured, do_not_record, created, updated)
     SELECT 1, 'T' || i, 'Talk number ' || i || ': a title of some length', 1, 'confirmed',
            'An abstract for talk ' || i || ' that says what it is about.', 30, 'en', false, i % 11 = 0,
            '2026-03-01 12:00:00+00', '2026-03-05 08:15:00+00' FROM generate_series(1, ${half}) AS i;
     ANALYZE;`,
  );
  return url;
}

try {
  const source = generate(200_000);
  const project = join(root, 'django');
  Bun.spawnSync(['mkdir', '-p', project]);
  await writeDjangoProject(project);
  const djangoEnv = (url: string) => ({ PATH: '/usr/bin:/bin', PYTHONPATH: project, DJANGO_SETTINGS_MODULE: 'confctl_peer.settings', TZ: 'UTC', CONFCTL_PEER_DB: url });
  const models = ['person.speakerprofile', 'submission.submission'];

  const confctlDump = median3(() => measure([confctl, 'dumpdata', ...models, '-o', join(root, 'confctl.json'), '--database', source], { cwd: root }));
  const djangoDump = measure([PYTHON, '-m', 'django', 'dumpdata', ...models, '-o', join(root, 'django.json')], { cwd: project, env: djangoEnv(source) });
  let confctlTarget = '';
  const confctlLoad = median3(() => {
    confctlTarget = fresh();
    return measure([confctl, 'loaddata', join(root, 'confctl.json'), '--database', confctlTarget], { cwd: root });
  });
  const djangoTarget = fresh();
  const djangoLoad = measure([PYTHON, '-m', 'django', 'loaddata', join(root, 'confctl.json')], { cwd: project, env: djangoEnv(djangoTarget) });
  const count = (url: string) => pg.psql(nameOf(url), 'SELECT (SELECT count(*) FROM person_speakerprofile) || \' + \' || (SELECT count(*) FROM submission_submission)').trim();
  const loadedBoth = `${count(confctlTarget)} / ${count(djangoTarget)}`;

  const million = generate(1_000_000);
  const bigDump = median3(() => measure([confctl, 'dumpdata', ...models, '-o', join(root, 'million.json'), '--database', million], { cwd: root }));
  const bigSize = statSync(join(root, 'million.json')).size / 1024 / 1024;
  const bigLoad = median3(() => measure([confctl, 'loaddata', join(root, 'million.json'), '--database', fresh()], { cwd: root }));

  const row = (what: string, m: Measured) => `| ${what} | ${m.seconds.toFixed(2)} s | ${m.mb.toFixed(0)} MB |`;
  const x = (a: Measured, b: Measured) => `${(b.seconds / a.seconds).toFixed(0)}×`;
  const body = `
## dumpdata and loaddata on PostgreSQL (bench/fixtures-postgres.ts)

\`npm run bench:fixtures-postgres\` — the rows of bench/fixtures.ts (200,000: 100,000 speaker profiles + 100,000
submissions of one event) in PostgreSQL ${serverVersion} (Debian's, a private cluster on a Unix socket, as the tests
start it), confctl's compiled binary against Django ${djangoVersion} with Debian's python3-psycopg2 on the same server;
each tool loads the same confctl dump into a fresh database. Then 1,000,000 rows for confctl alone. Wall time and
peak RSS of the process (the server's work is in the time, not in the memory); confctl's figures are the median
of three runs, Django's of one. Machine: ${machine()}; the server shares its cores.

| 200,000 rows | time | peak memory |
|---|---:|---:|
${row('confctl dumpdata', confctlDump)}
${row(`Django ${djangoVersion} dumpdata`, djangoDump)}
${row('confctl loaddata', confctlLoad)}
${row(`Django ${djangoVersion} loaddata`, djangoLoad)}

- dumpdata: confctl is **${x(confctlDump, djangoDump)}** Django's speed (goal ≥ 50×); loaddata: **${x(confctlLoad, djangoLoad)}** (goal ≥ 50×).
- Rows loaded (speakers + submissions), confctl / Django: ${loadedBoth}.

| 1,000,000 rows, confctl (${bigSize.toFixed(0)} MB of JSON) | time | peak memory |
|---|---:|---:|
${row('dumpdata', bigDump)}
${row('loaddata', bigLoad)}

Goal: peak memory ≤ 150 MB for both at 1,000,000 rows.
`;
  writeSection('fixtures-postgres', body);
  process.stdout.write(body);
} finally {
  rmSync(root, { recursive: true, force: true });
  stopPostgresServer();
}
