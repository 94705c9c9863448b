// core/apps/ — apps (plugins), Django's INSTALLED_APPS for a compiled binary: a folder of TypeScript
// that confctl imports at run time when the settings list it. The plugin API is small and versioned;
// API_DTS is the whole of it, as the binary writes it beside an app (confctl.d.ts).

/** The plugin API this confctl speaks; an app built for another is refused. */
export const API_VERSION = 1;

/** What an app's index.ts exports by default (checked at load; see API_DTS for the documentation). */
export interface AppDefinition {
  apiVersion: number;
  label: string;
  description?: string;
  commands?: Record<string, AppCommand>;
  migrations?: AppMigration[];
  periodic?: AppTask[];
  site?: AppSite;
  tests?: AppTest[];
}

export interface AppTest {
  name: string;
  doc?: string;
  run(ctx: TestContext): Promise<void> | void;
}

export interface TestContext extends MigrationContext {
  now(): Date;
  check(condition: unknown, message: string): void;
}

export interface AppSite {
  css?: string;
  header?(page: SitePage): string;
  footer?(page: SitePage): string;
}

export interface SitePage {
  event: { slug: string; name: string };
  language: string;
  path: string;
}

export interface AppTask {
  name: string;
  every: number;
  run(ctx: TaskContext): Promise<string | void> | string | void;
}

export interface TaskContext extends MigrationContext {
  now(): Date;
  settings: Readonly<Record<string, unknown>>;
}

export interface AppMigration {
  name: string;
  description?: string;
  up(db: MigrationContext): Promise<void> | void;
}

export interface MigrationContext {
  backend: 'sqlite' | 'postgresql';
  execute(text: string, ...params: unknown[]): Promise<number>;
  query(text: string, ...params: unknown[]): Promise<Record<string, unknown>[]>;
}

export interface AppArg {
  type: 'string' | 'boolean' | 'positional';
  description: string;
  default?: string | boolean;
  alias?: string;
  valueHint?: string;
  required?: boolean;
}

export interface AppCommand {
  description: string;
  args?: Record<string, AppArg>;
  run(ctx: AppContext): void | Promise<void>;
}

export interface AppContext {
  args: Record<string, string | boolean | undefined> & { _: string[] };
  out(line?: string): void;
  logger: { info(message: string): void; warn(message: string): void; error(message: string): void; debug(message: string): void };
  verbosity: number;
  settings: Readonly<Record<string, unknown>>;
  now(): Date;
  query(text: string, ...params: unknown[]): Promise<Record<string, unknown>[]>;
  execute(text: string, ...params: unknown[]): Promise<number>;
  fail(message: string): never;
}

/** confctl.d.ts: the types an app is written against, with their documentation. */
export const API_DTS = `// confctl.d.ts — the plugin API of confctl, version ${API_VERSION}. Written by \`confctl startapp\`;
// Only types: an app imports it with \`import type\`, nothing of it exists at run time.

/** An app: the default export of its index.ts. */
export interface App {
  /** The plugin API the app is written for: ${API_VERSION}. confctl refuses an app built for another. */
  apiVersion: ${API_VERSION};
  /** The app's label: a lower-case identifier (letters, digits, _), unique among the installed apps. */
  label: string;
  /** One line shown in \`confctl help\` above the app's commands. */
  description?: string;
  /** Commands, by the name typed after confctl (snake_case, no clash with confctl's own). */
  commands?: Record<string, Command>;
  /**
   * The app's own tables, made and changed in order by \`confctl migrate\` (each in its own transaction,
   * after confctl's) and listed by showmigrations under the label. Never change or remove one that has
   * been applied: add another.
   */
  migrations?: Migration[];
  /** Tasks \`confctl runperiodic\` runs when due (its cron or timer calls it every few minutes). */
  periodic?: Task[];
  /** What the app adds to every page of an event's site (export_schedule_html and runserver). */
  site?: Site;
  /** Tests \`confctl test <label>\` runs (and \`confctl test\`, after confctl's own), on the throw-away database. */
  tests?: Test[];
}

export interface Test {
  /** test_…: lower-case words starting with test_. */
  name: string;
  /** One line, shown at -v 2. */
  doc?: string;
  /** Passes unless it throws: ctx.check(condition, message) fails the test (FAIL), anything else thrown is an ERROR. */
  run(ctx: TestContext): Promise<void> | void;
}

/** A test's view: the throw-away database, migrated (confctl's and the apps' migrations), empty. */
export interface TestContext extends MigrationDatabase {
  now(): Date;
  /** Fails the test with the message unless the condition holds. */
  check(condition: unknown, message: string): void;
}

/**
 * Fragments of the public pages. They are HTML, inserted as they are: escape what you did not write
 * yourself. Pages are static files too: a fragment must not depend on the request.
 */
export interface Site {
  /** CSS added to every page (in a <style> element, after confctl's stylesheets). */
  css?: string;
  /** HTML at the end of the page's header (after the navigation). */
  header?(page: Page): string;
  /** HTML at the end of the page's footer (after "Made with confctl"). */
  footer?(page: Page): string;
}

/** The page a fragment is asked for. */
export interface Page {
  event: { slug: string; name: string };
  /** The page's language: en, de, pt-br… */
  language: string;
  /** Its path below the event's site: index.html, talk/ABC/index.html, de/schedule/index.html… */
  path: string;
}

export interface Task {
  /** Lower-case words; runperiodic calls it <label>:<name>. */
  name: string;
  /** Minutes between runs, at least 1. */
  every: number;
  /** Does the work, in one transaction (a failure rolls it back, is reported and makes runperiodic exit 1); returns a line for its log. */
  run(ctx: TaskContext): Promise<string | void> | string | void;
}

/** What a periodic task gets: the database inside its transaction, the time, the settings. */
export interface TaskContext extends MigrationDatabase {
  now(): Date;
  settings: Readonly<Record<string, unknown>>;
}

export interface Migration {
  /** 0001_initial, 0002_…: four digits, then lower-case words; unique in the app. */
  name: string;
  /** One line for migrate --plan. */
  description?: string;
  /** Makes the change. Tables it creates must be named <label>_… (else it is rolled back). */
  up(db: MigrationDatabase): Promise<void> | void;
}

/** The database as a migration sees it: inside the migration's transaction. */
export interface MigrationDatabase {
  /** Which database: write SQL both understand, or branch on this. */
  backend: 'sqlite' | 'postgresql';
  execute(text: string, ...params: unknown[]): Promise<number>;
  query(text: string, ...params: unknown[]): Promise<Record<string, unknown>[]>;
}

/** An option or argument, as in the help. */
export interface Arg {
  /** string: --name VALUE; boolean: --name; positional: a word, in order (extra words arrive in args._). */
  type: 'string' | 'boolean' | 'positional';
  description: string;
  default?: string | boolean;
  /** A one-letter short name (-x). */
  alias?: string;
  /** The value's name in the help (--name FILE). */
  valueHint?: string;
  required?: boolean;
}

export interface Command {
  /** One line for \`confctl help\` and the command's --help. */
  description: string;
  args?: Record<string, Arg>;
  /** Runs the command. Throw ctx.fail('…') for a clean error (CommandError: …, exit 1). */
  run(ctx: Context): void | Promise<void>;
}

/** What a command gets: its arguments, the outside world, the database. */
export interface Context {
  /** Each option and argument by name; words beyond the declared arguments in _. */
  args: Record<string, string | boolean | undefined> & { _: string[] };
  /** Writes a line on standard output. */
  out(line?: string): void;
  /** Lines on standard error, shown by verbosity (-v): debug at 2 and above, info at 1 and above. */
  logger: { info(message: string): void; warn(message: string): void; error(message: string): void; debug(message: string): void };
  /** 0 to 3 (-v). */
  verbosity: number;
  /** The effective settings, by dotted name ("site.url", "apps.installed"…). */
  settings: Readonly<Record<string, unknown>>;
  /** The current time (CONFCTL_NOW in tests). */
  now(): Date;
  /** Rows of a SELECT on the configured database (SQLite or PostgreSQL); ? marks each parameter. */
  query(text: string, ...params: unknown[]): Promise<Record<string, unknown>[]>;
  /** Runs a statement that writes; the number of rows it changed. */
  execute(text: string, ...params: unknown[]): Promise<number>;
  /** Ends the command with "CommandError: <message>" and exit status 1. */
  fail(message: string): never;
}
`;
