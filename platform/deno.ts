import type { Runtime } from './runtime.ts';

/** Deno: not implemented yet (issue 15): everything says so. */
const missing = (): never => {
  throw new Error('confctl does not run under Deno yet (issue 15).');
};

export const deno: Runtime = {
  name: 'deno',
  version: 'unknown',
  loadSqlite: async () => missing(),
  openSqlite: missing,
  sqliteVersion: missing,
  serve: missing,
  deflateRaw: missing,
  crc32: missing,
  verifyPasswordHash: missing,
  exchangeDirectories: missing,
  embedded: () => false,
  workerUrl: (moduleUrl, relative) => new URL(relative, moduleUrl).href,
  watcher: 'Deno --watch',
  watchCommand: missing,
};
