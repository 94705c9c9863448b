import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CancelledError, CommandError, errorMessage, ExitStatus } from '../core/common/errors.ts';
import type { HttpServer } from '../platform/index.ts';
import { isDatabaseUrl } from '../core/common/settings.ts';
import { throwAwayDatabase } from '../core/database/test-database.ts';
import { runSelfTests } from '../core/selftest/runner.ts';
import { appSelfTests, SELF_TESTS, selectTests } from '../core/selftest/selftest.ts';
import { appsOf } from './_kit/app-list.ts';
import { defineConfctlCommand } from './_kit/command.ts';
import { thisProcess } from './_kit/owner.ts';
import { Prompter } from './_kit/prompt.ts';
import { version } from './_kit/version.ts';

export default defineConfctlCommand({
  meta: { name: 'test', description: 'Runs the self-test of this confctl on this machine, on a throw-away database and folder (Django’s test runner).' },
  args: {
    label: { type: 'positional', required: false, valueHint: 'test_label', description: `Only these tests (the app label confctl runs them all): ${SELF_TESTS.map((t) => t.name).join(', ')}.` },
    failfast: { type: 'boolean', description: 'Stop at the first failed test.' },
    noinput: { type: 'boolean', description: 'On PostgreSQL, drop a test database left by an earlier run without asking.' },
  },
  variadic: true,
  epilog: [
    'Django’s `test` runs the tests of a project’s apps; confctl’s checks the installed binary where it runs (an',
    'air-gapped server cannot run `bun test`): it migrates an empty database, creates a test event, exports it and',
    'checks its feeds, dumps and loads it back, checks password hashes, serves pages and API answers on',
    '127.0.0.1, and syncs from that API as from a Pretalx server. The configured database and data folder are',
    'never touched: on SQLite everything happens in a temporary folder; on PostgreSQL, as Django does, in a',
    'database test_<name> on the configured server, dropped afterwards. Exit status 1 when a test fails.',
  ].join('\n'),
  async run(ctx) {
    const apps = await appsOf(ctx);
    const { tests, unknown } = selectTests(ctx.args._, apps);
    if (unknown.length > 0) {
      const labels = apps.filter((a) => a.definition.tests?.length).map((a) => a.label);
      throw new CommandError(`No test named ${unknown.map((l) => `'${l}'`).join(', ')}: the tests are ${SELF_TESTS.map((t) => t.name).join(', ')} (the app label confctl runs them all${labels.length ? `; the apps ${labels.join(', ')} run theirs` : ''}).`);
    }
    const say = (line: string) => ctx.verbosity >= 1 && ctx.io.stderr.write(`${line}\n`);
    if (ctx.verbosity >= 1) ctx.out(`Found ${tests.length} test(s).`);
    // The temporary folder first: a TMPDIR that cannot take one is one line, before any database.
    let folder: string;
    try {
      folder = mkdtempSync(join(tmpdir(), 'confctl-test-'));
    } catch (error) {
      throw new CommandError(`Cannot make a temporary folder in ${tmpdir()} (TMPDIR): ${errorMessage(error)}`);
    }
    // Ctrl-C or SIGTERM while the tests run: stop, and remove the temporary folder and database first.
    const stopped = ctx.io.waitForStop?.() ?? new Promise<string>(() => {});
    const shared = new Map<string, unknown>();
    let cleanup = async () => rmSync(folder, { recursive: true, force: true });
    let outcome;
    try {
      if (!isDatabaseUrl(ctx.settings.databasePath)) say("Creating test database for alias 'default'...");
      const { db, remove } = await throwAwayDatabase(ctx.settings, ctx.io.env, {
        say,
        mayDrop: async (name) => {
          if (ctx.noinput) return true;
          if (!ctx.interactive) throw new CommandError(`The test database "${name}" already exists (left by an earlier run) and there is no terminal to confirm deleting it: pass --noinput.`);
          return /^yes$/i.test(await new Prompter(ctx.io).ask(`Got an error creating the test database: database "${name}" already exists\nType 'yes' if you would like to try deleting the test database '${name}', or 'no' to cancel: `));
        },
      }).catch((error: unknown) => {
        throw error instanceof CommandError ? error : new CommandError(`Cannot make the test database: ${errorMessage(error)}`);
      });
      const removeFolder = cleanup;
      cleanup = async () => {
        await (shared.get('server') as HttpServer | undefined)?.stop(true);
        await db.destroy();
        if (!isDatabaseUrl(ctx.settings.databasePath)) say("Destroying test database for alias 'default'...");
        await remove();
        await removeFolder();
      };
      let cancelled = false;
      const running = runSelfTests(tests, [...SELF_TESTS, ...appSelfTests(apps)], { db, folder, settings: ctx.settings, env: ctx.io.env, clock: ctx.clock, version, owner: thisProcess, shared, apps }, (text) => cancelled || ctx.io.stderr.write(text), {
        verbosity: ctx.verbosity,
        failfast: ctx.args.failfast === true,
        cancelled: () => cancelled,
      });
      // The tests go on after a stop only to fail on the closed database: nobody waits for them.
      running.catch(() => {});
      const signal = await Promise.race([running, stopped.then((name) => name)]);
      if (typeof signal === 'string') cancelled = true;
      if (typeof signal === 'string') throw new CancelledError(`\n${signal}: tests stopped; the test database and folder are removed.`);
      outcome = signal;
    } finally {
      await cleanup();
    }
    if (outcome.failures + outcome.errors > 0) throw new ExitStatus(1);
  },
});
