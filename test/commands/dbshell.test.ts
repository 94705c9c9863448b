import { describe, expect, test } from 'bun:test';
import { splitStatements } from '../../core/database/dbshell.ts';
import { call } from '../support/cli.ts';
import { migratedDatabase, query } from '../support/db.ts';
import { tempDir } from '../support/tmp.ts';

async function withEvent(cwd: string) {
  const path = await migratedDatabase(cwd);
  await call(['create_event', '--slug', 'democon', '--name', 'DemoCon', '--date-from', '2026-03-10', '--date-to', '2026-03-12', '-v', '0'], { cwd });
  return path;
}

describe('dbshell', () => {
  test('-c runs one statement in the sqlite3 client', async () => {
    using dir = tempDir();
    await withEvent(dir.path);
    expect(await call(['dbshell', '-c', 'SELECT slug, date_from FROM event_event'], { cwd: dir.path })).toEqual({
      stdout: 'democon|2026-03-10\n',
      stderr: '',
      exitCode: 0,
    });
    const failed = await call(['dbshell', '-c', 'SELECT nosuch FROM event_event'], { cwd: dir.path });
    expect(failed.exitCode).toBe(1);
    expect(failed.stderr).toMatch(/^CommandError: .*no such column: nosuch\n$/);
  });

  test('piped SQL goes to sqlite3, with its options after --', async () => {
    using dir = tempDir();
    await withEvent(dir.path);
    const result = await call(['dbshell', '--', '-header', '-csv'], { cwd: dir.path, stdin: 'SELECT slug FROM event_event;\n' });
    expect(result).toEqual({ stdout: 'slug\ndemocon\n', stderr: '', exitCode: 0 });
  });

  test('the built-in prompt: statements as tables, quoted semicolons, multi-line statements, writes', async () => {
    using dir = tempDir();
    const path = await withEvent(dir.path);
    expect(await call(['dbshell', '--builtin', '-c', "SELECT slug, 'a;b' AS x FROM event_event; UPDATE event_event SET is_public = 1"], { cwd: dir.path })).toEqual({
      stdout: 'slug     x\n-------  ---\ndemocon  a;b\n',
      stderr: '',
      exitCode: 0,
    });
    expect(query(path, 'SELECT is_public FROM event_event')).toEqual([{ is_public: 1 }]);
    const script = ['.tables', 'SELECT count(*) AS n', '  FROM event_event; -- a comment', '.schema schedule_schedule', '.quit', 'SELECT 1;'].join('\n');
    const result = await call(['dbshell', '--builtin'], { cwd: dir.path, stdin: script });
    expect(result.exitCode).toBe(0);
    expect(result.stdout).toStartWith('common_cacheentry  common_session  confctl_eventstamp  confctl_migration');
    expect(result.stdout).toContain('\nn\n-\n1\n');
    expect(result.stdout).toContain('CREATE TABLE "schedule_schedule"');
    expect(result.stdout).not.toContain('\n1\n-');
  });

  test('the built-in prompt on a terminal keeps going after an error', async () => {
    using dir = tempDir();
    await withEvent(dir.path);
    const result = await call(['dbshell', '--builtin'], { cwd: dir.path, stdin: 'SELECT nosuch;\nSELECT 2 AS two;\n', tty: { stdin: true } });
    expect(result.exitCode).toBe(0);
    expect(result.stdout).toStartWith(`confctl's built-in SQL prompt on ${dir.join('data', 'db.sqlite3')}. ".help" for help.\nsqlite> sqlite> two\n---\n2\nsqlite> `);
    expect(result.stderr).toBe('Error: no such column: nosuch\n');
  });

  test('piped SQL that fails makes the exit status 1', async () => {
    using dir = tempDir();
    await withEvent(dir.path);
    const result = await call(['dbshell', '--builtin'], { cwd: dir.path, stdin: 'SELECT nosuch;\n' });
    expect(result).toEqual({ stdout: '', stderr: 'Error: no such column: nosuch\nCommandError: Some SQL statements failed.\n', exitCode: 1 });
  });

  test('a missing database is an error, not a new empty file', async () => {
    using dir = tempDir();
    expect((await call(['dbshell', '-c', 'SELECT 1'], { cwd: dir.path })).stderr).toBe(`CommandError: The database ${dir.join('data', 'db.sqlite3')} does not exist.\n`);
  });
});

describe('splitStatements', () => {
  test('splits at semicolons outside strings, identifiers and comments', () => {
    expect(splitStatements("SELECT ';' AS \"a;b\", [x;y]; -- c;\nSELECT 2 /* ; */; SELECT 'it''s;'; SEL")).toEqual({
      statements: ["SELECT ';' AS \"a;b\", [x;y]", '-- c;\nSELECT 2 /* ; */', "SELECT 'it''s;'"],
      rest: ' SEL',
    });
  });
});
