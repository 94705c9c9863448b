// commands/_kit/ — the command kit: turns argv into a Context (settings, io, logger, style, clock,
// database) and errors into `CommandError:` lines; commands use it, the domain (core/) never does.
import type { ArgsDef, CommandDef, ParsedArgs } from 'citty';
import type { Kysely } from 'kysely';
import { createClock, type Clock } from '../../core/common/clock.ts';
import { CommandError } from '../../core/common/errors.ts';
import type { IO, OutputStream } from '../../core/common/io.ts';
import { createLogger, sqlTiming, type Logger, type Verbosity } from './output.ts';
import { findSettingsFile, isDatabaseUrl, loadSettings, maskDatabaseUrl, type Settings } from '../../core/common/settings.ts';
import { createStyle, wantsColor, type Style } from './style.ts';
import { existsSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { databaseExists, openDatabase, openPostgres } from '../../db/connection.ts';
import { assertMigrated, assertServerMigrated } from '../../db/migrator.ts';
import type { Database } from '../../db/schema.ts';
import { baseArgs } from './args.ts';
import { buildLines } from './build-lines.ts';
import { version } from './version.ts';
import { loadDatabaseDriver, runtime } from '../../platform/index.ts';

/** What every command gets: its parsed options, the outside world, and the settings in force. */
export interface Context<A extends ArgsDef = ArgsDef> {
  readonly name: string;
  readonly args: ParsedArgs<A & typeof baseArgs>;
  /** Every value of an option given several times (`--exclude a --exclude=b -e c`); citty keeps only the last. */
  all(name: string, short?: string): string[];
  readonly io: IO;
  /** Django's self.stdout: writes a line (adds the newline). */
  out(line?: string): void;
  /** Styles for stdout (colour only where stdout is a coloured TTY). */
  readonly style: Style;
  readonly logger: Logger;
  readonly verbosity: Verbosity;
  readonly settings: Settings;
  readonly clock: Clock;
  /** False under --noinput/--no-input or when stdin is not a terminal. */
  readonly interactive: boolean;
  /** --noinput or --no-input was given. */
  readonly noinput: boolean;
  /**
   * The configured database, which must exist and be fully migrated (else one CommandError saying to
   * run migrate, and nothing is created). `readonly` for commands that only read.
   */
  database(options?: { readonly?: boolean; /** Connections to a database server kept at once (a server's requests run side by side); SQLite has one. */ pool?: number }): Promise<Kysely<Database>>;
  /** The configured database, created if missing (migrate and syncdb only). */
  createDatabase(): Promise<Kysely<Database>>;
  /** The configured database if its file exists, else null (nothing is created); migrated or not. */
  existingDatabase(options?: { readonly?: boolean }): Promise<Kysely<Database> | null>;
  /** The configured database opened read-only (journal mode left as it is); it must exist. */
  readonlyDatabase(): Promise<Kysely<Database>>;
}

export interface ConfctlCommand extends CommandDef<any> {
  readonly meta: { readonly name: string; readonly description: string };
  /** Extra positional arguments (app labels, fixtures…) are allowed; they arrive in `args._`. */
  readonly variadic?: boolean;
  /** Text after the options in `--help`: examples, and where confctl differs from the original. */
  readonly epilog?: string;
}

export interface CommandSpec<A extends ArgsDef> {
  meta: { name: string; description: string };
  args: A;
  variadic?: boolean;
  epilog?: string;
  run(ctx: Context<A>): Promise<void> | void;
}

/**
 * A citty command whose `run` gets a ready Context; the database it opened is closed afterwards,
 * whatever happens. Base options are spread after the command's own.
 */
export function defineConfctlCommand<const A extends ArgsDef>(spec: CommandSpec<A>): ConfctlCommand {
  return {
    meta: spec.meta,
    args: { ...spec.args, ...baseArgs },
    variadic: spec.variadic ?? false,
    ...(spec.epilog === undefined ? {} : { epilog: spec.epilog }),
    async run({ args, data, rawArgs }) {
      const io = (data as { io?: IO } | undefined)?.io;
      if (io === undefined) throw new Error(`${spec.meta.name}: run without IO (call it through cli.ts main)`);
      await loadDatabaseDriver();
      const { ctx, close } = createContext(spec.meta.name, args as ParsedArgs<A & typeof baseArgs>, rawArgs, io);
      try {
        if (ctx.verbosity >= 2 && args['pretalx-information'] !== false && !io.env.CONFCTL_NO_INITIAL_LOG) {
          printHeader(io.stderr, ctx);
        }
        await spec.run(ctx);
      } finally {
        await close();
      }
    },
  };
}

function createContext<A extends ArgsDef>(
  name: string,
  args: ParsedArgs<A & typeof baseArgs>,
  rawArgs: readonly string[],
  io: IO,
): { ctx: Context<A>; close: () => Promise<void> } {
  const noColor = args.color === false;
  const forceColor = args['force-color'] === true;
  if (noColor && forceColor) throw new CommandError("The --no-color and --force-color options can't be used together.");
  const colorFor = (stream: OutputStream) => wantsColor({ isTTY: stream.isTTY, env: io.env, noColor, forceColor });
  const style = createStyle(colorFor(io.stdout));
  const verbosity = Number(args.verbosity) as Verbosity;
  const logger = createLogger({ verbosity, stderr: io.stderr, style: createStyle(colorFor(io.stderr)) });
  const settings = loadSettings({
    file: findSettingsFile(args.settings, io.env, io.cwd),
    env: io.env,
    cwd: io.cwd,
    database: args.database,
  });
  const clock = createClock(io.env.CONFCTL_NOW);
  const noInput = args.noinput === true || args.input === false;

  let db: Kysely<Database> | undefined;
  const path = settings.databasePath;
  const server = isDatabaseUrl(path);
  const open = async (readonly = false, check?: (db: Kysely<Database>) => void, pool?: number) => {
    if (server) {
      db ??= await openPostgres(path, {
        env: io.env,
        lockTimeout: settings.values['database.busy_timeout'],
        ...(readonly && { readonly: true }),
        ...(pool !== undefined && { poolSize: pool }),
        ...(io.writes && { writes: io.writes }),
        ...(verbosity >= 3 && { onQuery: (sql, ms) => logger.debug(sqlTiming(sql, ms)) }),
      });
      if (check) await assertServerMigrated(db, settings.databaseLabel);
      return db;
    }
    db ??= openDatabase(path, {
      busyTimeout: settings.values['database.busy_timeout'],
      ...(readonly && { readonly: true }),
      ...(check && { check }),
      ...(io.writes && { writes: io.writes }),
      ...(verbosity >= 3 && { onQuery: (sql, ms) => logger.debug(sqlTiming(sql, ms)) }),
    });
    return db;
  };
  // A server's database is there or the connection says why; a file is checked before it is opened.
  const notAFile = () => {
    if (!server && existsSync(path) && !databaseExists(path)) throw new CommandError(`The database ${settings.databaseLabel} is a folder, not a file: point --database (or [database] name) at the file.`);
  };
  const mustExist = () => {
    notAFile();
    if (!server && !databaseExists(path)) throw new CommandError(`The database ${settings.databaseLabel} does not exist: run "confctl migrate" to create it.`);
  };
  const ctx: Context<A> = {
    name,
    args,
    all: (option, short) => repeated(rawArgs, option, short),
    io,
    out: (line = '') => io.stdout.write(`${line}\n`),
    style,
    logger,
    verbosity,
    settings,
    clock,
    interactive: !noInput && io.stdin.isTTY,
    noinput: noInput,
    database: async (options = {}) => {
      if (db !== undefined) return db;
      mustExist();
      return open(options.readonly, (opened) => assertMigrated(opened, settings.databaseLabel), options.pool);
    },
    createDatabase: async () => {
      notAFile();
      // Only the default data dir is made: a mistyped --database folder is an error, not a new tree.
      if (db === undefined && !server && !existsSync(dirname(path)) && resolve(dirname(path)) !== resolve(settings.dataDir)) {
        throw new CommandError(`The folder ${maskDatabaseUrl(dirname(path))} of the database does not exist.`);
      }
      return open();
    },
    existingDatabase: async (options = {}) => {
      notAFile();
      return db !== undefined || server || databaseExists(path) ? open(options.readonly) : null;
    },
    readonlyDatabase: async () => {
      notAFile();
      // inspectdb reads any SQLite file, not only confctl's: no advice to migrate it.
      if (!server && !databaseExists(path)) throw new CommandError(`The database ${settings.databaseLabel} does not exist.`);
      return open(true);
    },
  };
  return { ctx, close: async () => db?.destroy() };
}

function repeated(rawArgs: readonly string[], option: string, short?: string): string[] {
  const values: string[] = [];
  for (let i = 0; i < rawArgs.length; i++) {
    const arg = rawArgs[i]!;
    if (arg === '--') break;
    if (arg === `--${option}` || (short !== undefined && arg === `-${short}`)) values.push(rawArgs[++i] ?? '');
    else if (arg.startsWith(`--${option}=`)) values.push(arg.slice(option.length + 3));
    else if (short !== undefined && arg.startsWith(`-${short}`) && arg.length > 2 && !arg.startsWith('--')) values.push(arg.slice(2));
  }
  return values;
}

/** pretalx's start-up box, on stderr, at verbosity 2 and above. */
function printHeader(stderr: OutputStream, ctx: Context<any>): void {
  const lines = [
    `confctl v${version}`,
    `Settings:  ${ctx.settings.file ?? '(built-in defaults)'}`,
    `Database:  ${ctx.settings.databaseLabel} (${isDatabaseUrl(ctx.settings.databasePath) ? 'postgresql' : 'sqlite'})`,
    `Data dir:  ${ctx.settings.dataDir}`,
    `Now:       ${ctx.clock.now().toISOString()}${ctx.io.env.CONFCTL_NOW ? ' (CONFCTL_NOW)' : ''}`,
    ...buildLines(runtime(), runtime().sqliteVersion()).map(([label, value]) => `${`${label}:`.padEnd(10)} ${value}`),
  ];
  const width = Math.max(...lines.map((l) => l.length)) + 2;
  stderr.write(
    [`┏${'━'.repeat(width + 2)}┓`, ...lines.map((l) => `┃ ${l.padEnd(width)} ┃`), `┗${'━'.repeat(width + 2)}┛`, ''].join(
      '\n',
    ),
  );
}
