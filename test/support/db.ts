import { Database as Sqlite } from 'bun:sqlite';
import { call } from './cli.ts';

/** A migrated database file in `dir` (data/db.sqlite3), made through the real command. */
export async function migratedDatabase(cwd: string): Promise<string> {
  const result = await call(['migrate', '-v', '0'], { cwd });
  if (result.exitCode !== 0) throw new Error(`migrate failed: ${result.stderr}`);
  return `${cwd}/data/db.sqlite3`;
}

/** The schema as SQLite stores it, in a stable order: what a migration change shows up in. */
export function schemaDump(path: string): string {
  const db = new Sqlite(path, { readonly: true });
  try {
    const rows = db
      .query("SELECT type, name, sql FROM sqlite_schema WHERE sql IS NOT NULL AND name NOT LIKE 'sqlite_%' ORDER BY type, name")
      .all() as { type: string; name: string; sql: string }[];
    return rows.map((r) => `${r.sql};`).join('\n') + '\n';
  } finally {
    db.close();
  }
}

/** One statement that writes, on its own connection (what another program could have done to the file). */
export function execute(path: string, sql: string, ...params: (string | number | null)[]): void {
  const db = new Sqlite(path);
  try {
    db.run(sql, params);
  } finally {
    db.close();
  }
}

export function query<T>(path: string, sql: string, ...params: (string | number | null)[]): T[] {
  const db = new Sqlite(path, { readonly: true });
  try {
    return db.query(sql).all(...params) as T[];
  } finally {
    db.close();
  }
}

/** Every row of every domain table, in key order: what two reproducible runs must agree on. */
export function canonicalDump(path: string): string {
  const db = new Sqlite(path, { readonly: true });
  try {
    const tables = db
      .query("SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name NOT LIKE 'confctl_%' ORDER BY name")
      .all() as { name: string }[];
    return tables
      .map(({ name }) => `-- ${name}\n${(db.query(`SELECT * FROM "${name}" ORDER BY rowid`).all() as object[]).map((r) => JSON.stringify(r)).join('\n')}`)
      .join('\n');
  } finally {
    db.close();
  }
}

/** A migrated database with an administrator, ready for create_test_event. */
export async function initialisedDatabase(cwd: string): Promise<string> {
  const path = await migratedDatabase(cwd);
  const result = await call(['init', '--noinput', '-v', '0'], {
    cwd,
    env: {
      DJANGO_SUPERUSER_EMAIL: 'admin@example.org',
      DJANGO_SUPERUSER_PASSWORD: 'a-long-s3cret-phrase',
      PRETALX_INIT_ORGANISER_NAME: 'Org',
      PRETALX_INIT_ORGANISER_SLUG: 'org',
    },
  });
  if (result.exitCode !== 0) throw new Error(`init failed: ${result.stderr}`);
  return path;
}
