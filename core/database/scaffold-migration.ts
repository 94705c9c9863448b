import { existsSync, readdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { CommandError } from '../common/errors.ts';

const MARKER = '  // makemigrations: new migrations above this line';
const migrationFile = /^(\d{4})_[a-z0-9_]+\.ts$/;

export interface ScaffoldedMigration {
  readonly name: string;
  readonly file: string;
  readonly index: string;
}

const template = (name: string) => `import type { Kysely } from 'kysely';

/** Frozen history once applied: never edit a released migration; write a new one. */
export const description = 'TODO: say what ${name} changes';

// It runs on SQLite and on PostgreSQL. kysely's schema builder writes both (db/postgres-schema.ts gives
// PostgreSQL serial keys, timestamptz and deferrable foreign keys); raw SQL that differs needs a branch:
//   const onPostgres = db.getExecutor().adapter instanceof PostgresAdapter; // import { PostgresAdapter } from 'kysely'
export async function up(db: Kysely<any>): Promise<void> {
  // await db.schema.alterTable('event_event').addColumn('example', 'text').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  // await db.schema.alterTable('event_event').dropColumn('example').execute();
}
`;

/**
 * Writes `<dir>/NNNN_<name>.ts` from a template and lists it in `<dir>/index.ts`, so the binary
 * bundles it. Both files are written to temporary names first and renamed into place.
 */
export function scaffoldMigration(dir: string, label: string, dryRun: boolean): ScaffoldedMigration {
  const indexPath = join(dir, 'index.ts');
  if (!existsSync(indexPath)) {
    throw new CommandError(
      `No migrations index at ${indexPath}: makemigrations is for development, run it in a confctl source checkout.`,
    );
  }
  if (!/^[a-z][a-z0-9_]*$/.test(label)) {
    throw new CommandError(`The migration name "${label}" must be lower-case letters, digits and underscores.`);
  }
  const numbers = readdirSync(dir).flatMap((f) => migrationFile.exec(f)?.[1] ?? []).map(Number);
  const next = String(Math.max(0, ...numbers) + 1).padStart(4, '0');
  const name = `${next}_${label}`;
  const file = join(dir, `${name}.ts`);
  const index = readFileSync(indexPath, 'utf8');
  if (!index.includes(MARKER)) throw new CommandError(`${indexPath} lacks the line "${MARKER.trim()}".`);
  const lastImport = index.lastIndexOf("import * as m");
  const importAt = index.indexOf('\n', lastImport) + 1;
  const updated = (
    index.slice(0, importAt) + `import * as m${next} from './${name}.ts';\n` + index.slice(importAt)
  ).replace(MARKER, `  '${name}': m${next},\n${MARKER}`);
  if (!dryRun) {
    writeFileSync(`${file}.tmp`, template(name), { flag: 'wx' });
    writeFileSync(`${indexPath}.tmp`, updated);
    renameSync(`${file}.tmp`, file);
    renameSync(`${indexPath}.tmp`, indexPath);
  }
  return { name, file, index: indexPath };
}
