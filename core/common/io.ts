/** The outside world a command talks to; real streams in cli.ts, captured ones in tests. */
export interface OutputStream {
  write(text: string): void;
  readonly isTTY: boolean;
}

export interface InputStream {
  readonly isTTY: boolean;
  /** The next line without its line ending, or null at end of input. */
  readLine(): Promise<string | null>;
  /** Everything that is left. */
  readAll(): Promise<string>;
  /** A line typed without echo on a terminal (passwords); a plain line otherwise. Null at end of input. */
  readSecret(): Promise<string | null>;
}

export type Env = Readonly<Record<string, string | undefined>>;

/**
 * Ctrl-C and this run's writes. cli.ts sets `requested` on SIGINT once something is being written or
 * has been: the open write transaction then rolls back instead of committing, and no other begins.
 * The database layer keeps `open` and `committed` up to date.
 */
export interface WriteGuard {
  requested: boolean;
  /** Write transactions open now. */
  open: number;
  /** A write transaction of this run has committed. */
  committed: boolean;
}

/** What Ctrl-C does now: stop at once (nothing written yet), cancel the open transaction, or let the command finish (its changes are saved). */
/**
 * Lets a signal that came during synchronous work be delivered: signals reach their listeners only
 * when the event loop turns, and under Deno one timer turn is not always enough (tried: one turn
 * delivered 2 of 4 times, two turns 4 of 4).
 */
export async function letSignalsIn(): Promise<void> {
  for (let turn = 0; turn < 2; turn++) await new Promise((resolve) => setTimeout(resolve, 0));
}

export function interruptAction(guard: WriteGuard): 'exit' | 'rollback' | 'finish' {
  if (guard.open > 0) return 'rollback';
  return guard.committed ? 'finish' : 'exit';
}

export interface IO {
  readonly stdout: OutputStream;
  readonly stderr: OutputStream;
  readonly stdin: InputStream;
  readonly env: Env;
  readonly cwd: string;
  /** Resolves when the process is asked to stop (SIGINT, SIGTERM): for servers, which then stop cleanly. */
  waitForStop?(): Promise<string>;
  /** Ctrl-C's view of this run's writes (see WriteGuard); absent in tests that do not interrupt. */
  readonly writes?: WriteGuard;
  /** The command line that runs this same invocation again (runfcgi daemonize=true runs it in the background). */
  readonly again?: readonly string[];
}

