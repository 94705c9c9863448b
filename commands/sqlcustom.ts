import { join } from 'node:path';
import { checkApps, formatSql, sqlCustom } from '../core/database/sqlgen.ts';
import { APP_LABELS } from '../core/data/models.ts';
import { defineConfctlCommand } from './_kit/command.ts';
import { sqlDialect } from './_kit/sql.ts';

export default defineConfctlCommand({
  meta: { name: 'sqlcustom', description: 'Prints the custom SQL statements of the given apps: <data dir>/sql/<model>.sql files.' },
  args: {
    app_label: { type: 'positional', required: false, description: `App labels: ${APP_LABELS.join(', ')}.` },
  },
  variadic: true,
  epilog: 'For each model of the apps, <data dir>/sql/<model>.sql and <model>.sqlite3.sql (<model>.postgresql.sql on PostgreSQL) are printed, statement by statement. Runs nothing.',
  run(ctx) {
    checkApps(ctx.args._);
    ctx.io.stdout.write(formatSql(sqlCustom(sqlDialect(ctx), ctx.args._, join(ctx.settings.dataDir, 'sql')), ctx.style));
  },
});
