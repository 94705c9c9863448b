import { createCacheTable, tableExists } from '../core/housekeeping/cache.ts';
import { CommandError } from '../core/common/errors.ts';
import { migrationStatus } from '../db/migrator.ts';
import { defineConfctlCommand } from './_kit/command.ts';

export default defineConfctlCommand({
  meta: { name: 'createcachetable', description: 'Creates the cache table (common_cacheentry) if it is missing.' },
  args: {
    'dry-run': { type: 'boolean', description: 'Does not create the table, just says whether it would.' },
  },
  epilog: 'migrate creates the cache table; this command restores it in a database that lost it.',
  async run(ctx) {
    const db = ctx.database();
    const initial = (await migrationStatus(db))[0];
    if (!initial?.applied) throw new CommandError('The database is not migrated yet: run "confctl migrate", which creates the cache table.');
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
