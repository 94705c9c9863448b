import { Database as Sqlite } from 'bun:sqlite';
import { rmSync } from 'node:fs';
import type { Kysely } from 'kysely';
import { openDatabase, openPostgres, queries, type SqlValue } from '../../db/connection.ts';
import type { Database } from '../../db/schema.ts';
import type { BackendName } from './backends.ts';
import { call, type CallOptions, type CallResult } from './cli.ts';
import { canonicalDump, query as sqliteQuery } from './db.ts';
import { postgresServer } from './postgres.ts';
import { tempDir, type TempDir } from './tmp.ts';

export { BACKENDS, type BackendName } from './backends.ts';

/**
 * The fixture parameter of the in-process tier (issue 16): a working folder and a database of one
 * backend, SQLite (the default file, data/db.sqlite3 below the folder) or PostgreSQL (a fresh
 * database of the private test cluster, given to every command as CONFCTL_DATABASE, as an operator
 * sets it). A test written against a Site runs unchanged on both:
 *
 *   for (const backend of BACKENDS) describe(`create_event (${backend})`, () => {
 *     test('…', async () => {
 *       await using site = await newSite(backend);
 *       await site.migrated();
 *       expect(await site.call([...])).toEqual({ … });
 *       expect(await site.query('SELECT …')).toEqual([…]);
 *     });
 *   });
 */
export interface Site extends AsyncDisposable {
  readonly backend: BackendName;
  /** The working folder. */
  readonly path: string;
  join: TempDir['join'];
  write: TempDir['write'];
  /** The database as the -v 2 header and error lines name it. */
  readonly label: string;
  /** What a command that needs the data says before the first migrate (SQLite: no file yet; PostgreSQL: an empty database). */
  readonly unmigratedLine: string;
  /** The environment every call gets (CONFCTL_DATABASE on PostgreSQL; nothing on SQLite). */
  readonly env: Record<string, string>;
  /** Runs confctl in-process in the folder, on the site's database (`env` adds to the site's). */
  call(argv: string[], options?: Omit<CallOptions, 'cwd'>): Promise<CallResult>;
  /** Migrates the database through the real command (PostgreSQL: a copy of a database it migrated once). */
  migrated(): Promise<void>;
  /** Back to a database just migrated, whatever was written since (a test's next case). */
  reset(): Promise<void>;
  /** migrated(), then `init --noinput` with an administrator (admin@example.org) and the organiser "org". */
  initialised(): Promise<void>;
  /**
   * Rows of a query with `?` placeholders, read as confctl reads them (booleans as 1 and 0,
   * timestamps as text): the same SQL and the same rows on both backends (a write's RETURNING too).
   */
  query<T = Record<string, any>>(sql: string, ...params: SqlValue[]): Promise<T[]>;
  /** The site's database through confctl's own connection module (the caller destroys it). */
  open(): Promise<Kysely<Database>>;
  /** The names of the tables in the database, sorted. */
  tables(): Promise<string[]>;
  /** SQL for the date-time `expr` moved by `hours` (datetime(…, '+N hours'), + interval). */
  shifted(expr: string, hours: number): string;
  /** SQL for the text under `key` of the JSON text in `column` (json_extract, ->>). */
  jsonText(column: string, key: string): string;
  /** SQL that joins the values of `expr` with commas (group_concat, string_agg), in the order of the rows (SQLite) or of `orderBy` (PostgreSQL). */
  groupConcat(expr: string, orderBy?: string): string;
  /** Runs a writing statement with `?` placeholders (preparing a test's data); how many rows it changed. */
  run(sql: string, ...params: SqlValue[]): Promise<number>;
  /** Every row of every domain table, in table and key order: what must not change when a command refuses. */
  dump(): Promise<string>;
}

export const INIT_ENV = {
  DJANGO_SUPERUSER_EMAIL: 'admin@example.org',
  DJANGO_SUPERUSER_PASSWORD: 'a-long-s3cret-phrase',
  PRETALX_INIT_ORGANISER_NAME: 'Org',
  PRETALX_INIT_ORGANISER_SLUG: 'org',
};

let template: Promise<string> | null = null;

/** A database migrated once by `confctl migrate`, which CREATE DATABASE … TEMPLATE copies for each test. */
function migratedTemplate(): Promise<string> {
  template ??= (async () => {
    const pg = await postgresServer();
    const url = pg.createDatabase('confctl_migrated');
    using dir = tempDir();
    const result = await call(['migrate', '-v', '0'], { cwd: dir.path, env: { CONFCTL_DATABASE: url } });
    if (result.exitCode !== 0) throw new Error(`migrate failed: ${result.stderr}`);
    return /^postgres:\/\/\/(\w+)\?/.exec(url)![1]!;
  })();
  return template;
}

export async function newSite(backend: BackendName): Promise<Site> {
  const dir = tempDir();
  const pg = backend === 'postgres' ? await postgresServer() : null;
  // The database is made when first used: by migrated() straight from the template.
  let url = '';
  const name = () => /^postgres:\/\/\/(\w+)\?/.exec(url)![1]!;
  const database = () => {
    if (pg && url === '') url = pg.createDatabase();
    return url;
  };
  const env = (): Record<string, string> => (pg ? { CONFCTL_DATABASE: database() } : {});
  let db: Kysely<any> | null = null;
  const site: Site = {
    path: dir.path,
    join: dir.join,
    write: dir.write,
    backend,
    get label() {
      return pg ? database() : dir.join('data', 'db.sqlite3');
    },
    get env() {
      return env();
    },
    get unmigratedLine() {
      return pg
        ? `CommandError: The database ${database()} is not migrated: run "confctl migrate" first.\n`
        : `CommandError: The database ${dir.join('data', 'db.sqlite3')} does not exist: run "confctl migrate" to create it.\n`;
    },
    call: (argv, options = {}) => call(argv, { ...options, cwd: dir.path, env: { ...env(), ...options.env } }),
    async migrated() {
      if (pg) {
        const source = await migratedTemplate();
        const copy = url === '' ? pg.createDatabase('confctl_test', source) : name();
        if (url !== '') {
          await db?.destroy();
          db = null;
          pg.psql('postgres', `DROP DATABASE ${copy} WITH (FORCE)`);
          pg.psql('postgres', `CREATE DATABASE ${copy} TEMPLATE ${source}`);
        }
        url = pg.url(/^postgres:\/\/\/(\w+)\?/.exec(copy)?.[1] ?? copy);
        return;
      }
      const result = await site.call(['migrate', '-v', '0']);
      if (result.exitCode !== 0) throw new Error(`migrate failed: ${result.stderr}`);
    },
    async reset() {
      if (!pg) for (const suffix of ['', '-wal', '-shm']) rmSync(dir.join('data', `db.sqlite3${suffix}`), { force: true });
      await site.migrated();
    },
    async initialised() {
      await site.migrated();
      const result = await site.call(['init', '--noinput', '-v', '0'], { env: INIT_ENV });
      if (result.exitCode !== 0) throw new Error(`init failed: ${result.stderr}`);
    },
    async query<T>(sql: string, ...params: SqlValue[]): Promise<T[]> {
      if (!pg && /^\s*(INSERT|UPDATE|DELETE)\b/i.test(sql)) {
        // A write that returns rows (… RETURNING id).
        const sqlite = new Sqlite(dir.join('data', 'db.sqlite3'));
        try {
          return sqlite.query(sql).all(...(params as (string | number | null)[])) as T[];
        } finally {
          sqlite.close();
        }
      }
      if (!pg) return sqliteQuery<T>(dir.join('data', 'db.sqlite3'), sql, ...(params as (string | number | null)[]));
      db ??= await openPostgres(database());
      return queries(db).all<T>(sql, ...params);
    },
    shifted: (expr, hours) => (pg ? `(${expr} + interval '${hours} hours')` : `datetime(${expr}, '${hours >= 0 ? '+' : ''}${hours} hours')`),
    jsonText: (column, key) => (pg ? `(${column}::json->>'${key}')` : `json_extract(${column}, '$.${key}')`),
    groupConcat: (expr, orderBy) => (pg ? `string_agg((${expr})::text, ','${orderBy ? ` ORDER BY ${orderBy}` : ''})` : `group_concat(${expr})`),
    open: async () => (pg ? openPostgres(database()) : openDatabase(dir.join('data', 'db.sqlite3'), { busyTimeout: 1000 })),
    async tables() {
      const rows = await site.query<{ name: string }>(
        pg
          ? "SELECT table_name AS name FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE'"
          : "SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\'",
      );
      return rows.map((row) => row.name).sort();
    },
    async run(sql: string, ...params: SqlValue[]): Promise<number> {
      if (!pg) {
        const sqlite = new Sqlite(dir.join('data', 'db.sqlite3'));
        try {
          return sqlite.query(sql).run(...(params as (string | number | null)[])).changes;
        } finally {
          sqlite.close();
        }
      }
      db ??= await openPostgres(database());
      return queries(db).run(sql, ...params);
    },
    async dump() {
      if (!pg) return canonicalDump(dir.join('data', 'db.sqlite3'));
      // The tables, and whether each has an id to order by, in one question (a fuzzer asks after every case).
      const tables = await site.query<{ name: string; keyed: number }>(
        "SELECT t.table_name AS name, EXISTS (SELECT 1 FROM information_schema.columns c WHERE c.table_schema = 'public' AND c.table_name = t.table_name AND c.column_name = 'id') AS keyed FROM information_schema.tables t WHERE t.table_schema = 'public' AND t.table_type = 'BASE TABLE' AND t.table_name NOT LIKE 'confctl\\_%' ORDER BY t.table_name COLLATE \"C\"",
      );
      const parts: string[] = [];
      for (const { name, keyed } of tables) {
        const rows = await site.query(`SELECT * FROM "${name}" ORDER BY ${keyed ? 'id' : '1'}`);
        parts.push(`-- ${name}\n${rows.map((row) => JSON.stringify(row)).join('\n')}`);
      }
      return parts.join('\n');
    },
    async [Symbol.asyncDispose]() {
      await db?.destroy();
      dir[Symbol.dispose]();
      if (pg && url !== '') pg.psql('postgres', `DROP DATABASE IF EXISTS ${name()} WITH (FORCE)`);
    },
  };
  return site;
}
