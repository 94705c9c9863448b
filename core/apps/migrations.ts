// Apps' migrations: each app's own tables, named <label>_…, made by its migrations in order. Their
// history is a table of its own (confctl's history holds confctl's migrations only, so that a command
// run without the app, or by an older confctl, never takes an app's migration for a newer confctl's).
import { sql, type Kysely } from 'kysely';
import { backendOf } from '../../db/connection.ts';
import { tableExists } from '../../db/migrator.ts';
import { CommandError, errorMessage } from '../common/errors.ts';
import type { AppMigration } from './api.ts';
import type { LoadedApp } from './loader.ts';
import { appDatabase } from './statement.ts';

export const APP_MIGRATION_TABLE = 'confctl_appmigration';

export interface AppMigrationStatus {
  app: LoadedApp;
  migration: AppMigration;
  applied: string | null;
}

async function history(db: Kysely<any>): Promise<Map<string, string>> {
  if (!(await tableExists(db, APP_MIGRATION_TABLE))) return new Map();
  const rows = await db.selectFrom(APP_MIGRATION_TABLE).select(['app', 'name', 'applied']).execute();
  return new Map(rows.map((r) => [`${r.app}.${r.name}`, String(r.applied)]));
}

/** Every installed app's migrations, in order, and when each was applied (null: not yet). */
export async function appMigrationStatus(db: Kysely<any> | null, apps: readonly LoadedApp[]): Promise<AppMigrationStatus[]> {
  const applied = db === null ? new Map<string, string>() : await history(db);
  return apps.flatMap((app) => (app.definition.migrations ?? []).map((migration) => ({ app, migration, applied: applied.get(`${app.label}.${migration.name}`) ?? null })));
}

/**
 * Every schema object and the table it belongs to: tables, views, indexes and triggers with their
 * definition (SQLite: sqlite_schema; PostgreSQL: relations with their columns, indexes and triggers by
 * their table). What a migration may change is what belongs to its own tables.
 */
async function schemaObjects(db: Kysely<any>): Promise<Map<string, string>> {
  const query =
    backendOf(db) === 'postgres'
      ? sql<{ owner: string; object: string }>`
          SELECT c.relname AS owner, c.relkind::text || ' ' || c.relname || ' ' || coalesce((SELECT string_agg(a.attname || ' ' || format_type(a.atttypid, a.atttypmod) || CASE WHEN a.attnotnull THEN ' not null' ELSE '' END, ', ' ORDER BY a.attnum) FROM pg_catalog.pg_attribute a WHERE a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped), '') AS object
          FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
          WHERE n.nspname = current_schema() AND c.relkind IN ('r', 'v', 'm', 'p')
          UNION ALL
          SELECT t.relname, 'index ' || pg_get_indexdef(i.indexrelid) FROM pg_catalog.pg_index i JOIN pg_catalog.pg_class t ON t.oid = i.indrelid JOIN pg_catalog.pg_namespace n ON n.oid = t.relnamespace WHERE n.nspname = current_schema()
          UNION ALL
          SELECT t.relname, 'trigger ' || pg_get_triggerdef(g.oid) FROM pg_catalog.pg_trigger g JOIN pg_catalog.pg_class t ON t.oid = g.tgrelid JOIN pg_catalog.pg_namespace n ON n.oid = t.relnamespace WHERE n.nspname = current_schema() AND NOT g.tgisinternal`
      : sql<{ owner: string; object: string }>`SELECT tbl_name AS owner, type || ' ' || name || ' ' || coalesce(sql, '') AS object FROM sqlite_schema WHERE name NOT LIKE 'sqlite_%'`;
  return new Map((await query.execute(db)).rows.map((r) => [r.object, r.owner]));
}

/** What a migration changed outside its own tables (<label>_…): objects made, changed or dropped. */
async function strayChanges(db: Kysely<any>, label: string, before: Map<string, string>): Promise<string[]> {
  const after = await schemaObjects(db);
  const outside = (owner: string) => !owner.startsWith(`${label}_`);
  const made = [...after].filter(([object, owner]) => outside(owner) && !before.has(object)).map(([, owner]) => owner);
  const gone = [...before].filter(([object, owner]) => outside(owner) && !after.has(object)).map(([, owner]) => owner);
  return [...new Set([...made, ...gone])].sort();
}

/**
 * Applies one app migration in its own transaction, with its history row. It may make and change only
 * tables named <label>_… (their indexes, triggers and views too): anything else it made, changed or
 * dropped (confctl's tables, another app's) rolls it back.
 */
export async function applyAppMigration(db: Kysely<any>, app: LoadedApp, migration: AppMigration, now: Date): Promise<void> {
  await sql`CREATE TABLE IF NOT EXISTS ${sql.table(APP_MIGRATION_TABLE)} (app varchar(100) NOT NULL, name varchar(255) NOT NULL, applied varchar(40) NOT NULL, PRIMARY KEY (app, name))`.execute(db);
  await db.transaction().execute(async (trx) => {
    const before = await schemaObjects(trx);
    const context = appDatabase(trx);
    try {
      await migration.up(context);
    } catch (error) {
      throw new CommandError(`Migration ${app.label}.${migration.name} failed: ${errorMessage(error)}`);
    }
    const stray = await strayChanges(trx, app.label, before);
    if (stray.length > 0) throw new CommandError(`Migration ${app.label}.${migration.name} changed ${stray.join(', ')}, outside its own tables: an app makes and changes only tables named ${app.label}_… (nothing was applied).`);
    await trx.insertInto(APP_MIGRATION_TABLE).values({ app: app.label, name: migration.name, applied: now.toISOString() }).execute();
  });
}
