import { join } from 'node:path';
import { dataTables, emptyTables } from '../core/data/flush.ts';
import { loadInitialData } from '../core/data/initial-data.ts';
import { loadInTransaction } from '../core/data/load.ts';
import { confirmDestruction } from './_kit/prompt.ts';
import { inputArgs } from './_kit/args.ts';
import { defineConfctlCommand } from './_kit/command.ts';

export default defineConfctlCommand({
  meta: {
    name: 'flush',
    description: 'Removes ALL data from the database (not the migration history), then installs the initial_data fixture if there is one.',
  },
  args: { ...inputArgs },
  epilog: 'One transaction: an error while loading initial_data leaves the data as it was. Without a terminal, --noinput is required.',
  async run(ctx) {
    const db = await ctx.database();
    const confirmed = await confirmDestruction(
      ctx.io,
      ctx.interactive,
      ctx.noinput,
      `You have requested a flush of the database.\nThis will IRREVERSIBLY DESTROY all data currently in the "${ctx.settings.databaseLabel}" database,\nand return each table to an empty state.`,
    );
    if (!confirmed) {
      ctx.out('Flush cancelled.');
      return;
    }
    const dirs = [...ctx.settings.values['fixtures.dirs'], join(ctx.settings.dataDir, 'fixtures')];
    const initial = await loadInTransaction(db, async (trx, makeLoader) => {
      await emptyTables(trx, await dataTables(trx));
      return loadInitialData(makeLoader({ ignoreNonexistent: false, excludes: [] }), dirs, ctx.io.cwd, ctx.settings.values['fixtures.max_size']);
    });
    if (initial !== null && ctx.verbosity >= 1) ctx.out(`Installed ${initial} object(s) from the initial_data fixture`);
  },
});
