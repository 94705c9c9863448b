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
