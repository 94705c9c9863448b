import { localeDirs } from '../core/i18n/catalogues.ts';
import { join } from 'node:path';
import { CommandError } from '../core/common/errors.ts';
import { readFixtureFile } from '../core/data/files.ts';
import { findFixtures, loadInTransaction } from '../core/data/load.ts';
import { throwAwayDatabase } from '../core/database/test-database.ts';
import { listen, parseAddrport } from '../core/serve/listen.ts';
import { migrationStatus, planMigrations, runStep } from '../db/migrator.ts';
import { defineConfctlCommand } from './_kit/command.ts';
import { Prompter } from './_kit/prompt.ts';
import { version } from './_kit/version.ts';

export default defineConfctlCommand({
  meta: { name: 'testserver', description: 'Serves the given fixtures from a fresh temporary database, deleted on exit.' },
  args: {
    fixture: { type: 'positional', required: false, description: 'Fixtures to load (as loaddata finds them).' },
    addrport: { type: 'string', valueHint: 'ADDR:PORT', description: 'Where to listen: PORT, ADDR, ADDR:PORT or [IPv6]:PORT, as runserver (default 127.0.0.1:8000; port 0 picks a free one).' },
    noinput: { type: 'boolean', description: 'On PostgreSQL, drop a test database left by an earlier run without asking.' },
  },
  variadic: true,
  epilog: [
    'On SQLite the configured database is never opened: everything happens in a temporary folder, removed when',
    'the server stops. On PostgreSQL, as Django’s test runner does, a database test_<name> is created on the',
    'configured server and dropped when the server stops. One that exists already (left by a killed run, or in',
    'use by another testserver) is dropped first: asked at a terminal; without one, only with --noinput.',
  ].join('\n'),
  async run(ctx) {
    const labels = ctx.args._;
    if (labels.length === 0) throw new CommandError('Enter at least one fixture.');
    const { hostname, port } = parseAddrport(ctx.args.addrport ?? '127.0.0.1:8000');
    const dirs = [...ctx.settings.values['fixtures.dirs'], join(ctx.settings.dataDir, 'fixtures')];
    const fixtures = labels.flatMap((label) => findFixtures(label, dirs, ctx.io.cwd));
    const { db, remove } = await throwAwayDatabase(ctx.settings, ctx.io.env, {
      say: (line) => ctx.logger.info(line),
      // Django asks before dropping a test database left by an earlier run (or in use by another testserver); --noinput drops it.
      mayDrop: async (name) => {
        if (ctx.noinput) return true;
        if (!ctx.interactive) throw new CommandError(`The test database "${name}" already exists (left by an earlier run, or in use by another testserver) and there is no terminal to confirm deleting it: pass --noinput.`);
        return /^yes$/i.test(await new Prompter(ctx.io).ask(`Got an error creating the test database: database "${name}" already exists\nType 'yes' if you would like to try deleting the test database '${name}', or 'no' to cancel: `));
      },
    });
    try {
      for (const step of planMigrations(await migrationStatus(db))) await runStep(db, step);
      const loaded = await loadInTransaction(db, async (_trx, makeLoader) => {
        const loader = makeLoader({ ignoreNonexistent: false, excludes: [] });
        for (const fixture of fixtures) {
          try {
            await loader.loadStream(fixture.format, readFixtureFile(fixture.path, ctx.settings.values['fixtures.max_size'], ctx.settings.values['fixtures.max_ratio']));
          } catch (error) {
            throw new CommandError(`Problem installing fixture '${fixture.path}': ${(error as Error).message}`);
          }
        }
        await loader.checkForeignKeys();
        return loader.counts.loaded;
      });
      if (ctx.verbosity >= 1) ctx.out(`Installed ${loaded} object(s) from ${fixtures.length} fixture(s)`);
      const { server, url } = listen(hostname, port, { db, siteUrl: ctx.settings.values['site.url'], version, clock: ctx.clock, localeDirs: localeDirs(ctx.settings) }, (message) => ctx.logger.error(message));
      // Listen for the stop signals before saying where we are: a client may send one at once.
      const stopped = ctx.io.waitForStop?.() ?? new Promise<string>(() => {});
      ctx.out(`Starting server at ${url}`);
      ctx.out('Quit the server with CONTROL-C.');
      await stopped;
      await server.stop();
    } finally {
      await db.destroy();
      await remove();
    }
  },
});
