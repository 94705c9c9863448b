import { renameSync, rmSync, writeFileSync } from 'node:fs';

/**
 * Writes `content` to `path` through a temporary file beside it, so that no reader (a web server,
 * gettext) ever sees half a file, and a failed write leaves the old file as it was.
 */
export function writeAtomically(path: string, content: string | Uint8Array): void {
  const tmp = `${path}.tmp-${Math.random().toString(36).slice(2, 10)}`;
  try {
    writeFileSync(tmp, content);
    renameSync(tmp, path);
  } catch (error) {
    rmSync(tmp, { force: true });
    throw error;
  }
}
