import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

export interface TempDir extends Disposable {
  readonly path: string;
  /** Writes files below the folder: `{ 'a.toml': '…', 'sub/b.json': '…' }`. */
  write(files: Record<string, string>): void;
  join(...parts: string[]): string;
}

/** A fresh folder, removed when the `using` scope ends. */
export function tempDir(prefix = 'confctl-test-'): TempDir {
  const path = mkdtempSync(join(tmpdir(), prefix));
  return {
    path,
    join: (...parts) => join(path, ...parts),
    write(files) {
      for (const [name, content] of Object.entries(files)) {
        mkdirSync(dirname(join(path, name)), { recursive: true });
        writeFileSync(join(path, name), content);
      }
    },
    [Symbol.dispose]() {
      rmSync(path, { recursive: true, force: true });
    },
  };
}
