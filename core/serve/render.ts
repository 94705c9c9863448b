import type { AppSearch } from '../apps/loader.ts';
import { unavailableError } from '../../db/connection.ts';
import { runtime } from '../../platform/index.ts';
import type { PageRenderer, PageRequest, PageResult } from './sites.ts';

/**
 * The Worker's module: from source, beside this file; in the compiled binary (where this module
 * lives in a chunk at the root of Bun's embedded files), the entry point package.json's build adds,
 * by its path from the project root.
 */
const workerEntry = () => runtime().workerUrl(import.meta.url, './render-worker.ts', './core/serve/render-worker.ts');

/** What a render Worker needs to open the database and render as the server would. */
export interface RenderInit {
  /** The SQLite file, or the postgres:// URL. */
  databasePath: string;
  /** The PG* variables a postgres:// URL may leave to the environment (a Worker is not given the process's). */
  env?: Record<string, string | undefined>;
  busyTimeout: number;
  siteUrl: string;
  version: string;
  /** The operator's catalogue folders; none: the embedded catalogues only. */
  localeDirs?: readonly string[];
  /** The installed apps, for their page fragments: the Worker imports them itself (a new isolate). */
  apps?: { search: AppSearch; builtins: readonly string[] } | undefined;
}

/**
 * Render Workers: each event is always built by the same one (its sites stay in one cache), and two
 * events that both changed are built side by side (when their ids differ in parity) instead of one
 * waiting for the other.
 */
const WORKERS = 2;

/**
 * Event pages built in Workers (render-worker.ts): reading an event and rendering a large page
 * (BigCon's schedule: about 25 ms of CPU) no longer holds up the requests of the server's thread,
 * which meanwhile answers from its cache (bench/serve-writers). A Worker starts with the first page
 * asked of it; if it dies, the requests it had fail and the next one starts a new Worker.
 */
export function workerRenderer(init: RenderInit, options: { workers?: number; warn?: (message: string) => void } = {}): PageRenderer {
  const { workers = WORKERS, warn = () => {} } = options;
  const pool = Array.from({ length: workers }, () => oneWorker(init, warn));
  return {
    page: (request) => pool[request.eventId % pool.length]!.page(request),
    close: () => {
      for (const worker of pool) worker.close();
    },
  };
}

/** One Worker, started with the first page asked of it. */
function oneWorker(init: RenderInit, warn: (message: string) => void): PageRenderer {
  let worker: Worker | null = null;
  let next = 0;
  const waiting = new Map<number, { resolve: (result: PageResult) => void; reject: (error: Error) => void }>();
  const fail = (error: Error) => {
    for (const pending of waiting.values()) pending.reject(error);
    waiting.clear();
    worker?.terminate();
    worker = null;
  };
  const start = () => {
    const started = new Worker(workerEntry(), { type: 'module' });
    started.onmessage = (event: MessageEvent<{ id: number; result?: PageResult; error?: string; unavailable?: boolean; warning?: string }>) => {
      // A problem the Worker worked around (an operator's catalogue it could not read): the server's log says it.
      if (event.data.warning !== undefined) return warn(event.data.warning);
      const pending = waiting.get(event.data.id);
      waiting.delete(event.data.id);
      if (event.data.error !== undefined) pending?.reject(event.data.unavailable ? unavailableError(event.data.error) : new Error(event.data.error));
      else pending?.resolve(event.data.result!);
    };
    started.onerror = (event) => fail(new Error(`the page renderer stopped: ${String(event.message).split('\n')[0]}`));
    started.postMessage(init);
    return started;
  };
  return {
    page(request: PageRequest): Promise<PageResult> {
      worker ??= start();
      const id = next++;
      const promise = new Promise<PageResult>((resolve, reject) => waiting.set(id, { resolve, reject }));
      worker.postMessage({ id, request });
      return promise;
    },
    close() {
      fail(new Error('the server is stopping'));
    },
  };
}
