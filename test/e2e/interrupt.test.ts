import { describe, expect, test } from 'bun:test';
import { interruptAction, type WriteGuard } from '../../core/common/io.ts';
import { installBinary } from '../support/binary.ts';
import { call } from '../support/cli.ts';
import { canonicalDump, migratedDatabase, query } from '../support/db.ts';
import { postgresServer } from '../support/postgres.ts';
import { tempDir } from '../support/tmp.ts';

/** Ctrl-C never claims a cancel that did not happen, and never leaves half a write. */
const rooms = (n: number) =>
  Array.from({ length: n }, (_, i) => JSON.stringify({ model: 'schedule.room', pk: i + 1, fields: { event: 1, name: { en: `Room ${i + 1}` } } })).join('\n') + '\n';
const guard = (): WriteGuard => ({ requested: false, open: 0, committed: false });

describe('Ctrl-C', () => {
  test('what it does: stop before anything is written, roll back an open write, let a saved one finish', () => {
    expect(interruptAction({ requested: false, open: 0, committed: false })).toBe('exit');
    expect(interruptAction({ requested: false, open: 1, committed: false })).toBe('rollback');
    expect(interruptAction({ requested: false, open: 1, committed: true })).toBe('rollback');
    expect(interruptAction({ requested: false, open: 0, committed: true })).toBe('finish');
  });

  test('during a write transaction: it rolls back, says so and exits 1; without Ctrl-C the same load commits', async () => {
    using dir = tempDir();
    const path = await migratedDatabase(dir.path);
    await call(['create_event', '--slug', 'democon', '--name', 'D', '--date-from', '2026-01-01', '--date-to', '2026-01-02', '-v', '0'], { cwd: dir.path });
    const before = canonicalDump(path);
    const writes = guard();
    const interrupted = await call(['loaddata', '-', '--format', 'jsonl'], {
      cwd: dir.path,
      stdin: rooms(50),
      writes,
      onStdinLine: (n) => {
        if (n === 20) {
          expect(interruptAction(writes)).toBe('rollback');
          writes.requested = true;
        }
      },
    });
    expect(interrupted).toEqual({ stdout: '', stderr: 'Operation cancelled: the changes were rolled back, nothing was written.\n', exitCode: 1 });
    expect(canonicalDump(path)).toBe(before);
    expect(writes).toEqual({ requested: true, open: 0, committed: false });

    const writesAgain = guard();
    expect(await call(['loaddata', '-', '--format', 'jsonl'], { cwd: dir.path, stdin: rooms(50), writes: writesAgain })).toEqual({ stdout: 'Installed 50 object(s) from 1 fixture(s)\n', stderr: '', exitCode: 0 });
    expect(writesAgain).toEqual({ requested: false, open: 0, committed: true });
    expect(query(path, 'SELECT count(*) AS n FROM schedule_room')).toEqual([{ n: 50 }]);
  });

  test('after a commit: no new write begins, and the line says what was kept', async () => {
    using dir = tempDir();
    const path = await migratedDatabase(dir.path);
    const writes: WriteGuard = { requested: true, open: 0, committed: true };
    expect(await call(['create_event', '--slug', 'x', '--name', 'X', '--date-from', '2026-01-01', '--date-to', '2026-01-02'], { cwd: dir.path, writes })).toEqual({
      stdout: '',
      stderr: 'Operation cancelled: what was saved before stays; nothing more was written.\n',
      exitCode: 1,
    });
    expect(query(path, 'SELECT count(*) AS n FROM event_event')).toEqual([{ n: 0 }]);
  });

  test('the binary: SIGINT while loaddata reads stdin inside its transaction rolls it back', async () => {
    using dir = tempDir();
    const confctl = installBinary(dir.path);
    const path = await migratedDatabase(dir.path);
    await call(['create_event', '--slug', 'democon', '--name', 'D', '--date-from', '2026-01-01', '--date-to', '2026-01-02', '-v', '0'], { cwd: dir.path });
    const child = Bun.spawn([confctl, 'loaddata', '-', '--format', 'jsonl'], { cwd: dir.path, env: { PATH: '/usr/bin:/bin', NO_COLOR: '1', TZ: 'UTC', HOME: dir.path }, stdin: 'pipe', stdout: 'pipe', stderr: 'pipe' });
    child.stdin.write(rooms(10));
    await child.stdin.flush();
    // The transaction is open once the write lock is taken: wait for it, then interrupt.
    for (let i = 0; i < 500 && !(await locked(path)); i++) await Bun.sleep(10);
    expect(await locked(path)).toBe(true);
    child.kill('SIGINT');
    await Bun.sleep(50);
    child.stdin.write(rooms(20).split('\n').slice(10).join('\n') + '\n');
    await child.stdin.end();
    expect(await child.exited).toBe(1);
    expect(await new Response(child.stderr).text()).toBe('Operation cancelled: the changes were rolled back, nothing was written.\n');
    expect(query(path, 'SELECT count(*) AS n FROM schedule_room')).toEqual([{ n: 0 }]);
  }, 30_000);

  test('the binary on PostgreSQL: SIGINT inside the transaction rolls it back; kill -9 leaves the database as it was', async () => {
    using dir = tempDir();
    const confctl = installBinary(dir.path);
    const pg = await postgresServer();
    const url = pg.createDatabase();
    const name = /^postgres:\/\/\/(\w+)\?/.exec(url)![1]!;
    for (const argv of [['migrate'], ['create_event', '--slug', 'democon', '--name', 'D', '--date-from', '2026-01-01', '--date-to', '2026-01-02']]) {
      expect((await call([...argv, '--database', url, '-v', '0'], { cwd: dir.path })).exitCode).toBe(0);
    }
    const rows = () => pg.psql(name, 'SELECT count(*) FROM schedule_room').trim();
    // The load's own transaction has written its first rows once it has a transaction id.
    const writing = () => pg.psql(name, "SELECT count(*) FROM pg_stat_activity WHERE application_name = 'confctl' AND backend_xid IS NOT NULL").trim() === '1';
    for (const signal of ['SIGINT', 'SIGKILL'] as const) {
      const child = Bun.spawn([confctl, 'loaddata', '-', '--format', 'jsonl', '--database', url], { cwd: dir.path, env: { PATH: '/usr/bin:/bin', NO_COLOR: '1', TZ: 'UTC', HOME: dir.path }, stdin: 'pipe', stdout: 'pipe', stderr: 'pipe' });
      // More than a batch (1,000 rows on PostgreSQL): some are written while the rest wait.
      child.stdin.write(rooms(2500));
      await child.stdin.flush();
      let wrote = false;
      for (let i = 0; i < 500 && !(wrote = writing()); i++) await Bun.sleep(10);
      expect({ signal, wrote }).toEqual({ signal, wrote: true });
      child.kill(signal);
      if (signal === 'SIGINT') {
        await Bun.sleep(50);
        child.stdin.write(rooms(2520).split('\n').slice(2500).join('\n') + '\n');
        await child.stdin.end();
        expect(await child.exited).toBe(1);
        expect(await new Response(child.stderr).text()).toBe('Operation cancelled: the changes were rolled back, nothing was written.\n');
      } else {
        expect(await child.exited).toBe(137);
      }
      // The server ended the dead client's transaction: nothing of it stays.
      for (let i = 0; i < 200 && pg.psql(name, "SELECT count(*) FROM pg_stat_activity WHERE application_name = 'confctl'").trim() !== '0'; i++) await Bun.sleep(10);
      expect({ signal, rows: rows() }).toEqual({ signal, rows: '0' });
    }
  }, 30_000);
});

/** Whether another connection holds the write lock (BEGIN IMMEDIATE fails at once). */
async function locked(path: string): Promise<boolean> {
  const { Database } = await import('bun:sqlite');
  const db = new Database(path);
  try {
    db.run('PRAGMA busy_timeout = 0');
    db.run('BEGIN IMMEDIATE');
    db.run('ROLLBACK');
    return false;
  } catch {
    return true;
  } finally {
    db.close();
  }
}
