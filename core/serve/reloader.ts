import { existsSync, watch, type FSWatcher } from 'node:fs';
import { join } from 'node:path';

/**
 * What runserver's reloader watches in a source checkout (where the runtime's own watcher would
 * outlive the server: Deno): the program's sources, never the data beside them (a database in the
 * checkout changes all the time).
 */
const SOURCES = ['cli.ts', 'package.json', 'commands', 'core', 'db', 'platform'];

export interface SourceChange {
  /** Resolves with the first changed file (relative to the checkout), once a burst of events is over. */
  readonly next: Promise<string>;
  close(): void;
}

/** Watches the checkout at `root`; a save that writes several events gives one change after `quiet` ms. */
export function watchSources(root: string, quiet = 100): SourceChange {
  const watchers: FSWatcher[] = [];
  let first: string | null = null;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let resolve!: (path: string) => void;
  const next = new Promise<string>((r) => (resolve = r));
  const changed = (path: string) => {
    // Editors' swap and backup files are not sources.
    if (/(^|\/)\.|~$|\.swp$/.test(path)) return;
    first ??= path;
    clearTimeout(timer);
    timer = setTimeout(() => resolve(first!), quiet);
  };
  for (const entry of SOURCES) {
    const path = join(root, entry);
    if (!existsSync(path)) continue;
    const isFolder = !entry.includes('.');
    watchers.push(watch(path, { recursive: isFolder }, (_event, name) => changed(isFolder && name ? join(entry, String(name)) : entry)));
  }
  return {
    next,
    close() {
      clearTimeout(timer);
      for (const w of watchers) w.close();
    },
  };
}
