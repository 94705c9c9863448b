import { PostgresAdapter, sql, type Kysely } from 'kysely';

/** Whether the migration runs on PostgreSQL (else SQLite). */
const onPostgres = (db: Kysely<any>) => db.getExecutor().adapter instanceof PostgresAdapter;

/**
 * On PostgreSQL every written row made its trigger update the event's one stamp row, and in one
 * transaction each update of a row leaves a version that the next one walks past: loaddata of
 * 200,000 rows ran for many minutes, growing with the square of the rows. Now a transaction stamps
 * each event once, at its first change (a transaction-local setting lists the events stamped; a
 * rolled-back savepoint takes its entries back with its update). That is enough: a reader sees the
 * transaction's changes and the new stamp together, at its commit. SQLite updates a row in place
 * and keeps its triggers: nothing changes there. Frozen history: never edit.
 */
export const description = 'PostgreSQL: a transaction stamps each event it changes once, not once per row';

const STAMPS = 'confctl_eventstamp';

const direct = ['schedule_room', 'submission_track', 'submission_submissiontype', 'submission_tag', 'schedule_schedule', 'submission_submission', 'person_speakerprofile'];
const through: [table: string, column: string, parent: string][] = [
  ['schedule_talkslot', 'schedule_id', 'schedule_schedule'],
  ['submission_speakerrole', 'submission_id', 'submission_submission'],
  ['submission_submission_tags', 'submission_id', 'submission_submission'],
];

/** Every stamp trigger of 0002 and 0003 (their functions, on PostgreSQL, have the same names): name and the events it stamps. */
function triggers(): [name: string, events: string[]][] {
  const out: ReturnType<typeof triggers> = [];
  const each = (table: string, event: (row: 'NEW' | 'OLD') => string) => {
    out.push([`confctl_stamp_${table}_insert`, [event('NEW')]]);
    out.push([`confctl_stamp_${table}_update`, [event('OLD'), event('NEW')]]);
    out.push([`confctl_stamp_${table}_delete`, [event('OLD')]]);
  };
  each('event_event', (row) => `${row}.id`);
  for (const table of direct) each(table, (row) => `${row}.event_id`);
  for (const [table, column, parent] of through) each(table, (row) => `(SELECT event_id FROM ${parent} WHERE id = ${row}.${column})`);
  return out;
}

/** 0003's clock, in microseconds. */
const PG_NOW = '((floor(extract(epoch FROM clock_timestamp()) * 1000))::bigint * 1000)';
const UPSERT = `INSERT INTO "${STAMPS}" ("event_id", "stamp") VALUES (changed, ${PG_NOW}) ON CONFLICT ("event_id") DO UPDATE SET "stamp" = greatest("${STAMPS}"."stamp" + 1, excluded."stamp");`;
/** The events this transaction has stamped, as ",1,5,": empty (or never set) before its first. */
const STAMPED = "coalesce(nullif(current_setting('confctl.stamped', true), ''), ',')";

async function replaceFunction(db: Kysely<any>, name: string, body: string): Promise<void> {
  await sql`CREATE OR REPLACE FUNCTION ${sql.id(name)}() RETURNS trigger LANGUAGE plpgsql AS ${sql.raw(`$$${body}$$`)}`.execute(db);
}

export async function up(db: Kysely<any>): Promise<void> {
  if (!onPostgres(db)) return;
  for (const [name, events] of triggers()) {
    const rows = events.map((e) => `SELECT ${e} AS event_id`).join(' UNION ');
    await replaceFunction(
      db,
      name,
      `DECLARE changed bigint; BEGIN FOR changed IN SELECT event_id FROM (${rows}) AS affected WHERE event_id IS NOT NULL LOOP ` +
        `IF strpos(${STAMPED}, ',' || changed || ',') = 0 THEN ${UPSERT} PERFORM set_config('confctl.stamped', ${STAMPED} || changed || ',', true); END IF; ` +
        'END LOOP; RETURN NULL; END',
    );
  }
}

export async function down(db: Kysely<any>): Promise<void> {
  if (!onPostgres(db)) return;
  // 0003's bodies.
  for (const [name, events] of triggers()) {
    const rows = events.map((e) => `SELECT ${e} AS event_id`).join(' UNION ');
    await replaceFunction(
      db,
      name,
      `BEGIN INSERT INTO "${STAMPS}" ("event_id", "stamp") SELECT "event_id", ${PG_NOW} FROM (${rows}) AS changed WHERE "event_id" IS NOT NULL ON CONFLICT ("event_id") DO UPDATE SET "stamp" = greatest("${STAMPS}"."stamp" + 1, excluded."stamp"); RETURN NULL; END`,
    );
  }
}
