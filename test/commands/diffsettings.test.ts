import { describe, expect, test } from 'bun:test';
import { parseSiteUrl } from '../../core/common/settings.ts';
import { call } from '../support/cli.ts';
import { tempDir } from '../support/tmp.ts';

describe('diffsettings', () => {
  test('with no settings file nothing differs', async () => {
    using dir = tempDir();
    expect(await call(['diffsettings'], { cwd: dir.path })).toEqual({ stdout: '', stderr: '', exitCode: 0 });
  });

  test('prints changed settings followed by ###, tokens masked', async () => {
    using dir = tempDir();
    dir.write({
      'confctl.toml': [
        '[database]',
        'busy_timeout = 250',
        '[sync]',
        'pace = 0',
        '[pretalx.tokens]',
        '"https://pretalx.com" = "s3cr3t-token-value"',
        '"https://pretalx.example.org" = "an0ther-token"',
        '',
      ].join('\n'),
    });
    const result = await call(['diffsettings'], { cwd: dir.path });
    expect(result).toEqual({
      stdout: [
        'database.busy_timeout = 250  ###',
        'sync.pace = 0  ###',
        'pretalx.tokens = { "https://pretalx.com" = "********", "https://pretalx.example.org" = "********" }  ###',
        '',
      ].join('\n'),
      stderr: '',
      exitCode: 0,
    });
    expect(result.stdout).not.toContain('s3cr3t');
  });

  test('--all prints every setting; environment overrides count as changes', async () => {
    using dir = tempDir();
    const result = await call(['diffsettings', '--all'], { cwd: dir.path, env: { CONFCTL_DATABASE: 'other.sqlite3' } });
    const lines = result.stdout.trimEnd().split('\n');
    expect(lines).toContain(`database.name = "${dir.join('other.sqlite3')}"  ###`);
    expect(lines).toContain(`filesystem.data = "${dir.join('data')}"`);
    expect(lines).toContain('sync.guard_max_fraction = 0.4');
    expect(lines).toContain('pretalx.tokens = {}');
    expect(lines).toContain('sync.connect_retries = 2');
    expect(lines).toContain('sync.budget = 600');
    expect(lines).toContain('fixtures.max_ratio = 100');
    expect(lines).toContain('database.url = ""');
    expect(lines).toContain('i18n.locale_dirs = []');
    expect(lines).toContain('apps.installed = []');
    expect(lines).toHaveLength(24);
  });

  test('--database is in force and shown', async () => {
    using dir = tempDir();
    const result = await call(['diffsettings', '--database', '/srv/confctl/db.sqlite3'], { cwd: dir.path });
    expect(result.stdout).toBe('database.name = "/srv/confctl/db.sqlite3"  ###\n');
  });

  test('--output unified shows the default and the value', async () => {
    using dir = tempDir();
    dir.write({ 'confctl.toml': '[site]\nurl = "https://schedule.example.org"\n' });
    expect((await call(['diffsettings', '--output', 'unified'], { cwd: dir.path })).stdout).toBe(
      '- site.url = "http://localhost:8000"\n+ site.url = "https://schedule.example.org"\n',
    );
  });

  test('CONFCTL_SETTINGS names the file when --settings does not', async () => {
    using dir = tempDir();
    dir.write({ 'etc/confctl.toml': '[sync]\nconcurrency = 8\n', 'confctl.toml': '[sync]\nconcurrency = 2\n' });
    const fromEnv = await call(['diffsettings'], { cwd: dir.path, env: { CONFCTL_SETTINGS: 'etc/confctl.toml' } });
    expect(fromEnv.stdout).toBe('sync.concurrency = 8  ###\n');
    const local = await call(['diffsettings'], { cwd: dir.path });
    expect(local.stdout).toBe('sync.concurrency = 2  ###\n');
  });
});

describe('settings file errors', () => {
  const cases: [string, string, string][] = [
    ['unknown key', '[database]\nbusy = 1\n', 'unknown setting "database.busy". Did you mean "database.busy_timeout"?'],
    [
      'unknown table',
      '[databse]\nname = "x"\n',
      'unknown setting "databse"; settings are grouped in the tables [filesystem], [database], [site], [fixtures], [i18n], [apps], [sync], [pretalx]. Did you mean [database]?',
    ],
    ['wrong type', '[database]\nbusy_timeout = "soon"\n', 'setting "database.busy_timeout" must be an integer, not string "soon".'],
    ['not a URL', '[site]\nurl = "not a url"\n', 'setting "site.url" must be an http:// or https:// URL, not string "not a url".'],
    ['out of range', '[sync]\nguard_max_fraction = 1.5\n', 'setting "sync.guard_max_fraction" must be between 0 and 1, not number 1.5.'],
    ['a word for a number', '[sync]\npace = "fast"\n', 'setting "sync.pace" must be a number, not string "fast".'],
    ['a fraction for an integer', '[sync]\nretries = 1.5\n', 'setting "sync.retries" must be an integer, not number 1.5.'],
    ['above its maximum', '[sync]\nretries = 99\n', 'setting "sync.retries" must be between 0 and 20, not number 99.'],
    ['below a minimum with no maximum', '[sync]\nbudget = 0\n', 'setting "sync.budget" must be between 1 and ∞, not number 0.'],
    ['an empty path in a list', '[fixtures]\ndirs = ["a", ""]\n', 'setting "fixtures.dirs" must be a list of paths, not a list.'],
    ['a token that is not a string', '[pretalx.tokens]\n"https://x.example" = 5\n', 'setting "pretalx.tokens" must be a table of "<instance URL>" = "<token>" strings, not a table.'],
    ['tokens as a list', '[pretalx]\ntokens = ["a"]\n', 'setting "pretalx.tokens" must be a table of "<instance URL>" = "<token>" strings, not a list.'],
    ['an unknown table with nothing like it', '[zzz]\na = 1\n', 'unknown setting "zzz"; settings are grouped in the tables [filesystem], [database], [site], [fixtures], [i18n], [apps], [sync], [pretalx].'],
    [
      'an unknown key with nothing like it',
      '[sync]\nzzzzzzzz = 1\n',
      'unknown setting "sync.zzzzzzzz" (known in [sync]: pace, concurrency, timeout, page_size, budget, retries, connect_retries, backoff, guard_min_existing, guard_max_fraction).',
    ],
    ['not a list', '[fixtures]\ndirs = "fixtures"\n', 'setting "fixtures.dirs" must be a list of paths, not string "fixtures".'],
    ['bad TOML', '[sync\n', ''],
    ['a number for a string', '[site]\nurl = 5\n', 'setting "site.url" must be a string, not number 5.'],
    ['a number in a list of paths', '[fixtures]\ndirs = ["a", 1]\n', 'setting "fixtures.dirs" must be a list of paths, not a list.'],
    ['a date for a number', '[sync]\nbudget = 2026-05-01\n', 'setting "sync.budget" must be a number, not a date.'],
  ];
  test('an empty settings path, from --settings or CONFCTL_SETTINGS, is one line', async () => {
    using dir = tempDir();
    expect(await call(['diffsettings', '--settings', ''], { cwd: dir.path })).toEqual({ stdout: '', stderr: 'CommandError: Option --settings expects a value.\n', exitCode: 1 });
    expect(await call(['diffsettings'], { cwd: dir.path, env: { CONFCTL_SETTINGS: '' } })).toEqual({ stdout: '', stderr: 'CommandError: The settings file path is empty.\n', exitCode: 1 });
  });

  test('an integer TOML cannot hold exactly, and a settings file that is a folder, are one line each', async () => {
    using dir = tempDir();
    dir.write({ 'big.toml': '[sync]\nbudget = 9007199254740993\n', 'folder/x': '' });
    expect(await call(['diffsettings', '--settings', 'big.toml'], { cwd: dir.path })).toEqual({ stdout: '', stderr: `CommandError: ${dir.join('big.toml')}:2:10: integer value cannot be represented losslessly\n`, exitCode: 1 });
    expect(await call(['diffsettings', '--settings', 'folder'], { cwd: dir.path })).toEqual({ stdout: '', stderr: `CommandError: Cannot read settings file ${dir.join('folder')}: EISDIR: illegal operation on a directory, read\n`, exitCode: 1 });
  });

  test("fixtures.dirs are read relative to the settings file's folder, as the other paths in it are", async () => {
    using dir = tempDir();
    dir.write({ 'conf/confctl.toml': '[fixtures]\ndirs = ["fx", "/abs/fx"]\n' });
    expect((await call(['diffsettings', '--settings', 'conf/confctl.toml'], { cwd: dir.path })).stdout).toBe(`fixtures.dirs = ["${dir.join('conf', 'fx')}","/abs/fx"]  ###\n`);
  });

  for (const [name, toml, message] of cases) {
    test(`${name} is one CommandError line naming the file`, async () => {
      using dir = tempDir();
      dir.write({ 'confctl.toml': toml });
      const result = await call(['diffsettings'], { cwd: dir.path });
      expect(result.exitCode).toBe(1);
      expect(result.stdout).toBe('');
      expect(result.stderr.split('\n')).toHaveLength(2);
      expect(result.stderr).toStartWith(`CommandError: ${dir.join('confctl.toml')}`);
      if (message) expect(result.stderr).toBe(`CommandError: ${dir.join('confctl.toml')}: ${message}\n`);
    });
  }
});

describe('parseSiteUrl', () => {
  test('takes absolute http(s) URLs, without a trailing slash; refuses other schemes, queries, fragments and credentials', () => {
    expect(parseSiteUrl('https://schedule.example.org/', '--site-url')).toBe('https://schedule.example.org');
    expect(parseSiteUrl('http://localhost:8000', '--site-url')).toBe('http://localhost:8000');
    expect(parseSiteUrl('https://example.org/fahrplan/2026/', '--site-url')).toBe('https://example.org/fahrplan/2026');
    for (const bad of ['ftp://x.org', 'https://x.org/?a=1', 'https://x.org/#top', 'https://u:p@x.org', 'https://u@x.org']) {
      expect(() => parseSiteUrl(bad, '--site-url')).toThrow(`--site-url must be an http:// or https:// URL without query, fragment or credentials, not "${bad}".`);
    }
    expect(() => parseSiteUrl('example.org', '--site-url')).toThrow('--site-url must be an http:// or https:// URL, not "example.org".');
  });
});

describe('a PostgreSQL URL as the database', () => {
  const url = 'postgres://conf:s3cret@db.example.org:5432/conf';
  const masked = 'postgres://conf:********@db.example.org:5432/conf';
  test('is never a file: a server that is not there is one line, its password never shown, and nothing is written', async () => {
    using dir = tempDir();
    const closed = 'postgres://conf:s3cret@127.0.0.1:1/conf';
    const line = 'CommandError: Cannot connect to PostgreSQL at 127.0.0.1:1, database "conf": connection refused: is the server running, and listening there?\n';
    for (const argv of [['shell', '--override', '-c', '1', '--database', closed.replace('postgres:', 'postgresql:')], ['inspectdb', '--database', closed], ['list_events', '--database', closed]]) {
      expect(await call(argv, { cwd: dir.path })).toEqual({ stdout: '', stderr: line, exitCode: 1 });
    }
    // DATABASE_URL too, as twelve-factor hosts set it; the -v 2 header masks the password.
    const viaEnv = await call(['shell', '--override', '-c', '1', '-v', '2'], { cwd: dir.path, env: { DATABASE_URL: closed } });
    expect(viaEnv.stderr).toContain(`┃ Database:  ${closed.replace('s3cret', '********')} (postgresql)`);
    expect(viaEnv.stderr).toEndWith(line);
    expect(viaEnv.stderr).not.toContain('s3cret');
    expect(viaEnv.exitCode).toBe(1);
    expect(Bun.spawnSync(['find', '.', '-mindepth', '1'], { cwd: dir.path }).stdout.toString()).toBe('');
  });

  test('diffsettings shows it with the password masked', async () => {
    using dir = tempDir();
    const result = await call(['diffsettings', '--database', url], { cwd: dir.path });
    expect(result.stdout).toContain(`database.url = "${masked}"  ###`);
    expect(result.stdout).not.toContain('s3cret');
  });
});
