import { relative, resolve } from 'node:path';
import { CommandError } from '../core/common/errors.ts';
import { scaffoldMigration } from '../core/database/scaffold-migration.ts';
import { APP_LABEL } from '../db/migrator.ts';
import { defineConfctlCommand } from './_kit/command.ts';

export default defineConfctlCommand({
  meta: {
    name: 'makemigrations',
    description: 'Writes the next numbered migration file from a template and lists it in db/migrations/index.ts.',
  },
  args: {
    name: { type: 'positional', required: false, description: 'What the migration does, in snake_case.' },
    'migrations-dir': {
      type: 'string',
      valueHint: 'DIR',
      description: 'Folder of the migrations. Default: db/migrations under the current folder.',
    },
    'dry-run': { type: 'boolean', description: "Just show what migration would be made; don't write it." },
  },
  epilog:
    'For development: confctl cannot compare models with the database as Django does, so the new file is a\n' +
    'template to fill in. Migrations are bundled into the binary; rebuild it after adding one.',
  run(ctx) {
    if (ctx.args.name === undefined) throw new CommandError('Give the migration a name: confctl makemigrations NAME');
    const dir = resolve(ctx.io.cwd, ctx.args['migrations-dir'] ?? 'db/migrations');
    const made = scaffoldMigration(dir, ctx.args.name, ctx.args['dry-run'] === true);
    if (ctx.verbosity >= 1) {
      ctx.out(ctx.style.MIGRATE_HEADING(`Migrations for '${APP_LABEL}':`));
      ctx.out(`  ${ctx.style.MIGRATE_LABEL(relative(ctx.io.cwd, made.file))}`);
      ctx.out(`    - ${relative(ctx.io.cwd, made.index)}: lists ${made.name}`);
    }
  },
});
