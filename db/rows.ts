import type { Kysely } from 'kysely';
import { backendOf, queries, type SqlValue } from './connection.ts';
import type { Database, NewRow, RowUpdate, TableName } from './schema.ts';

/**
 * Row writes for bulk paths such as a sync, where building every query with kysely costs more than
 * the database's own work: on SQLite through statements prepared once per table and set of columns,
 * on PostgreSQL through the transaction's connection. Pass the transaction: the writes share it.
 * Table and column names come from code, never from data; values are bound.
 */
export interface RowWriter {
  /** Adds a row and returns its id. */
  insert<T extends TableName>(table: T, values: NewRow<T>): Promise<number>;
  update<T extends TableName>(table: T, id: number, values: RowUpdate<T>): Promise<void>;
  /** Deletes the rows whose `column` is `value`; returns how many. */
  delete<T extends TableName>(table: T, column: keyof Database[T] & string, value: SqlValue): Promise<number>;
  /**
   * Deletes the row with this id unless a foreign key protects it (ON DELETE RESTRICT); whether it
   * went. The transaction goes on either way (on PostgreSQL, a savepoint keeps a refused statement
   * from aborting it).
   */
  deleteUnlessProtected<T extends TableName>(table: T, id: number): Promise<boolean>;
}

export function rowWriter(trx: Kysely<Database>): RowWriter {
  const q = queries(trx);
  const postgres = backendOf(trx) === 'postgres';
  const bound = (values: object) => Object.values(values).map((v) => (v === undefined ? null : (v as SqlValue)));
  const quoted = (values: object) => Object.keys(values).map((c) => `"${c}"`);
  const remove = (table: string, column: string, value: SqlValue) => q.run(`DELETE FROM "${table}" WHERE "${column}" = ?`, value);
  return {
    async insert(table, values) {
      const columns = quoted(values);
      const sql = columns.length === 0 ? `INSERT INTO "${table}" DEFAULT VALUES` : `INSERT INTO "${table}" (${columns.join(', ')}) VALUES (${columns.map(() => '?').join(', ')})`;
      return q.insert(sql, ...bound(values));
    },
    async update(table, id, values) {
      const columns = quoted(values);
      if (columns.length === 0) return;
      await q.run(`UPDATE "${table}" SET ${columns.map((c) => `${c} = ?`).join(', ')} WHERE "id" = ?`, ...bound(values), id);
    },
    delete: (table, column, value) => remove(table, column, value),
    async deleteUnlessProtected(table, id) {
      if (postgres) await q.run('SAVEPOINT confctl_delete');
      try {
        await remove(table, 'id', id);
      } catch (error) {
        if (!isProtected(error)) throw error;
        if (postgres) await q.run('ROLLBACK TO SAVEPOINT confctl_delete');
        return false;
      }
      if (postgres) await q.run('RELEASE SAVEPOINT confctl_delete');
      return true;
    },
  };
}

/** A foreign key refused the delete (SQLite's words, or PostgreSQL's code 23503 / 23001). */
function isProtected(error: unknown): boolean {
  const e = error as { code?: string; message?: string };
  return e.code === '23503' || e.code === '23001' || /FOREIGN KEY constraint failed/.test(e.message ?? '');
}
