import type { Runtime } from './runtime.ts';

export type { HttpServer, Runtime, ServeOptions, SqlValue, SqliteConnection, SqliteMode, SqliteStatement } from './runtime.ts';

let current: Runtime | null = null;

/**
 * Loads the running runtime's module, once, before anything else (cli.ts, the render Worker, the
 * tests' preload). Only that runtime's module is loaded: the binary never reads the Deno one.
 */
export async function loadRuntime(): Promise<Runtime> {
  current ??= 'Bun' in globalThis ? (await import('./bun.ts')).bun : (await import('./deno.ts')).deno;
  return current;
}

/** The runtime loaded by loadRuntime. */
export function runtime(): Runtime {
  if (current === null) throw new Error('The runtime was not loaded (platform/index.ts loadRuntime).');
  return current;
}

/** Loads the runtime's SQLite driver: before a command runs (commands/_kit), in a render Worker, in the tests' preload. */
export async function loadDatabaseDriver(): Promise<void> {
  await (await loadRuntime()).loadSqlite();
}
