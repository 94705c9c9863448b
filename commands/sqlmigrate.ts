import { CommandError } from '../core/common/errors.ts';
import { formatSql, sqlMigrate } from '../core/database/sqlgen.ts';
import { APP_LABEL, resolveTarget } from '../db/migrator.ts';
import { defineConfctlCommand } from './_kit/command.ts';
import { sqlDialect } from './_kit/sql.ts';

export default defineConfctlCommand({
  meta: { name: 'sqlmigrate', description: 'Prints the SQL statements of a migration.' },
  args: {
    migration_name: { type: 'positional', required: false, description: `A migration name or unique prefix (Django's "${APP_LABEL} NAME" works too).` },
    backwards: { type: 'boolean', description: 'Prints the SQL that unapplies the migration.' },
  },
  variadic: true,
  epilog: "Runs nothing: the SQL is recorded from a throwaway in-memory database, or, when the configured database is PostgreSQL, as the migration gives it to a PostgreSQL server (without one).",
  async run(ctx) {
    const words = ctx.args._;
    const name = words.length === 2 && words[0] === APP_LABEL ? words[1] : words.length === 1 ? words[0] : undefined;
    if (name === undefined) throw new CommandError(`Give one migration: confctl sqlmigrate NAME (or: ${APP_LABEL} NAME).`);
    const migration = resolveTarget(name);
    if (migration === null) throw new CommandError('"zero" is not a migration.');
    ctx.io.stdout.write(formatSql(await sqlMigrate(sqlDialect(ctx), migration, ctx.args.backwards === true), ctx.style));
  },
});
