import { describe, expect, test } from 'bun:test';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { call } from '../support/cli.ts';
import { initialisedDatabase, migratedDatabase, query, schemaDump } from '../support/db.ts';
import { postgresServer } from '../support/postgres.ts';
import { postgresSchema, type SchemaModel } from '../support/schema-model.ts';
import { tempDir } from '../support/tmp.ts';

const apps = ['person', 'event', 'submission', 'schedule', 'common'];
const sqlite = (db: string, sql: string) => {
  const result = Bun.spawnSync(['sqlite3', '-bail', db], { stdin: new TextEncoder().encode(sql), stderr: 'pipe' });
  return { exitCode: result.exitCode, stderr: result.stderr.toString() };
};
// confctl's bookkeeping (migration history, event stamps and their triggers) is not an app's schema.
const withoutHistory = (schema: string) => schema.split('\n').filter((line) => !line.includes('confctl_')).join('\n');
const expected = withoutHistory(readFileSync(join(import.meta.dir, '..', 'db', 'schema.sql'), 'utf8'));

describe('the sql commands', () => {
  test('sqlall of every app builds, in the sqlite3 client, exactly the schema migrate builds', async () => {
    using dir = tempDir();
    const result = await call(['sqlall', ...apps], { cwd: dir.path });
    expect(result.exitCode).toBe(0);
    expect(result.stdout).toStartWith('BEGIN;\nCREATE TABLE "person_user"');
    expect(result.stdout).toEndWith('\nCOMMIT;\n');
    expect(sqlite(dir.join('fresh.sqlite3'), result.stdout)).toEqual({ exitCode: 0, stderr: '' });
    expect(withoutHistory(schemaDump(dir.join('fresh.sqlite3')))).toBe(expected);
    expect(existsSync(dir.join('data'))).toBe(false);
  });

  test('sqlmigrate prints what a migration runs, and its --backwards undoes it', async () => {
    using dir = tempDir();
    const forwards = await call(['sqlmigrate', '0001'], { cwd: dir.path });
    expect(sqlite(dir.join('m.sqlite3'), forwards.stdout)).toEqual({ exitCode: 0, stderr: '' });
    // 0002 and 0003 are confctl's bookkeeping (stamps); 0004 and 0005 add the upstream columns.
    expect(sqlite(dir.join('m.sqlite3'), (await call(['sqlmigrate', '0004'], { cwd: dir.path })).stdout)).toEqual({ exitCode: 0, stderr: '' });
    expect(sqlite(dir.join('m.sqlite3'), (await call(['sqlmigrate', '0005'], { cwd: dir.path })).stdout)).toEqual({ exitCode: 0, stderr: '' });
    expect(withoutHistory(schemaDump(dir.join('m.sqlite3')))).toBe(expected);
    expect((await call(['sqlmigrate', 'confctl', '0001_initial'], { cwd: dir.path })).stdout).toBe(forwards.stdout);
    expect(sqlite(dir.join('m.sqlite3'), (await call(['sqlmigrate', '0005', '--backwards'], { cwd: dir.path })).stdout)).toEqual({ exitCode: 0, stderr: '' });
    expect(sqlite(dir.join('m.sqlite3'), (await call(['sqlmigrate', '0004', '--backwards'], { cwd: dir.path })).stdout)).toEqual({ exitCode: 0, stderr: '' });
    expect(query(dir.join('m.sqlite3'), "SELECT count(*) AS n FROM pragma_table_info('schedule_talkslot') WHERE name = 'upstream'")).toEqual([{ n: 0 }]);
    const backwards = await call(['sqlmigrate', '0001_initial', '--backwards'], { cwd: dir.path });
    expect(sqlite(dir.join('m.sqlite3'), backwards.stdout)).toEqual({ exitCode: 0, stderr: '' });
    expect(query(dir.join('m.sqlite3'), "SELECT count(*) AS n FROM sqlite_schema WHERE type = 'table'")).toEqual([{ n: 1 }]); // sqlite_sequence
  });

  test('sqlclear, sqlreset and sqlindexes are accepted by sqlite3 and do what they say', async () => {
    using dir = tempDir();
    const path = await migratedDatabase(dir.path);
    expect(sqlite(path, (await call(['sqlindexes', 'schedule'], { cwd: dir.path })).stdout).stderr).toContain('already exists');
    expect(sqlite(path, (await call(['sqlclear', ...apps], { cwd: dir.path })).stdout)).toEqual({ exitCode: 0, stderr: '' });
    const left = query<{ name: string }>(path, "SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name");
    expect(left.map((t) => t.name)).toEqual(['confctl_eventstamp', 'confctl_migration', 'confctl_migration_lock']);
    await migratedDatabase(join(dir.path, 'again'));
    const again = join(dir.path, 'again', 'data', 'db.sqlite3');
    expect(sqlite(again, (await call(['sqlreset', 'schedule'], { cwd: dir.path })).stdout)).toEqual({ exitCode: 0, stderr: '' });
    expect(withoutHistory(schemaDump(again))).toBe(expected);
  });

  test('sqlflush empties every table but the history; sqlsequencereset sets sequences', async () => {
    using dir = tempDir();
    const path = await initialisedDatabase(dir.path);
    await call(['create_test_event', '--seed', '1', '-v', '0'], { cwd: dir.path, env: { CONFCTL_NOW: '2026-05-01T09:00:00Z' } });
    const reset = (await call(['sqlsequencereset', 'schedule'], { cwd: dir.path })).stdout;
    expect(reset).toContain(`UPDATE sqlite_sequence SET seq = (SELECT coalesce(max("id"), 0) FROM "schedule_talkslot") WHERE name = 'schedule_talkslot';`);
    expect(sqlite(path, reset)).toEqual({ exitCode: 0, stderr: '' });
    expect(sqlite(path, (await call(['sqlflush'], { cwd: dir.path })).stdout)).toEqual({ exitCode: 0, stderr: '' });
    expect(query(path, 'SELECT (SELECT count(*) FROM person_user) + (SELECT count(*) FROM schedule_talkslot) AS n')).toEqual([{ n: 0 }]);
    expect(query(path, 'SELECT count(*) AS n FROM confctl_migration')).toEqual([{ n: 7 }]);
  });

  test('sqlcustom prints the statements of <data dir>/sql/<model>.sql', async () => {
    using dir = tempDir();
    dir.write({ 'data/sql/event.sql': '-- views for the projector\nCREATE VIEW upcoming AS SELECT slug FROM event_event;\nCREATE VIEW names AS SELECT name FROM event_event\n' });
    expect((await call(['sqlcustom', 'event'], { cwd: dir.path })).stdout).toBe(
      'BEGIN;\nCREATE VIEW upcoming AS SELECT slug FROM event_event;\nCREATE VIEW names AS SELECT name FROM event_event;\nCOMMIT;\n',
    );
    // sqlall has it too, as Django's does: after the tables, before the indexes; and the sqlite3 client runs it all.
    const all = (await call(['sqlall', 'event'], { cwd: dir.path })).stdout.split('\n');
    const view = all.indexOf('CREATE VIEW upcoming AS SELECT slug FROM event_event;');
    expect(view).toBeGreaterThan(all.findLastIndex((l) => l.startsWith('CREATE TABLE')));
    expect(view).toBeLessThan(all.findIndex((l) => /^CREATE (UNIQUE )?INDEX/.test(l)));
  });

  test('coloured on a terminal, plain otherwise', async () => {
    using dir = tempDir();
    const plain = await call(['sqlclear', 'common'], { cwd: dir.path, env: { NO_COLOR: '' }, tty: { stdout: true } });
    expect(plain.stdout).toContain('\x1b[');
    expect((await call(['sqlclear', 'common'], { cwd: dir.path })).stdout).toBe('BEGIN;\nDROP TABLE "common_cacheentry";\nDROP TABLE "common_session";\nCOMMIT;\n');
  });

  test('errors: no app, an unknown app, an unknown migration', async () => {
    using dir = tempDir();
    expect((await call(['sql'], { cwd: dir.path })).stderr).toBe('CommandError: Enter at least one app label.\n');
    expect((await call(['sqlall', 'auth'], { cwd: dir.path })).stderr).toBe("CommandError: No installed app with label 'auth'.\n");
    expect((await call(['sqlmigrate', '0099'], { cwd: dir.path })).stderr).toBe("CommandError: Cannot find a migration matching '0099' from app 'confctl'.\n");
  });
});

describe('the sql commands on PostgreSQL (a postgres:// database configured: its dialect, no connection)', () => {
  const psql = (url: string, sql: string) => {
    const result = Bun.spawnSync(['psql', '-X', '-q', '-v', 'ON_ERROR_STOP=1', url.replace(/^postgres:/, 'postgresql:')], { stdin: new TextEncoder().encode(sql), stdout: 'pipe', stderr: 'pipe' });
    return { exitCode: result.exitCode, stderr: result.stderr.toString() };
  };
  const nameOf = (url: string) => /^postgres:\/\/\/(\w+)\?/.exec(url)![1]!;
  const bookkeeping = (table: string) => table.startsWith('confctl_');
  const appTables = (model: SchemaModel): SchemaModel => Object.fromEntries(Object.entries(model).filter(([table]) => !bookkeeping(table)));

  test('sqlall of every app builds, in psql, the schema migrate builds; sqlmigrate of each migration in turn builds all of it', async () => {
    using dir = tempDir();
    const pg = await postgresServer();
    const migrated = pg.createDatabase();
    expect((await call(['migrate', '--database', migrated, '-v', '0'], { cwd: dir.path })).exitCode).toBe(0);
    const expected = postgresSchema(pg, nameOf(migrated));
    // The configured database is only a dialect: one that does not exist works as well.
    const nowhere = `${pg.url('no_such_database')}`;
    const all = await call(['sqlall', ...apps, '--database', nowhere], { cwd: dir.path });
    expect(all.stderr).toBe('');
    expect(all.stdout).toStartWith('BEGIN;\nCREATE FUNCTION json_valid(value text) RETURNS boolean');
    expect(all.stdout).toContain('\nCREATE TABLE "person_user" ("id" serial not null primary key,');
    expect(all.stdout).toContain('\nCREATE UNIQUE INDEX "person_user_email_uniq" ON "person_user" (lower("email"));\n');
    const fresh = pg.createDatabase();
    expect(psql(fresh, all.stdout)).toEqual({ exitCode: 0, stderr: '' });
    expect(postgresSchema(pg, nameOf(fresh))).toEqual(appTables(expected));
    // sqlmigrate, migration by migration (0002 and 0003 are the stamps' tables, functions and triggers).
    const stepwise = pg.createDatabase();
    for (const name of ['0001', '0002', '0003', '0004', '0005', '0006']) {
      expect(psql(stepwise, (await call(['sqlmigrate', name, '--database', nowhere], { cwd: dir.path })).stdout)).toEqual({ exitCode: 0, stderr: '' });
    }
    expect(appTables(postgresSchema(pg, nameOf(stepwise)))).toEqual(appTables(expected));
    expect(postgresSchema(pg, nameOf(stepwise)).confctl_eventstamp).toEqual(expected.confctl_eventstamp!);
    for (const name of ['0006', '0005', '0004']) {
      expect(psql(stepwise, (await call(['sqlmigrate', name, '--backwards', '--database', nowhere], { cwd: dir.path })).stdout)).toEqual({ exitCode: 0, stderr: '' });
    }
    expect(postgresSchema(pg, nameOf(stepwise)).schedule_talkslot!.columns.some((c) => c.startsWith('upstream'))).toBe(false);
  });

  test("sqlclear, sqlflush and sqlsequencereset run in psql and do what they say; sqlsequencereset prints Django's setval lines", async () => {
    using dir = tempDir();
    const pg = await postgresServer();
    const url = pg.createDatabase();
    const env = { CONFCTL_NOW: '2026-05-01T09:00:00Z', DJANGO_SUPERUSER_EMAIL: 'admin@example.org', DJANGO_SUPERUSER_PASSWORD: 'correct-horse-9', PRETALX_INIT_ORGANISER_NAME: 'Org', PRETALX_INIT_ORGANISER_SLUG: 'org' };
    for (const argv of [['migrate'], ['init', '--noinput'], ['create_test_event', '--seed', '1']]) expect((await call([...argv, '--database', url, '-v', '0'], { cwd: dir.path, env })).exitCode).toBe(0);
    const name = nameOf(url);
    const reset = (await call(['sqlsequencereset', 'schedule', '--database', url], { cwd: dir.path })).stdout;
    expect(reset).toContain(`\nSELECT setval(pg_get_serial_sequence('"schedule_talkslot"','id'), coalesce(max("id"), 1), max("id") IS NOT null) FROM "schedule_talkslot";\n`);
    // Rows with explicit ids leave the sequence behind; the printed statements bring it up to them.
    pg.psql(name, "INSERT INTO schedule_room (id, event_id, name) VALUES (500, 1, '{\"en\": \"Far\"}')");
    expect(psql(url, reset)).toEqual({ exitCode: 0, stderr: '' });
    expect(pg.psql(name, "INSERT INTO schedule_room (event_id, name) VALUES (1, '{\"en\": \"Next\"}') RETURNING id")).toBe('501\n');
    expect(psql(url, (await call(['sqlflush', '--database', url], { cwd: dir.path })).stdout)).toEqual({ exitCode: 0, stderr: '' });
    expect(pg.psql(name, 'SELECT (SELECT count(*) FROM person_user) + (SELECT count(*) FROM schedule_talkslot)')).toBe('0\n');
    expect(pg.psql(name, 'SELECT count(*) FROM confctl_migration')).toBe('7\n');
    expect(pg.psql(name, "INSERT INTO event_organiser (name, slug) VALUES ('{\"en\": \"A\"}', 'a') RETURNING id")).toBe('1\n');
    expect(psql(url, (await call(['sqlclear', ...apps, '--database', url], { cwd: dir.path })).stdout)).toEqual({ exitCode: 0, stderr: '' });
    expect(pg.psql(name, "SELECT string_agg(tablename, ' ' ORDER BY tablename) FROM pg_tables WHERE schemaname = 'public'")).toBe('confctl_eventstamp confctl_migration confctl_migration_lock\n');
  });
});
