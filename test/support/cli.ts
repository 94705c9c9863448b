import { main } from '../../cli.ts';
import type { IO, WriteGuard } from '../../core/common/io.ts';

export interface CallOptions {
  /** Working folder (the default data dir is ./data below it). */
  cwd: string;
  /** Extra environment; the base is NO_COLOR=1, TZ=UTC, the outer PATH and nothing of the outer CONFCTL_*. */
  env?: Record<string, string>;
  stdin?: string;
  /** Pretend these streams are terminals. */
  tty?: { stdin?: boolean; stdout?: boolean; stderr?: boolean };
  /** Ctrl-C's record of the writes (a test sets `requested` to interrupt). */
  writes?: WriteGuard;
  /** Called as each line of stdin is read (1, 2, …): the moment to interrupt. */
  onStdinLine?: (n: number) => void;
}

export interface CallResult {
  stdout: string;
  stderr: string;
  exitCode: number;
}

/** Runs confctl in-process, as Django tests run call_command: captured streams, same boundary as the binary. */
export async function call(argv: string[], options: CallOptions): Promise<CallResult> {
  let stdout = '';
  let stderr = '';
  const lines = (options.stdin ?? '').split(/(?<=\n)/);
  let rest = options.stdin ?? '';
  let read = 0;
  const io: IO = {
    stdout: { isTTY: options.tty?.stdout ?? false, write: (text) => void (stdout += text) },
    stderr: { isTTY: options.tty?.stderr ?? false, write: (text) => void (stderr += text) },
    stdin: {
      isTTY: options.tty?.stdin ?? false,
      async readLine() {
        const line = lines.shift();
        if (line === undefined || line === '') return null;
        rest = rest.slice(line.length);
        options.onStdinLine?.(++read);
        return line.replace(/\r?\n$/, '');
      },
      async readSecret() {
        return this.readLine();
      },
      async readAll() {
        const all = rest;
        rest = '';
        lines.length = 0;
        return all;
      },
    },
    env: { NO_COLOR: '1', TZ: 'UTC', PATH: process.env.PATH ?? '', ...options.env },
    cwd: options.cwd,
    ...(options.writes ? { writes: options.writes } : {}),
  };
  const exitCode = await main(argv, io);
  return { stdout, stderr, exitCode };
}
