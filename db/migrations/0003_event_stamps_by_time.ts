import { PostgresAdapter, sql, type Kysely } from 'kysely';

/** Whether the migration runs on PostgreSQL (else SQLite). */
const onPostgres = (db: Kysely<any>) => db.getExecutor().adapter instanceof PostgresAdapter;

/**
 * The event stamps of 0002 counted up from 1, so after a backup was restored (or the migrations
 * were taken back and forth) a later change could give an event a stamp a running server had
 * already seen, and it went on serving the pages it had built then. Now a change sets the stamp from
 * the clock (or one more than before, if that is larger), so a change after a restore gets a stamp
 * above any given before it. The triggers also create a missing row instead of changing nothing. Frozen history: never edit.
 *
 * On PostgreSQL the functions behind 0002's triggers get the new statements (the triggers stay).
 */
export const description = 'Event stamps from the clock (never given twice, also after a restore); the triggers create a missing stamp row';

const STAMPS = 'confctl_eventstamp';
/**
 * Milliseconds since 1970 times 1000, in SQLite: a change sets max(stamp + 1, NOW), and the room
 * for 1000 changes a millisecond keeps a burst of changes (a sync writing a row each) from running
 * the stamps ahead of the clock, which a restore followed by a change would then repeat.
 */
const NOW = "(CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER) * 1000)";

const direct = ['schedule_room', 'submission_track', 'submission_submissiontype', 'submission_tag', 'schedule_schedule', 'submission_submission', 'person_speakerprofile'];
const through: [table: string, column: string, parent: string][] = [
  ['schedule_talkslot', 'schedule_id', 'schedule_schedule'],
  ['submission_speakerrole', 'submission_id', 'submission_submission'],
  ['submission_submission_tags', 'submission_id', 'submission_submission'],
];

/** Every trigger of 0002 (and of this one: the same names): name, table, operation, the events it bumps. */
function triggers(): [name: string, table: string, op: 'INSERT' | 'UPDATE' | 'DELETE', events: string[]][] {
  const out: ReturnType<typeof triggers> = [];
  const each = (table: string, event: (row: 'NEW' | 'OLD') => string) => {
    out.push([`confctl_stamp_${table}_insert`, table, 'INSERT', [event('NEW')]]);
    out.push([`confctl_stamp_${table}_update`, table, 'UPDATE', [event('OLD'), event('NEW')]]);
    out.push([`confctl_stamp_${table}_delete`, table, 'DELETE', [event('OLD')]]);
  };
  each('event_event', (row) => `${row}.id`);
  for (const table of direct) each(table, (row) => `${row}.event_id`);
  for (const [table, column, parent] of through) each(table, (row) => `(SELECT event_id FROM ${parent} WHERE id = ${row}.${column})`);
  return out;
}

/** NOW on PostgreSQL: the same microseconds, from the clock. */
const PG_NOW = '((floor(extract(epoch FROM clock_timestamp()) * 1000))::bigint * 1000)';

/** A trigger function's new body on PostgreSQL (0002 made the functions and their triggers). */
async function postgresFunction(db: Kysely<any>, name: string, body: string): Promise<void> {
  await sql`CREATE OR REPLACE FUNCTION ${sql.id(name)}() RETURNS trigger LANGUAGE plpgsql AS ${sql.raw(`$$BEGIN ${body} RETURN NULL; END$$`)}`.execute(db);
}

export async function up(db: Kysely<any>): Promise<void> {
  if (onPostgres(db)) {
    for (const [name, , , events] of triggers()) {
      const rows = events.map((e) => `SELECT ${e} AS event_id`).join(' UNION ');
      await postgresFunction(db, name, `INSERT INTO "${STAMPS}" ("event_id", "stamp") SELECT "event_id", ${PG_NOW} FROM (${rows}) AS changed WHERE "event_id" IS NOT NULL ON CONFLICT ("event_id") DO UPDATE SET "stamp" = greatest("${STAMPS}"."stamp" + 1, excluded."stamp");`);
    }
    await sql`UPDATE ${sql.id(STAMPS)} SET "stamp" = greatest("stamp" + 1, ${sql.raw(PG_NOW)})`.execute(db);
    await sql`INSERT INTO ${sql.id(STAMPS)} ("event_id", "stamp") SELECT "id", ${sql.raw(PG_NOW)} FROM "event_event" ON CONFLICT DO NOTHING`.execute(db);
    return;
  }
  for (const [name] of triggers()) await sql`DROP TRIGGER IF EXISTS ${sql.id(name)}`.execute(db);
  for (const [name, table, op, events] of triggers()) {
    const rows = events.map((e) => `SELECT ${e} AS event_id`).join(' UNION ');
    await sql`CREATE TRIGGER ${sql.id(name)} AFTER ${sql.raw(op)} ON ${sql.id(table)} FOR EACH ROW BEGIN INSERT INTO ${sql.id(STAMPS)} ("event_id", "stamp") SELECT "event_id", ${sql.raw(NOW)} FROM (${sql.raw(rows)}) WHERE "event_id" IS NOT NULL ON CONFLICT ("event_id") DO UPDATE SET "stamp" = max("stamp" + 1, excluded."stamp"); END`.execute(db);
  }
  await sql`UPDATE ${sql.id(STAMPS)} SET "stamp" = max("stamp" + 1, ${sql.raw(NOW)})`.execute(db);
  await sql`INSERT OR IGNORE INTO ${sql.id(STAMPS)} ("event_id", "stamp") SELECT "id", ${sql.raw(NOW)} FROM "event_event"`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  if (onPostgres(db)) {
    for (const [name, , , events] of triggers()) {
      const create = name === 'confctl_stamp_event_event_insert' ? `INSERT INTO "${STAMPS}" ("event_id", "stamp") VALUES (NEW.id, 0) ON CONFLICT DO NOTHING; ` : '';
      await postgresFunction(db, name, `${create}UPDATE "${STAMPS}" SET "stamp" = "stamp" + 1 WHERE "event_id" IN (${events.join(', ')});`);
    }
    return;
  }
  for (const [name] of triggers()) await sql`DROP TRIGGER ${sql.id(name)}`.execute(db);
  // 0002's triggers, as 0002 made them.
  for (const [name, table, op, events] of triggers()) {
    const create = name === 'confctl_stamp_event_event_insert' ? sql`INSERT OR IGNORE INTO ${sql.id(STAMPS)} ("event_id", "stamp") VALUES (NEW.id, 0); ` : sql``;
    await sql`CREATE TRIGGER ${sql.id(name)} AFTER ${sql.raw(op)} ON ${sql.id(table)} FOR EACH ROW BEGIN ${create}UPDATE ${sql.id(STAMPS)} SET "stamp" = "stamp" + 1 WHERE "event_id" IN (${sql.raw(events.join(', '))}); END`.execute(db);
  }
}
