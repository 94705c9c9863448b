import type { ConfctlCommand } from './_kit/command.ts';

/**
 * The one list of commands, named as users type them (Django/pretalx snake_case; the kebab-case
 * spelling works too). Name, group and description are static so that `confctl --help` never
 * loads a command module; `load` imports the command only when it runs or shows its own help.
 */
export interface CommandEntry {
  readonly group: 'general' | 'instance' | 'export' | 'server' | 'data' | 'settings' | 'i18n' | 'database';
  readonly description: string;
  readonly aliases?: readonly string[];
  readonly load: () => Promise<ConfctlCommand>;
}

const registry = {
  changepassword: {
    group: 'instance',
    description: "Changes a user's password.",
    load: () => import('./changepassword.ts').then((m) => m.default),
  },
  create_event: {
    group: 'instance',
    description: 'Creates an event, optionally with the Pretalx event that sync_pretalx mirrors into it.',
    load: () => import('./create_event.ts').then((m) => m.default),
  },
  list_events: {
    group: 'instance',
    description: 'Lists the events: dates, time zone, visibility, schedule and Pretalx source.',
    aliases: ['events'],
    load: () => import('./list_events.ts').then((m) => m.default),
  },
  create_test_event: {
    group: 'instance',
    description: 'Creates a realistic demo event with speakers, reviews and a released schedule.',
    load: () => import('./create_test_event.ts').then((m) => m.default),
  },
  move_event: {
    group: 'instance',
    description: 'Moves an event, with its whole schedule, deadlines and availabilities, to start on a given date.',
    load: () => import('./move_event.ts').then((m) => m.default),
  },
  clearsessions: {
    group: 'instance',
    description: 'Deletes expired sessions (organiser logins).',
    aliases: ['cleanup'],
    load: () => import('./clearsessions.ts').then((m) => m.default),
  },
  startapp: {
    group: 'instance',
    description: 'Creates the folder of an app (a plugin): its definition, a command, a migration, a periodic task, page fragments, a test.',
    load: () => import('./startapp.ts').then((m) => m.default),
  },
  startproject: {
    group: 'instance',
    description: 'Sets up an instance folder ready to deploy: settings, data and static folders, systemd units and nginx sites.',
    load: () => import('./startproject.ts').then((m) => m.default),
  },
  makemessages: {
    group: 'i18n',
    description: "Brings the translation catalogues (.po) up to date with the interface's messages, or starts one for a new language.",
    load: () => import('./makemessages.ts').then((m) => m.default),
  },
  compilemessages: {
    group: 'i18n',
    description: 'Checks the translation catalogues (.po) and compiles them (.mo) for export_schedule_html and runserver.',
    load: () => import('./compilemessages.ts').then((m) => m.default),
  },
  createcachetable: {
    group: 'database',
    description: 'Creates the cache table (common_cacheentry) if it is missing.',
    load: () => import('./createcachetable.ts').then((m) => m.default),
  },
  runperiodic: {
    group: 'instance',
    description: 'Runs the periodic housekeeping tasks that are due; call it from cron every 5-10 minutes.',
    load: () => import('./runperiodic.ts').then((m) => m.default),
  },
  shell: {
    group: 'instance',
    description: 'Runs JavaScript with the database (and an event) loaded: interactively, or one piece of code with -c.',
    aliases: ['shell_scoped'],
    load: () => import('./shell.ts').then((m) => m.default),
  },
  sync_pretalx: {
    group: 'instance',
    description: "Mirrors an event's rooms, speakers, talks and released schedule from its Pretalx instance.",
    load: () => import('./sync_pretalx.ts').then((m) => m.default),
  },
  import_schedule: {
    group: 'instance',
    description: 'Mirrors a schedule file (c3voc schedule.json or frab schedule.xml, gzipped or not) into an event.',
    load: () => import('./import_schedule.ts').then((m) => m.default),
  },
  createsuperuser: {
    group: 'instance',
    description: 'Creates an administrator: a user who can create events and access every event.',
    load: () => import('./createsuperuser.ts').then((m) => m.default),
  },
  init: {
    group: 'instance',
    description: 'Sets up a new instance: the first administrator, the first organiser and its team.',
    load: () => import('./init.ts').then((m) => m.default),
  },
  check: {
    group: 'settings',
    description: 'Checks the settings, and that the database is reachable, fully migrated and consistent.',
    aliases: ['validate'],
    load: () => import('./check.ts').then((m) => m.default),
  },
  diffsettings: {
    group: 'settings',
    description: 'Displays the settings in force that differ from the defaults, each followed by "###".',
    load: () => import('./diffsettings.ts').then((m) => m.default),
  },
  dumpdata: {
    group: 'data',
    description: "Writes the database's contents as a Django fixture (all models, or the app labels and app.Model names given).",
    load: () => import('./dumpdata.ts').then((m) => m.default),
  },
  loaddata: {
    group: 'data',
    description: 'Installs the named fixtures in the database, all in one transaction.',
    load: () => import('./loaddata.ts').then((m) => m.default),
  },
  export_schedule_html: {
    group: 'export',
    description: "Exports an event's schedule as a static site with its feeds (schedule.json, .xml, .ics).",
    load: () => import('./export_schedule_html.ts').then((m) => m.default),
  },
  rebuild: {
    group: 'export',
    description: 'Writes the static assets (stylesheet and script, embedded in the binary) and every event stylesheet into the static folder.',
    load: () => import('./rebuild.ts').then((m) => m.default),
  },
  regenerate_css: {
    group: 'export',
    description: "Writes the event stylesheet made from an event's primary colour (<static>/<slug>/event.css).",
    load: () => import('./regenerate_css.ts').then((m) => m.default),
  },
  runserver: {
    group: 'server',
    description: 'Serves the public schedules, their feeds and a Pretalx-compatible API from the database.',
    load: () => import('./runserver.ts').then((m) => m.default),
  },
  runfcgi: {
    group: 'server',
    description: 'Serves what runserver serves over FastCGI, for a web server that speaks only FastCGI (Django 1.0’s runfcgi).',
    load: () => import('./runfcgi.ts').then((m) => m.default),
  },
  testserver: {
    group: 'server',
    description: 'Serves the given fixtures from a fresh temporary database, deleted on exit.',
    load: () => import('./testserver.ts').then((m) => m.default),
  },
  flush: {
    group: 'data',
    description: 'Removes ALL data from the database (not the migration history), then installs the initial_data fixture if there is one.',
    load: () => import('./flush.ts').then((m) => m.default),
  },
  reset: {
    group: 'data',
    description: 'Empties the tables of the given apps (the old django-admin reset), leaving the others.',
    load: () => import('./reset.ts').then((m) => m.default),
  },
  sql: {
    group: 'database',
    description: 'Prints the CREATE TABLE SQL statements for the given apps.',
    load: () => import('./sql.ts').then((m) => m.default),
  },
  sqlall: {
    group: 'database',
    description: 'Prints the CREATE TABLE, custom SQL (<data dir>/sql/<model>.sql) and CREATE INDEX statements for the given apps.',
    load: () => import('./sqlall.ts').then((m) => m.default),
  },
  sqlclear: {
    group: 'database',
    description: 'Prints the DROP TABLE SQL statements for the given apps.',
    load: () => import('./sqlclear.ts').then((m) => m.default),
  },
  sqlcustom: {
    group: 'database',
    description: 'Prints the custom SQL statements of the given apps: <data dir>/sql/<model>.sql files.',
    load: () => import('./sqlcustom.ts').then((m) => m.default),
  },
  sqlflush: {
    group: 'database',
    description: 'Prints the SQL statements that flush would run (every table but the migration history).',
    load: () => import('./sqlflush.ts').then((m) => m.default),
  },
  sqlindexes: {
    group: 'database',
    description: 'Prints the CREATE INDEX SQL statements for the given apps.',
    load: () => import('./sqlindexes.ts').then((m) => m.default),
  },
  sqlmigrate: {
    group: 'database',
    description: 'Prints the SQL statements of a migration.',
    load: () => import('./sqlmigrate.ts').then((m) => m.default),
  },
  sqlreset: {
    group: 'database',
    description: 'Prints the DROP TABLE and then the CREATE TABLE SQL statements for the given apps.',
    load: () => import('./sqlreset.ts').then((m) => m.default),
  },
  sqlsequencereset: {
    group: 'database',
    description: 'Prints the SQL statements that set the id sequences of the given apps to their largest ids.',
    load: () => import('./sqlsequencereset.ts').then((m) => m.default),
  },
  syncdb: {
    group: 'database',
    description: 'The old django-admin syncdb: migrate, then install the initial_data fixture if there is one.',
    load: () => import('./syncdb.ts').then((m) => m.default),
  },
  dbshell: {
    group: 'database',
    description: 'Runs the sqlite3 client on the database (psql on PostgreSQL), or a built-in SQL prompt where sqlite3 is not installed.',
    load: () => import('./dbshell.ts').then((m) => m.default),
  },
  inspectdb: {
    group: 'database',
    description: 'Prints a TypeScript module with kysely types for the tables of any SQLite database (--database PATH) or PostgreSQL schema (--database URL).',
    load: () => import('./inspectdb.ts').then((m) => m.default),
  },
  makemigrations: {
    group: 'database',
    description: 'Writes the next numbered migration file from a template and lists it in db/migrations/index.ts.',
    load: () => import('./makemigrations.ts').then((m) => m.default),
  },
  migrate: {
    group: 'database',
    description: 'Updates the database schema: applies pending migrations, or unapplies down to a target.',
    load: () => import('./migrate.ts').then((m) => m.default),
  },
  showmigrations: {
    group: 'database',
    description: 'Shows all migrations and whether they are applied ([X]) or not ([ ]).',
    load: () => import('./showmigrations.ts').then((m) => m.default),
  },
  test: {
    group: 'general',
    description: 'Runs the self-test of this confctl on this machine, on a throw-away database and folder (Django’s test runner).',
    load: () => import('./test.ts').then((m) => m.default),
  },
  completion: {
    group: 'general',
    description: 'Prints the shell completion script for bash, zsh, fish or PowerShell.',
    load: () => import('./completion.ts').then((m) => m.default),
  },
  version: {
    group: 'general',
    description: 'Prints the confctl version; --verbose also the build (target, commit), the runtime and SQLite.',
    load: () => import('./version.ts').then((m) => m.default),
  },
} as const satisfies Record<string, CommandEntry>;

export type CommandName = keyof typeof registry;

/** A null-prototype copy, so that `toString` or `__proto__` can never look like a command. */
export const commands: Readonly<Record<CommandName, CommandEntry>> = Object.freeze(
  Object.assign(Object.create(null) as Record<CommandName, CommandEntry>, registry),
);
