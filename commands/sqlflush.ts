import { formatSql, sqlFlush } from '../core/database/sqlgen.ts';
import { defineConfctlCommand } from './_kit/command.ts';
import { sqlDialect } from './_kit/sql.ts';

export default defineConfctlCommand({
  meta: { name: 'sqlflush', description: 'Prints the SQL statements that flush would run (every table but the migration history).' },
  args: {},
  epilog: "In the configured database's dialect: on PostgreSQL, DELETEs and setval() for each id sequence, as flush runs them. Runs nothing.",
  async run(ctx) {
    ctx.io.stdout.write(formatSql(await sqlFlush(sqlDialect(ctx)), ctx.style));
  },
});
