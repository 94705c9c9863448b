import { describe, expect, test } from 'bun:test';
import { commands, type CommandName } from '../../commands/index.ts';

/**
 * Every registered command and the test file that covers it: adding a command without naming its
 * tests here is a type error.
 */
const coverage: Record<CommandName, string> = {
  changepassword: 'test/commands/users.test.ts',
  check: 'test/commands/check.test.ts',
  create_event: 'test/commands/events.test.ts',
  create_test_event: 'test/commands/create_test_event.test.ts',
  createsuperuser: 'test/commands/users.test.ts',
  shell: 'test/commands/shell.test.ts',
  sync_pretalx: 'test/commands/sync.test.ts',
  clearsessions: 'test/commands/periodic.test.ts',
  createcachetable: 'test/commands/periodic.test.ts',
  runperiodic: 'test/commands/periodic.test.ts',
  runserver: 'test/commands/serve.test.ts',
  runfcgi: 'test/commands/runfcgi.test.ts',
  completion: 'test/commands/completion.test.ts',
  test: 'test/commands/selftest.test.ts',
  startapp: 'test/commands/apps.test.ts',
  testserver: 'test/commands/serve.test.ts',
  move_event: 'test/commands/move_event.test.ts',
  list_events: 'test/commands/events.test.ts',
  import_schedule: 'test/commands/import.test.ts',
  init: 'test/commands/init.test.ts',
  inspectdb: 'test/commands/inspectdb.test.ts',
  dbshell: 'test/commands/dbshell.test.ts',
  diffsettings: 'test/commands/diffsettings.test.ts',
  dumpdata: 'test/commands/dumpdata.test.ts',
  loaddata: 'test/commands/loaddata.test.ts',
  export_schedule_html: 'test/commands/export.test.ts',
  rebuild: 'test/commands/export.test.ts',
  regenerate_css: 'test/commands/export.test.ts',
  flush: 'test/commands/flush.test.ts',
  reset: 'test/commands/flush.test.ts',
  syncdb: 'test/commands/flush.test.ts',
  sql: 'test/commands/sql.test.ts',
  sqlall: 'test/commands/sql.test.ts',
  sqlclear: 'test/commands/sql.test.ts',
  sqlcustom: 'test/commands/sql.test.ts',
  sqlflush: 'test/commands/sql.test.ts',
  sqlindexes: 'test/commands/sql.test.ts',
  sqlmigrate: 'test/commands/sql.test.ts',
  sqlreset: 'test/commands/sql.test.ts',
  sqlsequencereset: 'test/commands/sql.test.ts',
  makemigrations: 'test/commands/makemigrations.test.ts',
  migrate: 'test/commands/migrate.test.ts',
  showmigrations: 'test/commands/migrate.test.ts',
  makemessages: 'test/commands/messages.test.ts',
  compilemessages: 'test/commands/messages.test.ts',
  startproject: 'test/commands/startproject.test.ts',
  version: 'test/e2e/cli.test.ts',
};

describe('the command registry', () => {
  for (const name of Object.keys(coverage) as CommandName[]) {
    test(`${name}: loads, carries its registry name, and has tests`, async () => {
      const command = await commands[name].load();
      expect(command.meta.name).toBe(name);
      expect(command.meta.description.length).toBeGreaterThan(10);
      // `confctl help` shows the registry's copy, `confctl help <name>` the command's: they must not drift apart.
      expect(commands[name].description).toBe(command.meta.description);
      expect(await Bun.file(coverage[name]).exists()).toBe(true);
    });
  }

  test('names are snake_case as users type them, and no name looks like an Object property', () => {
    for (const name of Object.keys(commands)) expect(name).toMatch(/^[a-z][a-z0-9_]*$/);
    expect((commands as Record<string, unknown>).toString).toBeUndefined();
  });
});
