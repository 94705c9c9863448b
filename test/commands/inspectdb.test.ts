import { describe, expect, test } from 'bun:test';
import { Database as Sqlite } from 'bun:sqlite';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { call } from '../support/cli.ts';
import { migratedDatabase, query } from '../support/db.ts';
import { postgresServer } from '../support/postgres.ts';
import { tempDir } from '../support/tmp.ts';

const root = join(import.meta.dir, '..', '..');

/** Type-checks files inside the repository (so that `kysely` resolves), strictly. */
function typecheck(files: Record<string, string>): { exitCode: number; output: string } {
  const dir = mkdtempSync(join(root, 'test', '.tmp-inspect-'));
  try {
    for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
    const result = Bun.spawnSync(
      [join(root, 'node_modules', '.bin', 'tsc'), '--noEmit', '--strict', '--skipLibCheck', '--module', 'preserve', '--moduleResolution', 'bundler', '--target', 'esnext', '--allowImportingTsExtensions', '--types', 'bun-types', ...Object.keys(files).map((f) => join(dir, f))],
      { cwd: root },
    );
    return { exitCode: result.exitCode ?? -1, output: result.stdout.toString() + result.stderr.toString() };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

describe('inspectdb', () => {
  test("confctl's own schema: a module that type-checks and matches db/schema.ts both ways", async () => {
    using dir = tempDir();
    await migratedDatabase(dir.path);
    const result = await call(['inspectdb'], { cwd: dir.path });
    expect(result.exitCode).toBe(0);
    expect(result.stdout).toContain('export interface EventEvent {\n  id: Generated<number>;\n  name: string; // JSON text\n');
    expect(result.stdout).toContain('  is_public: Generated<0 | 1>; // a boolean: SQLite stores 0 or 1\n');
    expect(result.stdout).toContain('  pretalx_sync_interval: number | null;\n');
    const check = typecheck({
      'generated.ts': result.stdout,
      'same.ts': [
        "import type { Database as Generated } from './generated.ts';",
        `import type { Database as Ours } from '${join(root, 'db', 'schema.ts')}';`,
        'type Inspected = Omit<Generated, "confctl_migration" | "confctl_migration_lock">;',
        'export const forwards = (db: Ours): Inspected => db;',
        'export const backwards = (db: Inspected): Ours => db;',
      ].join('\n'),
    });
    expect(check).toEqual({ exitCode: 0, output: '' });
  });

  test('odd names are quoted, odd types are guessed and say so, and the module still type-checks', async () => {
    using dir = tempDir();
    const path = dir.join('odd.sqlite3');
    const db = new Sqlite(path);
    db.exec(`
      CREATE TABLE "odd table" ("my col" TEXT NOT NULL, "default" INTEGER, "x-y" BOOL DEFAULT 0, anything, "when" DATETIME, price DECIMAL(5,2), ratio REAL, blob BLOB, n NUMBER);
      CREATE TABLE "123" (id INTEGER PRIMARY KEY, class TEXT);
      CREATE TABLE "Database" (a TEXT PRIMARY KEY, b VARCHAR(3) NOT NULL DEFAULT 'x');
      CREATE VIEW "odd view" AS SELECT "my col" FROM "odd table";`);
    db.close();
    const result = await call(['inspectdb', '--database', path, '--include-views'], { cwd: dir.path });
    expect(result.stdout).toContain('export interface OddTable {\n  "my col": string;\n  default: number | null;\n  "x-y": Generated<0 | 1 | null>; // a boolean: SQLite stores 0 or 1\n  anything: unknown; // no declared type: SQLite may hold anything here\n');
    expect(result.stdout).toContain('  price: number | null; // DECIMAL(5,2): SQLite hands decimals back as numbers\n');
    expect(result.stdout).toContain('  n: number | null; // declared "NUMBER": numeric affinity, a guess\n');
    expect(result.stdout).toContain('export interface Table123 {\n  id: Generated<number>;\n  class: string | null;\n}');
    expect(result.stdout).toContain('export interface DatabaseTable {\n  a: string;\n  b: Generated<string>;\n}');
    expect(result.stdout).toContain('export interface Database {\n  "123": Table123;\n  Database: DatabaseTable;\n  "odd table": OddTable;\n  "odd view": OddView;\n}');
    expect(typecheck({ 'odd.ts': result.stdout })).toEqual({ exitCode: 0, output: '' });
    // Read-only: the database keeps its rollback journal (our own databases use WAL).
    expect(query(path, 'PRAGMA journal_mode')).toEqual([{ journal_mode: 'delete' }]);
  });

  test('only the named tables; a missing one is reported and the rest still printed', async () => {
    using dir = tempDir();
    await migratedDatabase(dir.path);
    const result = await call(['inspectdb', 'event_event', 'nope'], { cwd: dir.path });
    expect(result.exitCode).toBe(0);
    expect(result.stderr).toBe('Warning: Unable to inspect table "nope": it does not exist.\n');
    expect(result.stdout).toContain('// Unable to inspect table "nope": it does not exist.\n');
    expect(result.stdout).toContain('export interface Database {\n  event_event: EventEvent;\n}');
  });

  test('a missing database is an error', async () => {
    using dir = tempDir();
    expect((await call(['inspectdb', '--database', 'nope.sqlite3'], { cwd: dir.path })).stderr).toBe(`CommandError: The database ${dir.join('nope.sqlite3')} does not exist.\n`);
  });

  test("on PostgreSQL: confctl's schema gives the same types as on SQLite (comments aside), the password never shows", async () => {
    using dir = tempDir();
    const pg = await postgresServer();
    const url = pg.createDatabase();
    const name = /^postgres:\/\/\/(\w+)\?/.exec(url)![1]!;
    pg.createRole('inspector', 'pw-inspect-1');
    pg.psql(name, 'GRANT ALL ON SCHEMA public TO inspector');
    expect((await call(['migrate', '--database', url, '-v', '0'], { cwd: dir.path })).exitCode).toBe(0);
    await migratedDatabase(dir.path);
    const tcp = pg.tcpUrl(name, 'inspector', 'pw-inspect-1');
    const onPostgres = await call(['inspectdb', '--database', tcp], { cwd: dir.path });
    const onSqlite = await call(['inspectdb'], { cwd: dir.path });
    expect(onPostgres.stderr).toBe('');
    expect(onPostgres.stdout).not.toContain('pw-inspect-1');
    expect(onPostgres.stdout).toStartWith(`// Kysely types for ${tcp.replace('pw-inspect-1', '********')}, written by \`confctl inspectdb\`.\n`);
    expect(onPostgres.stdout).toContain('  is_public: Generated<0 | 1>; // a boolean: confctl reads it as 0 or 1\n');
    const types = (module: string) => module.split('\n').filter((line) => !line.startsWith('//')).map((line) => line.replace(/ \/\/ .*$/, ''));
    // One true difference, in confctl's bookkeeping: SQLite's INTEGER PRIMARY KEY is the rowid, always generated; PostgreSQL's plain integer key is not.
    expect(types(onSqlite.stdout).filter((line) => line === '  event_id: Generated<number>;')).toHaveLength(1);
    expect(types(onPostgres.stdout)).toEqual(types(onSqlite.stdout).map((line) => (line === '  event_id: Generated<number>;' ? '  event_id: number;' : line)));
  });

  test('on PostgreSQL: odd names and types, views, and a missing table', async () => {
    using dir = tempDir();
    const pg = await postgresServer();
    const url = pg.createDatabase();
    const name = /^postgres:\/\/\/(\w+)\?/.exec(url)![1]!;
    pg.psql(name, `CREATE TABLE "odd table" ("my col" text NOT NULL, "default" bigint, "x-y" boolean DEFAULT false, "when" timestamp, day date, price numeric(5,2), ratio double precision, data bytea, doc jsonb, addr inet, id serial PRIMARY KEY);
      CREATE TABLE "Database" (a text PRIMARY KEY, b varchar(3) NOT NULL DEFAULT 'x');
      CREATE VIEW "odd view" AS SELECT "my col" FROM "odd table";`);
    const result = await call(['inspectdb', '--database', url, '--include-views', 'odd table', 'Database', 'odd view', 'nope'], { cwd: dir.path });
    expect(result.stderr).toBe('Warning: Unable to inspect table "nope": it does not exist.\n');
    expect(result.stdout).toContain(
      [
        'export interface OddTable {',
        '  "my col": string;',
        '  default: number | null;',
        '  "x-y": Generated<0 | 1 | null>; // a boolean: confctl reads it as 0 or 1',
        '  when: string | null; // timestamp without time zone: confctl reads it as UTC text (YYYY-MM-DD HH:MM:SS)',
        '  day: string | null; // date: read as text (YYYY-MM-DD)',
        '  price: number | null; // numeric: confctl reads it as a number',
        '  ratio: number | null;',
        '  data: Uint8Array | null;',
        '  doc: unknown; // jsonb: parsed by the driver',
        "  addr: string | null; // inet: read as the driver's text, a guess",
        '  id: Generated<number>;',
        '}',
      ].join('\n'),
    );
    expect(result.stdout).toContain('export interface DatabaseTable {\n  a: string;\n  b: Generated<string>;\n}');
    expect(result.stdout).toContain('export interface OddView {\n  "my col": string | null;\n}');
    expect(result.stdout).toContain('export interface Database {\n  Database: DatabaseTable;\n  "odd table": OddTable;\n  "odd view": OddView;\n}');
    expect(typecheck({ 'odd.ts': result.stdout })).toEqual({ exitCode: 0, output: '' });
  });
});
