import type { ConfctlCommand, Context } from './command.ts';
import { defineConfctlCommand } from './command.ts';
import { APP_LABELS } from '../../core/data/models.ts';
import { checkApps, formatSql } from '../../core/database/sqlgen.ts';

/**
 * One of django-admin's sql* commands for app labels: prints SQL (coloured on a terminal) that the
 * sqlite3 client accepts, and changes nothing.
 */
export function appSqlCommand(name: string, description: string, produce: (apps: string[], ctx: Context) => Promise<string[]>): ConfctlCommand {
  return defineConfctlCommand({
    meta: { name, description },
    args: {
      app_label: { type: 'positional', required: false, description: `App labels: ${APP_LABELS.join(', ')}.` },
    },
    variadic: true,
    epilog: 'Prints SQL for the schema this confctl creates; runs nothing.',
    printsSql: true,
    async run(ctx) {
      checkApps(ctx.args._);
      ctx.io.stdout.write(formatSql(await produce(ctx.args._, ctx as unknown as Context), ctx.style));
    },
  });
}
