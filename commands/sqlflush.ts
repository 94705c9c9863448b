import { formatSql, sqlFlush } from '../core/database/sqlgen.ts';
import { defineConfctlCommand } from './_kit/command.ts';

export default defineConfctlCommand({
  meta: { name: 'sqlflush', description: 'Prints the SQL statements that flush would run (every table but the migration history).' },
  args: {},
  epilog: 'Runs nothing.',
  printsSql: true,
  async run(ctx) {
    ctx.io.stdout.write(formatSql(await sqlFlush(), ctx.style));
  },
});
