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

async function tables(db: Kysely<any>): Promise<Set<string>> {
  const query =
    backendOf(db) === 'postgres'
      ? sql<{ name: string }>`SELECT tablename AS name FROM pg_catalog.pg_tables WHERE schemaname = current_schema()`
      : sql<{ name: string }>`SELECT name FROM sqlite_schema WHERE type = 'table'`;
  return new Set((await query.execute(db)).rows.map((r) => r.name));
}

/**
 * Applies one app migration in its own transaction, with its history row. A table it makes must be
 * named <label>_…: one that is not (it could shadow confctl's, or another app's) rolls it back.
 */
export async function applyAppMigration(db: Kysely<any>, app: LoadedApp, migration: AppMigration, now: Date): Promise<void> {
  await sql`CREATE TABLE IF NOT EXISTS ${sql.table(APP_MIGRATION_TABLE)} (app varchar(100) NOT NULL, name varchar(255) NOT NULL, applied varchar(40) NOT NULL, PRIMARY KEY (app, name))`.execute(db);
  await db.transaction().execute(async (trx) => {
    const before = await tables(trx);
    const context = appDatabase(trx);
    try {
      await migration.up(context);
    } catch (error) {
      throw new CommandError(`Migration ${app.label}.${migration.name} failed: ${errorMessage(error)}`);
    }
    const stray = [...(await tables(trx))].filter((t) => !before.has(t) && !t.startsWith(`${app.label}_`));
    if (stray.length > 0) throw new CommandError(`Migration ${app.label}.${migration.name} made the table ${stray.join(', ')}: an app's tables are named ${app.label}_… (nothing was applied).`);
    await trx.insertInto(APP_MIGRATION_TABLE).values({ app: app.label, name: migration.name, applied: now.toISOString() }).execute();
  });
}
