import { describe, expect, test } from 'bun:test';
import { Database as Sqlite } from 'bun:sqlite';
import { hostname } from 'node:os';
import type { Clock } from '../../core/common/clock.ts';
import { runPeriodic, type PeriodicTask } from '../../core/housekeeping/periodic.ts';
import { query } from '../support/db.ts';
import { BACKENDS, newSite, type Site } from '../support/site.ts';

const env = { CONFCTL_NOW: '2026-05-01T09:00:00Z' };

async function seedSessions(site: Site) {
  const insert = 'INSERT INTO common_session (session_key, session_data, expire_date) VALUES (?, ?, ?)';
  await site.run(insert, 'old1', '{}', '2026-04-01 00:00:00');
  await site.run(insert, 'old2', '{}', '2026-05-01 08:59:59');
  await site.run(insert, 'live', '{}', '2026-05-02 00:00:00');
  await site.run("INSERT INTO common_cacheentry (cache_key, value, expires) VALUES ('stale', '1', '2026-04-30 00:00:00'), ('fresh', '2', '2026-06-01 00:00:00')");
}

for (const backend of BACKENDS) {
  describe(`clearsessions (${backend})`, () => {
    test('deletes expired sessions only and says how many; "cleanup" is the same', async () => {
      await using site = await newSite(backend);
      await site.migrated();
      await seedSessions(site);
      expect(await site.call(['clearsessions'], { env })).toEqual({ stdout: 'Deleted 2 expired sessions.\n', stderr: '', exitCode: 0 });
      expect(await site.query('SELECT session_key FROM common_session')).toEqual([{ session_key: 'live' }]);
      expect(await site.call(['cleanup'], { env })).toEqual({ stdout: 'Deleted 0 expired sessions.\n', stderr: '', exitCode: 0 });
    });
  });

  describe(`createcachetable (${backend})`, () => {
    test('is a no-op when the table exists, and restores a lost one', async () => {
      await using site = await newSite(backend);
      await site.migrated();
      expect(await site.call(['createcachetable'])).toEqual({ stdout: '', stderr: '', exitCode: 0 });
      expect((await site.call(['createcachetable', '-v', '2', '--no-pretalx-information'])).stdout).toBe(
        "Cache table 'common_cacheentry' already exists.\n",
      );
      await site.run('DROP TABLE common_cacheentry');
      expect((await site.call(['createcachetable', '--dry-run'])).stdout).toBe("Cache table 'common_cacheentry' would be created.\n");
      expect(await site.tables()).not.toContain('common_cacheentry');
      expect(await site.call(['createcachetable'])).toEqual({ stdout: "Cache table 'common_cacheentry' created.\n", stderr: '', exitCode: 0 });
      expect((await site.call(['check'])).exitCode).toBe(0);
      // Django's optional table name: confctl's own is accepted, another is one clear line.
      expect(await site.call(['createcachetable', 'common_cacheentry'])).toEqual({ stdout: '', stderr: '', exitCode: 0 });
      expect(await site.call(['createcachetable', 'my_cache'])).toEqual({
        stdout: '',
        stderr: 'CommandError: confctl keeps its cache in one table, common_cacheentry, not "my_cache": run createcachetable without a name.\n',
        exitCode: 1,
      });
    });

    test('on an unmigrated database it points at migrate instead of getting in its way', async () => {
      await using site = await newSite(backend);
      expect(await site.call(['createcachetable'])).toEqual({
        stdout: '',
        stderr: site.unmigratedLine,
        exitCode: 1,
      });
    });
  });

  describe(`runperiodic (${backend})`, () => {
    test('runs the due tasks quietly, then skips them until their interval has passed', async () => {
      await using site = await newSite(backend);
      await site.migrated();
      await seedSessions(site);
      expect(await site.call(['runperiodic'], { env })).toEqual({ stdout: '', stderr: '', exitCode: 0 });
      expect(await site.query('SELECT session_key FROM common_session')).toEqual([{ session_key: 'live' }]);
      expect(await site.query("SELECT cache_key FROM common_cacheentry WHERE cache_key NOT LIKE 'confctl_periodic_%'")).toEqual([{ cache_key: 'fresh' }]);
      expect(await site.query("SELECT cache_key, expires FROM common_cacheentry WHERE cache_key LIKE 'confctl_periodic_%'")).toEqual([
        { cache_key: 'confctl_periodic_clear_expired_result', expires: '2026-05-01 09:15:00' },
      ]);
      const again = await site.call(['runperiodic', '-v', '2', '--no-pretalx-information'], { env: { CONFCTL_NOW: '2026-05-01T09:10:00Z' } });
      expect(again.stderr).toBe('clear_expired: skipped: last run 2026-05-01T09:00:00.000Z, runs every 15 minutes\n');
      const later = await site.call(['runperiodic', '-v', '2', '--no-pretalx-information'], { env: { CONFCTL_NOW: '2026-05-01T09:16:00Z' } });
      expect(later.stderr).toBe('clear_expired: ran: deleted 0 expired session(s) and 1 expired cache entries\n');
      const forced = await site.call(['runperiodic', '--force', '-v', '2', '--no-pretalx-information'], { env: { CONFCTL_NOW: '2026-05-01T09:17:00Z' } });
      expect(forced.stderr).toStartWith('clear_expired: ran:');
    });

    test('a failing task does not stop the others, rolls back its own writes, and fails the run', async () => {
      await using site = await newSite(backend);
      await site.migrated();
      const db = await site.open();
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
        expect(await site.query('SELECT count(*) AS n FROM common_session')).toEqual([{ n: 0 }]);
        // The failed task is due again at once (no _result), and its lock is released.
        expect(await site.query("SELECT cache_key FROM common_cacheentry ORDER BY cache_key")).toEqual([{ cache_key: 'confctl_periodic_fine_result' }]);
      } finally {
        await db.destroy();
      }
    });

    test('the command reports failures on stderr and exits 1', async () => {
      await using site = await newSite(backend);
      await site.migrated();
      // A session table that cannot be written to makes clear_expired fail.
      await site.run('DROP TABLE common_session');
      await site.run('CREATE VIEW common_session AS SELECT 1 AS session_key, 2 AS session_data, 3 AS expire_date, 4 AS user_id');
      const result = await site.call(['runperiodic'], { env });
      expect(result.exitCode).toBe(1);
      // Each database's own words for it.
      const why = backend === 'sqlite' ? 'cannot modify common_session because it is a view' : 'cannot delete from view "common_session"';
      expect(result.stderr).toBe(`clear_expired: failed: ${why}\nCommandError: 1 of 1 periodic tasks failed: clear_expired.\n`);
    });
  });
}

// On PostgreSQL the task lock is the server's advisory lock (test/db/postgres.test.ts); on SQLite a row of the cache table.
describe('runperiodic on SQLite: the task lock', () => {
  test('a task another run holds is skipped; a lock older than its timeout is taken over', async () => {
    await using site = await newSite('sqlite');
    await site.migrated();
    const path = site.label;
    const db = new Sqlite(path);
    db.run("INSERT INTO common_cacheentry VALUES ('confctl_periodic_clear_expired_running', '\"2026-05-01T08:55:00.000Z\"', '2026-05-01 09:25:00')");
    db.close();
    const held = await site.call(['runperiodic', '-v', '2', '--no-pretalx-information'], { env });
    expect(held.stderr).toBe('clear_expired: skipped: already running in another process\n');
    const after = await site.call(['runperiodic', '-v', '2', '--no-pretalx-information'], { env: { CONFCTL_NOW: '2026-05-01T09:30:00Z' } });
    expect(after.stderr).toStartWith('clear_expired: ran:');
    expect(await site.query("SELECT count(*) AS n FROM common_cacheentry WHERE cache_key LIKE '%_running'")).toEqual([{ n: 0 }]);
  });

  test("a lock whose holder on this host is gone (kill -9) is taken over at once, and said; a live holder's is waited for, and said", async () => {
    await using site = await newSite('sqlite');
    await site.migrated();
    const path = site.label;
    const lock = (pid: number, host = hostname()) => {
      const db = new Sqlite(path);
      db.run("INSERT OR REPLACE INTO common_cacheentry VALUES ('confctl_periodic_clear_expired_running', ?, '2026-05-01 09:25:00')", [JSON.stringify({ since: '2026-05-01T08:55:00.000Z', pid, host })]);
      db.close();
    };
    const alive = process.ppid;
    lock(alive);
    expect(await site.call(['runperiodic'], { env })).toEqual({
      stdout: '',
      stderr: `clear_expired: skipped: already running in process ${alive} on ${hostname()} since 2026-05-01T08:55:00.000Z\n`,
      exitCode: 0,
    });
    lock(alive, 'another-host');
    expect((await site.call(['runperiodic'], { env })).stderr).toBe(`clear_expired: skipped: already running in process ${alive} on another-host since 2026-05-01T08:55:00.000Z\n`);
    const dead = Bun.spawnSync(['true']).pid;
    lock(dead);
    expect(await site.call(['runperiodic'], { env })).toEqual({
      stdout: '',
      stderr: `clear_expired: ran: took over the lock of process ${dead}, which is gone; deleted 0 expired session(s) and 0 expired cache entries\n`,
      exitCode: 0,
    });
    expect(await site.query("SELECT count(*) AS n FROM common_cacheentry WHERE cache_key LIKE '%_running'")).toEqual([{ n: 0 }]);
  });
});
