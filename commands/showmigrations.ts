import { CommandError } from '../core/common/errors.ts';
import { APP_LABEL, migrationStatus } from '../db/migrator.ts';
import { defineConfctlCommand } from './_kit/command.ts';

export default defineConfctlCommand({
  meta: { name: 'showmigrations', description: 'Shows all migrations and whether they are applied ([X]) or not ([ ]).' },
  args: {
    app_label: { type: 'positional', required: false, description: `App labels to show (there is one: ${APP_LABEL}).` },
    list: { type: 'boolean', alias: 'l', description: 'Shows a list of all migrations and which are applied (the default).' },
    plan: {
      type: 'boolean',
      alias: 'p',
      description: 'Shows all migrations in the order they will be applied.',
    },
  },
  variadic: true,
  epilog: 'A database file that does not exist yet is shown as unmigrated and is not created.',
  async run(ctx) {
    for (const label of ctx.args._) {
      if (label !== APP_LABEL) throw new CommandError(`No installed app with label '${label}'.`);
    }
    const status = await migrationStatus(await ctx.existingDatabase({ readonly: true }));
    const mark = (applied: boolean) => (applied ? ctx.style.SUCCESS('[X]') : '[ ]');
    const when = (at: string | null) => (ctx.verbosity >= 2 && at !== null ? ` (applied at ${at})` : '');

    if (ctx.args.plan) {
      for (const m of status) ctx.out(`${mark(m.applied)}  ${APP_LABEL}.${m.name}`);
      if (status.length === 0) ctx.out('(no migrations)');
      return;
    }
    ctx.out(ctx.style.MIGRATE_LABEL(APP_LABEL));
    for (const m of status) ctx.out(` ${mark(m.applied)} ${m.name}${when(m.appliedAt)}`);
    if (status.length === 0) ctx.out(' (no migrations)');
  },
});
