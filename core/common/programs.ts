import { spawn, spawnSync } from 'node:child_process';
import { accessSync, constants, statSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import { kill } from 'node:process';

/**
 * Other programs (sqlite3, bzip2, xz), found and run through node:child_process, which Bun and
 * Deno both implement.
 */

/** The path of a program on `path` (a PATH value), or null (as `which`). */
export function which(name: string, path: string): string | null {
  for (const dir of path.split(delimiter)) {
    if (dir === '') continue;
    const candidate = join(dir, name);
    try {
      accessSync(candidate, constants.X_OK);
      if (statSync(candidate).isFile()) return candidate;
    } catch {
      // not here
    }
  }
  return null;
}

/** Runs a program with the terminal (stdin, stdout, stderr inherited); its exit status. */
export function runAttached(argv: readonly string[], env?: Record<string, string | undefined>): { exited: Promise<number>; kill(signal: NodeJS.Signals): void } {
  const child = spawn(argv[0]!, argv.slice(1), { stdio: 'inherit', ...(env ? { env } : {}) });
  const exited = new Promise<number>((resolve, reject) => {
    child.once('error', reject);
    child.once('close', (code, signal) => resolve(code ?? (signal ? 128 + (signalNumbers[signal] ?? 0) : 1)));
  });
  // Not child.kill(): under Deno it records the signal as the cause of the child's end, so a child that
  // stops cleanly on SIGTERM (runserver) would be reported as killed (143) instead of its own status.
  return {
    exited,
    kill(signal) {
      if (child.pid === undefined || child.exitCode !== null || child.signalCode !== null) return;
      try {
        kill(child.pid, signal);
      } catch {
        // It ended meanwhile.
      }
    },
  };
}
const signalNumbers: Partial<Record<NodeJS.Signals, number>> = { SIGHUP: 1, SIGINT: 2, SIGQUIT: 3, SIGKILL: 9, SIGTERM: 15 };

/** Runs a program to its end with `input` on stdin (or none); its output and status. */
export function runCaptured(argv: readonly string[], input?: string, env?: Record<string, string | undefined>): { exitCode: number; stdout: string; stderr: string } {
  const result = spawnSync(argv[0]!, argv.slice(1), { ...(input === undefined ? { stdio: ['ignore', 'pipe', 'pipe'] } : { input, stdio: ['pipe', 'pipe', 'pipe'] }), maxBuffer: 1 << 30, ...(env ? { env } : {}) });
  if (result.error) throw result.error;
  return { exitCode: result.status ?? 1, stdout: result.stdout.toString(), stderr: result.stderr.toString() };
}
