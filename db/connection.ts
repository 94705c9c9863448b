import { accessSync, constants as fsFlags, existsSync, mkdirSync, statSync } from 'node:fs';
import { Socket } from 'node:net';
import { dirname } from 'node:path';
import { CompiledQuery, createQueryId, Kysely, PostgresAdapter, PostgresDialect, RawNode, PostgresIntrospector, PostgresQueryCompiler, SqliteAdapter, type DatabaseConnection, type DatabaseIntrospector, type Dialect, type DialectAdapter, type Driver, type QueryCompiler, type TransactionSettings } from 'kysely';
import { runtime, type SqliteConnection, type SqliteMode, type SqlValue } from '../platform/index.ts';
import { describeTarget, maskDatabaseUrl, parsePostgresUrl, withDatabaseName, type PostgresTarget } from '../core/common/database-url.ts';
import { CancelledError, CommandError, errorMessage } from '../core/common/errors.ts';
import { letSignalsIn, type WriteGuard } from '../core/common/io.ts';
import type { Database } from './schema.ts';

export type { SqlValue };

/**
 * The only module that chooses a database driver: SQLite, through the runtime's own module
 * (platform/: bun:sqlite under Bun, node:sqlite under Deno), and PostgreSQL through node-postgres
 * (pg) with kysely's own PostgresDialect (it works in the compiled binary and under Deno, and a pool
 * that outlives a server restart; loaded only when a postgres:// URL is opened).
 */
export type Backend = 'sqlite' | 'postgres';

/** Which database `db` (or a transaction of it) talks to. */
export function backendOf(db: Kysely<any>): Backend {
  return db.getExecutor().adapter instanceof PostgresAdapter ? 'postgres' : 'sqlite';
}

/**
 * kysely's SqliteAdapter says SQLite has no transactional DDL, so its Migrator would run a
 * migration outside a transaction and leave half of it behind on failure. SQLite does roll back
 * CREATE/ALTER/DROP; say so, and every migration runs in its own transaction.
 */
class TransactionalDdlSqliteAdapter extends SqliteAdapter {
  override get supportsTransactionalDdl(): boolean {
    return true;
  }
}

/**
 * The runtime's SQLite dialect, with two changes. A writing transaction starts with BEGIN
 * IMMEDIATE: it takes the write lock first, waiting up to the busy timeout for another process's
 * writer. A plain BEGIN reads first and fails at once with "database is locked" if another process
 * committed before it came to write (SQLite cannot wait there). Transactions marked
 * `setAccessMode('read only')` (the server's) stay deferred. And Ctrl-C (the WriteGuard) is honoured
 * at the two moments that decide what is saved: a write transaction asked to commit after it rolls
 * back instead, and none begins after it.
 */
class GuardedDialect implements Dialect {
  constructor(
    private readonly inner: Dialect,
    private readonly writes: WriteGuard | undefined,
    private readonly adapter: DialectAdapter = new TransactionalDdlSqliteAdapter(),
    /** The statement that opens a transaction. */
    private readonly begin: (write: boolean) => string = (write) => (write ? 'begin immediate' : 'begin'),
    /** What an error of the driver's becomes before anyone sees it. */
    private readonly translate: (error: unknown) => unknown = (error) => error,
    /** What a failure to get a connection becomes (PostgreSQL: the server cannot be reached now). */
    private readonly unreachable: (error: unknown) => unknown = (error) => error,
    /** PostgreSQL: how long a query waits for a connection while the pool's every one is busy (not while one is being made), and the error it then gets. */
    private readonly poolWait?: { ms: number; saturated: () => boolean; error: () => Error },
  ) {}

  createAdapter(): DialectAdapter {
    return this.adapter;
  }

  createQueryCompiler(): QueryCompiler {
    return this.inner.createQueryCompiler();
  }

  createIntrospector(db: Kysely<unknown>): DatabaseIntrospector {
    return this.inner.createIntrospector(db);
  }

  createDriver(): Driver {
    const driver = this.inner.createDriver();
    const guard = this.writes;
    const commit = driver.commitTransaction.bind(driver);
    const rollback = driver.rollbackTransaction.bind(driver);
    const acquire = driver.acquireConnection.bind(driver);
    const translate = this.translate;
    const unreachable = this.unreachable;
    const translating = new WeakSet<DatabaseConnection>();
    const poolWait = this.poolWait;
    const release = driver.releaseConnection.bind(driver);
    driver.acquireConnection = async (...args) => {
      let connection: DatabaseConnection;
      try {
        // Every connection busy (held by requests that wait for another session's lock): the wait for
        // one is bounded as the lock wait is, else requests queued behind them waited busy_timeout
        // once for each round of the pool.
        const acquiring = acquire(...args);
        connection = await (poolWait ? withDeadline(acquiring, poolWait.ms, () => (poolWait.saturated() ? poolWait.error() : null), (late) => void release(late)) : acquiring);
      } catch (error) {
        throw unreachable(error);
      }
      // The same object goes back to the driver at release: its own method is wrapped, once.
      if (!translating.has(connection)) {
        translating.add(connection);
        const execute = connection.executeQuery.bind(connection);
        connection.executeQuery = async (query) => {
          try {
            return await execute(query);
          } catch (error) {
            throw translate(error);
          }
        };
      }
      return connection;
    };
    const writing = new WeakSet<DatabaseConnection>();
    const begin = this.begin;
    driver.beginTransaction = async (connection: DatabaseConnection, settings: TransactionSettings) => {
      const write = settings.accessMode !== 'read only';
      if (write && guard?.requested) throw new CancelledError('Operation cancelled: what was saved before stays; nothing more was written.');
      await connection.executeQuery(CompiledQuery.raw(begin(write)));
      if (write && guard) {
        guard.open++;
        writing.add(connection);
      }
    };
    driver.commitTransaction = async (connection: DatabaseConnection) => {
      // A Ctrl-C that came while the transaction ran synchronously is delivered only when the event
      // loop turns (Deno: on a timer's turn, not a microtask's): let it come before deciding.
      if (writing.has(connection) && guard) await letSignalsIn();
      // Throwing here makes kysely roll back, then pass the error on.
      if (writing.has(connection) && guard?.requested) {
        throw new CancelledError(guard.committed ? 'Operation cancelled: this step was rolled back; what was saved before it stays.' : 'Operation cancelled: the changes were rolled back, nothing was written.');
      }
      await commit(connection);
      if (writing.delete(connection) && guard) {
        guard.open--;
        guard.committed = true;
      }
    };
    driver.rollbackTransaction = async (connection: DatabaseConnection) => {
      try {
        await rollback(connection);
      } catch (error) {
        // A connection that is gone has no transaction left: its server rolled it back. The error that ended the transaction is the one to report.
        if (!connectionLost(error)) throw error;
      } finally {
        if (writing.delete(connection) && guard) guard.open--;
      }
    };
    return driver;
  }
}

/** The SQLite connection behind each Kysely instance, for the few bulk paths that need raw statements. */
/** Keyed by the database's kysely adapter, which its transactions share: raw statements work inside them too. */
const handles = new WeakMap<DialectAdapter, SqliteConnection>();

/** A prepared statement without kysely: positional parameters, rows as arrays or objects. */
export interface RawStatement {
  run(...params: SqlValue[]): { changes: number; lastInsertRowid: number };
  /** run without the result, parameters as one array: the bulk path of loaddata. */
  runWith(params: readonly SqlValue[]): void;
  values(...params: SqlValue[]): SqlValue[][];
  all<T = Record<string, SqlValue>>(...params: SqlValue[]): T[];
  /** Rows as objects, one at a time: memory does not grow with the result. */
  iterate(...params: SqlValue[]): IterableIterator<Record<string, SqlValue>>;
  readonly columns: string[];
}

/**
 * Raw statements on the connection behind `db` (they share its transaction). For dumpdata and
 * loaddata, where per-row query building would dominate; everything else uses kysely. They are
 * finalized when the database is closed.
 */
export function rawStatements(db: Kysely<Database>): { prepare(sql: string): RawStatement; exec(sql: string): void } {
  const sqlite = handles.get(db.getExecutor().adapter);
  if (!sqlite) throw new Error(backendOf(db) === 'postgres' ? 'rawStatements: SQLite only (this path does not run on PostgreSQL yet)' : 'rawStatements: not a database opened by openDatabase');
  return { exec: (sql) => sqlite.exec(sql), prepare: (sql) => sqlite.prepare(sql) };
}

/**
 * Raw queries on either database, for the bulk paths (dumpdata): SQL with `?` placeholders and
 * double-quoted names, written by code, never from data; values bound. On SQLite the statements
 * are prepared once and run synchronously on the connection behind `db`; on PostgreSQL they go
 * through kysely's connection (and so inside its transaction), `?` becoming `$1, $2…`.
 */
export interface Queries {
  /** Runs a statement; how many rows it changed. */
  run(sql: string, ...params: SqlValue[]): Promise<number>;
  /** Runs an INSERT of one row into a table with an "id" key; the new row's id. */
  insert(sql: string, ...params: SqlValue[]): Promise<number>;
  values(sql: string, ...params: SqlValue[]): Promise<SqlValue[][]>;
  all<T = Record<string, SqlValue>>(sql: string, ...params: SqlValue[]): Promise<T[]>;
  /** PostgreSQL: `COPY table (columns) FROM STDIN` with its data in COPY's text format. */
  copy(sql: string, data: string): Promise<void>;
}

/** Raw statements on the SQLite connection behind `db`, each prepared once, when first asked for. */
export function statementCache(db: Kysely<Database>): (sql: string) => RawStatement {
  const raw = rawStatements(db);
  const statements = new Map<string, RawStatement>();
  return (sql) => {
    let statement = statements.get(sql);
    if (!statement) statements.set(sql, (statement = raw.prepare(sql)));
    return statement;
  };
}

/** `?` placeholders as PostgreSQL numbers them, outside quoted names and strings. */
export function numberedPlaceholders(sql: string): string {
  let n = 0;
  return sql.replace(/"[^"]*"|'[^']*'|\?/g, (m) => (m === '?' ? `$${++n}` : m));
}

/** numberedPlaceholders, remembered: a bulk path sends the same statement thousands of times (loaddata's batch is some 20 KB of SQL). */
const numbered = new Map<string, string>();
function numberedOnce(sql: string): string {
  let text = numbered.get(sql);
  if (text === undefined) {
    if (numbered.size >= 500) numbered.clear();
    numbered.set(sql, (text = numberedPlaceholders(sql)));
  }
  return text;
}

/**
 * A constraint that PostgreSQL refused, in SQLite's words ("UNIQUE constraint failed: event_event.slug"),
 * so that an error line reads the same on both; anything else as PostgreSQL said it.
 */
/**
 * A column's CHECK as SQLite says it, by its expression, where PostgreSQL gives the name it made up
 * (<table>_<column>_check); the checks the migrations name have that name on both. The JSON columns'
 * check is Django's JSONField one.
 */
export function checkInSqliteWords(table: string | undefined, constraint: string | undefined): string | undefined {
  if (table === undefined || !constraint?.startsWith(`${table}_`) || !constraint.endsWith('_check')) return constraint;
  const column = constraint.slice(table.length + 1, -'_check'.length);
  return COLUMN_CHECKS[column] ?? `(json_valid("${column}") OR "${column}" IS NULL)`;
}

/** The migrations' column checks that are not a JSON column's (db/migrations/0001_initial.ts). */
const COLUMN_CHECKS: Record<string, string> = {
  pretalx_sync_interval: 'pretalx_sync_interval > 0',
  default_duration: 'default_duration >= 0',
  duration: 'duration >= 0',
  slot_count: 'slot_count >= 1',
  capacity: 'capacity >= 0',
};

function inSqliteWords(error: unknown): unknown {
  const e = error as { code?: string; table?: string; column?: string; constraint?: string; detail?: string };
  let message: string | null = null;
  if (e.code === '23505') {
    const columns = /^Key \((.*)\)=\(/.exec(e.detail ?? '')?.[1]?.split(', ').map((c) => c.replace(/::[a-z ]+/g, '').replace(/^lower\((.*)\)$/, '$1').replace(/[()"]/g, ''));
    message = `UNIQUE constraint failed: ${(columns ?? [e.constraint]).map((c) => `${e.table}.${c}`).join(', ')}`;
  } else if (e.code === '23502') message = `NOT NULL constraint failed: ${e.table}.${e.column}`;
  else if (e.code === '23514') message = `CHECK constraint failed: ${checkInSqliteWords(e.table, e.constraint)}`;
  return message === null ? error : Object.assign(new Error(message, { cause: error }), { code: e.code });
}

/** The query node of every raw statement: CompiledQuery.raw() freezes a new one and the parameters each time, which cost loaddata seconds. */
const RAW_QUERY = RawNode.createWithSql('');

export function queries(db: Kysely<any>): Queries {
  if (backendOf(db) === 'postgres') {
    const execute = async (sql: string, params: SqlValue[]) => {
      try {
        return await db.executeQuery({ sql: numberedOnce(sql), parameters: params, query: RAW_QUERY, queryId: createQueryId() });
      } catch (error) {
        throw inSqliteWords(error);
      }
    };
    const run = async (sql: string, params: SqlValue[]) => (await execute(sql, params)).rows as Record<string, SqlValue>[];
    return {
      run: async (sql, ...params) => Number((await execute(sql, params)).numAffectedRows ?? 0),
      insert: async (sql, ...params) => Number((await run(`${sql} RETURNING "id"`, params))[0]!.id),
      values: async (sql, ...params) => (await run(sql, params)).map((row) => Object.values(row)),
      all: async <T>(sql: string, ...params: SqlValue[]) => (await run(sql, params)) as T[],
      // The connection sends the data (see teachCopy).
      copy: async (sql, data) => void (await execute(sql, [data])),
    };
  }
  const prepared = statementCache(db);
  return {
    run: async (sql, ...params) => prepared(sql).run(...params).changes,
    insert: async (sql, ...params) => prepared(sql).run(...params).lastInsertRowid,
    values: async (sql, ...params) => prepared(sql).values(...params),
    all: async <T>(sql: string, ...params: SqlValue[]) => prepared(sql).all<T>(...params),
    copy: async () => {
      throw new Error('COPY is PostgreSQL’s');
    },
  };
}

export interface OpenOptions {
  /** Milliseconds to wait for another process's lock (the `database.busy_timeout` setting). */
  busyTimeout: number;
  /** Open read-only; the file must exist. */
  readonly?: boolean;
  /** Called with each SQL statement and its duration (verbosity 3). */
  onQuery?: (sql: string, milliseconds: number) => void;
  /** Runs before anything is written (WAL mode writes the header of an empty file); may throw. */
  check?: (db: Kysely<Database>) => void;
  /** Ctrl-C's hold on write transactions (cli.ts). */
  writes?: WriteGuard;
}

/** Whether this process may write `path` and create files beside it (a WAL database needs both). */
function writable(path: string): boolean {
  try {
    accessSync(path, fsFlags.W_OK);
    accessSync(dirname(path), fsFlags.W_OK);
    return true;
  } catch {
    return false;
  }
}

/**
 * A read-only connection. A WAL database needs its -shm file even to read; where this process
 * cannot create it (a backup, another user's instance, a read-only mount) and no writer is at work
 * (no -wal file), the file is opened immutable: read as it is, nothing created beside it.
 */
function readonlyMode(path: string): SqliteMode {
  // A file without write permission is read-only for root too (who could write it anyway).
  const readonlyFile = (statSync(path).mode & 0o222) === 0;
  if (writable(path) && !readonlyFile) {
    // Where we may write, a read-write connection that refuses writes (query_only, see openDatabase):
    // on close it checkpoints and removes the -wal and -shm files a read-only connection would leave behind.
    return 'readwrite';
  }
  return existsSync(`${path}-wal`) ? 'readonly' : 'immutable';
}

export function databaseExists(path: string): boolean {
  return existsSync(path) && statSync(path).isFile();
}

/**
 * Opens (and, unless read-only, creates with its folder) the SQLite database at `path`, with
 * WAL journaling, foreign keys enforced and a busy timeout, so that a server keeps answering
 * while a sync writes.
 */
export function openDatabase(path: string, options: OpenOptions): Kysely<Database> {
  if (path === '') throw new CommandError('The database path is empty.');
  let sqlite: SqliteConnection | undefined;
  try {
    if (existsSync(path) && !statSync(path).isFile()) throw new Error('it is not a file');
    if (!options.readonly) mkdirSync(dirname(path), { recursive: true });
    const mode = options.readonly ? readonlyMode(path) : 'create';
    sqlite = runtime().openSqlite(path, mode);
    if (options.readonly && mode === 'readwrite') sqlite.exec('PRAGMA query_only = 1');
    sqlite.exec(`PRAGMA busy_timeout = ${Math.trunc(options.busyTimeout)}`);
    sqlite.exec('PRAGMA foreign_keys = ON');
    // Reading the schema proves the file is a database (and writes nothing).
    sqlite.exec('SELECT count(*) FROM sqlite_schema');
  } catch (error) {
    sqlite?.close();
    throw new CommandError(`Cannot open database ${maskDatabaseUrl(path)}: ${errorMessage(error)}`, { cause: error });
  }
  const onQuery = options.onQuery;
  const db = new Kysely<Database>({
    dialect: new GuardedDialect(sqlite.dialect(), options.writes),
    ...(onQuery && {
      log: (event) => onQuery(event.query.sql, event.queryDurationMillis),
    }),
  });
  handles.set(db.getExecutor().adapter, sqlite);
  try {
    options.check?.(db);
    if (!options.readonly) {
      sqlite.exec('PRAGMA journal_mode = WAL');
      sqlite.exec('PRAGMA synchronous = NORMAL');
    }
  } catch (error) {
    sqlite.close();
    if (error instanceof CommandError) throw error;
    throw new CommandError(`Cannot open database ${maskDatabaseUrl(path)}: ${errorMessage(error)}`, { cause: error });
  }
  return db;
}

export interface PostgresOptions extends Pick<OpenOptions, 'onQuery' | 'writes' | 'readonly'> {
  /** PG* variables libpq would read (PGHOST, PGPASSWORD…), for what the URL leaves out. */
  env?: Record<string, string | undefined>;
  /** Connections kept open at once (a command needs one; a server more). */
  poolSize?: number;
  /**
   * Milliseconds a statement waits for a lock another session holds (a LOCK TABLE, a migration's ALTER, a
   * writer's rows) before it fails, as SQLite's busy timeout (database.busy_timeout); 0 waits not at all.
   * Without it a server's page waited for as long as the lock was held, and its client got an empty reply.
   */
  lockTimeout?: number;
}

/** confctl's oldest PostgreSQL: 13 (the oldest the PostgreSQL project still supported when this was written, and Django 4.2's floor). */
const OLDEST_SERVER = 130000;

/** A fraction of a second as SQLite keeps it, six digits (PostgreSQL prints 09:00:00.25 for 09:00:00.250000). */
const sixDigitFraction = (text: string) => text.replace(/\.(\d{1,5})$/, (_, digits: string) => `.${digits.padEnd(6, '0')}`);

/**
 * Values as the SQLite side gives them, so that everything above the connection sees the same rows:
 * booleans 0/1, date-times as UTC text `YYYY-MM-DD HH:MM:SS[.ffffff]`, dates as text, 64-bit
 * integers and numerics as numbers. The session's time zone is UTC. Parameters go as text, which the
 * server reads by the column's type (a boolean column takes 1 and 0).
 */
const PARSERS: Record<number, (text: string) => unknown> = {
  16: (text) => (text === 't' ? 1 : 0),
  1114: (text) => sixDigitFraction(text),
  1184: (text) => sixDigitFraction(text.replace(/\+00(:00)?$/, '')),
  1082: (text) => text,
  20: Number,
  1700: Number,
};

/** pg's `ssl` for each try, in order: libpq's allow and prefer fall back to the other way, which pg does not do itself. */
function sslTries(target: PostgresTarget): (false | object)[] {
  const encrypted = { rejectUnauthorized: false };
  // libpq never encrypts a Unix socket.
  if (target.socket) return [false];
  switch (target.sslmode) {
    case 'disable':
      return [false];
    case 'allow':
      return [false, encrypted];
    case 'prefer':
      return [encrypted, false];
    case 'require':
      return [encrypted];
    case 'verify-ca':
      // The certificate must be signed by a trusted authority; its name is not checked.
      return [{ rejectUnauthorized: true, checkServerIdentity: () => undefined }];
    case 'verify-full':
      return [{ rejectUnauthorized: true }];
  }
}

/** Why a connection failed, in words an operator can act on (never the password). */
function connectionProblem(error: unknown, target: PostgresTarget): string {
  const e = error as { code?: string; message?: string };
  switch (e.code) {
    case 'ECONNREFUSED':
      return 'connection refused: is the server running, and listening there?';
    case 'ENOENT':
      return 'no server listens on that socket: is it running, and is that its socket folder?';
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return `the host ${target.host} does not resolve`;
    case 'ETIMEDOUT':
    case 'CONNECT_TIMEOUT':
      return `no answer within ${target.connectTimeout} s (connect_timeout)`;
    case 'EACCES':
      return 'permission denied on the socket';
    case '57P03':
      return 'the server is starting up or shutting down';
    case '53300':
      return 'the server has no connection slots left (max_connections)';
    case '28P01':
      return `password authentication failed for user "${target.user}"`;
    case '3D000':
      return `the database "${target.database}" does not exist: create it first (createdb ${target.database}, or CREATE DATABASE)`;
    default:
      if (/timeout/i.test(e.message ?? '')) return `no answer within ${target.connectTimeout} s (connect_timeout)`;
      if (/client password must be a string/.test(e.message ?? '')) return `the server asks user "${target.user}" for a password, and none was given (in the URL, PGPASSWORD or ~/.pgpass)`;
      return errorMessage(error).replaceAll(target.password || '\u0000', '********');
  }
}

/** The database server cannot be used now (gone, refusing, starting up): trying again later may work. */
class DatabaseUnavailableError extends CommandError {}

/** The connection went away under a command: the server has rolled back what it had not committed. */
class ConnectionLostError extends DatabaseUnavailableError {}

/**
 * Whether `error` says that the database server could not be reached or went away (not that a
 * statement was wrong): what a server answers with 503 and Retry-After rather than 500.
 */
export function databaseUnavailable(error: unknown): boolean {
  return error instanceof DatabaseUnavailableError;
}

/** An error that databaseUnavailable() recognises, with this message (a render Worker's, carried to the server's thread). */
export function unavailableError(message: string): Error {
  return new DatabaseUnavailableError(message);
}

/** Why a connection could not be made that may pass: refused, no socket, no answer, starting up, no slots left. */
const TRANSIENT_CODES = new Set(['ECONNREFUSED', 'ENOENT', 'ETIMEDOUT', 'CONNECT_TIMEOUT', 'EAI_AGAIN', 'ECONNRESET', '57P03', '53300']);

/** What pg says when a connection goes (the socket's codes have their own). */
const LOST_CONNECTION_CODES = new Set(['ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'ECONNABORTED']);
const LOST_CONNECTION_MESSAGES = /^(Connection terminated|Client has encountered a connection error and is not queryable|Client was closed and is not queryable)/;

/**
 * Whether `error` says the connection is gone: pg's words, the socket's, or the server's own before it
 * hangs up (57P01 after pg_terminate_backend or a shutdown, 57P02 a crash; not every FATAL, so that a
 * refused password on a new connection is still said as such).
 */
function connectionLost(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  const code = String((error as { code?: unknown }).code);
  return error instanceof ConnectionLostError || LOST_CONNECTION_CODES.has(code) || code === '57P01' || code === '57P02' || LOST_CONNECTION_MESSAGES.test(error.message);
}

/**
 * Opens a PostgreSQL database through node-postgres (pg) and kysely's own PostgresDialect: connects
 * at once (so that a wrong host, password or database is one CommandError naming host, port and
 * database) and refuses a server older than PostgreSQL 13. A connection that the server ends (a
 * restart, a failover, pg_terminate_backend) fails its command with one line; a server process gets
 * new connections for its next requests.
 */
export async function openPostgres(url: string, options: PostgresOptions = {}): Promise<Kysely<Database>> {
  const target = parsePostgresUrl(url, options.env);
  const where = describeTarget(target);
  const [{ default: pg }, { from: copyFrom }, { PostgresSchemaPlugin }] = await Promise.all([import('pg'), import('pg-copy-streams'), import('./postgres-schema.ts')]);
  const types = { getTypeParser: (oid: number, format?: string) => PARSERS[oid] ?? pg.types.getTypeParser(oid, format as 'text') };
  const lockTimeout = options.lockTimeout === undefined ? undefined : Math.max(1, Math.trunc(options.lockTimeout));
  const settings = ['-c TimeZone=UTC', ...(options.readonly ? ['-c default_transaction_read_only=on'] : []), ...(lockTimeout === undefined ? [] : [`-c lock_timeout=${lockTimeout}`])].join(' ');
  let pool: InstanceType<typeof pg.Pool> | undefined;
  let failure: unknown;
  // Every socket the pools open: pg leaves one open after some failed connects (the server asking
  // for a password none was given: brianc/node-postgres#2907), which kept the process alive for ever
  // after its one error line. They are closed when the database is given up or closed.
  const sockets = new Set<Socket>();
  const socket = () => {
    const opened = new Socket();
    sockets.add(opened);
    opened.once('close', () => sockets.delete(opened));
    return opened;
  };
  const closeSockets = () => {
    for (const open of sockets) open.destroy();
  };
  for (const ssl of sslTries(target)) {
    const candidate = new pg.Pool({
      stream: socket,
      host: target.host,
      port: target.port,
      database: target.database,
      user: target.user,
      password: target.password === '' ? undefined : target.password,
      ssl,
      connectionTimeoutMillis: target.connectTimeout * 1000,
      max: options.poolSize ?? 1,
      application_name: 'confctl',
      options: settings,
      types,
    } as ConstructorParameters<typeof pg.Pool>[0]);
    // A connection the server ends while idle in the pool, or while a query runs (that query fails
    // with the error too): without a listener, pg's 'error' event would end the process.
    candidate.on('error', () => {});
    candidate.on('connect', (client) => {
      client.on('error', () => {});
      teachCopy(client, copyFrom);
    });
    try {
      // Our own deadline as well: a host that never answers must not outlive connect_timeout.
      let timer: ReturnType<typeof setTimeout> | undefined;
      const deadline = new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(Object.assign(new Error('timeout'), { code: 'CONNECT_TIMEOUT' })), (target.connectTimeout + 1) * 1000);
      });
      const { rows } = await Promise.race([candidate.query<{ version: number; name: string }>("SELECT current_setting('server_version_num')::int AS version, current_setting('server_version') AS name"), deadline]).finally(() => clearTimeout(timer));
      const { version, name } = rows[0]!;
      if (version < OLDEST_SERVER) throw new CommandError(`The PostgreSQL server at ${where} runs version ${name}; confctl needs PostgreSQL 13 or later.`);
      pool = candidate;
      break;
    } catch (error) {
      failure = error;
      await candidate.end().catch(() => {});
      closeSockets();
      // The other way only where this one failed for its encryption (prefer: no SSL on the server; allow: the server wants it).
      const message = error instanceof Error ? error.message : '';
      if (!/does not support SSL|no encryption/.test(message)) break;
    }
  }
  if (pool === undefined) {
    if (failure instanceof CommandError) throw failure;
    // A server that is down, starting or full may take the next try (runserver's Worker: a 503); a wrong password will not.
    const Failure = TRANSIENT_CODES.has(String((failure as { code?: unknown } | null)?.code)) ? DatabaseUnavailableError : CommandError;
    throw new Failure(`Cannot connect to PostgreSQL at ${where}: ${connectionProblem(failure, target)}`, { cause: failure });
  }
  const onQuery = options.onQuery;
  const lost = (error: unknown) => {
    if (connectionLost(error) && !(error instanceof ConnectionLostError)) {
      return new ConnectionLostError(`The connection to the PostgreSQL server at ${where} was lost (the server ended it or went away); the open transaction, if any, was rolled back by the server.`, { cause: error });
    }
    // A role without the grants a command needs: said as what it is, where (loaddata's own line wraps it).
    if ((error as { code?: unknown } | null)?.code === '42501' && error instanceof Error) {
      return new CommandError(`The PostgreSQL server at ${where} refused role "${target.user}": ${error.message}. Grant it the privileges it needs (or connect as the database's owner).`, { cause: error });
    }
    // lock_timeout: another session holds what this statement needs (the transaction is rolled back).
    if ((error as { code?: unknown } | null)?.code === '55P03' && lockTimeout !== undefined) {
      return new DatabaseUnavailableError(`The PostgreSQL server at ${where}: another session held a lock this needs for longer than database.busy_timeout (${lockTimeout} ms), and the transaction was rolled back: try again when it is done.`, { cause: error });
    }
    return error;
  };
  // A reading transaction sees one snapshot (as SQLite's does): a page is read entirely before or after another process's commit.
  // A server that went down after the start: each later connection refused is said as at the start.
  const unreachable = (error: unknown) => (error instanceof CommandError ? error : new DatabaseUnavailableError(`Cannot connect to PostgreSQL at ${where}: ${connectionProblem(error, target)}`, { cause: error }));
  const dialect = new GuardedDialect(
    new PostgresDialect({ pool }),
    options.writes,
    new PostgresAdapter(),
    (write) => (write ? 'begin' : 'begin transaction isolation level repeatable read read only'),
    lost,
    unreachable,
    lockTimeout === undefined
      ? undefined
      : {
          ms: lockTimeout,
          saturated: () => opened.totalCount >= opened.options.max,
          error: () => new DatabaseUnavailableError(`The PostgreSQL server at ${where}: every connection of this process (${opened.options.max}) was busy for longer than database.busy_timeout (${lockTimeout} ms), waiting for a lock another session holds: try again when it is done.`),
        },
  );
  const db = new Kysely<Database>({
    dialect,
    plugins: [new PostgresSchemaPlugin()],
    ...(onQuery && { log: (event) => onQuery(event.query.sql, event.queryDurationMillis) }),
  });
  // kysely starts its driver at the first query and ends only a started one: a command that ran no
  // query through kysely (dbshell) would leave the checked connection open, and the process waiting.
  const destroy = db.destroy.bind(db);
  const opened = pool;
  db.destroy = async () => {
    await destroy();
    if (!opened.ended) await opened.end();
    closeSockets();
  };
  return db;
}

/**
 * `promise`, or after `ms` the error `error()` gives, if it gives one (else the promise, however long
 * it takes); what the promise gives after the error goes to `late`.
 */
function withDeadline<T>(promise: Promise<T>, ms: number, error: () => Error | null, late: (value: T) => void): Promise<T> {
  return new Promise((resolve, reject) => {
    let over = false;
    const timer = setTimeout(() => {
      const failure = error();
      if (failure === null) return;
      over = true;
      reject(failure);
    }, ms);
    promise.then(
      (value) => {
        if (over) late(value);
        else {
          clearTimeout(timer);
          resolve(value);
        }
      },
      (failure) => {
        clearTimeout(timer);
        if (!over) reject(failure);
      },
    );
  });
}

/** `COPY … FROM STDIN` with its data as the one parameter: see teachCopy. */
const COPY_FROM_STDIN = /^COPY [^;]* FROM STDIN$/;

/**
 * A connection taught one more statement: `COPY table (columns) FROM STDIN` given its data (COPY's
 * text format) as its one parameter sends that data. pg itself cannot (COPY is a protocol of its
 * own, which pg-copy-streams speaks). PostgreSQL's bulk path, for loaddata.
 */
function teachCopy(client: import('pg').PoolClient, copyFrom: typeof import('pg-copy-streams').from): void {
  const query = client.query.bind(client) as (...args: unknown[]) => unknown;
  (client as { query: unknown }).query = (...args: unknown[]) => {
    const [text, values] = args as [unknown, unknown[] | undefined];
    if (args.length !== 2 || typeof text !== 'string' || !COPY_FROM_STDIN.test(text) || values?.length !== 1) return query(...args);
    const stream = query(copyFrom(text)) as ReturnType<typeof copyFrom>;
    return new Promise((resolve, reject) => {
      stream.on('error', reject);
      stream.on('finish', () => resolve({ command: 'COPY', rowCount: stream.rowCount, rows: [] }));
      stream.end(String(values[0]));
    });
  };
}

/** A PostgreSQL identifier, quoted (a database name comes from settings, never trusted as SQL). */
const identifier = (name: string) => `"${name.replaceAll('"', '""')}"`;

/** Creating and dropping whole databases on the server of a URL (testserver's throw-away database). */
export interface PostgresDatabases {
  exists(name: string): Promise<boolean>;
  create(name: string): Promise<void>;
  /** Drops the database, ending any connection still open to it. */
  drop(name: string): Promise<void>;
  close(): Promise<void>;
}

/**
 * Connects, as Django's test runner does, to the server's maintenance database "postgres" (or, where
 * that one is not reachable, to the configured database) to create or drop others.
 */
export async function postgresDatabases(url: string, env: Record<string, string | undefined>): Promise<PostgresDatabases> {
  let db: Kysely<Database>;
  try {
    db = await openPostgres(withDatabaseName(url, 'postgres'), { env });
  } catch {
    db = await openPostgres(url, { env });
  }
  const q = queries(db);
  return {
    exists: async (name) => (await q.values('SELECT 1 FROM pg_database WHERE datname = ?', name)).length > 0,
    create: async (name) => void (await q.run(`CREATE DATABASE ${identifier(name)}`)),
    drop: async (name) => void (await q.run(`DROP DATABASE IF EXISTS ${identifier(name)} WITH (FORCE)`)),
    close: () => db.destroy(),
  };
}

/** A value bound into SQL text as PostgreSQL reads a literal (for printing recorded statements). */
function literal(value: unknown): string {
  if (value === null || value === undefined) return 'NULL';
  if (typeof value === 'number' || typeof value === 'bigint') return String(value);
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  return `'${String(value).replaceAll("'", "''")}'`;
}

/**
 * A PostgreSQL database that is not there: every statement given to it is compiled as for a
 * PostgreSQL server (with the schema plugin), handed to `record` with its values written in, and
 * answered with no rows. For the sql* commands, which print PostgreSQL's SQL without a server, as
 * Django's schema editor does with collect_sql.
 */
export async function recordingPostgres(record: (sql: string) => void): Promise<Kysely<Database>> {
  const { PostgresSchemaPlugin } = await import('./postgres-schema.ts');
  const connection: DatabaseConnection = {
    executeQuery: async (query) => {
      const params = query.parameters;
      record(params.length === 0 ? query.sql : query.sql.replace(/"[^"]*"|'[^']*'|\$(\d+)/g, (m, n: string | undefined) => (n === undefined ? m : literal(params[Number(n) - 1]))));
      return { rows: [] };
    },
    async *streamQuery() {},
  };
  return new Kysely<Database>({
    dialect: {
      createAdapter: () => new PostgresAdapter(),
      createQueryCompiler: () => new PostgresQueryCompiler(),
      createIntrospector: (db) => new PostgresIntrospector(db),
      createDriver: () => ({
        init: async () => {},
        acquireConnection: async () => connection,
        beginTransaction: async () => {},
        commitTransaction: async () => {},
        rollbackTransaction: async () => {},
        releaseConnection: async () => {},
        destroy: async () => {},
      }),
    },
    plugins: [new PostgresSchemaPlugin()],
  });
}
