import { describe, expect, test } from 'bun:test';
import { existsSync } from 'node:fs';
import pkg from '../../package.json' with { type: 'json' };
import { main } from '../../cli.ts';
import { commands } from '../../commands/index.ts';
import { call } from '../support/cli.ts';
import { tempDir } from '../support/tmp.ts';

describe('help and version', () => {
  test('root help lists every command with its description, on stdout', async () => {
    using dir = tempDir();
    for (const argv of [[], ['--help'], ['-h'], ['help']]) {
      const result = await call(argv, { cwd: dir.path });
      expect(result.exitCode).toBe(0);
      expect(result.stderr).toBe('');
      expect(result.stdout).toStartWith(`confctl ${pkg.version}: runs a conference programme from the command line.\n`);
      for (const [name, entry] of Object.entries(commands)) {
        expect(result.stdout).toContain(`  ${name}`);
        expect(result.stdout).toContain(entry.description);
      }
      expect(result.stdout).toContain('(alias: validate)');
    }
  });

  test('root help groups the servers apart from the export commands', async () => {
    using dir = tempDir();
    const { stdout } = await call(['help'], { cwd: dir.path });
    const group = (name: string) => stdout.split(`[${name}]\n`)[1]!.split('\n\n')[0]!.split('\n').map((l) => l.trim().split(' ')[0]);
    expect(group('server')).toEqual(['runserver', 'runfcgi', 'testserver']);
    expect(group('export')).toEqual(['export_schedule_html', 'rebuild', 'regenerate_css']);
  });

  test('root help writes nothing to disk', async () => {
    using dir = tempDir();
    await call(['--help'], { cwd: dir.path });
    expect(existsSync(dir.join('data'))).toBe(false);
  });

  test('--version and the version command print the package version', async () => {
    using dir = tempDir();
    expect(await call(['--version'], { cwd: dir.path })).toEqual({ stdout: `${pkg.version}\n`, stderr: '', exitCode: 0 });
    expect(await call(['version'], { cwd: dir.path })).toEqual({ stdout: `${pkg.version}\n`, stderr: '', exitCode: 0 });
  });

  test('version --verbose from a checkout names its commit, as a build names its own', async () => {
    using dir = tempDir();
    const head = Bun.spawnSync(['git', 'rev-parse', '--short=12', 'HEAD'], { cwd: import.meta.dir }).stdout.toString().trim();
    const result = await call(['version', '--verbose'], { cwd: dir.path });
    expect(result.exitCode).toBe(0);
    expect(result.stdout).toMatch(new RegExp(`^Build:    from source, commit ${head}(-dirty)?$`, 'm'));
  });

  test('help <command>, <command> --help and <command> -h show the same usage', async () => {
    using dir = tempDir();
    const a = await call(['help', 'migrate'], { cwd: dir.path });
    const b = await call(['migrate', '--help'], { cwd: dir.path });
    const c = await call(['migrate', '-h'], { cwd: dir.path });
    expect(a.exitCode).toBe(0);
    expect(a.stdout).toStartWith('Usage: confctl migrate [options] [MIGRATION_NAME]\n\nUpdates the database schema');
    expect(b).toEqual(a);
    expect(c).toEqual(a);
    for (const option of ['--plan', '--noinput', '-v, --verbosity {0,1,2,3}', '--settings FILE', '--database PATH',
      '--traceback', '--no-color', '--force-color', '--no-pretalx-information']) {
      expect(a.stdout).toContain(option);
    }
    // Base options come after the command's own, as in Django.
    expect(a.stdout.indexOf('Base options:')).toBeGreaterThan(a.stdout.indexOf('--plan'));
  });

  test('--help after -- is an argument, not a request for help', async () => {
    using dir = tempDir();
    const result = await call(['showmigrations', '--', '--help'], { cwd: dir.path });
    expect(result).toEqual({ stdout: '', stderr: "CommandError: No installed app with label '--help'.\n", exitCode: 1 });
  });
});

describe('unknown commands and options', () => {
  test('an unknown command suggests the closest one, exit 1', async () => {
    using dir = tempDir();
    expect(await call(['migrat'], { cwd: dir.path })).toEqual({
      stdout: '',
      stderr: 'Unknown command "migrat". Did you mean "migrate"?\n',
      exitCode: 1,
    });
    expect(await call(['showmigration'], { cwd: dir.path })).toMatchObject({
      stderr: 'Unknown command "showmigration". Did you mean "showmigrations"?\n',
    });
  });

  test('an unknown command with nothing close points at help', async () => {
    using dir = tempDir();
    expect(await call(['frobnicate'], { cwd: dir.path })).toEqual({
      stdout: '',
      stderr: 'Unknown command "frobnicate". Type "confctl help" for usage.\n',
      exitCode: 1,
    });
    expect((await call(['help', 'frobnicate'], { cwd: dir.path })).exitCode).toBe(1);
    // An option where the command should be gets no command suggested (it was no misspelt command).
    expect((await call(['--migrate'], { cwd: dir.path })).stderr).toBe('Unknown command "--migrate". Type "confctl help" for usage.\n');
    // What follows "--" is the command's, never confctl's own --traceback.
    expect(await call(['frobnicate', '--', 'a', '--traceback', 'b'], { cwd: dir.path })).toEqual({ stdout: '', stderr: 'Unknown command "frobnicate". Type "confctl help" for usage.\n', exitCode: 1 });
  });

  test('kebab-case spellings and aliases find the command', async () => {
    using dir = tempDir();
    const snake = await call(['diffsettings'], { cwd: dir.path });
    const alias = await call(['validate'], { cwd: dir.path });
    expect(alias.stderr).toContain('(confctl.E002)');
    expect(snake.exitCode).toBe(0);
    const kebab = await call(['show-migrations'], { cwd: dir.path });
    expect(kebab.stderr).toBe('Unknown command "show-migrations". Did you mean "showmigrations"?\n');
  });

  test('an unknown option is refused before anything runs', async () => {
    using dir = tempDir();
    expect(await call(['migrate', '--pla'], { cwd: dir.path })).toEqual({
      stdout: '',
      stderr: 'CommandError: Unknown option "--pla" for "migrate". Did you mean "--plan"?\n',
      exitCode: 1,
    });
    expect(await call(['migrate', '--frobnicate=3'], { cwd: dir.path })).toEqual({
      stdout: '',
      stderr: 'CommandError: Unknown option "--frobnicate" for "migrate". See "confctl migrate --help".\n',
      exitCode: 1,
    });
    expect((await call(['migrate', '-x'], { cwd: dir.path })).stderr).toBe(
      'CommandError: Unknown option "-x" for "migrate". See "confctl migrate --help".\n',
    );
    expect((await call(['migrate', '--no-plan=1'], { cwd: dir.path })).exitCode).toBe(1);
    expect(existsSync(dir.join('data'))).toBe(false);
  });

  test('extra positional arguments are refused', async () => {
    using dir = tempDir();
    expect(await call(['migrate', '0001', 'extra'], { cwd: dir.path })).toEqual({
      stdout: '',
      stderr: 'CommandError: Unrecognized arguments: extra. See "confctl migrate --help".\n',
      exitCode: 1,
    });
  });

  test('an option without its value, or with an empty one, is refused', async () => {
    using dir = tempDir();
    for (const argv of [['migrate', '--database'], ['migrate', '--database='], ['migrate', '--database', ''],
      ['migrate', '--database', '--plan']]) {
      expect(await call(argv, { cwd: dir.path })).toEqual({
        stdout: '',
        stderr: 'CommandError: Option --database expects a value.\n',
        exitCode: 1,
      });
    }
    expect((await call(['migrate', '--plan=yes'], { cwd: dir.path })).stderr).toBe(
      'CommandError: Option --plan takes no value.\n',
    );
  });

  test('a verbosity outside 0-3 is refused', async () => {
    using dir = tempDir();
    const result = await call(['migrate', '-v', '4'], { cwd: dir.path });
    expect(result).toEqual({
      stdout: '',
      stderr: 'CommandError: Invalid value for argument: --verbosity (4). Expected one of: 0, 1, 2, 3.\n',
      exitCode: 1,
    });
  });
});

describe('base options', () => {
  test('--verbosity 0 silences normal output; -v2 and --verbosity=2 add detail', async () => {
    using dir = tempDir();
    expect(await call(['migrate', '--verbosity', '0'], { cwd: dir.path })).toEqual({ stdout: '', stderr: '', exitCode: 0 });
    const verbose = await call(['showmigrations', '-v2', '--no-pretalx-information'], { cwd: dir.path });
    expect(verbose.stdout).toMatch(/^confctl\n \[X\] 0001_initial \(applied at \d{4}-\d\d-\d\dT[\d:.]+Z\)\n \[X\] 0002_event_stamps \(applied at \d{4}-\d\d-\d\dT[\d:.]+Z\)\n \[X\] 0003_event_stamps_by_time \(applied at \d{4}-\d\d-\d\dT[\d:.]+Z\)\n \[X\] 0004_upstream_fields \(applied at \d{4}-\d\d-\d\dT[\d:.]+Z\)\n \[X\] 0005_feed_days_and_tracks \(applied at \d{4}-\d\d-\d\dT[\d:.]+Z\)\n \[X\] 0006_one_stamp_per_transaction \(applied at \d{4}-\d\d-\d\dT[\d:.]+Z\)\n \[X\] 0007_text_in_byte_order \(applied at \d{4}-\d\d-\d\dT[\d:.]+Z\)\n$/);
    const same = await call(['showmigrations', '--verbosity=2', '--no-pretalx-information'], { cwd: dir.path });
    expect(same.stdout).toBe(verbose.stdout);
  });

  test('verbosity 2 prints the start-up header on stderr; --no-pretalx-information suppresses it', async () => {
    using dir = tempDir();
    const env = { CONFCTL_NOW: '2026-05-01T09:00:00Z' };
    const loud = await call(['showmigrations', '-v', '2'], { cwd: dir.path, env });
    expect(loud.stderr).toContain('┃ confctl v' + pkg.version);
    expect(loud.stderr).toContain('┃ Settings:  (built-in defaults)');
    expect(loud.stderr).toContain(`┃ Database:  ${dir.join('data', 'db.sqlite3')} (sqlite)`);
    expect(loud.stderr).toContain(`┃ Data dir:  ${dir.join('data')}`);
    expect(loud.stderr).toContain('┃ Now:       2026-05-01T09:00:00.000Z (CONFCTL_NOW)');
    const quiet = await call(['showmigrations', '-v', '2', '--no-pretalx-information'], { cwd: dir.path, env });
    expect(quiet.stderr).toBe('');
    const normal = await call(['showmigrations'], { cwd: dir.path, env });
    expect(normal.stderr).toBe('');
  });

  test('--database puts the database where it says, relative to the working folder', async () => {
    using dir = tempDir();
    dir.write({ 'elsewhere/.keep': '' });
    const result = await call(['migrate', '--database', 'elsewhere/x.sqlite3', '-v', '0'], { cwd: dir.path });
    expect(result.exitCode).toBe(0);
    expect(existsSync(dir.join('elsewhere', 'x.sqlite3'))).toBe(true);
    expect(existsSync(dir.join('data'))).toBe(false);
  });

  test('a --database in a folder that does not exist is an error (a typo makes no folders); only the default data dir is created', async () => {
    using dir = tempDir();
    expect(await call(['migrate', '--database', 'nonexist/dir/db.sqlite3', '-v', '0'], { cwd: dir.path })).toEqual({
      stdout: '',
      stderr: `CommandError: The folder ${dir.join('nonexist', 'dir')} of the database does not exist.\n`,
      exitCode: 1,
    });
    expect(existsSync(dir.join('nonexist'))).toBe(false);
    expect((await call(['migrate', '-v', '0'], { cwd: dir.path })).exitCode).toBe(0);
    expect(existsSync(dir.join('data', 'db.sqlite3'))).toBe(true);
  });

  test('--settings names the settings file; a missing one is an error', async () => {
    using dir = tempDir();
    dir.write({ 'conf/site.toml': '[filesystem]\ndata = "../var"\n' });
    const result = await call(['migrate', '--settings', 'conf/site.toml', '-v', '0'], { cwd: dir.path });
    expect(result.exitCode).toBe(0);
    // Paths in a settings file are relative to the file's folder.
    expect(existsSync(dir.join('var', 'db.sqlite3'))).toBe(true);
    expect(await call(['migrate', '--settings', 'nope.toml'], { cwd: dir.path })).toEqual({
      stdout: '',
      stderr: `CommandError: Settings file ${dir.join('nope.toml')} does not exist.\n`,
      exitCode: 1,
    });
  });

  test('colour: off when not a TTY, on for a TTY, never under NO_COLOR or --no-color, forced by --force-color', async () => {
    using dir = tempDir();
    await call(['migrate', '-v', '0'], { cwd: dir.path });
    const esc = '\x1b[';
    const plain = await call(['showmigrations'], { cwd: dir.path, env: { NO_COLOR: '' } });
    expect(plain.stdout).toBe('confctl\n [X] 0001_initial\n [X] 0002_event_stamps\n [X] 0003_event_stamps_by_time\n [X] 0004_upstream_fields\n [X] 0005_feed_days_and_tracks\n [X] 0006_one_stamp_per_transaction\n [X] 0007_text_in_byte_order\n');
    const tty = await call(['showmigrations'], { cwd: dir.path, env: { NO_COLOR: '' }, tty: { stdout: true } });
    expect(tty.stdout).toContain(esc);
    const noColorEnv = await call(['showmigrations'], { cwd: dir.path, tty: { stdout: true } });
    expect(noColorEnv.stdout).not.toContain(esc);
    const noColorFlag = await call(['showmigrations', '--no-color'], {
      cwd: dir.path,
      env: { NO_COLOR: '' },
      tty: { stdout: true },
    });
    expect(noColorFlag.stdout).not.toContain(esc);
    const forced = await call(['showmigrations', '--force-color'], { cwd: dir.path });
    expect(forced.stdout).toBe(`\x1b[1mconfctl\x1b[22m\n \x1b[32m[X]\x1b[39m 0001_initial\n \x1b[32m[X]\x1b[39m 0002_event_stamps\n \x1b[32m[X]\x1b[39m 0003_event_stamps_by_time\n \x1b[32m[X]\x1b[39m 0004_upstream_fields\n \x1b[32m[X]\x1b[39m 0005_feed_days_and_tracks\n \x1b[32m[X]\x1b[39m 0006_one_stamp_per_transaction\n \x1b[32m[X]\x1b[39m 0007_text_in_byte_order\n`);
    expect(await call(['showmigrations', '--force-color', '--no-color'], { cwd: dir.path })).toEqual({
      stdout: '',
      stderr: "CommandError: The --no-color and --force-color options can't be used together.\n",
      exitCode: 1,
    });
  });

  test('--traceback shows the stack of a CommandError', async () => {
    using dir = tempDir();
    const result = await call(['migrate', 'nosuch', '--traceback'], { cwd: dir.path });
    expect(result.exitCode).toBe(1);
    expect(result.stderr).toStartWith("CommandError: Cannot find a migration matching 'nosuch' from app 'confctl'.\n");
    expect(result.stderr).toContain('    at ');
    const plain = await call(['migrate', 'nosuch'], { cwd: dir.path });
    expect(plain.stderr).toBe("CommandError: Cannot find a migration matching 'nosuch' from app 'confctl'.\n");
  });

  test('an unexpected error is one line without --traceback, the stack with it', async () => {
    using dir = tempDir();
    dir.write({ 'data/db.sqlite3': 'this is not a database, just text that is long enough to have a header' });
    const result = await call(['showmigrations'], { cwd: dir.path });
    expect(result.exitCode).toBe(1);
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
    expect(result.stderr).toContain('file is not a database');
    expect(result.stderr).not.toContain('    at ');
  });

  test('a real unexpected error (not a CommandError) exits 1: one line, the stack only with --traceback', async () => {
    // A disk that fails under stdout: the write throws a plain RangeError from inside the command.
    using dir = tempDir();
    const run = async (argv: string[]) => {
      let stderr = '';
      const exitCode = await main(argv, {
        stdout: { isTTY: false, write: () => { throw new RangeError('disk on fire'); } },
        stderr: { isTTY: false, write: (text) => void (stderr += text) },
        stdin: { isTTY: false, readLine: async () => null, readAll: async () => '', readSecret: async () => null },
        env: { NO_COLOR: '1', TZ: 'UTC' },
        cwd: dir.path,
      });
      return { exitCode, stderr };
    };
    expect(await run(['version'])).toEqual({ exitCode: 1, stderr: 'RangeError: disk on fire (run with --traceback to see the stack trace)\n' });
    const traced = await run(['version', '--traceback']);
    expect(traced.exitCode).toBe(1);
    expect(traced.stderr).toStartWith('RangeError: disk on fire\n    at ');
    expect(traced.stderr).toContain('commands/version.ts');
  });

  test('something thrown that is not an Error is reported as one, with or without --traceback', async () => {
    using dir = tempDir();
    const run = async (argv: string[]) => {
      let stderr = '';
      const exitCode = await main(argv, {
        stdout: { isTTY: false, write: () => { throw 'disk on fire'; } },
        stderr: { isTTY: false, write: (text) => void (stderr += text) },
        stdin: { isTTY: false, readLine: async () => null, readAll: async () => '', readSecret: async () => null },
        env: { NO_COLOR: '1', TZ: 'UTC' },
        cwd: dir.path,
      });
      return { exitCode, stderr };
    };
    expect(await run(['version'])).toEqual({ exitCode: 1, stderr: 'Error: disk on fire (run with --traceback to see the stack trace)\n' });
    expect(await run(['version', '--traceback'])).toEqual({ exitCode: 1, stderr: 'disk on fire\n' });
  });

  test('CONFCTL_NOW must be a date or a zoned date-time', async () => {
    using dir = tempDir();
    const result = await call(['showmigrations'], { cwd: dir.path, env: { CONFCTL_NOW: '2026-05-01 09:00' } });
    expect(result).toEqual({
      stdout: '',
      stderr:
        'CommandError: CONFCTL_NOW must be a date (2026-05-01) or a date-time with a zone (2026-05-01T09:00:00Z), not "2026-05-01 09:00".\n',
      exitCode: 1,
    });
  });
});
