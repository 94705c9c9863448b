import { checkLevels, countIssues, formatChecks, type CheckLevel } from '../core/database/checks.ts';
import { CommandError } from '../core/common/errors.ts';
import { runSystemChecks } from '../core/database/system-checks.ts';
import { migrationStatus } from '../db/migrator.ts';
import { appMigrationStatus } from '../core/apps/migrations.ts';
import { appsOf } from './_kit/app-list.ts';
import { defineConfctlCommand } from './_kit/command.ts';

/** Django's SystemCheckError: a CommandError whose message is the whole report. */
class SystemCheckError extends CommandError {
  constructor(message: string) {
    super(message);
    this.name = 'SystemCheckError';
  }
}

export default defineConfctlCommand({
  meta: {
    name: 'check',
    description: 'Checks the settings, and that the database is reachable, fully migrated and consistent.',
  },
  args: {
    'fail-level': {
      type: 'enum',
      options: [...checkLevels],
      default: 'ERROR',
      description: 'Message level that will cause the command to exit with a non-zero status.',
    },
  },
  epilog: 'Unlike Django\'s check, this one also checks the database (Django needs --database for that).',
  async run(ctx) {
    const db = await ctx.existingDatabase({ readonly: true });
    const status = await migrationStatus(db);
    const messages = await runSystemChecks({ settings: ctx.settings, db, status });
    // The installed apps load (else one line naming the app, as for every command that uses them), and
    // their migrations are applied.
    const apps = await appsOf(ctx);
    const pending = db === null ? [] : (await appMigrationStatus(db, apps)).filter((s) => s.applied === null);
    if (pending.length > 0) {
      messages.push({ id: 'confctl.E009', level: 'ERROR', message: `The installed apps have unapplied migrations: ${pending.map((s) => `${s.app.label}.${s.migration.name}`).join(', ')}.`, hint: 'Run "confctl migrate".' });
    }
    const failLevel = checkLevels.indexOf(ctx.args['fail-level'] as CheckLevel);
    const failing = messages.some((m) => checkLevels.indexOf(m.level) >= failLevel);
    const summary = `System check identified ${countIssues(messages.length)} (0 silenced).`;
    if (failing) {
      throw new SystemCheckError(`System check identified some issues:\n${formatChecks(messages)}\n\n${summary}`);
    }
    if (messages.length > 0) ctx.io.stderr.write(`System check identified some issues:\n${formatChecks(messages)}\n\n`);
    if (ctx.verbosity >= 1 || messages.length > 0) ctx.out(summary);
  },
});
