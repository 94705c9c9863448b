import { beforeAll, describe, expect, test } from 'bun:test';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import pkg from '../../package.json' with { type: 'json' };
import { binaryPath, installBinary, spawnBinary, startServer } from '../support/binary.ts';
import { execute, query } from '../support/db.ts';
import { INIT_ENV } from '../support/site.ts';
import { tempDir, type TempDir } from '../support/tmp.ts';

/**
 * The compiled binary, copied alone into an empty folder as an operator would: no node_modules,
 * no sources, a minimal environment. Proves the migrations are embedded and the CLI boundary holds.
 */
describe('the compiled binary', () => {
  let dir: TempDir;
  let confctl: string;
  beforeAll(() => {
    dir = tempDir('confctl-binary-');
    confctl = installBinary(dir.path);
    return () => dir[Symbol.dispose]();
  });
  const run = (argv: string[], env: Record<string, string> = {}) => spawnBinary(confctl, argv, dir.path, env);

  test('the build leaves the binary alone in dist/ (its source map is inside it; npm run release writes dist/release/)', () => {
    expect(readdirSync(dirname(binaryPath)).filter((f) => f !== 'release')).toEqual(['confctl']);
  });

  test('--version and --help', () => {
    expect(run(['--version'])).toEqual({ stdout: `${pkg.version}\n`, stderr: '', exitCode: 0 });
    const help = run(['--help']);
    expect(help.exitCode).toBe(0);
    expect(help.stdout).toMatch(/^  migrate +Updates the database schema/m);
    expect(run(['showmigrations', '--help']).stdout).toStartWith('Usage: confctl showmigrations [options] [APP_LABEL] ...\n');
  });

  test('migrate, then showmigrations, then migrate again on the default database', () => {
    expect(run(['showmigrations'])).toEqual({ stdout: 'confctl\n [ ] 0001_initial\n [ ] 0002_event_stamps\n [ ] 0003_event_stamps_by_time\n [ ] 0004_upstream_fields\n [ ] 0005_feed_days_and_tracks\n [ ] 0006_one_stamp_per_transaction\n [ ] 0007_text_in_byte_order\n', stderr: '', exitCode: 0 });
    expect(run(['migrate'])).toEqual({
      stdout: 'Operations to perform:\n  Apply all migrations: confctl\nRunning migrations:\n  Applying 0001_initial... OK\n  Applying 0002_event_stamps... OK\n  Applying 0003_event_stamps_by_time... OK\n  Applying 0004_upstream_fields... OK\n  Applying 0005_feed_days_and_tracks... OK\n  Applying 0006_one_stamp_per_transaction... OK\n  Applying 0007_text_in_byte_order... OK\n',
      stderr: '',
      exitCode: 0,
    });
    expect(run(['showmigrations'])).toEqual({ stdout: 'confctl\n [X] 0001_initial\n [X] 0002_event_stamps\n [X] 0003_event_stamps_by_time\n [X] 0004_upstream_fields\n [X] 0005_feed_days_and_tracks\n [X] 0006_one_stamp_per_transaction\n [X] 0007_text_in_byte_order\n', stderr: '', exitCode: 0 });
    expect(run(['migrate']).stdout).toContain('  No migrations to apply.\n');
    expect(query(dir.join('data', 'db.sqlite3'), 'SELECT name FROM confctl_migration')).toEqual([{ name: '0001_initial' }, { name: '0002_event_stamps' }, { name: '0003_event_stamps_by_time' }, { name: '0004_upstream_fields' }, { name: '0005_feed_days_and_tracks' }, { name: '0006_one_stamp_per_transaction' }, { name: '0007_text_in_byte_order' }]);
    expect(run(['check'])).toEqual({ stdout: 'System check identified no issues (0 silenced).\n', stderr: '', exitCode: 0 });
  });

  test('errors are one line and an exit code; --traceback shows TypeScript locations', () => {
    expect(run(['migrat'])).toEqual({ stdout: '', stderr: 'Unknown command "migrat". Did you mean "migrate"?\n', exitCode: 1 });
    expect(run(['migrate', '--bogus'])).toEqual({
      stdout: '',
      stderr: 'CommandError: Unknown option "--bogus" for "migrate". See "confctl migrate --help".\n',
      exitCode: 1,
    });
    const traced = run(['migrate', 'nosuch', '--traceback']);
    expect(traced.exitCode).toBe(1);
    expect(traced.stderr).toStartWith("CommandError: Cannot find a migration matching 'nosuch' from app 'confctl'.\n");
    expect(traced.stderr).toContain('db/migrator.ts:');
  });

  test('a .env or bunfig.toml in the working folder is not read', () => {
    using other = tempDir();
    other.write({ '.env': `CONFCTL_DATABASE=${other.join('from-dotenv.sqlite3')}\n`, 'bunfig.toml': '[run]\npreload = ["./evil.ts"]\n', 'evil.ts': 'console.log("EVIL")\n' });
    const result = spawnBinary(confctl, ['migrate', '-v', '0'], other.path);
    expect(result).toEqual({ stdout: '', stderr: '', exitCode: 0 });
    expect(existsSync(other.join('from-dotenv.sqlite3'))).toBe(false);
    expect(existsSync(other.join('data', 'db.sqlite3'))).toBe(true);
  });

  test('dumpdata -o into a missing folder: one line naming that path, and nothing after it', () => {
    run(['migrate', '-v', '0']);
    for (const ext of ['json', 'json.bz2', 'json.zip']) {
      expect(run(['dumpdata', '-o', `/nonexist/x.${ext}`])).toEqual({ stdout: '', stderr: `CommandError: Cannot write /nonexist/x.${ext}: the folder /nonexist does not exist.\n`, exitCode: 1 });
    }
  });

  test('CONFCTL_DATA_DIR and CONFCTL_DATABASE move the database', () => {
    using other = tempDir();
    expect(spawnBinary(confctl, ['migrate', '-v', '0'], other.path, { CONFCTL_DATA_DIR: 'var' }).exitCode).toBe(0);
    expect(readdirSync(other.join('var'))).toContain('db.sqlite3');
    expect(spawnBinary(confctl, ['migrate', '-v', '0'], other.path, { CONFCTL_DATABASE: 'x.sqlite3' }).exitCode).toBe(0);
    expect(existsSync(other.join('x.sqlite3'))).toBe(true);
  });

  test('init --noinput and createsuperuser --noinput set up an instance', () => {
    using other = tempDir();
    expect(spawnBinary(confctl, ['migrate', '-v', '0'], other.path).exitCode).toBe(0);
    const init = spawnBinary(confctl, ['init', '--noinput', '-v', '0'], other.path, {
      DJANGO_SUPERUSER_EMAIL: 'admin@example.org',
      DJANGO_SUPERUSER_PASSWORD: 'a-long-s3cret-phrase',
      PRETALX_INIT_ORGANISER_NAME: 'Org',
      PRETALX_INIT_ORGANISER_SLUG: 'org',
    });
    expect(init).toEqual({ stdout: '', stderr: '', exitCode: 0 });
    const missing = spawnBinary(confctl, ['createsuperuser', '--noinput'], other.path);
    expect(missing).toEqual({ stdout: '', stderr: 'CommandError: You must use --email with --noinput.\n', exitCode: 1 });
    const second = spawnBinary(confctl, ['createsuperuser', '--noinput', '--email', 'second@example.org'], other.path, {
      DJANGO_SUPERUSER_PASSWORD: 'another-s3cret-phrase',
    });
    expect(second).toEqual({ stdout: 'Superuser created successfully.\n', stderr: '', exitCode: 0 });
    const path = other.join('data', 'db.sqlite3');
    expect(query(path, 'SELECT email, is_administrator FROM person_user ORDER BY id')).toEqual([
      { email: 'admin@example.org', is_administrator: 1 },
      { email: 'second@example.org', is_administrator: 1 },
    ]);
    expect(query(path, 'SELECT slug FROM event_organiser')).toEqual([{ slug: 'org' }]);
  });

  test('create_test_event builds the demo event in the binary (faker bundled); move_event moves it', () => {
    using other = tempDir();
    const env = { ...INIT_ENV, CONFCTL_NOW: '2026-05-01T09:00:00Z' };
    spawnBinary(confctl, ['migrate', '-v', '0'], other.path);
    spawnBinary(confctl, ['init', '--noinput', '-v', '0'], other.path, env);
    expect(spawnBinary(confctl, ['create_test_event', '--seed', '5'], other.path, env)).toEqual({
      stdout: 'Built data for stage "cfp".\nBuilt data for stage "review".\nBuilt data for stage "schedule".\n',
      stderr: '',
      exitCode: 0,
    });
    expect(query(other.join('data', 'db.sqlite3'), "SELECT count(*) AS n FROM schedule_talkslot t JOIN schedule_schedule s ON s.id = t.schedule_id WHERE s.version = 'v1.0'")).toEqual([{ n: 36 }]);
    expect(spawnBinary(confctl, ['move_event', '--event', 'democon', '--date', '2026-06-01'], other.path, env)).toEqual({
      stdout: 'Moved "DemoCon" by +32 days: 72 slots in 2 schedule versions.\n',
      stderr: '',
      exitCode: 0,
    });
    expect(spawnBinary(confctl, ['create_test_event', '--stage', 'later'], other.path, env)).toEqual({
      stdout: '',
      stderr: 'CommandError: Unknown stage "later". Valid stages: cfp, review, schedule, over.\n',
      exitCode: 1,
    });
  });

  test('translation without the sources: makemessages from the embedded catalogue, edit, compilemessages, and export and runserver use the edit', async () => {
    using other = tempDir();
    const env = { ...INIT_ENV, CONFCTL_NOW: '2026-05-01T09:00:00Z' };
    spawnBinary(confctl, ['migrate', '-v', '0'], other.path);
    spawnBinary(confctl, ['init', '--noinput', '-v', '0'], other.path, env);
    spawnBinary(confctl, ['create_test_event', '--seed', '5', '-v', '0'], other.path, env);
    execute(other.join('data', 'db.sqlite3'), `UPDATE event_event SET locale = 'ja-jp', locales = '["ja-jp"]'`);
    expect(spawnBinary(confctl, ['makemessages', '--locale', 'ja'], other.path, env)).toEqual({ stdout: 'processing locale ja\n', stderr: '', exitCode: 0 });
    const po = other.join('data', 'locale', 'ja', 'LC_MESSAGES', 'confctl.po');
    expect(readFileSync(po, 'utf8')).toContain('msgid "Talks"\nmsgstr "講演"');
    writeFileSync(po, readFileSync(po, 'utf8').replace('msgid "Talks"\nmsgstr "講演"', 'msgid "Talks"\nmsgstr "トーク"'));
    expect(spawnBinary(confctl, ['compilemessages'], other.path, env)).toEqual({ stdout: `processing file confctl.po in ${other.join('data', 'locale', 'ja', 'LC_MESSAGES')}\n`, stderr: '', exitCode: 0 });
    expect(spawnBinary(confctl, ['export_schedule_html', 'democon', '--site-url', 'https://x.example/'], other.path, env).exitCode).toBe(0);
    const page = readFileSync(other.join('data', 'htmlexport', 'democon', 'index.html'), 'utf8');
    expect(page).toContain('<nav aria-label="タイムテーブル"><a href="schedule/index.html">タイムテーブル</a><a href="talk/index.html">トーク</a><a href="speaker/index.html">登壇者</a>');

    const server = await startServer(confctl, ['runserver', '127.0.0.1:0'], other.path, env);
    try {
      const event = await fetch(`${server.url}democon/`);
      expect(await event.text()).toContain('<a href="talk/index.html">トーク</a>');
      const home = await fetch(server.url, { headers: { 'Accept-Language': 'pl,en;q=0.5' } });
      expect([home.headers.get('content-language'), home.headers.get('vary')]).toEqual(['pl', 'Accept-Encoding, Accept-Language']);
      expect(await home.text()).toContain('<h1>Wydarzenia</h1>');
      const missing = await fetch(`${server.url}nowhere`, { headers: { 'Accept-Language': 'ja' } });
      expect(missing.status).toBe(404);
      expect(await missing.text()).toContain('<h1>ページが見つかりません</h1>');
    } finally {
      server.child.kill();
    }
  }, 60_000);
});
