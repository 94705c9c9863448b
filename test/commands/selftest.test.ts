import { afterAll, beforeAll, describe, expect, test } from 'bun:test';
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { runSelfTests } from '../../core/selftest/runner.ts';
import { Failure, type SelfTest } from '../../core/selftest/selftest.ts';
import { installBinary, runBinary } from '../support/binary.ts';
import { call } from '../support/cli.ts';
import { initialisedDatabase } from '../support/db.ts';
import { newSite } from '../support/site.ts';
import { tempDir, type TempDir } from '../support/tmp.ts';

/** test: the self-test of the installed binary, as Django's test runner reports. */

const TESTS = ['test_migrate', 'test_create_test_event', 'test_export', 'test_dumpdata_loaddata', 'test_passwords', 'test_serve', 'test_sync'];
const ran = (n: number) => `${'-'.repeat(70)}\nRan ${n} test${n === 1 ? '' : 's'} in \\d+\\.\\d{3}s\n\n`;

describe('confctl test, the compiled binary', () => {
  let dir: TempDir;
  let confctl: string;
  beforeAll(() => {
    dir = tempDir('confctl-selftest-');
    confctl = installBinary(dir.path);
  });
  afterAll(() => dir?.[Symbol.dispose]());

  test("in an empty folder: every test passes, Django's lines, and nothing is left (no data folder, no temporary files)", async () => {
    const tmp = dir.join('tmp');
    mkdirSync(tmp);
    const result = await runBinary(confctl, ['test'], dir.path, { TMPDIR: tmp });
    expect(result.stdout).toBe('Found 7 test(s).\n');
    expect(result.stderr).toMatch(new RegExp(`^Creating test database for alias 'default'\\.\\.\\.\n\\.{7}\n${ran(7)}OK\nDestroying test database for alias 'default'\\.\\.\\.\n$`));
    expect(result.exitCode).toBe(0);
    expect(existsSync(dir.join('data'))).toBe(false);
    expect(readdirSync(tmp)).toEqual([]);
  }, 60_000);

  test('SIGTERM or Ctrl-C while the tests run: they stop, the temporary database and folder are removed, exit 1; -v 0 prints no dots; a TMPDIR that cannot be used is one line', async () => {
    const tmp = dir.join('tmp-stop');
    mkdirSync(tmp);
    const child = Bun.spawn([confctl, 'test', '-v', '2', '--no-pretalx-information'], { cwd: dir.path, env: { PATH: '/usr/bin:/bin', HOME: dir.path, TMPDIR: tmp }, stdout: 'pipe', stderr: 'pipe' });
    const reader = child.stderr.getReader();
    let err = '';
    while (!err.includes('test_migrate')) err += new TextDecoder().decode((await reader.read()).value);
    child.kill('SIGTERM');
    for (let chunk = await reader.read(); !chunk.done; chunk = await reader.read()) err += new TextDecoder().decode(chunk.value);
    expect(await child.exited).toBe(1);
    expect(err).toEndWith("Destroying test database for alias 'default'...\n\nSIGTERM: tests stopped; the test database and folder are removed.\n");
    expect(readdirSync(tmp)).toEqual([]);
    const quiet = await runBinary(confctl, ['test', '-v', '0', 'test_passwords'], dir.path);
    expect(quiet).toEqual({ exitCode: 0, stdout: '', stderr: expect.stringMatching(new RegExp(`^${ran(1)}OK\n$`)) as unknown as string });
    const nowhere = await runBinary(confctl, ['test'], dir.path, { TMPDIR: dir.join('no', 'such') });
    expect(nowhere).toEqual({ exitCode: 1, stdout: 'Found 7 test(s).\n', stderr: expect.stringMatching(new RegExp(`^CommandError: Cannot make a temporary folder in ${dir.join('no', 'such')} \\(TMPDIR\\): ENOENT`)) as unknown as string });
  }, 60_000);

  test('the configured database and data folder are never touched: the same bytes, times and files after', async () => {
    using site = tempDir('confctl-selftest-site-');
    await initialisedDatabase(site.path);
    await call(['create_test_event', '--seed', '2', '-v', '0'], { cwd: site.path });
    const path = site.join('data', 'db.sqlite3');
    const before = { bytes: readFileSync(path), mtime: statSync(path).mtimeMs, files: readdirSync(site.join('data')).sort() };
    const result = await runBinary(confctl, ['test', '-v', '2', '--no-pretalx-information', 'test_sync', 'test_export'], site.path);
    expect(result.exitCode).toBe(0);
    expect(result.stderr).toMatch(
      new RegExp(
        `^Creating test database for alias 'default'\\.\\.\\.\ntest_export \\(confctl\\.selftest\\.test_export\\)\nexport_schedule_html writes the site; its JSON, frab XML and iCalendar feeds parse and agree\\. \\.\\.\\. ok\n` +
          `test_sync \\(confctl\\.selftest\\.test_sync\\)\nsync_pretalx mirrors the event from a Pretalx API \\(runserver's own\\) into a second event, talk for talk\\. \\.\\.\\. ok\n${ran(2)}OK\nDestroying`,
      ),
    );
    expect({ bytes: readFileSync(path), mtime: statSync(path).mtimeMs, files: readdirSync(site.join('data')).sort() }).toEqual(before);
  }, 60_000);

  test('an unknown label is one line naming the tests; --failfast and labels of the app are taken', async () => {
    const unknown = await runBinary(confctl, ['test', 'polls'], dir.path);
    expect(unknown).toEqual({ exitCode: 1, stdout: '', stderr: `CommandError: No test named 'polls': the tests are ${TESTS.join(', ')} (the app label confctl runs them all).\n` });
    const one = await runBinary(confctl, ['test', '--failfast', 'confctl.test_passwords'], dir.path);
    expect([one.exitCode, one.stdout]).toEqual([0, 'Found 1 test(s).\n']);
    expect(one.stderr).toMatch(new RegExp(`\n\\.\n${ran(1)}OK\n`));
  }, 60_000);
});

describe('the runner', () => {
  const fake = (name: string, needs: string[], run: () => Promise<void>): SelfTest => ({ name, needs, doc: `What ${name} checks.`, run });
  const tests = [
    fake('test_a', [], async () => {}),
    fake('test_b', [], async () => {
      throw new Failure('the feed has 3 events, not 4');
    }),
    fake('test_c', ['test_b'], async () => {}),
    fake('test_d', [], async () => {
      throw new TypeError('undefined is not an object');
    }),
  ];
  const run = async (chosen: SelfTest[], verbosity: number, failfast = false) => {
    let text = '';
    const outcome = await runSelfTests(chosen, tests, { shared: new Map() } as never, (t) => (text += t), { verbosity, failfast });
    return { text: text.replace(/in \d+\.\d{3}s/, 'in 0.000s'), outcome };
  };

  test('a failure and an error are reported as unittest does; a test whose needs failed is an error too (a failed setUp)', async () => {
    const { text, outcome } = await run(tests, 1);
    expect(outcome).toEqual({ ran: 4, failures: 1, errors: 2, skipped: 0 });
    const line = '-'.repeat(70);
    const double = '='.repeat(70);
    expect(text).toBe(
      `.FEE\n${double}\nFAIL: test_b (confctl.selftest.test_b)\nWhat test_b checks.\n${line}\nthe feed has 3 events, not 4\n\n` +
        `${double}\nERROR: test_c (confctl.selftest.test_c)\nWhat test_c checks.\n${line}\nneeds test_b, which did not pass\n\n` +
        `${double}\nERROR: test_d (confctl.selftest.test_d)\nWhat test_d checks.\n${line}\nTypeError: undefined is not an object\n\n` +
        `${line}\nRan 4 tests in 0.000s\n\nFAILED (failures=1, errors=2)\n`,
    );
  });

  test('-v 2 names each test with its docstring; --failfast stops at the first failure; a test asked alone runs after its needs', async () => {
    const verbose = await run(tests.slice(0, 2), 2, true);
    expect(verbose.text).toStartWith('test_a (confctl.selftest.test_a)\nWhat test_a checks. ... ok\ntest_b (confctl.selftest.test_b)\nWhat test_b checks. ... FAIL\n');
    const stopped = await run(tests, 1, true);
    expect(stopped.outcome).toEqual({ ran: 2, failures: 1, errors: 0, skipped: 0 });
    const order: string[] = [];
    const chain = [fake('test_x', [], async () => void order.push('x')), fake('test_y', ['test_x'], async () => void order.push('y'))];
    let text = '';
    await runSelfTests([chain[1]!], chain, { shared: new Map() } as never, (t) => (text += t), { verbosity: 1, failfast: false });
    expect([order, text.split('\n')[0]]).toEqual([['x', 'y'], '.']);
  });
});

describe('confctl test on PostgreSQL', () => {
  test("the test database is test_<name> on the configured server, made and dropped as Django's runner does", async () => {
    await using site = await newSite('postgres');
    await site.migrated();
    const result = await site.call(['test', 'test_dumpdata_loaddata']);
    const name = /^postgres:\/\/\/(\w+)\?/.exec(site.env.CONFCTL_DATABASE!)![1]!;
    expect(result.exitCode).toBe(0);
    expect(result.stderr).toMatch(new RegExp(`^Creating test database for alias 'default' \\('test_${name}'\\)\\.\\.\\.\n\\.\n${ran(1)}OK\nDestroying test database for alias 'default' \\('test_${name}'\\)\\.\\.\\.\n$`));
    // Gone afterwards; the configured database keeps its tables and has no test event.
    expect(await site.query('SELECT count(*)::int AS n FROM event_event')).toEqual([{ n: 0 }]);
  }, 90_000);
});
