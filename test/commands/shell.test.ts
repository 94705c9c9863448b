import { describe, expect, test } from 'bun:test';
import { call } from '../support/cli.ts';
import { migratedDatabase, query } from '../support/db.ts';
import { tempDir } from '../support/tmp.ts';

async function withEvent(cwd: string) {
  const path = await migratedDatabase(cwd);
  await call(['create_event', '--slug', 'democon', '--name', 'DemoCon', '--date-from', '2026-03-10', '--date-to', '2026-03-12', '-v', '0'], { cwd });
  return path;
}

describe('shell', () => {
  test('-c runs the code with the event loaded and prints its value', async () => {
    using dir = tempDir();
    await withEvent(dir.path);
    expect(await call(['shell', '--event', 'DEMOCON', '-c', 'JSON.parse(event.name).en + " " + event.date_from'], { cwd: dir.path })).toEqual({
      stdout: 'DemoCon 2026-03-10\n',
      stderr: '',
      exitCode: 0,
    });
    expect(await call(['shell_scoped', '--event__slug=democon', '--command', 'event.slug'], { cwd: dir.path })).toEqual({
      stdout: 'democon\n',
      stderr: '',
      exitCode: 0,
    });
    // Django's --plain (no IPython) is accepted: there is one shell.
    expect(await call(['shell', '--plain', '--event', 'democon', '-c', 'event.slug'], { cwd: dir.path })).toEqual({ stdout: 'democon\n', stderr: '', exitCode: 0 });
  });

  test('top-level await, query() with parameters, and writes through db', async () => {
    using dir = tempDir();
    const path = await withEvent(dir.path);
    const result = await call(['shell', '--override', '-c', 'await query("SELECT slug FROM event_event WHERE date_from > ?", "2026-01-01")'], { cwd: dir.path });
    expect(result).toEqual({ stdout: "[ { slug: 'democon' } ]\n", stderr: '', exitCode: 0 });
    const write = await call(['shell', '--override', '-c', "await db.updateTable('event_event').set({ is_public: 1 }).execute(); print('done')"], { cwd: dir.path });
    expect(write.stdout).toBe('done\n');
    expect(query(path, 'SELECT is_public FROM event_event')).toEqual([{ is_public: 1 }]);
  });

  test('the code sees only what the shell gives it', async () => {
    using dir = tempDir();
    await withEvent(dir.path);
    expect((await call(['shell', '--override', '-c', '[typeof process, typeof require, typeof Bun, typeof db]'], { cwd: dir.path })).stdout).toBe(
      "[ 'undefined', 'undefined', 'undefined', 'object' ]\n",
    );
  });

  test('piped code runs as one program; a failure is one line and exit 1', async () => {
    using dir = tempDir();
    await withEvent(dir.path);
    expect(await call(['shell', '--override'], { cwd: dir.path, stdin: 'const n = 20;\nprint(n + 22);\n' })).toEqual({ stdout: '42\n', stderr: '', exitCode: 0 });
    expect(await call(['shell', '--override', '-c', 'nosuch()'], { cwd: dir.path })).toEqual({
      stdout: '',
      stderr: 'CommandError: The code failed: ReferenceError: nosuch is not defined\n',
      exitCode: 1,
    });
  });

  test('interactive: declarations persist between lines, an error does not end the session', async () => {
    using dir = tempDir();
    await withEvent(dir.path);
    const stdin = ['let x = 2', 'x * 21', 'nosuch()', '', "(await query('SELECT count(*) AS n FROM event_event'))[0].n", '.exit', 'print("never")', ''].join('\n');
    const result = await call(['shell', '--event', 'democon'], { cwd: dir.path, stdin, tty: { stdin: true } });
    expect(result).toEqual({
      stdout: 'confctl shell: db, sql, query(), now(), print() and event (democon) are loaded. Ctrl-D leaves.\n>>> >>> 42\n>>> >>> >>> 1\n>>> \n',
      stderr: 'ReferenceError: nosuch is not defined\n',
      exitCode: 0,
    });
  });

  test('asks for --event or --override, as pretalx does; an unknown event is an error', async () => {
    using dir = tempDir();
    await withEvent(dir.path);
    expect(await call(['shell', '-c', '1'], { cwd: dir.path })).toEqual({
      stdout: '',
      stderr: 'CommandError: Call this command with --event SLUG, or work across all events with --override.\n',
      exitCode: 1,
    });
    expect((await call(['shell', '--event', 'democon', '--override', '-c', '1'], { cwd: dir.path })).stderr).toBe(
      'CommandError: Use either --event or --override, not both.\n',
    );
    expect((await call(['shell', '--event', 'nope', '-c', '1'], { cwd: dir.path })).stderr).toBe(
      'CommandError: Could not find event with slug "nope".\n',
    );
  });
});
