import { PostgresAdapter, sql, type Kysely } from 'kysely';

/** Whether the migration runs on PostgreSQL (else SQLite). */
const onPostgres = (db: Kysely<any>) => db.getExecutor().adapter instanceof PostgresAdapter;

/**
 * A change counter per event, kept by triggers: every insert, update or delete of a row that an
 * event's pages or API answers show bumps that event's stamp, whoever writes it (confctl, Django, the
 * sqlite3 shell). runserver compares stamps to know which events' cached pages went stale, instead of
 * dropping every event's pages whenever anything is committed. Frozen history: never edit.
 *
 * On PostgreSQL each trigger runs a function of the same name with the same statements (a stamp
 * is a bigint there: 0003 counts microseconds since 1970).
 */
export const description = "Count changes per event (confctl_eventstamp, kept by triggers), so that a server rebuilds only a changed event's pages";

export const STAMP_TABLE = 'confctl_eventstamp';

/** Tables with an event_id, and how the rows of the others find their event. */
const direct = ['schedule_room', 'submission_track', 'submission_submissiontype', 'submission_tag', 'schedule_schedule', 'submission_submission', 'person_speakerprofile'];
const through: [table: string, column: string, parent: string][] = [
  ['schedule_talkslot', 'schedule_id', 'schedule_schedule'],
  ['submission_speakerrole', 'submission_id', 'submission_submission'],
  ['submission_submission_tags', 'submission_id', 'submission_submission'],
];

/** Every trigger: name, table, operation, the events (SQL expressions of NEW/OLD) it bumps. */
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

/** The trigger's statements on PostgreSQL, as a plpgsql function of its name. */
async function postgresTrigger(db: Kysely<any>, name: string, table: string, op: string, events: string[]): Promise<void> {
  const create = name === 'confctl_stamp_event_event_insert' ? `INSERT INTO "${STAMP_TABLE}" ("event_id", "stamp") VALUES (NEW.id, 0) ON CONFLICT DO NOTHING; ` : '';
  const body = `BEGIN ${create}UPDATE "${STAMP_TABLE}" SET "stamp" = "stamp" + 1 WHERE "event_id" IN (${events.join(', ')}); RETURN NULL; END`;
  await sql`CREATE FUNCTION ${sql.id(name)}() RETURNS trigger LANGUAGE plpgsql AS ${sql.raw(`$$${body}$$`)}`.execute(db);
  await sql`CREATE TRIGGER ${sql.id(name)} AFTER ${sql.raw(op)} ON ${sql.id(table)} FOR EACH ROW EXECUTE FUNCTION ${sql.id(name)}()`.execute(db);
}

export async function up(db: Kysely<any>): Promise<void> {
  if (onPostgres(db)) {
    await sql`CREATE TABLE ${sql.id(STAMP_TABLE)} ("event_id" integer NOT NULL PRIMARY KEY, "stamp" bigint NOT NULL DEFAULT 0)`.execute(db);
    await sql`INSERT INTO ${sql.id(STAMP_TABLE)} ("event_id", "stamp") SELECT "id", 1 FROM "event_event"`.execute(db);
    for (const [name, table, op, events] of triggers()) await postgresTrigger(db, name, table, op, events);
    return;
  }
  await sql`CREATE TABLE ${sql.id(STAMP_TABLE)} ("event_id" integer NOT NULL PRIMARY KEY, "stamp" integer NOT NULL DEFAULT 0)`.execute(db);
  await sql`INSERT INTO ${sql.id(STAMP_TABLE)} ("event_id", "stamp") SELECT "id", 1 FROM "event_event"`.execute(db);
  for (const [name, table, op, events] of triggers()) {
    // A new event gets its row; every other change bumps the rows of the events it touches.
    const create = name === 'confctl_stamp_event_event_insert' ? sql`INSERT OR IGNORE INTO ${sql.id(STAMP_TABLE)} ("event_id", "stamp") VALUES (NEW.id, 0); ` : sql``;
    await sql`CREATE TRIGGER ${sql.id(name)} AFTER ${sql.raw(op)} ON ${sql.id(table)} FOR EACH ROW BEGIN ${create}UPDATE ${sql.id(STAMP_TABLE)} SET "stamp" = "stamp" + 1 WHERE "event_id" IN (${sql.raw(events.join(', '))}); END`.execute(db);
  }
}

export async function down(db: Kysely<any>): Promise<void> {
  if (onPostgres(db)) {
    for (const [name, table] of triggers()) {
      await sql`DROP TRIGGER ${sql.id(name)} ON ${sql.id(table)}`.execute(db);
      await sql`DROP FUNCTION ${sql.id(name)}()`.execute(db);
    }
    await sql`DROP TABLE ${sql.id(STAMP_TABLE)}`.execute(db);
    return;
  }
  for (const [name] of triggers()) await sql`DROP TRIGGER ${sql.id(name)}`.execute(db);
  await sql`DROP TABLE ${sql.id(STAMP_TABLE)}`.execute(db);
}
