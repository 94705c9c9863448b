import { describe, expect, test } from 'bun:test';
import { BACKENDS, newSite, type Site } from '../support/site.ts';

async function withEvent(site: Site) {
  await site.migrated();
  await site.call(['create_event', '--slug', 'democon', '--name', 'DemoCon', '--date-from', '2026-03-10', '--date-to', '2026-03-12', '-v', '0']);
}

for (const backend of BACKENDS) {
  describe(`shell (${backend})`, () => {
    test('-c runs the code with the event loaded and prints its value', async () => {
      await using dir = await newSite(backend);
      await withEvent(dir);
      expect(await dir.call(['shell', '--event', 'DEMOCON', '-c', 'JSON.parse(event.name).en + " " + event.date_from'])).toEqual({
        stdout: 'DemoCon 2026-03-10\n',
        stderr: '',
        exitCode: 0,
      });
      expect(await dir.call(['shell_scoped', '--event__slug=democon', '--command', 'event.slug'])).toEqual({
        stdout: 'democon\n',
        stderr: '',
        exitCode: 0,
      });
      // Django's --plain (no IPython) is accepted: there is one shell.
      expect(await dir.call(['shell', '--plain', '--event', 'democon', '-c', 'event.slug'])).toEqual({ stdout: 'democon\n', stderr: '', exitCode: 0 });
    });

    test('top-level await, query() with parameters, and writes through db', async () => {
      await using dir = await newSite(backend);
      await withEvent(dir);
      const result = await dir.call(['shell', '--override', '-c', 'await query("SELECT slug FROM event_event WHERE date_from > ?", "2026-01-01")']);
      expect(result).toEqual({ stdout: "[ { slug: 'democon' } ]\n", stderr: '', exitCode: 0 });
      const write = await dir.call(['shell', '--override', '-c', "await db.updateTable('event_event').set({ is_public: 1 }).execute(); print('done')"]);
      expect(write.stdout).toBe('done\n');
      expect(await dir.query('SELECT is_public FROM event_event')).toEqual([{ is_public: 1 }]);
    });

    test('the code sees only what the shell gives it', async () => {
      await using dir = await newSite(backend);
      await withEvent(dir);
      expect((await dir.call(['shell', '--override', '-c', '[typeof process, typeof require, typeof Bun, typeof db]'])).stdout).toBe(
        "[ 'undefined', 'undefined', 'undefined', 'object' ]\n",
      );
    });

    test('piped code runs as one program; a failure is one line and exit 1', async () => {
      await using dir = await newSite(backend);
      await withEvent(dir);
      expect(await dir.call(['shell', '--override'], { stdin: 'const n = 20;\nprint(n + 22);\n' })).toEqual({ stdout: '42\n', stderr: '', exitCode: 0 });
      expect(await dir.call(['shell', '--override', '-c', 'nosuch()'])).toEqual({
        stdout: '',
        stderr: 'CommandError: The code failed: ReferenceError: nosuch is not defined\n',
        exitCode: 1,
      });
    });

    test('interactive: declarations persist between lines, an error does not end the session', async () => {
      await using dir = await newSite(backend);
      await withEvent(dir);
      const stdin = ['let x = 2', 'x * 21', 'nosuch()', '', "(await query('SELECT count(*) AS n FROM event_event'))[0].n", '.exit', 'print("never")', ''].join('\n');
      const result = await dir.call(['shell', '--event', 'democon'], { stdin, tty: { stdin: true } });
      expect(result).toEqual({
        stdout: 'confctl shell: db, sql, query(), now(), print() and event (democon) are loaded. Ctrl-D leaves.\n>>> >>> 42\n>>> >>> >>> 1\n>>> \n',
        stderr: 'ReferenceError: nosuch is not defined\n',
        exitCode: 0,
      });
    });

    test('asks for --event or --override, as pretalx does; an unknown event is an error', async () => {
      await using dir = await newSite(backend);
      await withEvent(dir);
      expect(await dir.call(['shell', '-c', '1'])).toEqual({
        stdout: '',
        stderr: 'CommandError: Call this command with --event SLUG, or work across all events with --override.\n',
        exitCode: 1,
      });
      expect((await dir.call(['shell', '--event', 'democon', '--override', '-c', '1'])).stderr).toBe(
        'CommandError: Use either --event or --override, not both.\n',
      );
      expect((await dir.call(['shell', '--event', 'nope', '-c', '1'])).stderr).toBe(
        'CommandError: Could not find event with slug "nope".\n',
      );
    });
  });
}
