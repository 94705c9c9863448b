import { inspectTables, renderKyselyModule } from '../core/database/inspectdb.ts';
import { defineConfctlCommand } from './_kit/command.ts';

export default defineConfctlCommand({
  meta: {
    name: 'inspectdb',
    description: 'Prints a TypeScript module with kysely types for the tables of any SQLite database (--database PATH) or PostgreSQL schema (--database URL).',
  },
  args: {
    table: { type: 'positional', required: false, description: 'Only these tables (several may be given).' },
    'include-views': { type: 'boolean', description: 'Also describe views.' },
  },
  variadic: true,
  epilog: [
    'Where Django writes models, confctl writes a kysely Database interface: one interface per table,',
    'T | null for nullable columns, Generated<T> for columns with a default and rowid keys, quoted names',
    'where a name is not a TypeScript identifier, and a comment wherever a type is a guess. The database',
    'is opened read-only. On PostgreSQL the current schema is read, with the types confctl reads its values as',
    '(booleans 0 | 1, date-times UTC text): confctl\'s own tables give the same types on both.',
  ].join('\n'),
  async run(ctx) {
    const db = await ctx.readonlyDatabase();
    const { tables, missing } = await inspectTables(db, ctx.args._, ctx.args['include-views'] === true);
    for (const name of missing) ctx.logger.warn(`Unable to inspect table "${name}": it does not exist.`);
    ctx.io.stdout.write(renderKyselyModule(ctx.settings.databaseLabel, tables, missing));
  },
});
