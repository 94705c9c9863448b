import type { Kysely } from 'kysely';
import { statementCache, type SqlValue } from './connection.ts';
import type { Database, NewRow, RowUpdate, TableName } from './schema.ts';

/**
 * Row writes through statements prepared once per table and set of columns, on the connection
 * (and so inside the transaction) behind `db`. For bulk paths such as a sync, where building every
 * query with kysely costs more than SQLite's own work. Table and column names come from code, never
 * from data; values are bound.
 */
export interface RowWriter {
  /** Adds a row and returns its id. */
  insert<T extends TableName>(table: T, values: NewRow<T>): number;
  update<T extends TableName>(table: T, id: number, values: RowUpdate<T>): void;
  /** Deletes the rows whose `column` is `value`; returns how many. */
  delete<T extends TableName>(table: T, column: keyof Database[T] & string, value: SqlValue): number;
}

export function rowWriter(db: Kysely<Database>): RowWriter {
  const prepared = statementCache(db);
  const bound = (values: object) => Object.values(values).map((v) => (v === undefined ? null : (v as SqlValue)));
  const quoted = (values: object) => Object.keys(values).map((c) => `"${c}"`);
  return {
    insert(table, values) {
      const columns = quoted(values);
      const sql = columns.length === 0 ? `INSERT INTO "${table}" DEFAULT VALUES` : `INSERT INTO "${table}" (${columns.join(', ')}) VALUES (${columns.map(() => '?').join(', ')})`;
      return prepared(sql).run(...bound(values)).lastInsertRowid;
    },
    update(table, id, values) {
      const columns = quoted(values);
      if (columns.length === 0) return;
      prepared(`UPDATE "${table}" SET ${columns.map((c) => `${c} = ?`).join(', ')} WHERE "id" = ?`).run(...bound(values), id);
    },
    delete(table, column, value) {
      return prepared(`DELETE FROM "${table}" WHERE "${column}" = ?`).run(value).changes;
    },
  };
}
