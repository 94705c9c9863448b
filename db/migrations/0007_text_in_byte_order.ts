import { PostgresAdapter, sql, type Kysely } from 'kysely';

/** Whether the migration runs on PostgreSQL (else SQLite). */
const onPostgres = (db: Kysely<any>) => db.getExecutor().adapter instanceof PostgresAdapter;

/**
 * Many PostgreSQL servers are set up with a language's collation (en_US.UTF-8, ICU's en-US), where
 * "B" sorts after "a" and a dash weighs less than a letter; SQLite compares text byte by byte. An
 * event list, an API page or a dump of text keys came out in another order than on SQLite. Every
 * text column now has the collation "C" (byte order, and ASCII-only lower(), as SQLite's): the same
 * order and the same comparisons on both, whatever the database's default. Its indexes are rebuilt
 * with it. SQLite keeps its columns: nothing changes there. Frozen history: never edit.
 */
export const description = 'PostgreSQL: text columns sort and compare byte by byte (collation "C"), as on SQLite';

/** Every column of a text type in the schema, with its full type (varchar(16), text, …). */
async function textColumns(db: Kysely<any>): Promise<{ table: string; column: string; type: string }[]> {
  const { rows } = await sql<{ table: string; column: string; type: string }>`
    SELECT c.relname AS "table", a.attname AS "column", format_type(a.atttypid, a.atttypmod) AS "type"
    FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid JOIN pg_namespace n ON n.oid = c.relnamespace
    WHERE n.nspname = current_schema() AND c.relkind = 'r' AND a.attnum > 0 AND NOT a.attisdropped
      AND a.atttypid IN ('text'::regtype, 'varchar'::regtype, 'bpchar'::regtype)
    ORDER BY c.relname, a.attnum`.execute(db);
  return rows;
}

async function collate(db: Kysely<any>, collation: string): Promise<void> {
  for (const { table, column, type } of await textColumns(db)) {
    await sql`ALTER TABLE ${sql.id(table)} ALTER COLUMN ${sql.id(column)} TYPE ${sql.raw(type)} COLLATE ${sql.id(collation)}`.execute(db);
  }
}

export async function up(db: Kysely<any>): Promise<void> {
  if (onPostgres(db)) await collate(db, 'C');
}

export async function down(db: Kysely<any>): Promise<void> {
  if (onPostgres(db)) await collate(db, 'default');
}
