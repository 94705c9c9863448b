// runfcgi daemonize=true: the server goes on in the background, as Django's become_daemon() puts it
// there. Neither Bun nor Deno can fork, so the same command runs again as a detached process (its own
// session, stdin closed, its output to outlog/errlog or nowhere), and says on a pipe (fd 3) whether it
// started: the first process reports the failure of a server that could not start, or its pid.
import { spawn } from 'node:child_process';
import { closeSync, openSync, writeSync } from 'node:fs';
import { resolve } from 'node:path';
import { CommandError, UsageError } from '../common/errors.ts';
import type { Env } from '../common/io.ts';

/** The variable that tells the background process where to report (fd 3). */
export const DAEMON_FD = 'CONFCTL_DAEMON_FD';
const READY = 'ready';

/** Starts `command` in the background; resolves with its pid once it says it is serving. */
export async function startDaemon(command: readonly string[], env: Env, cwd: string, logs: { outlog: string | null; errlog: string | null }): Promise<number> {
  const open = (path: string | null) => (path === null ? 'ignore' : openLog(resolve(cwd, path)));
  const out = open(logs.outlog);
  const err = logs.errlog === logs.outlog ? out : open(logs.errlog);
  const child = spawn(command[0]!, command.slice(1), { cwd, detached: true, stdio: ['ignore', out, err, 'pipe'], env: { ...env, [DAEMON_FD]: '3' } });
  for (const fd of new Set([out, err])) if (typeof fd === 'number') closeSync(fd);
  const pipe = child.stdio[3]!;
  const said = await new Promise<{ text: string; code: number | null }>((done) => {
    let text = '';
    pipe.on('data', (chunk: Uint8Array) => {
      text += new TextDecoder().decode(chunk);
      if (text.startsWith(`${READY}\n`)) done({ text, code: null });
    });
    child.once('error', (error) => done({ text: `Cannot start the background server: ${error.message}`, code: 1 }));
    // 'close', not 'exit': the pipe is read to its end first.
    child.once('close', (code) => done({ text, code: code ?? 1 }));
  });
  pipe.destroy();
  child.unref();
  if (said.code === null) return child.pid!;
  // The background process's own line ("CommandError: …"), as it would have printed it.
  const reason = said.text.trim();
  if (reason) throw new UsageError(reason);
  throw new CommandError(`The background server stopped while starting (exit status ${said.code})${logs.errlog ? `: see ${logs.errlog}` : ''}.`);
}

function openLog(path: string): number {
  try {
    return openSync(path, 'a', 0o640);
  } catch (error) {
    throw new CommandError(`Cannot open ${path}: ${(error as Error).message}`);
  }
}

/** In the background process: tells the first one how the start went (once). */
export function daemonReporter(env: Env): ((outcome: { ready: true } | { error: string }) => void) | null {
  const fd = Number(env[DAEMON_FD]);
  if (!Number.isInteger(fd) || fd < 3) return null;
  let done = false;
  return (outcome) => {
    if (done) return;
    done = true;
    try {
      writeSync(fd, 'ready' in outcome ? `${READY}\n` : `${outcome.error}\n`);
      closeSync(fd);
    } catch {
      // The first process is gone: nobody to tell.
    }
  };
}
