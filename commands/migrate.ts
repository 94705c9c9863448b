import { APP_LABEL, migrationStatus, planMigrations, resolveTarget, runStep } from '../db/migrator.ts';
import { appMigrationStatus, applyAppMigration } from '../core/apps/migrations.ts';
import { appsOf } from './_kit/app-list.ts';
import { inputArgs } from './_kit/args.ts';
import { defineConfctlCommand } from './_kit/command.ts';

export default defineConfctlCommand({
  meta: {
    name: 'migrate',
    description: 'Updates the database schema: applies pending migrations, or unapplies down to a target.',
  },
  args: {
    migration_name: {
      type: 'positional',
      required: false,
      description: 'Bring the database to the state after this migration (a name or a unique prefix). "zero" unapplies all.',
    },
    plan: { type: 'boolean', description: 'Shows a list of the migration actions that will be performed, and changes nothing.' },
    ...inputArgs,
  },
  epilog: [
    'Each migration runs in its own transaction: a failing one is rolled back and the ones before it stay applied.',
    'A database migrated by a newer confctl (it records a migration this binary does not know) is refused.',
  ].join('\n'),
  async run(ctx) {
    const { style } = ctx;
    const target = ctx.args.migration_name === undefined ? undefined : resolveTarget(ctx.args.migration_name);
    const db = ctx.args.plan ? await ctx.existingDatabase({ readonly: true }) : await ctx.createDatabase();
    const steps = planMigrations(await migrationStatus(db), target);
    // Installed apps' migrations follow confctl's, on a migrate to the latest (a target is confctl's).
    const apps = await appsOf(ctx);
    const appSteps = target === undefined ? (await appMigrationStatus(db, apps)).filter((s) => s.applied === null) : [];

    if (ctx.args.plan) {
      ctx.out(style.MIGRATE_HEADING('Planned operations:'));
      if (steps.length + appSteps.length === 0) ctx.out('  No planned migration operations.');
      for (const step of steps) {
        ctx.out(`  ${step.name}${step.direction === 'down' ? ' (unapply)' : ''}`);
        ctx.out(`    ${step.description}`);
      }
      for (const { app, migration } of appSteps) {
        ctx.out(`  ${app.label}.${migration.name}`);
        if (migration.description) ctx.out(`    ${migration.description}`);
      }
      return;
    }

    const loud = ctx.verbosity >= 1;
    if (loud) {
      ctx.out(style.MIGRATE_HEADING('Operations to perform:'));
      if (target === undefined) ctx.out(`  ${style.MIGRATE_LABEL('Apply all migrations:')} ${[APP_LABEL, ...apps.filter((a) => a.definition.migrations?.length).map((a) => a.label)].join(', ')}`);
      else if (target === null) ctx.out(`  ${style.MIGRATE_LABEL('Unapply all migrations:')} ${APP_LABEL}`);
      else ctx.out(`  ${style.MIGRATE_LABEL('Target specific migration:')} ${target}, from ${APP_LABEL}`);
      ctx.out(style.MIGRATE_HEADING('Running migrations:'));
      if (steps.length + appSteps.length === 0) ctx.out('  No migrations to apply.');
    }
    for (const step of steps) {
      if (loud) ctx.io.stdout.write(`  ${step.direction === 'up' ? 'Applying' : 'Unapplying'} ${step.name}...`);
      const started = performance.now();
      try {
        await runStep(db!, step);
      } catch (error) {
        if (loud) ctx.out(style.ERROR(' FAILED'));
        throw error;
      }
      const elapsed = ctx.verbosity >= 2 ? ` (${((performance.now() - started) / 1000).toFixed(3)}s)` : '';
      if (loud) ctx.out(style.SUCCESS(' OK') + elapsed);
    }
    for (const { app, migration } of appSteps) {
      if (loud) ctx.io.stdout.write(`  Applying ${app.label}.${migration.name}...`);
      const started = performance.now();
      try {
        await applyAppMigration(db!, app, migration, ctx.clock.now());
      } catch (error) {
        if (loud) ctx.out(style.ERROR(' FAILED'));
        throw error;
      }
      const elapsed = ctx.verbosity >= 2 ? ` (${((performance.now() - started) / 1000).toFixed(3)}s)` : '';
      if (loud) ctx.out(style.SUCCESS(' OK') + elapsed);
    }
  },
});
