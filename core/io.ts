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
}

/** Line-by-line reading of a byte stream, opened only when first read. */
export function lineReader(open: () => ReadableStream<Uint8Array>): Pick<InputStream, 'readLine' | 'readAll'> {
  let reader: { read(): Promise<{ done: boolean; value?: Uint8Array }> } | undefined;
  const decoder = new TextDecoder();
  let buffer = '';
  let done = false;
  const more = async (): Promise<boolean> => {
    if (done) return false;
    reader ??= open().getReader();
    const chunk = await reader.read();
    if (chunk.done || chunk.value === undefined) {
      done = true;
      buffer += decoder.decode();
      return false;
    }
    buffer += decoder.decode(chunk.value, { stream: true });
    return true;
  };
  return {
    async readLine() {
      for (;;) {
        const newline = buffer.indexOf('\n');
        if (newline !== -1) {
          const line = buffer.slice(0, newline).replace(/\r$/, '');
          buffer = buffer.slice(newline + 1);
          return line;
        }
        if (!(await more())) {
          if (buffer === '') return null;
          const line = buffer;
          buffer = '';
          return line;
        }
      }
    },
    async readAll() {
      while (await more());
      const all = buffer;
      buffer = '';
      return all;
    },
  };
}
