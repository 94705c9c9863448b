import type { Queries } from '../../db/connection.ts';

/** A single-column foreign key: `table.column` points at `target.key`. */
export interface ForeignKey {
  table: string;
  column: string;
  target: string;
  key: string;
}

/**
 * PostgreSQL: the foreign keys of the current schema (of these tables, if given), in the order they
 * were made. What SQLite's PRAGMA foreign_key_list says, from the catalogue.
 */
export function foreignKeysOnServer(q: Queries, tables?: readonly string[]): Promise<ForeignKey[]> {
  return q.all<ForeignKey>(
    `SELECT c.relname AS "table", a.attname AS "column", t.relname AS "target", ta.attname AS "key"
     FROM pg_constraint k JOIN pg_class c ON c.oid = k.conrelid JOIN pg_class t ON t.oid = k.confrelid JOIN pg_namespace n ON n.oid = c.relnamespace
     JOIN pg_attribute a ON a.attrelid = k.conrelid AND a.attnum = k.conkey[1] JOIN pg_attribute ta ON ta.attrelid = k.confrelid AND ta.attnum = k.confkey[1]
     WHERE k.contype = 'f' AND n.nspname = current_schema()${tables === undefined ? '' : ` AND c.relname IN (${tables.map(() => '?').join(', ')})`} ORDER BY k.oid`,
    ...(tables ?? []),
  );
}

/** The rows (as `x`) whose key points at no row: the FROM and WHERE of a query over them. */
export const danglingRows = (k: ForeignKey) =>
  `FROM "${k.table}" x WHERE x."${k.column}" IS NOT NULL AND NOT EXISTS (SELECT 1 FROM "${k.target}" y WHERE y."${k.key}" = x."${k.column}")`;
