import { sql, type Kysely } from 'kysely';
import { Migrator, type MigrationResultSet } from 'kysely/migration';
import { CommandError, errorMessage } from '../core/common/errors.ts';
import { backendOf, rawStatements } from './connection.ts';
import type { Database } from './schema.ts';
import { migrations } from './migrations/index.ts';

/** History tables, named for confctl; dumpdata and flush leave them alone. */
export const MIGRATION_TABLE = 'confctl_migration';
export const MIGRATION_LOCK_TABLE = 'confctl_migration_lock';
export const APP_LABEL = 'confctl';
/** The change counter per event (0002_event_stamps); like the history, flush never empties it (stamps only grow). */
export const EVENT_STAMP_TABLE = 'confctl_eventstamp';
/** confctl's own bookkeeping (tables, and the triggers that keep the stamps), not the application's data. */
export const isBookkeeping = (name: string) => name.startsWith('confctl_');

export interface MigrationStatus {
  readonly name: string;
  readonly description: string;
  readonly applied: boolean;
  /** When it was applied (ISO 8601), or null. */
  readonly appliedAt: string | null;
  readonly reversible: boolean;
}

export interface MigrationStep {
  readonly name: string;
  readonly direction: 'up' | 'down';
  readonly description: string;
}

export const knownMigrations = Object.keys(migrations).sort();

/** The migrations recorded as applied, name → when, in the order they were applied. */
async function appliedMigrations(db: Kysely<any> | null): Promise<Map<string, string>> {
  if (db === null) return new Map();
  if (!(await tableExists(db, MIGRATION_TABLE))) return new Map();
  const rows = await db.selectFrom(MIGRATION_TABLE).select(['name', 'timestamp']).orderBy('timestamp').orderBy('name').execute();
  return new Map(rows.map((r) => [String(r.name), String(r.timestamp)]));
}

/**
 * Every known migration and whether it is applied (none, for a database that does not exist yet). A database that records a migration this
 * binary does not know was migrated by a newer confctl: refuse to touch it.
 */
export async function migrationStatus(db: Kysely<any> | null): Promise<MigrationStatus[]> {
  const applied = await appliedMigrations(db);
  const unknown = [...applied.keys()].filter((name) => !(name in migrations));
  if (unknown.length > 0) {
    throw new CommandError(newerMessage(unknown));
  }
  return knownMigrations.map((name) => {
    const m = migrations[name]!;
    const appliedAt = applied.get(name) ?? null;
    return { name, description: m.description, applied: appliedAt !== null, appliedAt, reversible: m.down !== undefined };
  });
}

const newerMessage = (unknown: string[]) =>
  `The database has migration ${unknown.join(', ')} applied, which this confctl does not know: ` +
  'it was migrated by a newer confctl. Use that version, or a backup made before the upgrade.';

/** Whether `name` is a table of the database (of its current schema, on PostgreSQL). */
export async function tableExists(db: Kysely<any>, name: string): Promise<boolean> {
  const query =
    backendOf(db) === 'postgres'
      ? sql<{ n: number }>`SELECT count(*)::int AS n FROM pg_catalog.pg_tables WHERE schemaname = current_schema() AND tablename = ${name}`
      : sql<{ n: number }>`SELECT count(*) AS n FROM sqlite_schema WHERE type = 'table' AND name = ${name}`;
  return ((await query.execute(db)).rows[0]?.n ?? 0) > 0;
}

/**
 * A command's first look at its SQLite database: every known migration applied, or one CommandError
 * saying to run migrate (read synchronously, before the command does anything).
 */
export function assertMigrated(db: Kysely<Database>, path: string): void {
  const raw = rawStatements(db);
  const hasTable = raw.prepare(`SELECT count(*) FROM sqlite_schema WHERE type = 'table' AND name = '${MIGRATION_TABLE}'`).values()[0]![0] !== 0;
  checkApplied(new Set(hasTable ? raw.prepare(`SELECT name FROM "${MIGRATION_TABLE}"`).values().map((r) => String(r[0])) : []), path);
}

/** The same, for a PostgreSQL database (`where` names it). */
export async function assertServerMigrated(db: Kysely<Database>, where: string): Promise<void> {
  checkApplied(new Set((await appliedMigrations(db)).keys()), where);
}

function checkApplied(applied: Set<string>, path: string): void {
  const unknown = [...applied].filter((name) => !(name in migrations)).sort();
  if (unknown.length > 0) throw new CommandError(newerMessage(unknown));
  const pending = knownMigrations.filter((name) => !applied.has(name));
  if (pending.length === knownMigrations.length) throw new CommandError(`The database ${path} is not migrated: run "confctl migrate" first.`);
  if (pending.length > 0) throw new CommandError(`The database ${path} has unapplied migrations (${pending.join(', ')}): run "confctl migrate" first.`);
}

/** Resolves `zero`, a full name or a unique prefix (`0001`) as Django does. */
export function resolveTarget(target: string): string | null {
  if (target === 'zero') return null;
  if (target in migrations) return target;
  const matches = knownMigrations.filter((name) => name.startsWith(target));
  if (matches.length > 1) {
    throw new CommandError(
      `More than one migration matches '${target}' in app '${APP_LABEL}'. Please be more specific.`,
    );
  }
  if (matches.length === 0) {
    throw new CommandError(`Cannot find a migration matching '${target}' from app '${APP_LABEL}'.`);
  }
  return matches[0]!;
}

/**
 * The steps that bring the database to `target` (a migration name, null = zero, undefined = the
 * latest): pending migrations up in order, or applied ones down in reverse order.
 */
export function planMigrations(status: readonly MigrationStatus[], target?: string | null): MigrationStep[] {
  const goal = target === undefined ? status.length : target === null ? 0 : status.findIndex((m) => m.name === target) + 1;
  const steps: MigrationStep[] = [];
  status.forEach((m, i) => {
    if (i < goal && !m.applied) steps.push({ name: m.name, direction: 'up', description: m.description });
  });
  status.toReversed().forEach((m) => {
    const i = status.indexOf(m);
    if (i >= goal && m.applied) {
      if (!m.reversible) throw new CommandError(`Migration ${m.name} is not reversible.`);
      steps.push({ name: m.name, direction: 'down', description: m.description });
    }
  });
  return steps;
}

/** Applies or unapplies one migration, in its own transaction. */
export async function runStep(db: Kysely<any>, step: MigrationStep): Promise<void> {
  const migrator = new Migrator({
    db,
    provider: { getMigrations: async () => migrations },
    migrationTableName: MIGRATION_TABLE,
    migrationLockTableName: MIGRATION_LOCK_TABLE,
  });
  const result: MigrationResultSet = step.direction === 'up' ? await migrator.migrateUp() : await migrator.migrateDown();
  if (result.error !== undefined) {
    throw new CommandError(`Migration ${step.name} failed: ${errorMessage(result.error)}`, { cause: result.error });
  }
  const done = result.results?.find((r) => r.migrationName === step.name && r.status === 'Success');
  if (done === undefined) {
    throw new CommandError(`Migration ${step.name} did not run: the database changed while migrating.`);
  }
}
