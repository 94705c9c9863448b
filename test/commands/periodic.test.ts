import { describe, expect, test } from 'bun:test';
import { Database as Sqlite } from 'bun:sqlite';
import { hostname } from 'node:os';
import type { Clock } from '../../core/common/clock.ts';
import { openDatabase } from '../../db/connection.ts';
import { runPeriodic, type PeriodicTask } from '../../core/housekeeping/periodic.ts';
import { call } from '../support/cli.ts';
import { migratedDatabase, query } from '../support/db.ts';
import { tempDir } from '../support/tmp.ts';

const env = { CONFCTL_NOW: '2026-05-01T09:00:00Z' };

function seedSessions(path: string) {
  const db = new Sqlite(path);
  const insert = db.prepare('INSERT INTO common_session (session_key, session_data, expire_date) VALUES (?, ?, ?)');
  insert.run('old1', '{}', '2026-04-01 00:00:00');
  insert.run('old2', '{}', '2026-05-01 08:59:59');
  insert.run('live', '{}', '2026-05-02 00:00:00');
  db.run("INSERT INTO common_cacheentry VALUES ('stale', '1', '2026-04-30 00:00:00'), ('fresh', '2', '2026-06-01 00:00:00')");
  db.close();
}

describe('clearsessions', () => {
  test('deletes expired sessions only and says how many; "cleanup" is the same', async () => {
    using dir = tempDir();
    const path = await migratedDatabase(dir.path);
    seedSessions(path);
    expect(await call(['clearsessions'], { cwd: dir.path, env })).toEqual({ stdout: 'Deleted 2 expired sessions.\n', stderr: '', exitCode: 0 });
    expect(query(path, 'SELECT session_key FROM common_session')).toEqual([{ session_key: 'live' }]);
    expect(await call(['cleanup'], { cwd: dir.path, env })).toEqual({ stdout: 'Deleted 0 expired sessions.\n', stderr: '', exitCode: 0 });
  });
});

describe('createcachetable', () => {
  test('is a no-op when the table exists, and restores a lost one', async () => {
    using dir = tempDir();
    const path = await migratedDatabase(dir.path);
    expect(await call(['createcachetable'], { cwd: dir.path })).toEqual({ stdout: '', stderr: '', exitCode: 0 });
    expect((await call(['createcachetable', '-v', '2', '--no-pretalx-information'], { cwd: dir.path })).stdout).toBe(
      "Cache table 'common_cacheentry' already exists.\n",
    );
    const db = new Sqlite(path);
    db.run('DROP TABLE common_cacheentry');
    db.close();
    expect((await call(['createcachetable', '--dry-run'], { cwd: dir.path })).stdout).toBe("Cache table 'common_cacheentry' would be created.\n");
    expect(query(path, "SELECT count(*) AS n FROM sqlite_schema WHERE name = 'common_cacheentry'")).toEqual([{ n: 0 }]);
    expect(await call(['createcachetable'], { cwd: dir.path })).toEqual({ stdout: "Cache table 'common_cacheentry' created.\n", stderr: '', exitCode: 0 });
    expect((await call(['check'], { cwd: dir.path })).exitCode).toBe(0);
    // Django's optional table name: confctl's own is accepted, another is one clear line.
    expect(await call(['createcachetable', 'common_cacheentry'], { cwd: dir.path })).toEqual({ stdout: '', stderr: '', exitCode: 0 });
    expect(await call(['createcachetable', 'my_cache'], { cwd: dir.path })).toEqual({
      stdout: '',
      stderr: 'CommandError: confctl keeps its cache in one table, common_cacheentry, not "my_cache": run createcachetable without a name.\n',
      exitCode: 1,
    });
  });

  test('on an unmigrated database it points at migrate instead of getting in its way', async () => {
    using dir = tempDir();
    expect(await call(['createcachetable'], { cwd: dir.path })).toEqual({
      stdout: '',
      stderr: `CommandError: The database ${dir.join('data', 'db.sqlite3')} does not exist: run "confctl migrate" to create it.\n`,
      exitCode: 1,
    });
  });
});

describe('runperiodic', () => {
  test('runs the due tasks quietly, then skips them until their interval has passed', async () => {
    using dir = tempDir();
    const path = await migratedDatabase(dir.path);
    seedSessions(path);
    expect(await call(['runperiodic'], { cwd: dir.path, env })).toEqual({ stdout: '', stderr: '', exitCode: 0 });
    expect(query(path, 'SELECT session_key FROM common_session')).toEqual([{ session_key: 'live' }]);
    expect(query(path, "SELECT cache_key FROM common_cacheentry WHERE cache_key NOT LIKE 'confctl_periodic_%'")).toEqual([{ cache_key: 'fresh' }]);
    expect(query(path, "SELECT cache_key, expires FROM common_cacheentry WHERE cache_key LIKE 'confctl_periodic_%'")).toEqual([
      { cache_key: 'confctl_periodic_clear_expired_result', expires: '2026-05-01 09:15:00' },
    ]);
    const again = await call(['runperiodic', '-v', '2', '--no-pretalx-information'], { cwd: dir.path, env: { CONFCTL_NOW: '2026-05-01T09:10:00Z' } });
    expect(again.stderr).toBe('clear_expired: skipped: last run 2026-05-01T09:00:00.000Z, runs every 15 minutes\n');
    const later = await call(['runperiodic', '-v', '2', '--no-pretalx-information'], { cwd: dir.path, env: { CONFCTL_NOW: '2026-05-01T09:16:00Z' } });
    expect(later.stderr).toBe('clear_expired: ran: deleted 0 expired session(s) and 1 expired cache entries\n');
    const forced = await call(['runperiodic', '--force', '-v', '2', '--no-pretalx-information'], { cwd: dir.path, env: { CONFCTL_NOW: '2026-05-01T09:17:00Z' } });
    expect(forced.stderr).toStartWith('clear_expired: ran:');
  });

  test('a task another run holds is skipped; a lock older than its timeout is taken over', async () => {
    using dir = tempDir();
    const path = await migratedDatabase(dir.path);
    const db = new Sqlite(path);
    db.run("INSERT INTO common_cacheentry VALUES ('confctl_periodic_clear_expired_running', '\"2026-05-01T08:55:00.000Z\"', '2026-05-01 09:25:00')");
    db.close();
    const held = await call(['runperiodic', '-v', '2', '--no-pretalx-information'], { cwd: dir.path, env });
    expect(held.stderr).toBe('clear_expired: skipped: already running in another process\n');
    const after = await call(['runperiodic', '-v', '2', '--no-pretalx-information'], { cwd: dir.path, env: { CONFCTL_NOW: '2026-05-01T09:30:00Z' } });
    expect(after.stderr).toStartWith('clear_expired: ran:');
    expect(query(path, "SELECT count(*) AS n FROM common_cacheentry WHERE cache_key LIKE '%_running'")).toEqual([{ n: 0 }]);
  });

  test("a lock whose holder on this host is gone (kill -9) is taken over at once, and said; a live holder's is waited for, and said", async () => {
    using dir = tempDir();
    const path = await migratedDatabase(dir.path);
    const lock = (pid: number, host = hostname()) => {
      const db = new Sqlite(path);
      db.run("INSERT OR REPLACE INTO common_cacheentry VALUES ('confctl_periodic_clear_expired_running', ?, '2026-05-01 09:25:00')", [JSON.stringify({ since: '2026-05-01T08:55:00.000Z', pid, host })]);
      db.close();
    };
    const alive = process.ppid;
    lock(alive);
    expect(await call(['runperiodic'], { cwd: dir.path, env })).toEqual({
      stdout: '',
      stderr: `clear_expired: skipped: already running in process ${alive} on ${hostname()} since 2026-05-01T08:55:00.000Z\n`,
      exitCode: 0,
    });
    lock(alive, 'another-host');
    expect((await call(['runperiodic'], { cwd: dir.path, env })).stderr).toBe(`clear_expired: skipped: already running in process ${alive} on another-host since 2026-05-01T08:55:00.000Z\n`);
    const dead = Bun.spawnSync(['true']).pid;
    lock(dead);
    expect(await call(['runperiodic'], { cwd: dir.path, env })).toEqual({
      stdout: '',
      stderr: `clear_expired: ran: took over the lock of process ${dead}, which is gone; deleted 0 expired session(s) and 0 expired cache entries\n`,
      exitCode: 0,
    });
    expect(query(path, "SELECT count(*) AS n FROM common_cacheentry WHERE cache_key LIKE '%_running'")).toEqual([{ n: 0 }]);
  });

  test('a failing task does not stop the others, rolls back its own writes, and fails the run', async () => {
    using dir = tempDir();
    const path = await migratedDatabase(dir.path);
    const db = openDatabase(path, { busyTimeout: 1000 });
    const clock: Clock = { now: () => new Date('2026-05-01T09:00:00Z') };
    const ran: string[] = [];
    const tasks: PeriodicTask[] = [
      {
        name: 'broken',
        minutes: 5,
        timeoutMinutes: 5,
        async run(trx) {
          await trx.insertInto('common_session').values({ session_key: 'half', session_data: '{}', expire_date: '2030-01-01 00:00:00' }).execute();
          throw new Error('upstream is down');
        },
      },
      { name: 'fine', minutes: 5, timeoutMinutes: 5, run: async () => (ran.push('fine'), 'ok') },
    ];
    try {
      expect(await runPeriodic(db, clock, tasks, false)).toEqual([
        { task: 'broken', status: 'failed', detail: 'upstream is down' },
        { task: 'fine', status: 'ran', detail: 'ok' },
      ]);
      expect(ran).toEqual(['fine']);
      expect(query(path, 'SELECT count(*) AS n FROM common_session')).toEqual([{ n: 0 }]);
      // The failed task is due again at once (no _result), and its lock is released.
      expect(query(path, "SELECT cache_key FROM common_cacheentry ORDER BY cache_key")).toEqual([{ cache_key: 'confctl_periodic_fine_result' }]);
    } finally {
      await db.destroy();
    }
  });

  test('the command reports failures on stderr and exits 1', async () => {
    using dir = tempDir();
    const path = await migratedDatabase(dir.path);
    const db = new Sqlite(path);
    // A session table that cannot be written to makes clear_expired fail.
    db.run('DROP TABLE common_session');
    db.run('CREATE VIEW common_session AS SELECT 1 AS session_key, 2 AS session_data, 3 AS expire_date, 4 AS user_id');
    db.close();
    const result = await call(['runperiodic'], { cwd: dir.path, env });
    expect(result.exitCode).toBe(1);
    expect(result.stderr).toBe('clear_expired: failed: cannot modify common_session because it is a view\nCommandError: 1 of 1 periodic tasks failed: clear_expired.\n');
  });
});
