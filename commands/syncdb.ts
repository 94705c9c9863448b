import { join } from 'node:path';
import { loadInitialData } from '../core/data/initial-data.ts';
import { loadInTransaction } from '../core/data/load.ts';
import { APP_LABEL, migrationStatus, planMigrations, runStep } from '../db/migrator.ts';
import { inputArgs } from './_kit/args.ts';
import { defineConfctlCommand } from './_kit/command.ts';

export default defineConfctlCommand({
  meta: { name: 'syncdb', description: 'The old django-admin syncdb: migrate, then install the initial_data fixture if there is one.' },
  args: { ...inputArgs },
  async run(ctx) {
    const db = await ctx.createDatabase();
    const steps = planMigrations(await migrationStatus(db));
    for (const step of steps) {
      if (ctx.verbosity >= 1) ctx.io.stdout.write(`  Applying ${step.name}...`);
      await runStep(db, step);
      if (ctx.verbosity >= 1) ctx.out(ctx.style.SUCCESS(' OK'));
    }
    if (steps.length === 0 && ctx.verbosity >= 1) ctx.out(`No migrations to apply (${APP_LABEL}).`);
    const dirs = [...ctx.settings.values['fixtures.dirs'], join(ctx.settings.dataDir, 'fixtures')];
    const initial = await loadInTransaction(db, (_trx, makeLoader) =>
      loadInitialData(makeLoader({ ignoreNonexistent: false, excludes: [] }), dirs, ctx.io.cwd, ctx.settings.values['fixtures.max_size']),
    );
    if (initial !== null && ctx.verbosity >= 1) ctx.out(`Installed ${initial} object(s) from the initial_data fixture`);
  },
});
