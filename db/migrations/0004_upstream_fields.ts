import { sql, type Kysely } from 'kysely';

/**
 * What a schedule feed (c3voc schedule.json, frab schedule.xml) says of a talk slot, a speaker or a
 * room beyond what the pretalx model holds: its identifiers (guid, id, slug, url, person guid…) and
 * the fields confctl does not model (links, attachments, logo, subtitle, a room's stream id…), kept
 * as JSON so that the feeds write them back unchanged. NULL for objects that did not come from a
 * feed. Frozen history: never edit.
 */
export const description = "Keep what a schedule feed says of slots, speakers and rooms beyond the model (identifiers, links, attachments…), to write it back";

const TABLES = ['schedule_talkslot', 'person_speakerprofile', 'schedule_room'];

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
