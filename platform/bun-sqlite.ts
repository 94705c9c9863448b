import { constants as sqliteFlags, Database } from 'bun:sqlite';
import type { Dialect } from 'kysely';
import { BunSqliteDialect } from 'kysely-bun-sqlite';
import type { SqlValue, SqliteConnection, SqliteMode, SqliteStatement } from './runtime.ts';

/**
 * bun:sqlite with kysely-bun-sqlite: loaded by platform/bun.ts only when a command is about to run
 * (kysely is not needed for `--help`).
 */
type BunStatement = ReturnType<Database['prepare']>;

function statement(s: BunStatement): SqliteStatement {
  return {
    run: (...params) => {
      const r = s.run(...(params as never[]));
      return { changes: r.changes, lastInsertRowid: Number(r.lastInsertRowid) };
    },
    runWith: (params) => void s.run(params as never),
    values: (...params) => s.values(...(params as never[])) as SqlValue[][],
    all: <T>(...params: SqlValue[]) => s.all(...(params as never[])) as T[],
    get: <T>(...params: SqlValue[]) => (s.get(...(params as never[])) as T | undefined) ?? null,
    iterate: (...params) => s.iterate(...(params as never[])) as IterableIterator<Record<string, SqlValue>>,
    get columns() {
      return s.columnNames;
    },
    finalize: () => s.finalize(),
  };
}

export function open(path: string, mode: SqliteMode): Database {
  switch (mode) {
    case 'create':
      return new Database(path, { create: true, readwrite: true });
    case 'readwrite':
      return new Database(path, { readwrite: true, create: false });
    case 'readonly':
      return new Database(path, { readonly: true });
    case 'immutable': {
      const uri = `file:${path.replace(/[%?#]/g, (c) => encodeURIComponent(c))}?immutable=1`;
      return new Database(uri, sqliteFlags.SQLITE_OPEN_READONLY | sqliteFlags.SQLITE_OPEN_URI);
    }
  }
}

export function connection(sqlite: Database): SqliteConnection {
  // confctl's own statements, finalized on close; held weakly so that one-off ones can be collected.
  const own = new Set<WeakRef<BunStatement>>();
  const prepare = sqlite.prepare.bind(sqlite) as (sql: string) => BunStatement;
  // kysely-bun-sqlite prepares a statement for every query and never finalizes it: its prepare
  // gives statements that finalize themselves once they have run.
  sqlite.prepare = ((sql: string) => {
    const s = prepare(sql);
    const { all, run, iterate } = s;
    const once = <T>(result: () => T): T => {
      try {
        return result();
      } finally {
        s.finalize();
      }
    };
    s.all = ((...params: never[]) => once(() => all.apply(s, params))) as typeof all;
    s.run = ((...params: never[]) => once(() => run.apply(s, params))) as typeof run;
    s.iterate = function* (...params: never[]) {
      try {
        yield* iterate.apply(s, params);
      } finally {
        s.finalize();
      }
    } as typeof iterate;
    return s;
  }) as typeof sqlite.prepare;
  const finalizeOwn = () => {
    for (const ref of own) ref.deref()?.finalize();
    own.clear();
  };
  return {
    exec: (sql) => void sqlite.exec(sql),
    prepare(sql) {
      const s = prepare(sql);
      own.add(new WeakRef(s));
      return statement(s);
    },
    close() {
      finalizeOwn();
      sqlite.close();
    },
    dialect(): Dialect {
      const dialect = new BunSqliteDialect({ database: sqlite });
      const createDriver = dialect.createDriver.bind(dialect);
      dialect.createDriver = () => {
        const driver = createDriver();
        const destroy = driver.destroy.bind(driver);
        driver.destroy = async () => {
          finalizeOwn();
          await destroy();
        };
        return driver;
      };
      return dialect;
    },
  };
}

export function sqliteVersion(): string {
  const db = new Database(':memory:');
  try {
    return (db.query('SELECT sqlite_version() AS v').get() as { v: string }).v;
  } finally {
    db.close();
  }
}
