// What `version --verbose` and the -v 2 header say of the build; not loaded for --help or --version.
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { build } from './version.ts';

/**
 * From a git checkout, its commit ("-dirty" when tracked files changed), as scripts/build.ts names a
 * build's; null when git or the checkout is not there.
 */
export function sourceCommit(): string | null {
  const root = fileURLToPath(new URL('../..', import.meta.url));
  const git = (...args: string[]) => execFileSync('git', ['-C', root, ...args], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'], timeout: 5000 }).trim();
  try {
    const head = git('rev-parse', '--short=12', 'HEAD');
    return git('status', '--porcelain', '--untracked-files=no') === '' ? head : `${head}-dirty`;
  } catch {
    return null;
  }
}

/** What a bug report needs to name the exact build: target and commit (or the checkout's), runtime, SQLite. */
export function buildLines(runtime: { label: string; version: string }, sqlite: string): [string, string][] {
  const source = build ? null : sourceCommit();
  return [
    ['Build', build ? `${build.target}, commit ${build.commit}` : source ? `from source, commit ${source}` : 'from source'],
    ['Runtime', `${runtime.label} ${runtime.version}`],
    ['SQLite', sqlite],
  ];
}
