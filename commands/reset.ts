import { CommandError } from '../core/common/errors.ts';
import { emptyApps } from '../core/data/flush.ts';
import { APP_LABELS } from '../core/data/models.ts';
import { confirmDestruction } from './_kit/prompt.ts';
import { inputArgs } from './_kit/args.ts';
import { defineConfctlCommand } from './_kit/command.ts';

export default defineConfctlCommand({
  meta: { name: 'reset', description: "Empties the tables of the given apps (the old django-admin reset), leaving the others." },
  args: {
    app_label: { type: 'positional', required: false, description: `App labels: ${APP_LABELS.join(', ')}.` },
    ...inputArgs,
  },
  variadic: true,
  epilog: 'Rows of other apps that point at the emptied tables are removed or unlinked as their foreign keys say.',
  async run(ctx) {
    const apps = ctx.args._;
    if (apps.length === 0) throw new CommandError('Enter at least one app label.');
    for (const app of apps) if (!APP_LABELS.includes(app)) throw new CommandError(`No installed app with label '${app}'.`);
    const db = await ctx.database();
    const confirmed = await confirmDestruction(
      ctx.io,
      ctx.interactive,
      ctx.noinput,
      `You have requested a database reset.\nThis will IRREVERSIBLY DESTROY any data for the "${apps.join('", "')}" application(s) in the database "${ctx.settings.databaseLabel}".`,
    );
    if (!confirmed) {
      ctx.out('Reset cancelled.');
      return;
    }
    const rows = await emptyApps(db, apps);
    if (ctx.verbosity >= 1) ctx.out(`Deleted ${rows} row(s) from the ${apps.join(', ')} tables.`);
  },
});
