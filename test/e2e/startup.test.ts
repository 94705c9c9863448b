import { describe, expect, test } from 'bun:test';
import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';

const root = join(import.meta.dir, '..', '..');
const transpiler = new Bun.Transpiler({ loader: 'ts' });

/** Everything `file` loads before any dynamic import() runs: the start-up cost of `confctl --help`. */
function staticGraph(file: string, seen = new Set<string>(), packages = new Set<string>()) {
  if (seen.has(file)) return { seen, packages };
  seen.add(file);
  if (!file.endsWith('.ts')) return { seen, packages };
  for (const entry of transpiler.scanImports(readFileSync(file, 'utf8').replace(/^#!.*/, ''))) {
    if (entry.kind !== 'import-statement') continue;
    if (entry.path.startsWith('.')) staticGraph(resolve(dirname(file), entry.path), seen, packages);
    else packages.add(entry.path);
  }
  return { seen, packages };
}

describe('start-up', () => {
  test('cli.ts loads no command, no database driver and no heavy library before it needs them', () => {
    const { seen, packages } = staticGraph(join(root, 'cli.ts'));
    const files = [...seen].map((f) => f.slice(root.length + 1)).sort();
    expect(files).toEqual([
      'cli.ts',
      'commands/_kit/args.ts',
      'commands/_kit/help.ts',
      'commands/_kit/style.ts',
      'commands/_kit/version.ts',
      'commands/index.ts',
      'core/common/errors.ts',
      'core/common/io.ts',
      'core/common/suggest.ts',
      'package.json',
    ]);
    expect([...packages].sort()).toEqual(['node:fs', 'node:tty']);
  });
});
