// core/database/ — the database as a tool: the sql* commands' SQL, inspectdb, dbshell, the shell's
// evaluator, check's system checks, and makemigrations' scaffolding.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { openDatabase, rawStatements } from '../../db/connection.ts';
import { migrations } from '../../db/migrations/index.ts';
import { isBookkeeping, knownMigrations } from '../../db/migrator.ts';
import { CommandError } from '../common/errors.ts';
import { APP_LABELS, MODELS } from '../data/models.ts';

/**
 * The SQL the django-admin sql* commands print, made from the schema this binary's migrations
 * create (applied to an in-memory database), not from whatever the configured database holds.
 */
interface SchemaObject {
  type: 'table' | 'index';
  name: string;
  table: string;
  sql: string;
}

/** Every table and index the migrations create, in the order they create them. */
async function schemaObjects(): Promise<SchemaObject[]> {
  const db = openDatabase(':memory:', { busyTimeout: 0 });
  try {
    for (const name of knownMigrations) await migrations[name]!.up(db);
    return rawStatements(db)
      .prepare("SELECT type, name, tbl_name AS \"table\", sql FROM sqlite_schema WHERE sql IS NOT NULL AND name NOT LIKE 'sqlite_%' ORDER BY rowid")
      .all<SchemaObject>()
      .filter((o) => !isBookkeeping(o.table) && !isBookkeeping(o.name));
  } finally {
    await db.destroy();
  }
}

export function checkApps(apps: readonly string[]): void {
  if (apps.length === 0) throw new CommandError('Enter at least one app label.');
  for (const app of apps) if (!APP_LABELS.includes(app)) throw new CommandError(`No installed app with label '${app}'.`);
}

const inApps = (apps: readonly string[]) => (o: SchemaObject) => apps.some((app) => o.table.startsWith(`${app}_`));

export async function sqlCreate(apps: readonly string[], what: { tables: boolean; indexes: boolean }): Promise<string[]> {
  const objects = (await schemaObjects()).filter(inApps(apps));
  return [
    ...(what.tables ? objects.filter((o) => o.type === 'table').map((o) => `${o.sql};`) : []),
    ...(what.indexes ? objects.filter((o) => o.type === 'index').map((o) => `${o.sql};`) : []),
  ];
}

/** Django's sqlall: the tables, then the apps' custom SQL, then the indexes. */
export async function sqlAll(apps: readonly string[], sqlDir: string): Promise<string[]> {
  return [...(await sqlCreate(apps, { tables: true, indexes: false })), ...sqlCustom(apps, sqlDir), ...(await sqlCreate(apps, { tables: false, indexes: true }))];
}

export async function sqlClear(apps: readonly string[]): Promise<string[]> {
  const tables = (await schemaObjects()).filter(inApps(apps)).filter((o) => o.type === 'table');
  return tables.toReversed().map((o) => `DROP TABLE "${o.name}";`);
}

export async function sqlFlush(): Promise<string[]> {
  const tables = (await schemaObjects()).filter((o) => o.type === 'table').map((o) => o.name);
  return [
    ...tables.toReversed().map((t) => `DELETE FROM "${t}";`),
    `DELETE FROM sqlite_sequence WHERE name IN (${tables.map((t) => `'${t}'`).join(', ')});`,
  ];
}

/** Sets each table's id sequence to its largest id (Django prints nothing for SQLite; this is what it would need). */
export async function sqlSequenceReset(apps: readonly string[]): Promise<string[]> {
  const tables = (await schemaObjects()).filter(inApps(apps)).filter((o) => o.type === 'table' && /autoincrement/i.test(o.sql));
  return tables.map(
    (o) => `UPDATE sqlite_sequence SET seq = (SELECT coalesce(max("id"), 0) FROM "${o.name}") WHERE name = '${o.name}';`,
  );
}

/** The statements of `<sql dir>/<model>.sql` (and `<model>.sqlite3.sql`) for each model of the apps. */
export function sqlCustom(apps: readonly string[], sqlDir: string): string[] {
  const statements: string[] = [];
  for (const model of MODELS.filter((m) => apps.some((app) => m.label.startsWith(`${app}.`)))) {
    const name = model.label.split('.')[1]!.toLowerCase();
    for (const file of [`${name}.sql`, `${name}.sqlite3.sql`]) {
      const path = join(sqlDir, file);
      if (!existsSync(path)) continue;
      const text = readFileSync(path, 'utf8').replace(/^\s*--.*$/gm, '').trim();
      if (text) statements.push(...text.split(/;\s*(?:\n|$)/).map((s) => s.trim()).filter(Boolean).map((s) => `${s};`));
    }
  }
  return statements;
}

/**
 * The SQL a migration runs (or, backwards, its reversal), recorded from an in-memory database
 * migrated up to just before it (or through it).
 */
export async function sqlMigrate(name: string, backwards: boolean): Promise<string[]> {
  const migration = migrations[name];
  if (!migration) throw new CommandError(`Cannot find a migration matching '${name}' from app 'confctl'.`);
  if (backwards && !migration.down) throw new CommandError(`Migration ${name} is not reversible.`);
  const statements: string[] = [];
  let recording = false;
  const db = openDatabase(':memory:', { busyTimeout: 0, onQuery: (sql) => recording && statements.push(`${sql};`) });
  try {
    for (const earlier of knownMigrations) {
      if (earlier === name && !backwards) break;
      await migrations[earlier]!.up(db);
      if (earlier === name) break;
    }
    recording = true;
    await (backwards ? migration.down!(db) : migration.up(db));
  } finally {
    await db.destroy();
  }
  return statements;
}

const keywords = /\b(CREATE|TABLE|INDEX|UNIQUE|ON|DROP|DELETE|FROM|WHERE|IN|UPDATE|SET|SELECT|INSERT|INTO|VALUES|NOT|NULL|PRIMARY|KEY|AUTOINCREMENT|REFERENCES|DEFAULT|CHECK|BEGIN|COMMIT|ALTER|ADD|COLUMN|CONSTRAINT|COLLATE|NOCASE|AND|OR|IS|CASCADE|RESTRICT)\b/gi;

/** What formatSql needs of the command kit's Style. */
export interface SqlStyle {
  readonly enabled: boolean;
  SQL_KEYWORD(text: string): string;
}

/** Statements wrapped in BEGIN/COMMIT as Django prints them, keywords styled when colour is on. */
export function formatSql(statements: readonly string[], style: SqlStyle): string {
  const text = ['BEGIN;', ...statements, 'COMMIT;'].join('\n');
  return `${style.enabled ? text.replace(keywords, (k) => style.SQL_KEYWORD(k)) : text}\n`;
}
