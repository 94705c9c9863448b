import { sql, type Kysely } from 'kysely';

/**
 * What a schedule feed says of a schedule version (its days: date, day_start, day_end, the rooms it
 * lists that day) and of a track (slug and other fields) beyond the model, kept as JSON so that the
 * feeds, the grid and the list follow the source's own day boundaries and write the rest back. NULL
 * for versions and tracks that came from no feed. Frozen history: never edit.
 */
export const description = "Keep a schedule feed's days (their start and end) and its tracks' other fields, so that every output follows the source's day boundaries";

const TABLES = ['schedule_schedule', 'submission_track'];

export async function up(db: Kysely<any>): Promise<void> {
  for (const table of TABLES) {
    await db.schema
      .alterTable(table)
      .addColumn('upstream', 'text', (c) => c.check(sql`(json_valid("upstream") OR "upstream" IS NULL)`))
      .execute();
  }
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const table of TABLES) await db.schema.alterTable(table).dropColumn('upstream').execute();
}
