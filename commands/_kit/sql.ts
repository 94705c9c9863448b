import type { ConfctlCommand, Context } from './command.ts';
import { defineConfctlCommand } from './command.ts';
import { APP_LABELS } from '../../core/data/models.ts';
import { checkApps, formatSql } from '../../core/database/sqlgen.ts';
import { isDatabaseUrl } from '../../core/common/database-url.ts';
import type { Backend } from '../../db/connection.ts';

/** The SQL dialect of the configured database, as Django's sql commands speak its connection's (nothing is opened). */
export const sqlDialect = (ctx: Pick<Context, 'settings'>): Backend => (isDatabaseUrl(ctx.settings.databasePath) ? 'postgres' : 'sqlite');

/**
 * One of django-admin's sql* commands for app labels: prints SQL (coloured on a terminal) that the
 * sqlite3 client, or psql when the database is PostgreSQL, accepts, and changes nothing.
 */
export function appSqlCommand(name: string, description: string, produce: (dialect: Backend, apps: string[], ctx: Context) => Promise<string[]>): ConfctlCommand {
  return defineConfctlCommand({
    meta: { name, description },
    args: {
      app_label: { type: 'positional', required: false, description: `App labels: ${APP_LABELS.join(', ')}.` },
    },
    variadic: true,
    epilog: "Prints SQL for the schema this confctl creates, in the configured database's dialect (SQLite or PostgreSQL); runs nothing.",
    async run(ctx) {
      checkApps(ctx.args._);
      ctx.io.stdout.write(formatSql(await produce(sqlDialect(ctx as unknown as Context), ctx.args._, ctx as unknown as Context), ctx.style));
    },
  });
}
