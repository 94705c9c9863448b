import type { Kysely } from 'kysely';
import { backendOf, rawStatements } from './connection.ts';
import { EVENT_STAMP_TABLE } from './migrator.ts';

/**
 * Runs a bulk write (loaddata, flush, reset) without the triggers that keep confctl_eventstamp
 * (migrations 0002 and 0003): they cost every written row an update of the stamps (loaddata of 200,000
 * rows took 2.3 s instead of 1.35 s) and keep DELETE from emptying a table at once. Afterwards
 * they are put back and every event counts one change. Call it inside the write transaction: no
 * one else ever sees the triggers missing, and an error puts them back with the rollback.
 */
export async function withoutStampTriggers<T>(db: Kysely<any>, work: () => Promise<T> | T): Promise<T> {
  // On PostgreSQL the triggers stay: taking them away is DDL, which would lock out every reader.
  if (backendOf(db) === 'postgres') return work();
  const raw = rawStatements(db);
  const triggers = raw.prepare("SELECT name, sql FROM sqlite_schema WHERE type = 'trigger' AND name LIKE 'confctl_stamp_%' ORDER BY rowid").all<{ name: string; sql: string }>();
  for (const trigger of triggers) raw.exec(`DROP TRIGGER "${trigger.name.replaceAll('"', '""')}"`);
  const result = await work();
  for (const trigger of triggers) raw.exec(trigger.sql);
  // As the triggers do (0003): the clock (milliseconds x 1000), or one more than before if that is larger.
  const now = "(CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER) * 1000)";
  raw.exec(`UPDATE "${EVENT_STAMP_TABLE}" SET "stamp" = max("stamp" + 1, ${now})`);
  raw.exec(`INSERT OR IGNORE INTO "${EVENT_STAMP_TABLE}" ("event_id", "stamp") SELECT "id", ${now} FROM "event_event"`);
  return result;
}
