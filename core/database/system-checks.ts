import { sql, type Kysely } from 'kysely';
import { existsSync, statSync } from 'node:fs';
import { backendOf, queries } from '../../db/connection.ts';
import type { Database } from '../../db/schema.ts';
import type { MigrationStatus } from '../../db/migrator.ts';
import type { CheckMessage } from './checks.ts';
import { danglingRows, foreignKeysOnServer } from '../data/keys.ts';
import { siteUrlIsDefault, type Settings } from '../common/settings.ts';

/**
 * What `check` verifies: the folders in the settings are usable, the database opens, is fully
 * migrated, and holds no broken foreign keys. Settings errors never get here: loading them throws.
 */
export async function runSystemChecks(input: {
  settings: Settings;
  db: Kysely<Database> | null;
  status: readonly MigrationStatus[];
}): Promise<CheckMessage[]> {
  const { settings, db, status } = input;
  const messages: CheckMessage[] = [];
  const { dataDir } = settings;
  if (existsSync(dataDir) && !statSync(dataDir).isDirectory()) {
    messages.push({ id: 'confctl.E001', level: 'ERROR', message: `The data folder ${dataDir} is not a folder.` });
  }
  if (db === null) {
    messages.push({
      id: 'confctl.E002',
      level: 'ERROR',
      message: `The database ${settings.databaseLabel} does not exist.`,
      hint: 'Run "confctl migrate" to create it.',
    });
    return messages;
  }
  const pending = status.filter((m) => !m.applied);
  if (pending.length > 0) {
    messages.push({
      id: 'confctl.E003',
      level: 'ERROR',
      message: `You have ${pending.length} unapplied migration(s): ${pending.map((m) => m.name).join(', ')}.`,
      hint: 'Run "confctl migrate" to apply them.',
    });
    return messages;
  }
  const postgres = backendOf(db) === 'postgres';
  const broken = postgres ? await orphans(db) : (await sql<{ table: string }>`PRAGMA foreign_key_check`.execute(db)).rows;
  const tables = [...new Set(broken.map((r) => r.table))].sort();
  if (tables.length > 0) {
    messages.push({
      id: 'confctl.E004',
      level: 'ERROR',
      message: `${broken.length} row(s) point at rows that do not exist, in: ${tables.join(', ')}.`,
      hint: postgres
        ? 'PostgreSQL checks every key at commit: they were written with the checks switched off (session_replication_role = replica, or DISABLE TRIGGER ALL).'
        : 'Run "confctl dbshell -c \'PRAGMA foreign_key_check\'" to list them.',
    });
  }
  if (siteUrlIsDefault(settings)) {
    const published = await db.selectFrom('event_event').select((eb) => eb.fn.countAll<number>().as('n')).where('is_public', '=', 1).executeTakeFirst();
    const n = Number(published?.n ?? 0);
    if (n > 0) {
      messages.push({
        id: 'confctl.W001',
        level: 'WARNING',
        message: `${n} public event(s), but no site URL is set: their feeds, calendar UIDs and API links point at ${settings.values['site.url']}.`,
        hint: 'Set [site] url = "https://…" in the settings file (export_schedule_html also takes --site-url).',
      });
    }
  }
  return messages;
}

/** PRAGMA foreign_key_check on PostgreSQL: a row per value of a foreign key that no row holds. */
async function orphans(db: Kysely<Database>): Promise<{ table: string }[]> {
  const q = queries(db);
  const rows: { table: string }[] = [];
  for (const k of await foreignKeysOnServer(q)) {
    const [[n]] = (await q.values(`SELECT count(*) ${danglingRows(k)}`)) as [[number]];
    for (let i = 0; i < Number(n); i++) rows.push({ table: k.table });
  }
  return rows;
}
