import { existsSync } from 'node:fs';
import { platform } from 'node:os';
import type { HttpServer, Runtime, ServeOptions } from './runtime.ts';

/** Bun: bun:sqlite (with kysely-bun-sqlite, platform/bun-sqlite.ts), Bun.serve, its native DEFLATE and CRC-32, bun:ffi. */

/** The part of Bun's global that confctl uses, typed here so that `deno check` reads this module too. */
interface BunServer {
  readonly port: number | undefined;
  requestIP(request: Request): { address: string } | null;
  stop(force?: boolean): Promise<void>;
}
interface BunGlobal {
  version: string;
  serve(options: {
    hostname: string;
    port: number;
    fetch: (request: Request) => Response | Promise<Response>;
    maxRequestBodySize: number;
    development: boolean;
    reusePort: boolean;
    error: (error: Error) => Response;
  }): BunServer;
  deflateSync(bytes: Uint8Array, options: { level: number }): Uint8Array;
  hash: { crc32(bytes: Uint8Array): number };
  password: { verify(raw: string, hash: string): Promise<boolean> };
  gc(force: boolean): void;
}
const Bun = (globalThis as unknown as { Bun: BunGlobal }).Bun;
let sqlite: typeof import('./bun-sqlite.ts') | null = null;
const driver = () => {
  if (sqlite === null) throw new Error('The SQLite driver was not loaded (platform/index.ts loadDatabaseDriver).');
  return sqlite;
};

type Swapper = (a: string, b: string) => boolean;
let swapper: Swapper | null | undefined;

/** renameat2(RENAME_EXCHANGE) on Linux (3.15+, glibc or musl), renamex_np(RENAME_SWAP) on macOS, through bun:ffi. */
async function loadSwapper(): Promise<Swapper | null> {
  try {
    const { dlopen, FFIType, ptr } = await import('bun:ffi');
    const cstr = (s: string) => ptr(Buffer.from(`${s}\0`));
    if (platform() === 'linux') {
      const lib = ['libc.so.6', '/lib/ld-musl-x86_64.so.1', '/lib/ld-musl-aarch64.so.1'].find((l) => !l.startsWith('/') || existsSync(l));
      if (!lib) return null;
      const { symbols } = dlopen(lib, { renameat2: { args: [FFIType.i32, FFIType.ptr, FFIType.i32, FFIType.ptr, FFIType.u32], returns: FFIType.i32 } });
      const AT_FDCWD = -100;
      const RENAME_EXCHANGE = 2;
      return (a, b) => symbols.renameat2(AT_FDCWD, cstr(a), AT_FDCWD, cstr(b), RENAME_EXCHANGE) === 0;
    }
    if (platform() === 'darwin') {
      const { symbols } = dlopen('libSystem.B.dylib', { renamex_np: { args: [FFIType.ptr, FFIType.ptr, FFIType.u32], returns: FFIType.i32 } });
      const RENAME_SWAP = 2;
      return (a, b) => symbols.renamex_np(cstr(a), cstr(b), RENAME_SWAP) === 0;
    }
  } catch {
    // No FFI or no such symbol: two renames it is.
  }
  return null;
}

/** Files inside a compiled binary live under /$bunfs/. */
const EMBEDDED = 'file:///$bunfs/';

export const bun: Runtime = {
  name: 'bun',
  label: 'Bun',
  version: Bun.version,
  async loadSqlite() {
    sqlite ??= await import('./bun-sqlite.ts');
  },
  openSqlite: (path, mode) => driver().connection(driver().open(path, mode)),
  sqliteVersion: () => driver().sqliteVersion(),
  serve(options: ServeOptions): HttpServer {
    let server: BunServer;
    server = Bun.serve({
      hostname: options.hostname,
      port: options.port,
      fetch: (request) => options.fetch(request, server.requestIP(request)?.address ?? 'unknown'),
      maxRequestBodySize: options.maxRequestBodySize,
      development: false,
      // Bun's default (SO_REUSEPORT with development off) lets a second server share the port and
      // split the traffic, even over another database; Django's runserver refuses.
      reusePort: false,
      error: options.error,
    });
    return {
      get port() {
        return server.port ?? options.port;
      },
      stop: (force = false) => server.stop(force),
    };
  },
  deflateRaw: (bytes, level) => Bun.deflateSync(bytes, { level }),
  crc32: (bytes) => Bun.hash.crc32(bytes),
  async verifyPasswordHash(raw, hash) {
    try {
      return await Bun.password.verify(raw, hash);
    } catch {
      return false;
    }
  },
  async exchangeDirectories(a, b) {
    if (swapper === undefined) swapper = await loadSwapper();
    return swapper !== null && swapper(a, b);
  },
  embedded: (moduleUrl) => moduleUrl.startsWith(EMBEDDED),
  workerUrl: (moduleUrl, relative, embeddedPath) => (moduleUrl.startsWith(EMBEDDED) ? embeddedPath : new URL(relative, moduleUrl).href),
  runCommand: (entry, argv) => [process.execPath, entry, ...argv],
  collectGarbage: () => Bun.gc(true),
};
