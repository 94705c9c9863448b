import { afterAll, beforeAll, describe, expect, test } from 'bun:test';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { API_DTS } from '../../core/apps/api.ts';
import { installBinary, runBinary, startServer } from '../support/binary.ts';
import { call } from '../support/cli.ts';
import { migratedDatabase } from '../support/db.ts';
import { BACKENDS, INIT_ENV, newSite } from '../support/site.ts';
import { filesBelow, tempDir, type TempDir } from '../support/tmp.ts';

/** startapp and apps (plugins): a folder of TypeScript that confctl loads when the settings list it. */

const root = join(import.meta.dir, '..', '..');
const hint = ' (Other commands run with --skip-apps.)';

/** An app folder with these files (index.ts's text given). */
function app(dir: TempDir, folder: string, index: string, more: Record<string, string> = {}) {
  mkdirSync(dir.join(folder), { recursive: true });
  writeFileSync(dir.join(folder, 'index.ts'), index);
  writeFileSync(dir.join(folder, 'confctl.d.ts'), API_DTS);
  for (const [path, text] of Object.entries(more)) writeFileSync(dir.join(folder, path), text);
}
const command = (name: string, body: string) => `export default { apiVersion: 1, label: 'x', commands: { ${name}: { description: 'D.', async run(ctx) { ${body} } } } };\n`;

describe('startapp', () => {
  test("writes the app's definition, an example command, the API's types and a README; they type-check against the API", async () => {
    using dir = tempDir();
    const made = await call(['startapp', 'hello', '-v', '2', '--no-pretalx-information'], { cwd: dir.path });
    expect(made).toEqual({
      stdout: ['index.ts', 'hello.ts', 'migrations.ts', 'tasks.ts', 'site.ts', 'tests.ts', 'confctl.d.ts', 'README.md'].map((f) => `Creating ${dir.join('hello', f)}\n`).join(''),
      stderr: '',
      exitCode: 0,
    });
    expect([...filesBelow(dir.join('hello')).keys()].sort()).toEqual(['README.md', 'confctl.d.ts', 'hello.ts', 'index.ts', 'migrations.ts', 'site.ts', 'tasks.ts', 'tests.ts']);
    expect(readFileSync(dir.join('hello', 'confctl.d.ts'), 'utf8')).toBe(API_DTS);
    // Strict TypeScript accepts the skeleton against confctl.d.ts alone (no node_modules, no lib beyond ES).
    // And confctl.d.ts (what app authors write against) agrees with the types the loader checks against
    // (core/apps/api.ts): what an app gives, confctl takes; what confctl gives an app, the app expects.
    writeFileSync(
      dir.join('hello', 'agree.ts'),
      `import type * as Public from './confctl.d.ts';
import type * as Own from '${join(root, 'core', 'apps', 'api.ts')}';
export const app = (a: Public.App): Own.AppDefinition => a;
export const context = (c: Own.AppContext): Public.Context => c;
export const migration = (c: Own.MigrationContext): Public.MigrationDatabase => c;
export const task = (c: Own.TaskContext): Public.TaskContext => c;
export const test = (c: Own.TestContext): Public.TestContext => c;
export const page = (p: Own.SitePage): Public.Page => p;
`,
    );
    const tsc = Bun.spawnSync([join(root, 'node_modules', '.bin', 'tsc'), '--noEmit', '--strict', '--target', 'es2022', '--module', 'esnext', '--moduleResolution', 'bundler', '--allowImportingTsExtensions', '--lib', 'es2022', 'index.ts', 'agree.ts'], { cwd: dir.join('hello') });
    expect([tsc.exitCode, tsc.stdout.toString()]).toEqual([0, '']);
  });

  test('a name that is no lower-case identifier, a command of confctl, or a folder in use: one line, nothing written', async () => {
    using dir = tempDir();
    mkdirSync(dir.join('full'));
    writeFileSync(dir.join('full', 'x'), '');
    for (const [argv, line] of [
      [['Hello'], "CommandError: 'Hello' is not a valid app name. Please make sure the name is a lower-case identifier (letters, digits and _, starting with a letter).\n"],
      [['a-b'], "CommandError: 'a-b' is not a valid app name. Please make sure the name is a lower-case identifier (letters, digits and _, starting with a letter).\n"],
      [['migrate'], "CommandError: 'migrate' conflicts with the name of an existing confctl command and cannot be used as an app name. Please try another name.\n"],
      [['event'], "CommandError: 'event' is the label of one of confctl's own apps (confctl, common, sqlite, pg, person, event, submission, schedule) and cannot be used as an app name. Please try another name.\n"],
      [['ok', 'full'], `CommandError: '${dir.join('full')}' already exists and is not empty: startapp writes only into a new or empty folder.\n`],
      [['ok', 'no/such/folder'], `CommandError: Destination directory '${dir.join('no', 'such')}' does not exist, please create it first.\n`],
    ] as const) {
      expect(await call(['startapp', ...argv], { cwd: dir.path })).toEqual({ stdout: '', stderr: line, exitCode: 1 });
    }
    expect(readdirSync(dir.path).sort()).toEqual(['full']);
  });
});

describe('installed apps', () => {
  let dir: TempDir;
  beforeAll(async () => {
    dir = tempDir('confctl-apps-');
    await migratedDatabase(dir.path);
  });
  afterAll(() => dir?.[Symbol.dispose]());
  const settings = (installed: string[], more = '') => writeFileSync(dir.join('confctl.toml'), `[apps]\ninstalled = ${JSON.stringify(installed)}\n${more}`);

  test("an app's command: listed under its label, the base options, its Context (database, args, fail), CommandError handling", async () => {
    await call(['startapp', 'hello'], { cwd: dir.path });
    app(dir, 'tools', command('tools_fail', "if (ctx.args.boom) throw new Error('boom'); ctx.fail('not today');").replace("label: 'x'", "label: 'tools'").replace("description: 'D.',", "description: 'D.', args: { boom: { type: 'boolean', description: 'Throw.' } },"));
    settings(['./hello', 'tools'], `path = ["."]\n`);
    const help = await call(['help'], { cwd: dir.path });
    expect(help.stdout).toEndWith(`\n[hello] What hello adds to confctl.\n  hello_hello           Says hello, with the number of events in the database, and keeps the greeting.\n\n[tools]\n  tools_fail            D.\n\nOptions: --version prints the version; --help prints this help.\n`);
    expect((await call(['migrate', '-v', '0'], { cwd: dir.path })).exitCode).toBe(0);
    expect(await call(['hello_hello', '--name', 'Ann'], { cwd: dir.path })).toEqual({ stdout: 'Hello, Ann! This instance has 0 event(s); greeted 1 time(s).\n', stderr: '', exitCode: 0 });
    expect(await call(['hello_hello', '-v', '0', '--nme', 'x'], { cwd: dir.path })).toEqual({ stdout: '', stderr: 'CommandError: Unknown option "--nme" for "hello_hello". Did you mean "--name"?\n', exitCode: 1 });
    expect(await call(['tools_fail'], { cwd: dir.path })).toEqual({ stdout: '', stderr: 'CommandError: not today\n', exitCode: 1 });
    expect(await call(['tools_fail', '--boom'], { cwd: dir.path })).toEqual({ stdout: '', stderr: 'Error: app tools: boom (run with --traceback to see the stack trace)\n', exitCode: 1 });
    expect((await call(['help', 'hello_hello'], { cwd: dir.path })).stdout).toStartWith('Usage: confctl hello_hello [options] [ARGS ...]\n\nSays hello, with the number of events in the database, and keeps the greeting.\n');
    // Typed in kebab-case as confctl's own; help with options only lists the apps too.
    expect((await call(['hello-hello', '--name', 'Bo'], { cwd: dir.path })).stdout).toStartWith('Hello, Bo! ');
    expect((await call(['help', '--settings', dir.join('confctl.toml')], { cwd: dir.path })).stdout).toContain('\n[hello] What hello adds to confctl.\n');
    // Shell completion knows the apps' commands and their options.
    expect((await call(['completion', '--complete', 'zsh', '--', 'hello_h'], { cwd: dir.path })).stdout).toBe('words\nhello_hello\tSays hello, with the number of events in the database, and keeps the greeting.\n');
    expect((await call(['completion', '--complete', 'zsh', '--', 'hello_hello', '--n'], { cwd: dir.path })).stdout).toBe('words\n--name\tWhom to greet.\n--no-color\tDon\'t colorize the command output.\n--no-pretalx-information\tDo not print the start-up header (shown at verbosity 2 and above).\n');
    // --skip-apps: confctl's commands alone; an app's command is then unknown.
    expect(await call(['hello_hello', '--skip-apps'], { cwd: dir.path })).toEqual({ stdout: '', stderr: 'Unknown command "hello_hello". Type "confctl help" for usage.\n', exitCode: 1 });
  });

  test('a broken app is one line naming it; confctl’s own commands still run; help lists them with a warning', async () => {
    const cases: [string, Record<string, string>, string][] = [
      ['syntax', { 'index.ts': 'export default {\n  apiVersion: 1, label: \n' }, 'it does not load: Unexpected end of file (index.ts:2:25)'],
      ['throws', { 'index.ts': "throw new Error('no config for throws');\n" }, 'it does not load: no config for throws'],
      ['nodefault', { 'index.ts': 'export const x = 1;\n' }, 'it has no default export (export default { apiVersion, label, … }).'],
      ['future', { 'index.ts': "export default { apiVersion: 2, label: 'future' };\n" }, 'it is built for plugin API version 2; this confctl speaks version 1.'],
      ['badlabel', { 'index.ts': "export default { apiVersion: 1, label: 'Bad Label' };\n" }, 'its label "Bad Label" is not a lower-case identifier.'],
      ['clash', { 'index.ts': command('migrate', '') }, 'its command "migrate" has the name of a confctl command.'],
      ['alias', { 'index.ts': command('events', '') }, 'its command "events" has the name of a confctl command.'],
      ['helpcmd', { 'index.ts': command('help', '') }, 'its command "help" has the name of a confctl command.'],
      ['ownlabel', { 'index.ts': "export default { apiVersion: 1, label: 'event' };\n" }, 'its label "event" is one of confctl\'s own (confctl, common, sqlite, pg, person, event, submission, schedule).'],
      ['noversion', { 'index.ts': "export default { label: 'noversion' };\n" }, 'it says no apiVersion (this confctl speaks plugin API version 1).'],
      ['norun', { 'index.ts': "export default { apiVersion: 1, label: 'norun', commands: { norun_x: { description: 'x' } } };\n" }, 'its command "norun_x" needs a description and a run function.'],
    ];
    for (const [name, files, why] of cases) {
      app(dir, name, files['index.ts']!);
      settings([`./${name}`]);
      const result = await call(['anything'], { cwd: dir.path });
      expect({ name, exitCode: result.exitCode, stdout: result.stdout }).toEqual({ name, exitCode: 1, stdout: '' });
      expect(result.stderr).toStartWith(`CommandError: App "./${name}" (${dir.join(name, 'index.ts')}): ${why}`);
      expect(result.stderr).toEndWith(`${hint}\n`);
      expect(result.stderr.split('\n')).toHaveLength(2);
    }
    // confctl's commands that have nothing of apps do not load them (list_events); those that do (migrate,
    // showmigrations, check…) say the same line, and run with --skip-apps. help warns and lists confctl's.
    expect((await call(['list_events'], { cwd: dir.path })).exitCode).toBe(0);
    expect((await call(['check', '--skip-apps'], { cwd: dir.path })).exitCode).toBe(0);
    expect((await call(['showmigrations'], { cwd: dir.path })).stderr).toStartWith('CommandError: App "./norun"');
    expect((await call(['showmigrations', '--skip-apps'], { cwd: dir.path })).exitCode).toBe(0);
    const help = await call(['help'], { cwd: dir.path });
    expect(help.stderr).toStartWith('Warning: App "./norun"');
    expect(help.stdout).toContain('  migrate ');
    settings(['./nowhere']);
    expect((await call(['x'], { cwd: dir.path })).stderr).toBe(`CommandError: App "./nowhere": no index.ts in ${dir.join('nowhere')}.${hint}\n`);
    settings(['nowhere'], 'path = ["lib"]\n');
    expect((await call(['x', '--pythonpath', '/opt/apps'], { cwd: dir.path })).stderr).toBe(`CommandError: App "nowhere": no index.ts in /opt/apps/nowhere or ${dir.join('lib', 'nowhere')} or ${dir.join('nowhere')}.${hint}\n`);
  });

  test('two apps with one label, or one command name, are refused', async () => {
    app(dir, 'one', command('shared_cmd', '').replace("label: 'x'", "label: 'same'"));
    app(dir, 'two', command('other_cmd', '').replace("label: 'x'", "label: 'same'"));
    app(dir, 'three', command('shared_cmd', '').replace("label: 'x'", "label: 'three'"));
    settings(['./one', './two']);
    expect((await call(['x'], { cwd: dir.path })).stderr).toBe(`CommandError: App "./two" (${dir.join('two', 'index.ts')}): its label "same" is the label of ${dir.join('one')} too.${hint}\n`);
    settings(['./one', './three']);
    expect((await call(['x'], { cwd: dir.path })).stderr).toBe(`CommandError: App "./three" (${dir.join('three', 'index.ts')}): its command "shared_cmd" is a command of the app "same" too.${hint}\n`);
  });
});

describe("apps' migrations", () => {
  for (const backend of BACKENDS) {
    test(`migrate applies them after confctl's, once; showmigrations lists them under the label (${backend})`, async () => {
      await using site = await newSite(backend);
      await site.migrated();
      await site.call(['startapp', 'hello']);
      site.write({ 'confctl.toml': '[apps]\ninstalled = ["./hello"]\n' });
      expect(await site.call(['migrate', '--plan'])).toEqual({ stdout: 'Planned operations:\n  hello.0001_initial\n    Creates hello_greeting.\n', stderr: '', exitCode: 0 });
      const unapplied = await site.call(['check']);
      expect([unapplied.exitCode, unapplied.stderr]).toEqual([1, expect.stringContaining('?: (confctl.E009) The installed apps have unapplied migrations: hello.0001_initial.\n\tHINT: Run "confctl migrate".') as unknown as string]);
      expect(await site.call(['migrate'])).toEqual({ stdout: 'Operations to perform:\n  Apply all migrations: confctl, hello\nRunning migrations:\n  Applying hello.0001_initial... OK\n', stderr: '', exitCode: 0 });
      expect((await site.call(['migrate'])).stdout).toEndWith('  No migrations to apply.\n');
      expect((await site.call(['showmigrations', 'hello'])).stdout).toBe('hello\n [X] 0001_initial\n');
      expect((await site.call(['hello_hello', '--name', "O'Brien ?"])).stdout).toBe("Hello, O'Brien ?! This instance has 0 event(s); greeted 1 time(s).\n");
      expect(await site.query('SELECT name FROM hello_greeting')).toEqual([{ name: "O'Brien ?" }]);
      // Its periodic task: run by runperiodic when due, in its transaction; not again before it is due.
      await site.run("INSERT INTO hello_greeting (name, created) VALUES ('old', '2020-01-01T00:00:00.000Z')");
      const periodic = await site.call(['runperiodic', '-v', '2', '--no-pretalx-information']);
      expect([periodic.exitCode, periodic.stderr.split('\n').filter((l) => l.startsWith('hello:'))]).toEqual([0, ['hello:forget_old_greetings: ran: forgot 1 greeting(s)']]);
      expect((await site.call(['runperiodic', '-v', '2', '--no-pretalx-information'])).stderr).toContain('hello:forget_old_greetings: skipped: last run ');
      expect(await site.query('SELECT name FROM hello_greeting')).toEqual([{ name: "O'Brien ?" }]);
      // A migration that changes one of confctl's tables is rolled back, on this database too.
      site.write({ 'pgalter/index.ts': "export default { apiVersion: 1, label: 'pgalter', migrations: [{ name: '0001_initial', async up(db) { await db.execute('ALTER TABLE event_event ADD COLUMN x integer'); } }] };\n", 'confctl.toml': '[apps]\ninstalled = ["./hello", "./pgalter"]\n' });
      expect((await site.call(['migrate', '-v', '0'])).stderr).toBe('CommandError: Migration pgalter.0001_initial changed event_event, outside its own tables: an app makes and changes only tables named pgalter_… (nothing was applied).\n');
      site.write({ 'confctl.toml': '[apps]\ninstalled = ["./hello"]\n' });
      // confctl's own commands, and a confctl without the app, see confctl's history only.
      expect((await site.call(['showmigrations', '--skip-apps'])).stdout).not.toContain('hello');
      expect((await site.call(['check', '--skip-apps'])).exitCode).toBe(0);
    }, 90_000);
  }

  test('a migration that fails, or makes a table without the label, is rolled back and said in one line; the ones before it stay', async () => {
    using dir = tempDir();
    await migratedDatabase(dir.path);
    app(dir, 'bad', `export default { apiVersion: 1, label: 'bad', migrations: [
      { name: '0001_initial', async up(db) { await db.execute('CREATE TABLE bad_one (id integer)'); } },
      { name: '0002_stray', async up(db) { await db.execute('CREATE TABLE bad_two (id integer)'); await db.execute('CREATE TABLE event_extra (id integer)'); } },
    ] };\n`);
    writeFileSync(dir.join('confctl.toml'), '[apps]\ninstalled = ["./bad"]\n');
    expect(await call(['migrate'], { cwd: dir.path })).toEqual({
      stdout: 'Operations to perform:\n  Apply all migrations: confctl, bad\nRunning migrations:\n  Applying bad.0001_initial... OK\n  Applying bad.0002_stray... FAILED\n',
      stderr: 'CommandError: Migration bad.0002_stray changed event_extra, outside its own tables: an app makes and changes only tables named bad_… (nothing was applied).\n',
      exitCode: 1,
    });
    const tables = (await call(['inspectdb', '--skip-apps'], { cwd: dir.path })).stdout;
    expect([tables.includes('bad_one'), tables.includes('bad_two'), tables.includes('event_extra')]).toEqual([true, false, false]);
    expect((await call(['showmigrations', 'bad'], { cwd: dir.path })).stdout).toBe('bad\n [X] 0001_initial\n [ ] 0002_stray\n');
    // Nor may it change, drop or index confctl's tables, or make a view outside its own names.
    for (const [folder, statement, changed] of [
      ['alter', 'ALTER TABLE event_event ADD COLUMN x integer', 'event_event'],
      ['drop', 'DROP TABLE common_cacheentry', 'common_cacheentry'],
      ['index', 'CREATE INDEX index_hello ON event_event (slug)', 'event_event'],
      ['view', 'CREATE VIEW everything AS SELECT 1 AS one', 'everything'],
    ] as const) {
      app(dir, folder, `export default { apiVersion: 1, label: '${folder}', migrations: [{ name: '0001_initial', async up(db) { await db.execute('${statement}'); } }] };\n`);
      writeFileSync(dir.join('confctl.toml'), `[apps]\ninstalled = ["./${folder}"]\n`);
      expect((await call(['migrate', '-v', '0'], { cwd: dir.path })).stderr).toBe(`CommandError: Migration ${folder}.0001_initial changed ${changed}, outside its own tables: an app makes and changes only tables named ${folder}_… (nothing was applied).\n`);
    }
    expect((await call(['check', '--skip-apps'], { cwd: dir.path })).exitCode).toBe(0);
    writeFileSync(dir.join('confctl.toml'), '[apps]\ninstalled = ["./bad"]\n');
    // Each version of the app in a folder of its own: a process imports a module once.
    app(dir, 'bad2', `export default { apiVersion: 1, label: 'bad', migrations: [{ name: '0001_initial', async up(db) { await db.execute('CREATE TABLE bad_one (id integer)'); } }, { name: '0002_broken', async up(db) { await db.execute('CREATE TABL oops'); } }] };\n`);
    writeFileSync(dir.join('confctl.toml'), '[apps]\ninstalled = ["./bad2"]\n');
    const broken = await call(['migrate', '-v', '0'], { cwd: dir.path });
    expect([broken.exitCode, broken.stderr]).toEqual([1, expect.stringMatching(/^CommandError: Migration bad\.0002_broken failed: .*syntax error/) as unknown as string]);
    app(dir, 'bad3', "export default { apiVersion: 1, label: 'bad', migrations: [{ name: 'initial', up() {} }] };\n");
    writeFileSync(dir.join('confctl.toml'), '[apps]\ninstalled = ["./bad3"]\n');
    expect((await call(['migrate'], { cwd: dir.path })).stderr).toBe(`CommandError: App "./bad3" (${dir.join('bad3', 'index.ts')}): its migration "initial" is not named like 0001_initial.${hint}\n`);
  });
});

describe("apps' tests", () => {
  test('confctl test APP runs the tests the app declares, on the throw-away database with its migrations; a failing check is FAILED, exit 1', async () => {
    using dir = tempDir();
    await call(['startapp', 'hello'], { cwd: dir.path });
    app(dir, 'strict', `export default { apiVersion: 1, label: 'strict', tests: [
      { name: 'test_sum', doc: 'Adds up.', run(db) { db.check(1 + 1 === 3, 'expected 1 + 1 to be 3'); } },
      { name: 'test_export', async run(db) { const rows = await db.query('SELECT count(*) AS n FROM hello_greeting'); db.check(Number(rows[0].n) === 0, 'greetings left over'); } },
    ] };\n`);
    writeFileSync(dir.join('confctl.toml'), '[apps]\ninstalled = ["./hello", "./strict"]\n');
    const hello = await call(['test', 'hello', '-v', '2', '--no-pretalx-information'], { cwd: dir.path });
    expect([hello.exitCode, hello.stdout]).toEqual([0, 'Found 1 test(s).\n']);
    expect(hello.stderr).toMatch(/^Creating test database for alias 'default'\.\.\.\ntest_greeting_table \(hello\.tests\.test_greeting_table\)\nThe migration makes hello_greeting, which keeps a greeting\. \.\.\. ok\n-{70}\nRan 1 test in \d+\.\d{3}s\n\nOK\nDestroying test database for alias 'default'\.\.\.\n$/);
    const strict = await call(['test', 'strict', 'confctl.test_passwords'], { cwd: dir.path });
    expect([strict.exitCode, strict.stdout]).toEqual([1, 'Found 3 test(s).\n']);
    expect(strict.stderr).toContain(`\n.F.\n${'='.repeat(70)}\nFAIL: test_sum (strict.tests.test_sum)\nAdds up.\n${'-'.repeat(70)}\nexpected 1 + 1 to be 3\n`);
    expect(strict.stderr).toContain('\nFAILED (failures=1)\n');
    // Each test runs in a transaction rolled back after it: the second does not see the first's row.
    app(dir, 'iso', `export default { apiVersion: 1, label: 'iso', tests: ['test_a', 'test_b'].map((name) => ({ name, async run(db) {
      await db.execute('INSERT INTO hello_greeting (name, created) VALUES (?, ?)', name, 'now');
      const rows = await db.query('SELECT count(*) AS n FROM hello_greeting');
      db.check(Number(rows[0].n) === 1, name + ' sees ' + rows[0].n + ' rows');
    } })) };\n`);
    // An app whose migration fails: its tests are errors (test_migrate did not pass), and confctl test exits 1.
    app(dir, 'migfail', `export default { apiVersion: 1, label: 'migfail', migrations: [{ name: '0001_initial', async up(db) { await db.execute('CREATE TABLE oops (id integer)'); } }], tests: [{ name: 'test_x', run() {} }] };\n`);
    writeFileSync(dir.join('confctl.toml'), '[apps]\ninstalled = ["./hello", "./strict", "./iso"]\n');
    expect((await call(['test', 'iso'], { cwd: dir.path })).stderr).toContain('\n..\n');
    writeFileSync(dir.join('confctl.toml'), '[apps]\ninstalled = ["./migfail"]\n');
    const migfail = await call(['test', 'migfail'], { cwd: dir.path });
    expect(migfail.exitCode).toBe(1);
    expect(migfail.stderr).toContain('\nERROR: test_x (migfail.tests.test_x)\nA test of the app migfail.\n' + '-'.repeat(70) + '\nneeds test_migrate, which did not pass\n');
    writeFileSync(dir.join('confctl.toml'), '[apps]\ninstalled = ["./hello", "./strict"]\n');
    // An app's test named like one of confctl's is its own: strict.test_export, not confctl's export.
    expect((await call(['test', 'strict.test_export'], { cwd: dir.path })).stderr).toMatch(/\n\.\n-{70}\nRan 1 test in/);
    expect((await call(['test', 'hello.nope'], { cwd: dir.path })).stderr).toStartWith("CommandError: No test named 'hello.nope': ");
  }, 60_000);
});

describe("apps' page fragments", () => {
  test('a footer that throws fails the export in one line naming the app; CSS cannot close its <style>; without fragments the pages are as before', async () => {
    using dir = tempDir();
    await migratedDatabase(dir.path);
    const init = await call(['init', '--noinput', '-v', '0'], { cwd: dir.path, env: INIT_ENV });
    expect(init.exitCode).toBe(0);
    await call(['create_test_event', '--seed', '1', '-v', '0'], { cwd: dir.path, env: { CONFCTL_NOW: '2026-05-01T09:00:00Z' } });
    await call(['export_schedule_html', 'democon', '--output-dir', 'out-plain'], { cwd: dir.path, env: { CONFCTL_NOW: '2026-05-01T09:00:00Z' } });
    app(dir, 'quiet', "export default { apiVersion: 1, label: 'quiet' };\n");
    writeFileSync(dir.join('confctl.toml'), '[apps]\ninstalled = ["./quiet"]\n');
    await call(['export_schedule_html', 'democon', '--output-dir', 'out-quiet'], { cwd: dir.path, env: { CONFCTL_NOW: '2026-05-01T09:00:00Z' } });
    expect(filesBelow(dir.join('out-quiet'))).toEqual(filesBelow(dir.join('out-plain')));
    app(dir, 'loud', "export default { apiVersion: 1, label: 'loud', site: { css: 'a{}</style><script>x()</script>', footer(page) { if (page.path === 'speaker/index.html') throw new Error('no speakers here'); return ''; } } };\n");
    writeFileSync(dir.join('confctl.toml'), '[site]\nurl = "https://conf.example.org"\n[apps]\ninstalled = ["./loud"]\n');
    expect(await call(['export_schedule_html', 'democon', '--output-dir', 'out-loud'], { cwd: dir.path, env: { CONFCTL_NOW: '2026-05-01T09:00:00Z' } })).toEqual({ stdout: '', stderr: 'CommandError: Export failed: App loud: its site footer failed on speaker/index.html: no speakers here\n', exitCode: 1 });
    expect(existsSync(dir.join('out-loud', 'democon'))).toBe(false);
    app(dir, 'lazy', "export default { apiVersion: 1, label: 'lazy', site: { async footer() { return 'late'; } } };\n");
    writeFileSync(dir.join('confctl.toml'), '[site]\nurl = "https://conf.example.org"\n[apps]\ninstalled = ["./lazy"]\n');
    const lazy = await call(['export_schedule_html', 'democon', '--output-dir', 'out-lazy'], { cwd: dir.path, env: { CONFCTL_NOW: '2026-05-01T09:00:00Z' } });
    expect([lazy.exitCode, lazy.stderr]).toEqual([1, expect.stringMatching(/^CommandError: Export failed: App lazy: its site footer failed on \S+: it returned a Promise: a fragment is a string, made at once \(no async\)\n$/) as unknown as string]);
    app(dir, 'styled', "export default { apiVersion: 1, label: 'styled', site: { css: 'a{}</style><script>x()</script>' } };\n");
    writeFileSync(dir.join('confctl.toml'), '[apps]\ninstalled = ["./styled"]\n');
    await call(['export_schedule_html', 'democon', '--output-dir', 'out-styled'], { cwd: dir.path, env: { CONFCTL_NOW: '2026-05-01T09:00:00Z' } });
    expect(readFileSync(dir.join('out-styled', 'democon', 'index.html'), 'utf8')).toContain('<style>a{}<\\/style><script>x()</script></style>\n</head>'); // inside <style>, only </style> ends it
  });
});

describe('apps in the compiled binary', () => {
  test('startapp, list it in the settings, its command runs (TypeScript imported from disk by the binary); --pythonpath finds an app by name', async () => {
    using dir = tempDir();
    const confctl = installBinary(dir.path);
    expect((await runBinary(confctl, ['migrate', '-v', '0'], dir.path)).exitCode).toBe(0);
    expect(await runBinary(confctl, ['startapp', 'hello'], dir.path)).toEqual({ stdout: '', stderr: '', exitCode: 0 });
    writeFileSync(dir.join('confctl.toml'), '[apps]\ninstalled = ["./hello"]\n');
    expect((await runBinary(confctl, ['migrate'], dir.path)).stdout).toBe('Operations to perform:\n  Apply all migrations: confctl, hello\nRunning migrations:\n  Applying hello.0001_initial... OK\n');
    expect(await runBinary(confctl, ['hello_hello', '--name', 'binary'], dir.path)).toEqual({ stdout: 'Hello, binary! This instance has 0 event(s); greeted 1 time(s).\n', stderr: '', exitCode: 0 });
    // Its periodic task, and its footer and CSS on the exported site and on runserver's pages (built in
    // the render Worker, which imports the app itself).
    expect((await runBinary(confctl, ['runperiodic', '-v', '2', '--no-pretalx-information'], dir.path)).stderr).toContain('hello:forget_old_greetings: ran: forgot 0 greeting(s)\n');
    expect((await runBinary(confctl, ['init', '--noinput', '-v', '0'], dir.path, INIT_ENV)).exitCode).toBe(0);
    expect((await runBinary(confctl, ['create_test_event', '-v', '0'], dir.path)).exitCode).toBe(0);
    expect((await runBinary(confctl, ['export_schedule_html', 'democon'], dir.path)).exitCode).toBe(0);
    const footer = 'Made with confctl · <span class="hello-note">DemoCon, with hello</span></footer>';
    for (const page of ['index.html', 'talk/index.html', 'schedule/index.html']) {
      const text = readFileSync(dir.join('data', 'htmlexport', 'democon', page), 'utf8');
      expect(text).toContain(footer);
      expect(text).toContain('<style>.hello-note { font-style: italic; }</style>\n</head>');
    }
    const selftest = await runBinary(confctl, ['test', 'hello'], dir.path);
    expect([selftest.exitCode, selftest.stdout, selftest.stderr.split('\n').at(-3)]).toEqual([0, 'Found 1 test(s).\n', 'OK']);
    const server = await startServer(confctl, ['runserver', '127.0.0.1:0'], dir.path);
    try {
      expect(await (await fetch(`${server.url}democon/talk/`)).text()).toContain(footer);
    } finally {
      server.child.kill();
    }
    mkdirSync(dir.join('lib'));
    Bun.spawnSync(['mv', dir.join('hello'), dir.join('lib', 'hello')]);
    writeFileSync(dir.join('confctl.toml'), '[apps]\ninstalled = ["hello"]\n');
    expect(await runBinary(confctl, ['hello_hello', '--pythonpath', 'lib'], dir.path)).toEqual({ stdout: 'Hello, world! This instance has 1 event(s); greeted 1 time(s).\n', stderr: '', exitCode: 0 });
    expect(existsSync(dir.join('hello'))).toBe(false);
  }, 60_000);
});
