// core/database/ — the database as a tool: the sql* commands' SQL, inspectdb, dbshell, the shell's
// evaluator, check's system checks, and makemigrations' scaffolding.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { openDatabase, rawStatements, recordingPostgres, type Backend } from '../../db/connection.ts';
import { migrations } from '../../db/migrations/index.ts';
import { isBookkeeping, knownMigrations } from '../../db/migrator.ts';
import { CommandError } from '../common/errors.ts';
import { APP_LABELS, MODELS } from '../data/models.ts';

/**
 * The SQL the django-admin sql* commands print, made from the schema this binary's migrations
 * create, not from whatever the configured database holds: on SQLite, read back from an in-memory
 * database they migrated; on PostgreSQL (a postgres:// database configured), the statements the
 * migrations give a PostgreSQL server, recorded without one.
 */
interface SchemaObject {
  /** `alter`: a column added to a table later; `function`: json_valid, which the tables' checks call (PostgreSQL). */
  type: 'table' | 'index' | 'alter' | 'function';
  name: string;
  table: string;
  sql: string;
}

/** Every table and index the migrations create, in the order they create them. */
async function schemaObjects(dialect: Backend): Promise<SchemaObject[]> {
  if (dialect === 'postgres') {
    const statements: string[] = [];
    // kysely writes keywords in lower case; the statements start as Django's (and SQLite's schema) do.
    const db = await recordingPostgres((sql) => statements.push(sql.replace(/^(create (?:unique )?index|create table|alter table)\b/i, (m) => m.toUpperCase())));
    for (const name of knownMigrations) await migrations[name]!.up(db);
    return statements.flatMap((sql): SchemaObject[] => {
      const table = /^create table "?([^"\s(]+)"?/i.exec(sql)?.[1];
      if (table !== undefined) return [{ type: 'table', name: table, table, sql }];
      const index = /^create (?:unique )?index "?([^"\s]+)"? on "?([^"\s]+)"?/i.exec(sql);
      if (index) return [{ type: 'index', name: index[1]!, table: index[2]!, sql }];
      const altered = /^alter table "?([^"\s]+)"?/i.exec(sql)?.[1];
      if (altered !== undefined) return [{ type: 'alter', name: altered, table: altered, sql }];
      if (/^create function "?json_valid"?\(/i.test(sql)) return [{ type: 'function', name: 'json_valid', table: '', sql }];
      return []; // confctl's bookkeeping: the stamps' functions, triggers and rows
    }).filter((o) => !isBookkeeping(o.table) && !isBookkeeping(o.name));
  }
  const db = openDatabase(':memory:', { busyTimeout: 0 });
  try {
    for (const name of knownMigrations) await migrations[name]!.up(db);
    return rawStatements(db)
      .prepare("SELECT type, name, tbl_name AS \"table\", sql FROM sqlite_schema WHERE sql IS NOT NULL AND name NOT LIKE 'sqlite_%' AND type IN ('table', 'index') ORDER BY rowid")
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

export async function sqlCreate(dialect: Backend, apps: readonly string[], what: { tables: boolean; indexes: boolean }): Promise<string[]> {
  const all = await schemaObjects(dialect);
  const objects = all.filter(inApps(apps));
  const tables = objects.filter((o) => o.type === 'table' || o.type === 'alter');
  return [
    // The tables' checks call json_valid, which PostgreSQL has only once a migration created it.
    ...(what.tables && tables.length > 0 ? all.filter((o) => o.type === 'function').map((o) => `${o.sql};`) : []),
    ...(what.tables ? tables.map((o) => `${o.sql};`) : []),
    ...(what.indexes ? objects.filter((o) => o.type === 'index').map((o) => `${o.sql};`) : []),
  ];
}

/** Django's sqlall: the tables, then the apps' custom SQL, then the indexes. */
export async function sqlAll(dialect: Backend, apps: readonly string[], sqlDir: string): Promise<string[]> {
  return [...(await sqlCreate(dialect, apps, { tables: true, indexes: false })), ...sqlCustom(dialect, apps, sqlDir), ...(await sqlCreate(dialect, apps, { tables: false, indexes: true }))];
}

/** DROP TABLE, last created first; on PostgreSQL with CASCADE, as Django's schema editor drops a table (other apps' foreign keys to it go too). */
export async function sqlClear(dialect: Backend, apps: readonly string[]): Promise<string[]> {
  const tables = (await schemaObjects(dialect)).filter(inApps(apps)).filter((o) => o.type === 'table');
  return tables.toReversed().map((o) => `DROP TABLE "${o.name}"${dialect === 'postgres' ? ' CASCADE' : ''};`);
}

const hasIdSequence = (o: SchemaObject) => o.type === 'table' && (/autoincrement/i.test(o.sql) || /"id" serial/i.test(o.sql));

/** What flush runs: every table emptied, last created first, and the id sequences started again. */
export async function sqlFlush(dialect: Backend): Promise<string[]> {
  const objects = (await schemaObjects(dialect)).filter((o) => o.type === 'table');
  const tables = objects.map((o) => o.name);
  const deletes = tables.toReversed().map((t) => `DELETE FROM "${t}";`);
  if (dialect === 'postgres') return [...deletes, ...objects.filter(hasIdSequence).map((o) => `SELECT setval(pg_get_serial_sequence('"${o.name}"', 'id'), 1, false);`)];
  return [...deletes, `DELETE FROM sqlite_sequence WHERE name IN (${tables.map((t) => `'${t}'`).join(', ')});`];
}

/**
 * Sets each table's id sequence to its largest id: on PostgreSQL Django's own statements; on
 * SQLite (where Django prints nothing) what SQLite would need.
 */
export async function sqlSequenceReset(dialect: Backend, apps: readonly string[]): Promise<string[]> {
  const tables = (await schemaObjects(dialect)).filter(inApps(apps)).filter(hasIdSequence);
  return tables.map((o) =>
    dialect === 'postgres'
      ? `SELECT setval(pg_get_serial_sequence('"${o.name}"','id'), coalesce(max("id"), 1), max("id") IS NOT null) FROM "${o.name}";`
      : `UPDATE sqlite_sequence SET seq = (SELECT coalesce(max("id"), 0) FROM "${o.name}") WHERE name = '${o.name}';`,
  );
}

/** The statements of `<sql dir>/<model>.sql` (and `<model>.sqlite3.sql`, or `<model>.postgresql.sql`) for each model of the apps. */
export function sqlCustom(dialect: Backend, apps: readonly string[], sqlDir: string): string[] {
  const statements: string[] = [];
  for (const model of MODELS.filter((m) => apps.some((app) => m.label.startsWith(`${app}.`)))) {
    const name = model.label.split('.')[1]!.toLowerCase();
    for (const file of [`${name}.sql`, `${name}.${dialect === 'postgres' ? 'postgresql' : 'sqlite3'}.sql`]) {
      const path = join(sqlDir, file);
      if (!existsSync(path)) continue;
      const text = readFileSync(path, 'utf8').replace(/^\s*--.*$/gm, '').trim();
      if (text) statements.push(...text.split(/;\s*(?:\n|$)/).map((s) => s.trim()).filter(Boolean).map((s) => `${s};`));
    }
  }
  return statements;
}

/**
 * The SQL a migration runs (or, backwards, its reversal), recorded from a database migrated up to
 * just before it (or through it): an in-memory SQLite one, or PostgreSQL's statements without a server.
 */
export async function sqlMigrate(dialect: Backend, name: string, backwards: boolean): Promise<string[]> {
  const migration = migrations[name];
  if (!migration) throw new CommandError(`Cannot find a migration matching '${name}' from app 'confctl'.`);
  if (backwards && !migration.down) throw new CommandError(`Migration ${name} is not reversible.`);
  const statements: string[] = [];
  let recording = false;
  const record = (sql: string) => recording && statements.push(`${sql};`);
  const db = dialect === 'postgres' ? await recordingPostgres(record) : openDatabase(':memory:', { busyTimeout: 0, onQuery: record });
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

const keywords = /\b(CREATE|FUNCTION|TRIGGER|RETURNS|TABLE|INDEX|UNIQUE|ON|DROP|DELETE|FROM|WHERE|IN|UPDATE|SET|SELECT|INSERT|INTO|VALUES|NOT|NULL|PRIMARY|KEY|AUTOINCREMENT|REFERENCES|DEFAULT|CHECK|BEGIN|COMMIT|ALTER|ADD|COLUMN|CONSTRAINT|COLLATE|NOCASE|AND|OR|IS|CASCADE|RESTRICT)\b/gi;

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
