import { existsSync } from 'node:fs';
import { platform } from 'node:os';
import { crc32, deflateRawSync } from 'node:zlib';
import type { HttpServer, Runtime, ServeOptions, SqlValue, SqliteConnection, SqliteMode, SqliteStatement } from './runtime.ts';

/**
 * Deno: node:sqlite with a small kysely adapter, Deno.serve, node:zlib's DEFLATE (the same bytes as
 * Bun's at the same level, so zips are alike), Deno.dlopen for the directory exchange.
 */

/** The part of Deno's global that confctl uses (Deno's own types are not part of this project's). */
interface DenoFfi {
  symbols: Record<string, (...args: unknown[]) => number>;
}
interface DenoGlobal {
  version: { deno: string };
  execPath(): string;
  serve(
    options: {
      hostname: string;
      port: number;
      signal?: AbortSignal;
      onListen?: () => void;
      onError?: (error: unknown) => Response | Promise<Response>;
    },
    handler: (request: Request, info: { remoteAddr: { hostname: string } }) => Response | Promise<Response>,
  ): { addr: { port: number }; shutdown(): Promise<void>; finished: Promise<void> };
  dlopen(path: string, symbols: Record<string, { parameters: string[]; result: string }>): DenoFfi;
  errors: { AddrInUse: new (...args: never[]) => Error };
}
const deno = (globalThis as unknown as { Deno: DenoGlobal }).Deno;

type NodeSqlite = typeof import('node:sqlite');
let sqlite: { module: NodeSqlite; kysely: typeof import('kysely') } | null = null;
const driver = () => {
  if (sqlite === null) throw new Error('The SQLite driver was not loaded (platform/index.ts loadDatabaseDriver).');
  return sqlite;
};
type Database = InstanceType<NodeSqlite['DatabaseSync']>;
type Statement = ReturnType<Database['prepare']>;

/** node:sqlite's rows have no prototype: plain objects, as bun:sqlite gives (the shell prints them alike). */
const plain = (row: object) => ({ ...row }) as Record<string, SqlValue>;
function* rows(iterator: Iterable<object>): IterableIterator<Record<string, SqlValue>> {
  for (const row of iterator) yield plain(row);
}

function statement(s: Statement): SqliteStatement {
  const params = (values: readonly SqlValue[]) => values as never[];
  return {
    run: (...values) => {
      const r = s.run(...params(values));
      return { changes: Number(r.changes), lastInsertRowid: Number(r.lastInsertRowid) };
    },
    runWith: (values) => void s.run(...params(values)),
    values: (...values) => (s.all(...params(values)) as Record<string, SqlValue>[]).map((row) => Object.values(row)),
    all: <T>(...values: SqlValue[]) => s.all(...params(values)).map(plain) as T[],
    get: <T>(...values: SqlValue[]) => {
      const row = s.get(...params(values));
      return row === undefined ? null : (plain(row) as T);
    },
    iterate: (...values) => rows(s.iterate(...params(values))),
    get columns() {
      return s.columns().map((c) => c.name);
    },
    // node:sqlite finalizes statements when they are collected or the database closes.
    finalize: () => {},
  };
}

/** node:sqlite names the file at the end of its open errors; bun:sqlite does not, and confctl names it itself. */
function open(path: string, mode: SqliteMode): Database {
  try {
    return openFile(path, mode);
  } catch (error) {
    const message = (error as Error).message;
    if (typeof message === 'string' && message.endsWith(`: ${path}`)) (error as Error).message = message.slice(0, -(path.length + 2));
    throw error;
  }
}

function openFile(path: string, mode: SqliteMode): Database {
  const { DatabaseSync } = driver().module;
  switch (mode) {
    case 'create':
    case 'readwrite':
      return new DatabaseSync(path);
    case 'readonly':
      return new DatabaseSync(path, { readOnly: true });
    case 'immutable':
      return new DatabaseSync(`file:${path.replace(/[%?#]/g, (c) => encodeURIComponent(c))}?immutable=1`, { readOnly: true });
  }
}

function connection(db: Database): SqliteConnection {
  const { SqliteDialect } = driver().kysely;
  return {
    exec: (sql) => db.exec(sql),
    prepare: (sql) => statement(db.prepare(sql)),
    close: () => db.close(),
    dialect: () =>
      new SqliteDialect({
        // kysely's SqliteDatabase: a statement is a reader when it returns columns.
        database: {
          close: () => db.close(),
          prepare(sql: string) {
            const s = db.prepare(sql);
            return {
              reader: s.columns().length > 0,
              all: (parameters: readonly unknown[]) => s.all(...(parameters as never[])).map(plain),
              iterate: (parameters: readonly unknown[]) => rows(s.iterate(...(parameters as never[]))),
              run: (parameters: readonly unknown[]) => {
                const r = s.run(...(parameters as never[]));
                return { changes: r.changes, lastInsertRowid: r.lastInsertRowid };
              },
            };
          },
        },
      }),
  };
}

type Swapper = (a: string, b: string) => boolean;
let swapper: Swapper | null | undefined;

/** renameat2(RENAME_EXCHANGE) on Linux, renamex_np(RENAME_SWAP) on macOS, through Deno.dlopen. */
function loadSwapper(): Swapper | null {
  try {
    const cstr = (s: string) => new TextEncoder().encode(`${s}\0`);
    if (platform() === 'linux') {
      const lib = ['libc.so.6', '/lib/ld-musl-x86_64.so.1', '/lib/ld-musl-aarch64.so.1'].find((l) => !l.startsWith('/') || existsSync(l));
      if (!lib) return null;
      const { symbols } = deno.dlopen(lib, { renameat2: { parameters: ['i32', 'buffer', 'i32', 'buffer', 'u32'], result: 'i32' } });
      return (a, b) => symbols.renameat2!(-100, cstr(a), -100, cstr(b), 2) === 0;
    }
    if (platform() === 'darwin') {
      const { symbols } = deno.dlopen('libSystem.B.dylib', { renamex_np: { parameters: ['buffer', 'buffer', 'u32'], result: 'i32' } });
      return (a, b) => symbols.renamex_np!(cstr(a), cstr(b), 2) === 0;
    }
  } catch {
    // No FFI permission or no such symbol: two renames it is.
  }
  return null;
}

/** A request body cut off at `limit` bytes: a longer one fails the handler's read with 413. */
class TooLarge extends Error {}
function limited(request: Request, limit: number): Request {
  if (request.body === null) return request;
  let seen = 0;
  const body = request.body.pipeThrough(
    new TransformStream<Uint8Array, Uint8Array>({
      transform(chunk, controller) {
        seen += chunk.byteLength;
        if (seen > limit) controller.error(new TooLarge('request body too large'));
        else controller.enqueue(chunk);
      },
    }),
  );
  // A new request from the parts (not from `request` itself, whose signal Deno would warn about).
  return new Request(request.url, { method: request.method, headers: request.headers, body, duplex: 'half' } as RequestInit);
}

export const deno_: Runtime = {
  name: 'deno',
  label: 'Deno',
  version: deno.version.deno,
  async loadSqlite() {
    sqlite ??= { module: await import('node:sqlite'), kysely: await import('kysely') };
  },
  openSqlite: (path, mode) => connection(open(path, mode)),
  sqliteVersion() {
    const db = new (driver().module.DatabaseSync)(':memory:');
    try {
      return (db.prepare('SELECT sqlite_version() AS v').get() as { v: string }).v;
    } finally {
      db.close();
    }
  },
  serve(options: ServeOptions): HttpServer {
    const tooLarge = () => new Response('Request body too large\n', { status: 413 });
    let server: ReturnType<DenoGlobal['serve']>;
    try {
      server = deno.serve(
        {
          hostname: options.hostname,
          port: options.port,
          onListen: () => {},
          onError: (error) => (error instanceof TooLarge ? tooLarge() : options.error(error instanceof Error ? error : new Error(String(error)))),
        },
        async (request, info) => {
          const length = Number(request.headers.get('content-length') ?? 0);
          if (length > options.maxRequestBodySize) return tooLarge();
          try {
            return await options.fetch(limited(request, options.maxRequestBodySize), info.remoteAddr.hostname);
          } catch (error) {
            if (error instanceof TooLarge || (error as { cause?: unknown }).cause instanceof TooLarge) return tooLarge();
            throw error;
          }
        },
      );
    } catch (error) {
      if (error instanceof deno.errors.AddrInUse) throw Object.assign(new Error((error as Error).message), { code: 'EADDRINUSE' });
      // The codes Bun (and node) give these, so that confctl says them alike.
      const message = (error as Error).message ?? '';
      if (/failed to lookup address/i.test(message)) throw Object.assign(new Error(message), { code: 'ENOTFOUND' });
      if (/cannot assign requested address|os error 99/i.test(message)) throw Object.assign(new Error(message), { code: 'EADDRNOTAVAIL' });
      throw error;
    }
    return {
      get port() {
        return server.addr.port;
      },
      stop: () => server.shutdown(),
    };
  },
  deflateRaw: (bytes, level) => deflateRawSync(bytes, { level }),
  crc32: (bytes) => crc32(bytes),
  // Django's argon2 hashes (PBKDF2, its default, is node:crypto's everywhere): Deno has no argon2 of
  // its own, hash-wasm's WebAssembly one verifies them (~0.3 s at Django's m=102400,t=2,p=8).
  async verifyPasswordHash(raw, hash) {
    const { argon2Verify } = await import('hash-wasm');
    try {
      return await argon2Verify({ password: raw, hash });
    } catch {
      return false;
    }
  },
  async exchangeDirectories(a, b) {
    if (swapper === undefined) swapper = loadSwapper();
    return swapper !== null && swapper(a, b);
  },
  embedded: () => false,
  workerUrl: (moduleUrl, relative) => new URL(relative, moduleUrl).href,
  runCommand: (entry, argv) => [deno.execPath(), 'run', '-A', entry, ...argv],
  collectGarbage: () => (globalThis as { gc?: () => void }).gc?.(),
};

export { deno_ as deno };
