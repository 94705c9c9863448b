import { CommandError } from '../core/common/errors.ts';
import { APP_LABEL, migrationStatus } from '../db/migrator.ts';
import { appMigrationStatus } from '../core/apps/migrations.ts';
import { appsOf } from './_kit/app-list.ts';
import { defineConfctlCommand } from './_kit/command.ts';

export default defineConfctlCommand({
  meta: { name: 'showmigrations', description: 'Shows all migrations and whether they are applied ([X]) or not ([ ]).' },
  args: {
    app_label: { type: 'positional', required: false, description: `App labels to show: ${APP_LABEL} and the installed apps' labels.` },
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
    const apps = await appsOf(ctx);
    for (const label of ctx.args._) {
      if (label !== APP_LABEL && !apps.some((a) => a.label === label)) throw new CommandError(`No installed app with label '${label}'.`);
    }
    const shown = (label: string) => ctx.args._.length === 0 || ctx.args._.includes(label);
    const db = await ctx.existingDatabase({ readonly: true });
    const status = await migrationStatus(db);
    const appStatus = (await appMigrationStatus(db, apps)).filter((s) => shown(s.app.label));
    const mark = (applied: boolean) => (applied ? ctx.style.SUCCESS('[X]') : '[ ]');
    const when = (at: string | null) => (ctx.verbosity >= 2 && at !== null ? ` (applied at ${at})` : '');

    if (ctx.args.plan) {
      if (shown(APP_LABEL)) for (const m of status) ctx.out(`${mark(m.applied)}  ${APP_LABEL}.${m.name}`);
      for (const s of appStatus) ctx.out(`${mark(s.applied !== null)}  ${s.app.label}.${s.migration.name}`);
      return;
    }
    if (shown(APP_LABEL)) {
      ctx.out(ctx.style.MIGRATE_LABEL(APP_LABEL));
      for (const m of status) ctx.out(` ${mark(m.applied)} ${m.name}${when(m.appliedAt)}`);
    }
    // Each app, under its label, as Django lists each app's migrations.
    for (const app of apps.filter((a) => shown(a.label))) {
      ctx.out(ctx.style.MIGRATE_LABEL(app.label));
      const own = appStatus.filter((s) => s.app === app);
      for (const s of own) ctx.out(` ${mark(s.applied !== null)} ${s.migration.name}${when(s.applied)}`);
      if (own.length === 0) ctx.out(' (no migrations)');
    }
  },
});
