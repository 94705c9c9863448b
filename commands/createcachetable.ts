import { CommandError } from '../core/common/errors.ts';
import { createCacheTable } from '../core/housekeeping/cache.ts';
import { tableExists } from '../db/migrator.ts';
import { defineConfctlCommand } from './_kit/command.ts';

export default defineConfctlCommand({
  meta: { name: 'createcachetable', description: 'Creates the cache table (common_cacheentry) if it is missing.' },
  args: {
    table_name: { type: 'positional', required: false, valueHint: 'TABLE', description: "Django's optional cache table name; confctl's is common_cacheentry." },
    'dry-run': { type: 'boolean', description: 'Does not create the table, just says whether it would.' },
  },
  epilog: 'migrate creates the cache table; this command restores it in a database that lost it.',
  async run(ctx) {
    const name = ctx.args.table_name;
    if (name !== undefined && name !== 'common_cacheentry') {
      throw new CommandError(`confctl keeps its cache in one table, common_cacheentry, not "${name}": run createcachetable without a name.`);
    }
    const db = await ctx.database();
    if (await tableExists(db, 'common_cacheentry')) {
      if (ctx.verbosity >= 2) ctx.out("Cache table 'common_cacheentry' already exists.");
      return;
    }
    if (ctx.args['dry-run']) {
      ctx.out("Cache table 'common_cacheentry' would be created.");
      return;
    }
    await db.transaction().execute((trx) => createCacheTable(trx));
    if (ctx.verbosity >= 1) ctx.out("Cache table 'common_cacheentry' created.");
  },
});
