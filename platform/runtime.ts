import type { Dialect } from 'kysely';

/**
 * What Bun and Deno do differently, as confctl needs it: each runtime's module in this folder
 * implements this interface, and nothing outside platform/ names a runtime or its modules
 * (test/e2e/rules.test.ts). The rest of confctl uses web standards and the node: built-ins both
 * runtimes implement.
 */
export type SqlValue = string | number | bigint | null | Uint8Array;

/** A prepared SQLite statement: positional parameters, rows as objects or arrays. */
export interface SqliteStatement {
  run(...params: SqlValue[]): { changes: number; lastInsertRowid: number };
  /** run without the result, parameters as one array: the bulk path of loaddata. */
  runWith(params: readonly SqlValue[]): void;
  values(...params: SqlValue[]): SqlValue[][];
  all<T = Record<string, SqlValue>>(...params: SqlValue[]): T[];
  get<T = Record<string, SqlValue>>(...params: SqlValue[]): T | null;
  /** Rows as objects, one at a time: memory does not grow with the result. */
  iterate(...params: SqlValue[]): IterableIterator<Record<string, SqlValue>>;
  readonly columns: string[];
  finalize(): void;
}

/**
 * How a SQLite file is opened: created if missing (and read-write); read-write, existing; read-only;
 * immutable (read as it is, nothing created beside it: a file on a read-only mount).
 */
export type SqliteMode = 'create' | 'readwrite' | 'readonly' | 'immutable';

/** One SQLite connection. */
export interface SqliteConnection {
  exec(sql: string): void;
  /** A statement of confctl's own (few, reused): finalized when the connection closes. */
  prepare(sql: string): SqliteStatement;
  close(): void;
  /**
   * kysely's dialect over this connection; each of kysely's statements is finalized once it has
   * run (an unfinalized statement keeps a closed connection's locks until garbage collection).
   * Closing kysely finalizes confctl's own statements and closes the connection.
   */
  dialect(): Dialect;
}

export interface ServeOptions {
  hostname: string;
  port: number;
  /** The app: a request and the client's address. */
  fetch: (request: Request, address: string) => Response | Promise<Response>;
  maxRequestBodySize: number;
  /** The answer to a request whose handler threw. */
  error: (error: Error) => Response;
}

export interface HttpServer {
  /** The port it listens on (the one picked, for port 0). */
  readonly port: number;
  /** Stops listening; resolves when requests in flight are answered (or, with `force`, at once: they are cut). */
  stop(force?: boolean): Promise<void>;
}

export interface Runtime {
  readonly name: 'bun' | 'deno';
  /** The runtime's name as people write it ("Bun"). */
  readonly label: string;
  readonly version: string;
  /** Loads the SQLite driver (and kysely's dialect for it); before openSqlite, never for `--help`. */
  loadSqlite(): Promise<void>;
  openSqlite(path: string, mode: SqliteMode): SqliteConnection;
  /** The SQLite library's version. */
  sqliteVersion(): string;
  /** An HTTP server around a fetch-style handler; a taken port throws an error whose code is EADDRINUSE. */
  serve(options: ServeOptions): HttpServer;
  /** Raw DEFLATE (as zip entries hold it). */
  deflateRaw(bytes: Uint8Array, level: number): Uint8Array;
  crc32(bytes: Uint8Array): number;
  /** An argon2 hash (PHC string) checked. */
  verifyPasswordHash(raw: string, hash: string): Promise<boolean>;
  /** Swaps two directories in one step (renameat2 / renamex_np); false where that cannot be done. */
  exchangeDirectories(a: string, b: string): Promise<boolean>;
  /** Whether a module URL is inside a compiled binary (its sources are embedded, not on disk). */
  embedded(moduleUrl: string): boolean;
  /** The URL a Worker is started from: `relative` to the module, or its path inside a compiled binary. */
  workerUrl(moduleUrl: string, relative: string, embeddedPath: string): string;
  /**
   * The command that runs `entry` with `argv` in a new process of this runtime: runserver's reloader
   * (cli.ts) runs the server so and runs it again when a source file changes. Neither runtime's own
   * watcher serves: Deno's --watch outlives the server (it waits after a failed start and ignores
   * SIGTERM), and Bun's --watch ends at a syntax error instead of waiting for the fix.
   */
  runCommand(entry: string, argv: readonly string[]): string[];
  /**
   * A full garbage collection, now. A long bulk load calls it now and then: left to itself, Bun's
   * heap grew to some 75 MB of garbage before it collected. Where the runtime offers none (Deno,
   * without --v8-flags=--expose-gc), nothing.
   */
  collectGarbage(): void;
}
