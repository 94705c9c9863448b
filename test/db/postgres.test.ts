import { beforeAll, describe, expect, test } from 'bun:test';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { sql } from 'kysely';
import { checkInSqliteWords, openPostgres } from '../../db/connection.ts';
import { installBinary, runBinary } from '../support/binary.ts';
import { call } from '../support/cli.ts';
import { migratedDatabase } from '../support/db.ts';
import { fakePostgres } from '../support/fake-postgres.ts';
import { postgresServer, type PostgresServer } from '../support/postgres.ts';
import { postgresSchema, sqliteSchema } from '../support/schema-model.ts';
import { tempDir } from '../support/tmp.ts';

/** PostgreSQL as the database (issue 16): a private cluster of Debian's postgresql (test/support/postgres.ts). */
let pg: PostgresServer;
beforeAll(async () => {
  pg = await postgresServer();
});

/** The database a URL names. */
const nameOf = (url: string) => /^postgres(?:ql)?:\/\/[^/]*\/([^?]*)/.exec(url)![1]!;

describe('migrations on PostgreSQL', () => {
  test('migrate applies every migration, showmigrations lists them, migrate zero takes them back, and again', async () => {
    using dir = tempDir();
    const url = pg.createDatabase();
    // What migrate says of an SQLite file, it says of the server.
    const onSqlite = await call(['migrate'], { cwd: dir.path });
    expect(onSqlite.stdout).toEndWith('  Applying 0004_upstream_fields... OK\n  Applying 0005_feed_days_and_tracks... OK\n  Applying 0006_one_stamp_per_transaction... OK\n  Applying 0007_text_in_byte_order... OK\n');
    expect(await call(['migrate', '--database', url], { cwd: dir.path })).toEqual(onSqlite);
    const shown = ' [X] 0001_initial\n [X] 0002_event_stamps\n [X] 0003_event_stamps_by_time\n [X] 0004_upstream_fields\n [X] 0005_feed_days_and_tracks\n [X] 0006_one_stamp_per_transaction\n [X] 0007_text_in_byte_order\n';
    expect(await call(['showmigrations', '--database', url], { cwd: dir.path })).toEqual({ stdout: `confctl\n${shown}`, stderr: '', exitCode: 0 });
    expect(await call(['migrate', '--database', url], { cwd: dir.path })).toEqual({ stdout: 'Operations to perform:\n  Apply all migrations: confctl\nRunning migrations:\n  No migrations to apply.\n', stderr: '', exitCode: 0 });

    const zero = await call(['migrate', 'zero', '--database', url], { cwd: dir.path });
    expect(zero.stdout).toEndWith('  Unapplying 0002_event_stamps... OK\n  Unapplying 0001_initial... OK\n');
    expect(zero.exitCode).toBe(0);
    // Nothing of the schema is left but migrate's own history; no function, no trigger.
    const db = nameOf(url);
    expect(pg.psql(db, "SELECT string_agg(tablename, ' ' ORDER BY tablename) FROM pg_tables WHERE schemaname = 'public'")).toBe('confctl_migration confctl_migration_lock\n');
    expect(pg.psql(db, "SELECT count(*) FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace WHERE n.nspname = 'public'")).toBe('0\n');
    expect((await call(['showmigrations', '--database', url], { cwd: dir.path })).stdout).toBe(`confctl\n${shown.replaceAll('[X]', '[ ]')}`);
    expect((await call(['migrate', '0003', '--database', url, '-v', '0'], { cwd: dir.path })).exitCode).toBe(0);
    expect((await call(['migrate', '--database', url, '-v', '0'], { cwd: dir.path })).exitCode).toBe(0);
    expect((await call(['showmigrations', '--database', url], { cwd: dir.path })).stdout).toBe(`confctl\n${shown}`);
  });

  test('the same migrations make the same schema on SQLite and on PostgreSQL: tables, columns, keys, uniques, indexes, foreign keys, checks', async () => {
    using dir = tempDir();
    const url = pg.createDatabase();
    expect((await call(['migrate', '--database', url, '-v', '0'], { cwd: dir.path })).exitCode).toBe(0);
    const sqlite = sqliteSchema(await migratedDatabase(dir.path));
    const postgres = postgresSchema(pg, nameOf(url));
    expect(Object.keys(sqlite).length).toBeGreaterThan(20);
    expect(sqlite.person_user!.indexes).toContain('person_user_email_uniq unique (lower(email))');
    expect(sqlite.schedule_schedule!.indexes).toContain('schedule_schedule_wip_uniq unique (event_id) where versionisnull');
    expect(sqlite.schedule_talkslot!.checks).toContain('json_validupstreamorupstreamisnull');
    for (const table of Object.keys(sqlite)) expect({ table, ...postgres[table] }).toEqual({ table, ...sqlite[table]! });
    expect(Object.keys(postgres)).toEqual(Object.keys(sqlite));
  });

  test("every CHECK PostgreSQL names itself is said by SQLite's expression (checkInSqliteWords knows each column check)", async () => {
    using dir = tempDir();
    const url = pg.createDatabase();
    expect((await call(['migrate', '--database', url, '-v', '0'], { cwd: dir.path })).exitCode).toBe(0);
    const checks = pg.psql(nameOf(url), "SELECT conrelid::regclass, conname, pg_get_constraintdef(oid) FROM pg_constraint WHERE contype = 'c' ORDER BY 1, 2").trim().split('\n').map((line) => line.split('|'));
    const words = (text: string) => text.toLowerCase().replace(/^check /, '').replace(/[^a-z0-9_>=<]/g, '');
    let named = 0;
    for (const [table, name, definition] of checks) {
      const said = checkInSqliteWords(table, name)!;
      if (said === name) named++;
      else expect({ name, said: words(said) }).toEqual({ name, said: words(definition!) });
    }
    expect({ checks: checks.length > 20, named }).toEqual({ checks: true, named: 5 });
  });

  test('on PostgreSQL too, the checks hold and every change to an event bumps its stamp', async () => {
    using dir = tempDir();
    const url = pg.createDatabase();
    expect((await call(['migrate', '--database', url, '-v', '0'], { cwd: dir.path })).exitCode).toBe(0);
    const db = nameOf(url);
    pg.psql(db, `INSERT INTO event_event (name, slug, date_from, date_to, created, updated) VALUES ('{"en": "E"}', 'e', '2026-01-01', '2026-01-02', now(), now())`);
    const stamp = () => Number(pg.psql(db, 'SELECT stamp FROM confctl_eventstamp WHERE event_id = 1'));
    const first = stamp();
    // Microseconds since 1970, from the clock, as on SQLite (0003).
    expect(Math.abs(first / 1000 - Date.now())).toBeLessThan(60_000);
    pg.psql(db, `INSERT INTO schedule_room (event_id, name) VALUES (1, '{"en": "Hall"}')`);
    const second = stamp();
    expect(second).toBeGreaterThan(first);
    pg.psql(db, 'DELETE FROM schedule_room');
    expect(stamp()).toBeGreaterThan(second);
    for (const [sql, constraint] of [
      [`INSERT INTO schedule_room (event_id, name) VALUES (1, 'not json')`, 'schedule_room_name_check'],
      [`INSERT INTO event_event (name, slug, date_from, date_to, created, updated) VALUES ('{}', 'E', '2026-01-01', '2026-01-02', now(), now())`, 'event_event_slug_uniq'],
      [`INSERT INTO event_event (name, slug, date_from, date_to, created, updated) VALUES ('{}', 'f', '2026-01-03', '2026-01-02', now(), now())`, 'event_event_dates'],
    ] as const) {
      expect(() => pg.psql(db, sql)).toThrow(constraint);
    }
  });

  test('a transaction stamps each event it changes once, however many rows it writes; a rolled-back savepoint takes its stamp back', async () => {
    using dir = tempDir();
    const url = pg.createDatabase();
    expect((await call(['migrate', '--database', url, '-v', '0'], { cwd: dir.path })).exitCode).toBe(0);
    const db = nameOf(url);
    pg.psql(db, `INSERT INTO event_event (name, slug, date_from, date_to, created, updated) VALUES ('{"en": "A"}', 'a', '2026-01-01', '2026-01-02', now(), now()), ('{"en": "B"}', 'b', '2026-01-01', '2026-01-02', now(), now())`);
    const stamps = () => pg.psql(db, 'SELECT stamp FROM confctl_eventstamp ORDER BY event_id').trim().split('\n').map(Number);
    const before = stamps();
    // 500 rooms of one event and one of the other, in one transaction: two stamp writes, not 501.
    const writes = pg.psql(
      db,
      `BEGIN;
       INSERT INTO schedule_room (event_id, name) SELECT 1, '{"en": "Hall"}' FROM generate_series(1, 500);
       INSERT INTO schedule_room (event_id, name) VALUES (2, '{"en": "Other"}');
       UPDATE schedule_room SET position = 1 WHERE event_id = 1;
       SELECT n_tup_ins + n_tup_upd FROM pg_stat_xact_user_tables WHERE relname = 'confctl_eventstamp';
       COMMIT;`,
    );
    expect(writes.trim()).toBe('2');
    const after = stamps();
    expect(after[0]).toBeGreaterThan(before[0]!);
    expect(after[1]).toBeGreaterThan(before[1]!);
    // The stamp written inside a savepoint that is rolled back goes with it; the next change stamps again.
    pg.psql(db, `BEGIN; SAVEPOINT s; INSERT INTO schedule_room (event_id, name) VALUES (1, '{"en": "Gone"}'); ROLLBACK TO SAVEPOINT s; UPDATE schedule_room SET position = 2 WHERE event_id = 1; COMMIT;`);
    expect(stamps()[0]).toBeGreaterThan(after[0]!);
    expect(stamps()[1]).toBe(after[1]!);
    // The next transaction stamps afresh.
    pg.psql(db, 'DELETE FROM schedule_room WHERE event_id = 2');
    expect(stamps()[1]).toBeGreaterThan(after[1]!);
  });

  test('createcachetable restores a lost cache table as migrate made it', async () => {
    using dir = tempDir();
    const url = pg.createDatabase();
    expect((await call(['migrate', '--database', url, '-v', '0'], { cwd: dir.path })).exitCode).toBe(0);
    const made = postgresSchema(pg, nameOf(url)).common_cacheentry;
    pg.psql(nameOf(url), 'DROP TABLE common_cacheentry');
    expect(await call(['createcachetable', '--dry-run', '--database', url], { cwd: dir.path })).toEqual({ stdout: "Cache table 'common_cacheentry' would be created.\n", stderr: '', exitCode: 0 });
    expect(await call(['createcachetable', '--database', url], { cwd: dir.path })).toEqual({ stdout: "Cache table 'common_cacheentry' created.\n", stderr: '', exitCode: 0 });
    expect(postgresSchema(pg, nameOf(url)).common_cacheentry).toEqual(made!);
  });

  test('check: no issues on a fresh database; rows written with the key checks off are an error', async () => {
    using dir = tempDir();
    const url = pg.createDatabase();
    expect((await call(['migrate', '--database', url, '-v', '0'], { cwd: dir.path })).exitCode).toBe(0);
    expect(await call(['check', '--database', url], { cwd: dir.path })).toEqual({ stdout: 'System check identified no issues (0 silenced).\n', stderr: '', exitCode: 0 });
    pg.psql(nameOf(url), `SET session_replication_role = replica; INSERT INTO schedule_room (event_id, name) VALUES (42, '{"en": "Orphan"}')`);
    expect(await call(['check', '--database', url], { cwd: dir.path })).toEqual({
      stdout: '',
      stderr: [
        'SystemCheckError: System check identified some issues:',
        '',
        'ERRORS:',
        '?: (confctl.E004) 1 row(s) point at rows that do not exist, in: schedule_room.',
        '\tHINT: PostgreSQL checks every key at commit: they were written with the checks switched off (session_replication_role = replica, or DISABLE TRIGGER ALL).',
        '',
        'System check identified 1 issue (0 silenced).',
        '',
      ].join('\n'),
      exitCode: 1,
    });
  });

  test("runperiodic's task lock is PostgreSQL's advisory lock: another holder makes the task wait, and its end (a closed connection, as after kill -9) frees it", async () => {
    using dir = tempDir();
    const url = pg.createDatabase();
    expect((await call(['migrate', '--database', url, '-v', '0'], { cwd: dir.path })).exitCode).toBe(0);
    // Another host's runperiodic, in the middle of the task.
    const other = await openPostgres(url);
    await sql`SELECT pg_advisory_lock(hashtext('confctl_periodic_clear_expired_running'))`.execute(other);
    try {
      expect(await call(['runperiodic', '--database', url], { cwd: dir.path })).toEqual({
        stdout: '',
        stderr: 'clear_expired: skipped: already running in another process (it holds the PostgreSQL advisory lock)\n',
        exitCode: 0,
      });
      expect(pg.psql(nameOf(url), "SELECT count(*) FROM common_cacheentry WHERE cache_key LIKE 'confctl_periodic_%'")).toBe('0\n');
    } finally {
      await other.destroy();
    }
    const ran = await call(['runperiodic', '--database', url, '-v', '3'], { cwd: dir.path });
    expect(ran.exitCode).toBe(0);
    expect(ran.stderr).toContain('clear_expired: ran: deleted 0 expired session(s) and 0 expired cache entries');
    // Done and recorded; the lock let go.
    expect(pg.psql(nameOf(url), "SELECT cache_key FROM common_cacheentry WHERE cache_key LIKE 'confctl_periodic_%'")).toBe('confctl_periodic_clear_expired_result\n');
    expect(pg.psql(nameOf(url), "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory'")).toBe('0\n');
    expect(await call(['runperiodic', '--database', url], { cwd: dir.path })).toEqual({ stdout: '', stderr: '', exitCode: 0 });
  });

  test('a SQLite dump loads into PostgreSQL and back, with identical dumps (json, xml, natural keys); the next id follows the loaded ones', async () => {
    using dir = tempDir();
    const env = { CONFCTL_NOW: '2026-05-01T09:00:00Z', DJANGO_SUPERUSER_EMAIL: 'admin@example.org', DJANGO_SUPERUSER_PASSWORD: 'correct-horse-9', PRETALX_INIT_ORGANISER_NAME: 'Org', PRETALX_INIT_ORGANISER_SLUG: 'org' };
    const run = async (...argv: string[]) => {
      const result = await call(argv, { cwd: dir.path, env });
      expect({ argv, exitCode: result.exitCode, stderr: result.stderr }).toEqual({ argv, exitCode: 0, stderr: '' });
      return result.stdout;
    };
    await run('migrate', '-v', '0');
    await run('init', '--noinput', '-v', '0');
    await run('create_test_event', '--seed', '3', '-v', '0');
    await run('create_event', '--slug', 'camp', '--name', 'Camp', '--date-from', '2019-08-21', '--date-to', '2019-08-25', '-v', '0');
    await run('import_schedule', join(import.meta.dir, '..', '..', '..', 'shared', 'data', 'schedules', 'c3voc-examples', 'frab-camp2019.json'), '--event', 'camp', '-v', '0');
    await run('dumpdata', '-o', 'sqlite.json');
    await run('dumpdata', '--format', 'xml', '--indent', '2', '-o', 'sqlite.xml');
    await run('dumpdata', '--natural-foreign', '-o', 'natural.json');
    const original = readFileSync(dir.join('sqlite.json'), 'utf8');
    expect(original.length).toBeGreaterThan(100_000);
    for (const fixture of ['sqlite.json', 'sqlite.xml', 'natural.json']) {
      const url = pg.createDatabase();
      await run('migrate', '-v', '0', '--database', url);
      expect(await run('loaddata', fixture, '--database', url)).toMatch(/^Installed \d+ object\(s\) from 1 fixture\(s\)\n$/);
      expect({ fixture, same: (await run('dumpdata', '--database', url)) === original }).toEqual({ fixture, same: true });
      // The id sequences follow the loaded rows: a new event gets the next id.
      await run('create_event', '--slug', 'after', '--name', 'After', '--date-from', '2026-01-01', '--date-to', '2026-01-02', '-v', '0', '--database', url);
      expect(pg.psql(nameOf(url), "SELECT id > (SELECT max(id) FROM event_event WHERE slug <> 'after') FROM event_event WHERE slug = 'after'")).toBe('t\n');
    }
    // And back: what PostgreSQL dumps loads into a fresh SQLite file as it was.
    const url = pg.createDatabase();
    await run('migrate', '-v', '0', '--database', url);
    await run('loaddata', 'sqlite.json', '--database', url);
    await run('dumpdata', '--database', url, '-o', 'postgres.json');
    await run('migrate', '-v', '0', '--database', 'again.sqlite3');
    await run('loaddata', 'postgres.json', '--database', 'again.sqlite3');
    expect((await run('dumpdata', '--database', 'again.sqlite3')) === original).toBe(true);
  }, 60_000);

  test("loaddata COPYs a dump's rows; a row another session adds meanwhile (COPY meets it) turns that batch into the upsert, and every object loads", async () => {
    using dir = tempDir();
    const url = pg.createDatabase();
    const db = nameOf(url);
    const run = async (...argv: string[]) => call([...argv, '--database', url], { cwd: dir.path, env: { CONFCTL_NOW: '2026-05-01T09:00:00Z' } });
    expect((await run('migrate', '-v', '0')).exitCode).toBe(0);
    expect((await run('create_event', '--slug', 'big', '--name', 'Big', '--date-from', '2026-03-10', '--date-to', '2026-03-12', '-v', '0')).exitCode).toBe(0);
    // Three batches of rooms, keys 1 to 3000, each with text COPY must escape.
    const rooms = Array.from({ length: 3000 }, (_, i) => ({ model: 'schedule.room', pk: i + 1, fields: { event: 1, name: { en: `Room ${i + 1}\t\\N\n\\.\r` }, position: i } }));
    writeFileSync(dir.join('rooms.json'), JSON.stringify(rooms));
    // Another session adds room 1500 and holds its transaction open: the loader does not see it when it
    // looks at the table, and its COPY of the second batch waits for it.
    const other = Bun.spawn(pg.psqlCommand(db), { stdin: 'pipe', stdout: 'pipe', stderr: 'pipe' });
    other.stdin.write(`BEGIN;\nINSERT INTO schedule_room (id, event_id, name) VALUES (1500, 1, '{"en": "theirs"}');\nSELECT pg_sleep(0);\n`);
    other.stdin.flush();
    const waiting = () => pg.psql(db, "SELECT query FROM pg_stat_activity WHERE application_name = 'confctl' AND wait_event_type = 'Lock'").trim();
    const loading = run('loaddata', 'rooms');
    try {
      let blocked = '';
      for (let i = 0; i < 200 && !(blocked = waiting()); i++) await Bun.sleep(50);
      expect(blocked).toBe('COPY "schedule_room" ("id", "event_id", "name", "position") FROM STDIN');
      other.stdin.write('COMMIT;\n');
      other.stdin.end();
      expect(await other.exited).toBe(0);
    } finally {
      other.kill();
    }
    expect(await loading).toEqual({ stdout: 'Installed 3000 object(s) from 1 fixture(s)\n', stderr: '', exitCode: 0 });
    // Every room as the fixture has it, 1500 too (theirs was updated).
    const expected = rooms.map((room) => `${room.pk}|${JSON.stringify(room.fields.name)}|${room.fields.position}\n`).join('');
    expect(pg.psql(db, 'SELECT id, name, position FROM schedule_room ORDER BY id') === expected).toBe(true);
  });

  test('loaddata writes a fixture that interleaves models in batches, not a statement per row (an operator trial: 30,000 rows took 17 s)', async () => {
    using dir = tempDir();
    const url = pg.createDatabase();
    const run = async (...argv: string[]) => call([...argv, '--database', url], { cwd: dir.path, env: { CONFCTL_NOW: '2026-05-01T09:00:00Z' } });
    expect((await run('migrate', '-v', '0')).exitCode).toBe(0);
    expect((await run('create_event', '--slug', 'big', '--name', 'Big', '--date-from', '2026-03-10', '--date-to', '2026-03-12', '-v', '0')).exitCode).toBe(0);
    // Each room followed by a session type, then a second shape of room (with a capacity) at the end.
    const objects = Array.from({ length: 200 }, (_, i) => [
      { model: 'schedule.room', pk: i + 1, fields: { event: 1, name: { en: `Room ${i + 1}` } } },
      { model: 'submission.submissiontype', pk: i + 2, fields: { event: 1, name: { en: `Type ${i + 2}` } } },
    ]).flat();
    objects.push({ model: 'schedule.room', pk: 1, fields: { event: 1, name: { en: 'Room one' }, capacity: 40 } as never });
    writeFileSync(dir.join('mixed.json'), JSON.stringify(objects));
    const loaded = await run('loaddata', 'mixed', '-v', '3');
    expect({ exitCode: loaded.exitCode, stdout: loaded.stdout }).toEqual({ exitCode: 0, stdout: `Installing json fixture 'mixed' from '${dir.join('mixed.json')}'.\nInstalled 401 object(s) from 1 fixture(s)\n` });
    // -v 3 logs every statement: the rooms and the types go in one statement each, then the other shape of room.
    const writes = loaded.stderr.split('\n').filter((line) => /(INSERT INTO|COPY) "(schedule_room|submission_submissiontype)"/.test(line)).map((line) => /(INSERT INTO|COPY) "(\w+)"/.exec(line)!.slice(1).join(' '));
    expect(writes).toEqual(['COPY schedule_room', 'COPY submission_submissiontype', 'INSERT INTO schedule_room']);
    expect(pg.psql(nameOf(url), "SELECT count(*), sum(coalesce(capacity, 0)), min(name) FROM schedule_room")).toBe('200|40|{"en":"Room 10"}\n');
    expect(pg.psql(nameOf(url), 'SELECT count(*) FROM submission_submissiontype')).toBe('201\n');
  });

  test('a database migrated by a newer confctl is refused, as on SQLite', async () => {
    using dir = tempDir();
    const url = pg.createDatabase();
    expect((await call(['migrate', '--database', url, '-v', '0'], { cwd: dir.path })).exitCode).toBe(0);
    pg.psql(nameOf(url), "INSERT INTO confctl_migration (name, timestamp) VALUES ('0099_from_the_future', '2030-01-01T00:00:00.000Z')");
    const line = 'CommandError: The database has migration 0099_from_the_future applied, which this confctl does not know: it was migrated by a newer confctl. Use that version, or a backup made before the upgrade.\n';
    for (const command of ['migrate', 'showmigrations']) {
      expect(await call([command, '--database', url], { cwd: dir.path })).toEqual({ stdout: '', stderr: line, exitCode: 1 });
    }
  });
});

describe('connecting to PostgreSQL', () => {
  test('an unreachable server, a wrong password, an unknown role or database: one line naming host, port and database, never the password', async () => {
    using dir = tempDir();
    pg.createRole('organiser', "pass'word");
    const socket = `socket ${pg.socketDir}/.s.PGSQL.${pg.port}`;
    const cases: [string, string][] = [
      [pg.tcpUrl('postgres', 'organiser', 'wrong-s3cret'), `Cannot connect to PostgreSQL at 127.0.0.1:${pg.port}, database "postgres": password authentication failed for user "organiser"`],
      [`postgres://organiser:wrong-s3cret@127.0.0.1:1/conf`, 'Cannot connect to PostgreSQL at 127.0.0.1:1, database "conf": connection refused: is the server running, and listening there?'],
      [pg.url('no_such_database'), `Cannot connect to PostgreSQL at ${socket}, database "no_such_database": the database "no_such_database" does not exist: create it first (createdb no_such_database, or CREATE DATABASE)`],
      [pg.url('postgres').replace('user=confctl', 'user=nobody_here'), `Cannot connect to PostgreSQL at ${socket}, database "postgres": role "nobody_here" does not exist`],
      [`postgres:///conf?host=${dir.join('nowhere')}`, `Cannot connect to PostgreSQL at socket ${dir.join('nowhere')}/.s.PGSQL.5432, database "conf": no server listens on that socket: is it running, and is that its socket folder?`],
      ['postgres://organiser:wrong-s3cret@db.example.org/conf?sslmod=require', 'The database URL postgres://organiser:********@db.example.org/conf?sslmod=require has a parameter confctl does not know: sslmod (known: host, port, dbname, user, password, sslmode, connect_timeout, application_name).'],
      ['postgresql://organiser@db.example.org:99999/conf?password=wrong-s3cret', 'The database URL postgresql://organiser@db.example.org:99999/conf?password=******** has an invalid port: 99999.'],
    ];
    for (const [url, message] of cases) {
      expect({ url, ...(await call(['migrate', '--database', url], { cwd: dir.path })) }).toEqual({ url, stdout: '', stderr: `CommandError: ${message}\n`, exitCode: 1 });
    }
    // The server asks for a password and none is given: one line, and the process ends (pg left its
    // socket open, and the binary waited for ever after the line).
    const none = pg.tcpUrl('postgres', 'organiser', 'x').replace(':x@', '@');
    const said = `CommandError: Cannot connect to PostgreSQL at 127.0.0.1:${pg.port}, database "postgres": the server asks user "organiser" for a password, and none was given (in the URL, PGPASSWORD or ~/.pgpass)\n`;
    expect(await call(['migrate', '--database', none], { cwd: dir.path })).toEqual({ stdout: '', stderr: said, exitCode: 1 });
    const binary = installBinary(dir.path);
    const ended = await Promise.race([runBinary(binary, ['check', '--database', none], dir.path), Bun.sleep(10_000).then(() => 'still running after 10 s')]);
    expect(ended).toEqual({ stdout: '', stderr: said, exitCode: 1 });
    rmSync(binary);
    // The right password over TCP works (and the role may not create tables in a database it does not own: a clear line too).
    const right = await call(['showmigrations', '--database', pg.tcpUrl('postgres', 'organiser', "pass'word")], { cwd: dir.path });
    expect(right).toEqual({ stdout: `confctl\n${[' [ ] 0001_initial', ' [ ] 0002_event_stamps', ' [ ] 0003_event_stamps_by_time', ' [ ] 0004_upstream_fields', ' [ ] 0005_feed_days_and_tracks', ' [ ] 0006_one_stamp_per_transaction', ' [ ] 0007_text_in_byte_order'].join('\n')}\n`, stderr: '', exitCode: 0 });
    expect(Bun.spawnSync(['find', '.', '-mindepth', '1'], { cwd: dir.path }).stdout.toString()).toBe('');
  }, 60_000);

  test('a database value that is no postgres:// URL libpq would read: one line, nothing written, the password never shown', async () => {
    using dir = tempDir();
    const refused = (scheme: string, shown: string) =>
      `The database ${shown} is a ${scheme}:// URL: confctl speaks PostgreSQL (postgres:// or postgresql://) and SQLite (a file's path, without sqlite://).`;
    const encode = (shown: string) => `The database URL ${shown} has an "@" after its host: in a user name or password, write "/" as %2F, "?" as %3F, "#" as %23 and "@" as %40.`;
    const folder = dir.join('postgres', 'app:********@db.example.org');
    const cases: [string[], string, string][] = [
      [['migrate'], 'postgress://app:pw-s3cret@db.example.org/conf', refused('postgress', 'postgress://app:********@db.example.org/conf')],
      [['migrate'], 'mysql://app:pw-s3cret@db.example.org/conf', refused('mysql', 'mysql://app:********@db.example.org/conf')],
      [['check'], 'sqlite:///srv/conf/db.sqlite3', refused('sqlite', 'sqlite:///srv/conf/db.sqlite3')],
      // A forgotten ":" makes a relative file name of it.
      [['migrate'], 'postgres//app:pw-s3cret@db.example.org/conf', `The folder ${folder} of the database does not exist.`],
      [['list_events'], 'postgres//app:pw-s3cret@db.example.org/conf', `The database ${folder}/conf does not exist: run "confctl migrate" to create it.`],
      [['migrate'], 'postgres://app:pw#s3cret@db.example.org/conf', encode('postgres://app:********@db.example.org/conf')],
      [['migrate'], 'postgres://app:pw/s3cret@db.example.org/conf', encode('postgres://app:********@db.example.org/conf')],
      [['migrate'], 'postgres://app:pw?s3cret@db.example.org/conf', encode('postgres://app:********@db.example.org/conf')],
      [['migrate'], 'postgresql://app:p@ss:w/rd?#%s3cret@db.example.org:5432/conf', encode('postgresql://app:********@db.example.org:5432/conf')],
      // A scheme without its //, spaces around a URL, a libpq key=value string: each was a file name below the working folder.
      [['migrate'], 'postgresql:/app:pw-s3cret@db.example.org/conf', 'The database postgresql:********@db.example.org/conf is not a URL confctl reads: a PostgreSQL URL begins with postgres:// (or postgresql://); an SQLite database is a file\'s path.'],
      [['check'], 'postgres:app:pw-s3cret@db.example.org/conf', 'The database postgres:********@db.example.org/conf is not a URL confctl reads: a PostgreSQL URL begins with postgres:// (or postgresql://); an SQLite database is a file\'s path.'],
      [['migrate'], ' postgres://app:pw-s3cret@db.example.org/conf', 'The database URL postgres://app:********@db.example.org/conf has spaces around it: remove them.'],
      [['migrate'], "host=db.example.org dbname=conf user=app password='pw s3cret'", 'The database host=db.example.org dbname=conf user=app password=******** is a libpq key=value string: confctl takes a URL, postgres://user:password@host:5432/name (a socket: postgres:///name?host=/var/run/postgresql).'],
    ];
    for (const [command, value, message] of cases) {
      for (const env of [{}, { DATABASE_URL: value }] as Record<string, string>[]) {
        const argv = 'DATABASE_URL' in env ? command : [...command, '--database', value];
        expect({ argv, ...(await call(argv, { cwd: dir.path, env })) }).toEqual({ argv, stdout: '', stderr: `CommandError: ${message}\n`, exitCode: 1 });
      }
    }
    dir.write({ 'confctl.toml': '[database]\nname = "mysql://app:pw-s3cret@db.example.org/conf"\n' });
    expect(await call(['migrate'], { cwd: dir.path })).toEqual({ stdout: '', stderr: `CommandError: ${refused('mysql', 'mysql://app:********@db.example.org/conf')}\n`, exitCode: 1 });
    dir.write({ 'confctl.toml': '[database]\nurl = "mysql://app:pw-s3cret@db.example.org/conf"\n' });
    expect(await call(['migrate'], { cwd: dir.path })).toEqual({
      stdout: '',
      stderr: 'CommandError: The setting database.url must be a postgres:// URL, not "mysql://app:********@db.example.org/conf": an SQLite file is database.name.\n',
      exitCode: 1,
    });
    expect(Bun.spawnSync(['find', '.', '-mindepth', '1'], { cwd: dir.path }).stdout.toString()).toBe('./confctl.toml\n');
  });

  test('a URL without user or database takes the login name, as libpq does, also where $USER is not set (cron, systemd)', async () => {
    using dir = tempDir();
    const login = Bun.spawnSync(['id', '-un']).stdout.toString().trim();
    const script = `import { parsePostgresUrl } from ${JSON.stringify(join(import.meta.dir, '..', '..', 'core', 'common', 'database-url.ts'))}; const t = parsePostgresUrl('postgres://'); console.log(t.user, t.database);`;
    // Bun's userInfo() says "unknown" without $USER.
    const run = Bun.spawnSync([process.execPath, '-e', script], { cwd: dir.path, env: { PATH: '/usr/bin:/bin' } });
    expect({ stdout: run.stdout.toString(), stderr: run.stderr.toString() }).toEqual({ stdout: `${login} ${login}\n`, stderr: '' });
  });

  test('a role without the grants a command needs: one CommandError line naming server, database and role, never the password', async () => {
    using dir = tempDir();
    const url = pg.createDatabase();
    expect((await call(['migrate', '-v', '0', '--database', url], { cwd: dir.path })).exitCode).toBe(0);
    pg.createRole('reader', 'ro-s3cret');
    const tcp = pg.tcpUrl(nameOf(url), 'reader', 'ro-s3cret');
    const where = `127.0.0.1:${pg.port}, database "${nameOf(url)}"`;
    const refused = (what: string, at = where) => `CommandError: The PostgreSQL server at ${at} refused role "reader": permission denied ${what}. Grant it the privileges it needs (or connect as the database's owner).\n`;
    for (const argv of [['list_events'], ['showmigrations'], ['dumpdata']]) {
      expect({ argv, ...(await call([...argv, '--database', tcp], { cwd: dir.path })) }).toEqual({ argv, stdout: '', stderr: refused('for table confctl_migration'), exitCode: 1 });
    }
    pg.psql(nameOf(url), 'GRANT SELECT ON ALL TABLES IN SCHEMA public TO reader');
    expect(await call(['create_event', '--slug', 'x', '--name', 'X', '--date-from', '2026-01-01', '--date-to', '2026-01-01', '--database', tcp], { cwd: dir.path })).toEqual({ stdout: '', stderr: refused('for table event_event'), exitCode: 1 });
    // testserver's role may not create databases (asked of the server's "postgres" database): Django's first line, then why.
    dir.write({ 'demo.json': '[]' });
    expect(await call(['testserver', 'demo', '--addrport', '127.0.0.1:0', '--database', tcp], { cwd: dir.path })).toEqual({
      stdout: '',
      stderr: `Creating test database for alias 'default' ('test_${nameOf(url)}')...\n${refused('to create database', `127.0.0.1:${pg.port}, database "postgres"`)}`,
      exitCode: 1,
    });
  });

  test('a server starting up or out of connection slots: one line saying so (its FATAL answer, 57P03 or 53300)', async () => {
    using dir = tempDir();
    const refusals: [string, string, string][] = [
      ['57P03', 'the database system is starting up', 'the server is starting up or shutting down'],
      ['53300', 'sorry, too many clients already', 'the server has no connection slots left (max_connections)'],
    ];
    for (const [code, said, line] of refusals) {
      await using busy = await fakePostgres({ num: 150000, name: '15.0' }, { refuse: { code, message: said } });
      expect({ code, ...(await call(['list_events', '--database', `postgres://organiser:s3cret@127.0.0.1:${busy.port}/conf?sslmode=disable`], { cwd: dir.path })) }).toEqual({
        code,
        stdout: '',
        stderr: `CommandError: Cannot connect to PostgreSQL at 127.0.0.1:${busy.port}, database "conf": ${line}\n`,
        exitCode: 1,
      });
    }
  });

  test('a server older than PostgreSQL 13: one line naming it and its version, nothing done', async () => {
    using dir = tempDir();
    await using old = await fakePostgres({ num: 120022, name: '12.22 (Debian 12.22-1)' });
    for (const query of ['', '?sslmode=disable']) {
      const url = `postgres://organiser:s3cret@127.0.0.1:${old.port}/conf${query}`;
      expect(await call(['migrate', '--database', url], { cwd: dir.path })).toEqual({
        stdout: '',
        stderr: `CommandError: The PostgreSQL server at 127.0.0.1:${old.port}, database "conf" runs version 12.22 (Debian 12.22-1); confctl needs PostgreSQL 13 or later.\n`,
        exitCode: 1,
      });
    }
    // The binary ends too: the refused server's connection is closed, not left to hold the process.
    const url = `postgres://organiser@127.0.0.1:${old.port}/conf?sslmode=disable`;
    expect(await runBinary(installBinary(dir.path), ['migrate', '--database', url], dir.path)).toEqual({
      stdout: '',
      stderr: `CommandError: The PostgreSQL server at 127.0.0.1:${old.port}, database "conf" runs version 12.22 (Debian 12.22-1); confctl needs PostgreSQL 13 or later.\n`,
      exitCode: 1,
    });
    rmSync(dir.join('confctl'));
    // PostgreSQL 13 is let in: migrate goes on to its next query (which this fake refuses).
    await using thirteen = await fakePostgres({ num: 130000, name: '13.0' });
    const later = await call(['migrate', '--database', `postgres://organiser@127.0.0.1:${thirteen.port}/conf?sslmode=disable`], { cwd: dir.path });
    expect({ exitCode: later.exitCode, stderr: later.stderr }).toEqual({ exitCode: 1, stderr: 'error: this fake server answers one question only (run with --traceback to see the stack trace)\n' });
    expect(Bun.spawnSync(['find', '.', '-mindepth', '1'], { cwd: dir.path }).stdout.toString()).toBe('');
  });

  test('DATABASE_URL, CONFCTL_DATABASE and [database] url choose PostgreSQL; the -v 2 header and diffsettings mask the password', async () => {
    using dir = tempDir();
    pg.createRole('owner', 's3cret-pw');
    const url = pg.createDatabase();
    pg.psql(nameOf(url), 'ALTER SCHEMA public OWNER TO owner');
    const tcp = pg.tcpUrl(nameOf(url), 'owner', 's3cret-pw');
    const masked = tcp.replace('s3cret-pw', '********');
    dir.write({ 'confctl.toml': `[database]\nurl = "${tcp}"\n` });
    const migrate = await call(['migrate', '-v', '2'], { cwd: dir.path });
    expect(migrate.exitCode).toBe(0);
    expect(migrate.stderr).toContain(`┃ Database:  ${masked} (postgresql)`);
    expect(migrate.stdout).toContain('  Applying 0005_feed_days_and_tracks... OK');
    for (const env of [{ DATABASE_URL: tcp }, { CONFCTL_DATABASE: tcp }] as Record<string, string>[]) {
      const shown = await call(['showmigrations', '-v', '2', '--settings', '/dev/null'], { cwd: dir.path, env });
      expect(shown.stdout).toContain(' [X] 0005_feed_days_and_tracks (applied at ');
      expect(shown.stderr).toContain(`┃ Database:  ${masked} (postgresql)`);
      expect(shown.stderr + shown.stdout).not.toContain('s3cret-pw');
    }
    const settings = await call(['diffsettings'], { cwd: dir.path });
    expect(settings.stdout).toContain(`database.url = "${masked}"  ###`);
    expect(settings.stdout).not.toContain('s3cret-pw');
    // The questions before destroying data name the database as the header does.
    const flush = await call(['flush'], { cwd: dir.path, stdin: 'no\n', tty: { stdin: true } });
    expect(flush.stdout).toContain(`This will IRREVERSIBLY DESTROY all data currently in the "${masked}" database,\n`);
    const reset = await call(['reset', 'event'], { cwd: dir.path, stdin: 'no\n', tty: { stdin: true } });
    expect(reset.stdout).toContain(`in the database "${masked}".\n`);
    expect(flush.stdout + flush.stderr + reset.stdout + reset.stderr).not.toContain('s3cret-pw');
    // Nothing but the settings file was written here.
    expect(Bun.spawnSync(['find', '.', '-mindepth', '1'], { cwd: dir.path }).stdout.toString()).toBe('./confctl.toml\n');
  });

  test('dbshell runs psql with the connection in PG* variables (the password too): -c, SQL on stdin, arguments after --, a failing statement; the binary ends when it is done', async () => {
    using dir = tempDir();
    pg.createRole('shell_user', 'sh3ll-s3cret');
    const url = pg.createDatabase();
    pg.psql(nameOf(url), 'ALTER SCHEMA public OWNER TO shell_user');
    const tcp = pg.tcpUrl(nameOf(url), 'shell_user', 'sh3ll-s3cret');
    expect((await call(['migrate', '-v', '0', '--database', tcp], { cwd: dir.path })).exitCode).toBe(0);
    expect(await call(['dbshell', '-c', 'SELECT count(*) AS events FROM event_event', '--database', tcp], { cwd: dir.path })).toEqual({ stdout: ' events \n--------\n      0\n(1 row)\n\n', stderr: '', exitCode: 0 });
    expect(await call(['dbshell', '--database', tcp], { cwd: dir.path, stdin: 'SELECT current_user;\n' })).toEqual({ stdout: ' current_user \n--------------\n shell_user\n(1 row)\n\n', stderr: '', exitCode: 0 });
    expect(await call(['dbshell', '--database', tcp, '--', '-At', '-c', 'SELECT 1 + 1'], { cwd: dir.path })).toEqual({ stdout: '2\n', stderr: '', exitCode: 0 });
    expect(await call(['dbshell', '-c', 'SELECT nope', '--database', tcp], { cwd: dir.path })).toEqual({ stdout: '', stderr: 'CommandError: ERROR:  column "nope" does not exist\n', exitCode: 1 });
    expect(await call(['dbshell', '-c', 'SELECT 1', '--database', tcp], { cwd: dir.path, env: { PATH: '/nonexistent' } })).toEqual({ stdout: '', stderr: 'CommandError: psql is not installed (Debian: apt-get install postgresql-client); the built-in prompt is for SQLite files.\n', exitCode: 1 });
    // A command that ran no query through kysely left its connection open: the process never ended.
    const confctl = installBinary(dir.path);
    for (const argv of [['dbshell', '-c', 'SELECT 1'], ['list_events']]) {
      const started = performance.now();
      const result = await runBinary(confctl, [...argv, '--database', tcp], dir.path);
      expect({ argv, exitCode: result.exitCode, quick: performance.now() - started < 5000 }).toEqual({ argv, exitCode: 0, quick: true });
    }
  }, 60_000);

  test('the sql* commands speak PostgreSQL without connecting (the server has no database "conf"), the password never shown', async () => {
    using dir = tempDir();
    const url = pg.tcpUrl('conf', 'organiser', 's3cret-pw');
    dir.write({ 'x.json': '[]' });
    // The sql* commands print PostgreSQL's statements without connecting (the server has no database "conf").
    for (const command of ['sqlflush', 'sqlall', 'sqlsequencereset', 'sqlmigrate']) {
      const argv = command === 'sqlmigrate' ? [command, 'confctl', '0001'] : command === 'sqlflush' ? [command] : [command, 'event'];
      const result = await call([...argv, '--database', url], { cwd: dir.path });
      expect({ command, exitCode: result.exitCode, stderr: result.stderr, postgres: /serial|setval/.test(result.stdout), password: result.stdout.includes('s3cret') }).toEqual({ command, exitCode: 0, stderr: '', postgres: true, password: false });
    }
    expect(Bun.spawnSync(['find', '.', '-mindepth', '1'], { cwd: dir.path }).stdout.toString()).toBe('./x.json\n');
  });
});
