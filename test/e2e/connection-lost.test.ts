import { describe, expect, test } from 'bun:test';
import { installBinary, startServer } from '../support/binary.ts';
import { call } from '../support/cli.ts';
import { postgresServer, type PostgresServer } from '../support/postgres.ts';
import { tcpProxy } from '../support/tcp-proxy.ts';
import { tempDir } from '../support/tmp.ts';
import { sql } from 'kysely';
import { databaseUnavailable, openPostgres } from '../../db/connection.ts';
import { workerRenderer } from '../../core/serve/render.ts';

/**
 * A PostgreSQL server that ends a command's connection in the middle of its transaction (a restart,
 * a failover, an administrator's pg_terminate_backend): the command says so in one line and exits 1
 * at once, and nothing of its transaction stays; a server takes new connections for its next
 * requests. Before (postgres.js 3.4.9), the command's next query was written to a socket the driver
 * had forgotten (an uncaught TypeError, and a process that never ended), and runserver, its
 * connections ended, waited for ever on every later request.
 */
const rooms = (from: number, to: number) =>
  Array.from({ length: to - from }, (_, i) => JSON.stringify({ model: 'schedule.room', pk: from + i + 1, fields: { event: 1, name: { en: `Room ${from + i + 1}` } } })).join('\n') + '\n';

const ENV = (home: string) => ({ PATH: '/usr/bin:/bin', NO_COLOR: '1', TZ: 'UTC', HOME: home });

async function prepared(pg: PostgresServer, dir: string, tcp: boolean): Promise<{ url: string; name: string; where: string }> {
  const socketUrl = pg.createDatabase('lost');
  const name = /^postgres:\/\/\/(\w+)\?/.exec(socketUrl)![1]!;
  let url = socketUrl;
  let where = `socket ${pg.socketDir}/.s.PGSQL.${pg.port}, database "${name}"`;
  if (tcp) {
    pg.createRole(`lost_${name}`, 'pw');
    pg.psql(name, `GRANT ALL ON SCHEMA public TO lost_${name}`);
    pg.psql('postgres', `ALTER DATABASE ${name} OWNER TO lost_${name}`);
    url = pg.tcpUrl(name, `lost_${name}`, 'pw');
    where = `127.0.0.1:${pg.port}, database "${name}"`;
  }
  for (const argv of [['migrate'], ['create_event', '--slug', 'democon', '--name', 'D', '--date-from', '2026-01-01', '--date-to', '2026-01-02']]) {
    expect((await call([...argv, '--database', url, '-v', '0'], { cwd: dir })).exitCode).toBe(0);
  }
  return { url, name, where };
}

/** A public event "opencon" to serve. */
async function publicEvent(url: string, dir: string): Promise<void> {
  expect((await call(['create_event', '--slug', 'opencon', '--name', 'Open', '--date-from', '2026-01-01', '--date-to', '2026-01-02', '--public', '--database', url, '-v', '0'], { cwd: dir })).exitCode).toBe(0);
}

/** A page, an API answer and a feed of opencon: what a server answers is asked of all three. */
const PATHS = ['opencon/schedule/', 'api/events/', 'opencon/schedule.json'];

/** Holds `tables` locked in a transaction of `holder`, as another session would, until `release()` (which waits for its end). */
async function lockTables(holder: Awaited<ReturnType<typeof openPostgres>>, tables: string): Promise<{ release: () => Promise<void> }> {
  let locked = () => {};
  let unlock = () => {};
  const lockedNow = new Promise<void>((resolve) => (locked = resolve));
  const held = holder.transaction().execute(async (trx) => {
    await sql.raw(`LOCK TABLE ${tables} IN ACCESS EXCLUSIVE MODE`).execute(trx);
    locked();
    await new Promise<void>((resolve) => (unlock = resolve));
  });
  await Promise.race([lockedNow, held]);
  return {
    release: () => {
      unlock();
      return held;
    },
  };
}

/** Each of PATHS as `path status`, and for a 503 its Retry-After, Cache-Control and body. */
const answersOf = (base: string) =>
  Promise.all(
    PATHS.map(async (path) => {
      const response = await fetch(`${base}${path}`, { signal: AbortSignal.timeout(5000) });
      const body = await response.text();
      return response.status === 503 ? `${path} 503 ${response.headers.get('retry-after')} ${response.headers.get('cache-control')} ${body}` : `${path} ${response.status}`;
    }),
  );

const lostLine = (where: string, fixture = '') =>
  `CommandError: ${fixture}The connection to the PostgreSQL server at ${where} was lost (the server ended it or went away); the open transaction, if any, was rolled back by the server.\n`;

/** Waits (up to 5 s) until psql's answer to `sql` is `expected`. */
async function until(pg: PostgresServer, name: string, sql: string, expected: string): Promise<boolean> {
  for (let i = 0; i < 500; i++) {
    if (pg.psql(name, sql).trim() === expected) return true;
    await Bun.sleep(10);
  }
  return false;
}

const terminate = (pg: PostgresServer, name: string) => pg.psql(name, "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE application_name = 'confctl'").trim();

describe('a PostgreSQL connection lost under a command', () => {
  for (const tcp of [false, true]) {
    test(`between two statements (${tcp ? 'TCP' : 'socket'}): one line, exit 1, nothing written`, async () => {
      using dir = tempDir();
      const confctl = installBinary(dir.path);
      const pg = await postgresServer();
      const { url, name, where } = await prepared(pg, dir.path, tcp);
      const child = Bun.spawn([confctl, 'loaddata', '-', '--format', 'jsonl', '--database', url], { cwd: dir.path, env: ENV(dir.path), stdin: 'pipe', stdout: 'pipe', stderr: 'pipe' });
      try {
        // A first batch written (1,000 rows on PostgreSQL; the transaction has an id), the rest of the input not yet sent: the connection is idle in its transaction.
        child.stdin.write(rooms(0, 2500));
        await child.stdin.flush();
        expect(await until(pg, name, "SELECT count(*) FROM pg_stat_activity WHERE application_name = 'confctl' AND backend_xid IS NOT NULL AND state = 'idle in transaction'", '1')).toBe(true);
        expect(terminate(pg, name)).toBe('1');
        await Bun.sleep(100);
        child.stdin.write(rooms(2500, 3500));
        await child.stdin.end();
      } finally {
        // A failed step must not leave the child to the next test.
        setTimeout(() => child.kill('SIGKILL'), 10_000).unref();
      }
      expect(await child.exited).toBe(1);
      // Django's words around any error while reading a fixture, then the loss.
      expect(await new Response(child.stderr).text()).toBe(lostLine(where, "Problem installing fixture '-': "));
      expect(await new Response(child.stdout).text()).toBe('');
      expect(pg.psql(name, 'SELECT count(*) FROM schedule_room').trim()).toBe('0');
    }, 30_000);
  }

  test('during a statement: one line, exit 1, nothing written', async () => {
    using dir = tempDir();
    const confctl = installBinary(dir.path);
    const pg = await postgresServer();
    const { url, name, where } = await prepared(pg, dir.path, false);
    // Another session holds the table: the load's INSERT waits for it, in flight, when its connection is ended.
    const holder = Bun.spawn(['psql', '-X', '-q', '-h', pg.socketDir, '-p', String(pg.port), '-U', 'confctl', '-d', name], { stdin: 'pipe', stdout: 'ignore', stderr: 'ignore' });
    holder.stdin.write('BEGIN; LOCK TABLE schedule_room IN ACCESS EXCLUSIVE MODE;\n');
    await holder.stdin.flush();
    expect(await until(pg, name, "SELECT count(*) FROM pg_locks l JOIN pg_class c ON c.oid = l.relation WHERE c.relname = 'schedule_room' AND l.mode = 'AccessExclusiveLock' AND l.granted", '1')).toBe(true);
    const child = Bun.spawn([confctl, 'loaddata', '-', '--format', 'jsonl', '--database', url], { cwd: dir.path, env: ENV(dir.path), stdin: 'pipe', stdout: 'pipe', stderr: 'pipe' });
    child.stdin.write(rooms(0, 10));
    await child.stdin.end();
    expect(await until(pg, name, "SELECT count(*) FROM pg_stat_activity WHERE application_name = 'confctl' AND wait_event_type = 'Lock'", '1')).toBe(true);
    expect(terminate(pg, name)).toBe('1');
    expect(await child.exited).toBe(1);
    expect(await new Response(child.stderr).text()).toBe(lostLine(where));
    holder.stdin.write('ROLLBACK;\n');
    await holder.stdin.end();
    await holder.exited;
    expect(pg.psql(name, 'SELECT count(*) FROM schedule_room').trim()).toBe('0');
  }, 30_000);

  test('runserver: its connections ended between requests, it answers the next ones from new connections', async () => {
    using dir = tempDir();
    const confctl = installBinary(dir.path);
    const pg = await postgresServer();
    const { url, name } = await prepared(pg, dir.path, false);
    await publicEvent(url, dir.path);
    const server = await startServer(confctl, ['runserver', '127.0.0.1:0', '--noreload', '--database', url], dir.path);
    try {
      const paths = PATHS;
      const statuses = async () => Promise.all(paths.map(async (path) => `${path} ${(await fetch(`${server.url}${path}`, { signal: AbortSignal.timeout(5000) })).status}`));
      expect(await statuses()).toEqual(paths.map((path) => `${path} 200`));
      expect(Number(terminate(pg, name))).toBeGreaterThan(0);
      await Bun.sleep(200);
      for (let round = 0; round < 3; round++) expect(await statuses()).toEqual(paths.map((path) => `${path} 200`));
    } finally {
      server.child.kill('SIGINT');
      await server.child.exited;
    }
  }, 30_000);

  test('runserver while the database server is down: 503 with Retry-After and one line on its log, then 200 again once it is back', async () => {
    using dir = tempDir();
    const confctl = installBinary(dir.path);
    const pg = await postgresServer();
    const { url: direct, name } = await prepared(pg, dir.path, true);
    await publicEvent(direct, dir.path);
    // The server reached through a relay that the test stops and starts: a restart, as the client sees one.
    await using relay = await tcpProxy(pg.port);
    const url = direct.replace(`:${pg.port}/`, `:${relay.port}/`);
    const server = await startServer(confctl, ['runserver', '127.0.0.1:0', '--noreload', '--database', url], dir.path);
    const paths = PATHS;
    const answers = () => answersOf(server.url);
    let output: { stdout: string; stderr: string };
    try {
      expect(await answers()).toEqual(paths.map((path) => `${path} 200`));
      await relay.down();
      for (let round = 0; round < 2; round++) {
        expect(await answers()).toEqual(paths.map((path) => `${path} 503 5 no-store Service unavailable: the database cannot be reached; try again in a moment.\n`));
      }
      await relay.up();
      for (let round = 0; round < 2; round++) expect(await answers()).toEqual(paths.map((path) => `${path} 200`));
    } finally {
      server.child.kill('SIGINT');
      await server.child.exited;
      output = await server.output();
    }
    // Each refused request is one line that says what to look at; none is an internal error.
    const lines = output.stderr.split('\n').filter((line) => line.includes('Service unavailable') || line.includes('Internal error'));
    expect(lines.length).toBe(6);
    for (const line of lines) {
      expect(line).toMatch(
        new RegExp(
          `Service unavailable: (Cannot connect to PostgreSQL at 127\\.0\\.0\\.1:${relay.port}, database "${name}": connection refused: is the server running, and listening there\\?|The connection to the PostgreSQL server at 127\\.0\\.0\\.1:${relay.port}, database "${name}" was lost .*)$`,
        ),
      );
    }
  }, 30_000);

  test("runserver's page renderer that cannot connect when it starts: pages fail as unavailable (503), then render once the server is back", async () => {
    using dir = tempDir();
    const pg = await postgresServer();
    const { url: direct } = await prepared(pg, dir.path, true);
    await using relay = await tcpProxy(pg.port);
    await relay.down();
    const renderer = workerRenderer({ databasePath: direct.replace(`:${pg.port}/`, `:${relay.port}/`), busyTimeout: 1000, siteUrl: 'https://schedule.example.org', version: '0.1.0' });
    const ask = () => renderer.page({ eventId: 1, slug: 'democon', organiser: false, stamp: 1, file: 'index.html' }).then((page) => `rendered ${page.kind}`, (e: Error) => `${databaseUnavailable(e) ? 'unavailable' : 'failed'}: ${e.message}`);
    try {
      expect(await ask()).toStartWith('unavailable: Cannot connect to PostgreSQL at 127.0.0.1:');
      await relay.up();
      // Before, the renderer kept the failure of its start: every later page failed, as an internal error.
      expect(await ask()).toMatch(/^rendered /);
    } finally {
      renderer.close();
    }
  }, 30_000);

  test('another session holding the tables locked (LOCK TABLE, a long ALTER): commands and runserver give up after database.busy_timeout, one line each; 503 with Retry-After, then 200 once it is released', async () => {
    using dir = tempDir();
    const confctl = installBinary(dir.path);
    const pg = await postgresServer();
    const { url, where } = await prepared(pg, dir.path, false);
    await publicEvent(url, dir.path);
    dir.write({ 'confctl.toml': '[database]\nbusy_timeout = 300\n' });
    const server = await startServer(confctl, ['runserver', '127.0.0.1:0', '--noreload', '--database', url], dir.path);
    const paths = PATHS;
    const answers = () => answersOf(server.url);
    const holder = await openPostgres(url);
    const locks: { release: () => Promise<void> }[] = [];
    let output: { stdout: string; stderr: string };
    const line = `The PostgreSQL server at ${where}: another session held a lock this needs for longer than database.busy_timeout (300 ms), and the transaction was rolled back: try again when it is done.`;
    try {
      const tables = await lockTables(holder, 'event_event, schedule_room');
      locks.push(tables);
      // Before, the pages waited for as long as the lock was held: an empty reply after the server's 10 s.
      expect(await answers()).toEqual(paths.map((path) => `${path} 503 5 no-store Service unavailable: the database cannot be reached; try again in a moment.\n`));
      for (const argv of [['list_events'], ['dumpdata', 'event'], ['create_event', '--slug', 'late', '--name', 'Late', '--date-from', '2026-01-01', '--date-to', '2026-01-02']]) {
        expect({ argv, ...(await call([...argv, '--database', url], { cwd: dir.path })) }).toEqual({ argv, stdout: '', stderr: `CommandError: ${line}\n`, exitCode: 1 });
      }
      await tables.release();
      expect(await answers()).toEqual(paths.map((path) => `${path} 200`));
      // More requests at once than the server has connections (4), each needing a table another
      // session holds: each gives up after busy_timeout too. Before, the ones queued for a connection
      // waited it out once per round of the pool (24 requests: the last after 6 × 300 ms).
      const talks = await lockTables(holder, 'submission_submission');
      locks.push(talks);
      const burst = await Promise.all(
        Array.from({ length: 24 }, async (_, i) => {
          const started = performance.now();
          const response = await fetch(`${server.url}api/events/opencon/submissions/?n=${i}`, { signal: AbortSignal.timeout(10_000) });
          await response.text();
          return { status: response.status, late: performance.now() - started > 1200 };
        }),
      );
      await talks.release();
      expect(burst).toEqual(burst.map(() => ({ status: 503, late: false })));
    } finally {
      for (const lock of locks) await lock.release().catch(() => {});
      await holder.destroy();
      server.child.kill('SIGINT');
      await server.child.exited;
      output = await server.output();
    }
    const lines = output.stderr.split('\n').filter((l) => l.includes('Service unavailable') || l.includes('Internal error'));
    expect(lines.slice(0, paths.length)).toEqual(paths.map(() => `Service unavailable: ${line}`));
    // The burst: what it logged says the lock, or the connections all busy waiting for it.
    const busy = `The PostgreSQL server at ${where}: every connection of this process (4) was busy for longer than database.busy_timeout (300 ms), waiting for a lock another session holds: try again when it is done.`;
    expect(lines.length).toBeGreaterThan(paths.length);
    const said = lines.slice(paths.length).map((l) => l.replace(/ \(repeated \d+ times\)$/, ''));
    expect(said.filter((l) => l !== `Service unavailable: ${line}` && l !== `Service unavailable: ${busy}`)).toEqual([]);
    expect(pg.psql(/database "(\w+)"/.exec(where)![1]!, "SELECT count(*) FROM event_event WHERE slug = 'late'").trim()).toBe('0');
  }, 30_000);
});
