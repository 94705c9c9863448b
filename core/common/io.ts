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

export interface IO {
  readonly stdout: OutputStream;
  readonly stderr: OutputStream;
  readonly stdin: InputStream;
  readonly env: Env;
  readonly cwd: string;
  /** Resolves when the process is asked to stop (SIGINT, SIGTERM): for servers, which then stop cleanly. */
  waitForStop?(): Promise<string>;
}

