#!/usr/bin/env bun
import { existsSync, writeSync } from 'node:fs';
import { isatty } from 'node:tty';
import { renderCommandHelp, renderRootHelp } from './commands/_kit/help.ts';
import { version } from './commands/_kit/version.ts';
import { commands, type CommandEntry } from './commands/index.ts';
import type { ConfctlCommand } from './commands/_kit/command.ts';
import type { LoadedApp } from './core/apps/loader.ts';
import { CommandError, ExitStatus, UsageError } from './core/common/errors.ts';
import { interruptAction, letSignalsIn, type InputStream, type IO, type OutputStream, type WriteGuard } from './core/common/io.ts';
import { createStyle, wantsColor } from './commands/_kit/style.ts';
import { closest } from './core/common/suggest.ts';

/**
 * The command line's one boundary: finds the command, shows help, and turns errors into
 * `CommandError: <message>` lines and exit codes. Everything below it throws and writes to the
 * injected IO; tests call `main` in-process as Django tests call `call_command`.
 */
export async function main(argv: readonly string[], io: IO): Promise<number> {
  const options = argv.includes('--') ? argv.slice(0, argv.indexOf('--')) : argv;
  try {
    await dispatch(argv, options, io);
    return 0;
  } catch (error) {
    return report(error, io, options.includes('--traceback'), options);
  }
}

async function dispatch(argv: readonly string[], options: readonly string[], io: IO): Promise<void> {
  const [first, ...rest] = argv;
  const style = () => createStyle(colorFor(io.stdout, io, options));
  // `help` alone, or with options only (help --settings FILE lists that instance's apps too).
  if (first === undefined || first === '--help' || first === '-h' || (first === 'help' && (rest.length === 0 || rest[0]!.startsWith('-')))) {
    io.stdout.write(renderRootHelp(style(), await appsForHelp(argv, io)));
    return;
  }
  if (first === '--version' && rest.length === 0) {
    io.stdout.write(`${version}\n`);
    return;
  }
  if (first === 'help') {
    const command = await loadCommand(rest[0]!, argv, io);
    io.stdout.write(renderCommandHelp(command, style()));
    return;
  }
  const command = await loadCommand(first, argv, io);
  if (options.slice(1).some((arg) => arg === '--help' || arg === '-h')) {
    io.stdout.write(renderCommandHelp(command, style()));
    return;
  }
  const { runCommandLine } = await import('./commands/_kit/run.ts');
  await runCommandLine(command, [...rest], io);
}

/**
 * A command of confctl's, else of an installed app (the settings are read only then), else the
 * unknown-command line with the closest name.
 */
async function loadCommand(typed: string, argv: readonly string[], io: IO): Promise<ConfctlCommand> {
  const builtin = findCommand(typed, false);
  if (builtin) return builtin.load();
  if (!typed.startsWith('-')) {
    const { installedApps } = await import('./commands/_kit/app-list.ts');
    // As confctl's own, an app's command may be typed in kebab-case.
    const name = typed.replaceAll('-', '_');
    for (const app of await installedApps(argv, io)) {
      const command = app.definition.commands?.[name];
      if (command) return (await import('./commands/_kit/apps.ts')).appCommand(name, command, app.label);
    }
  }
  return findCommand(typed, true)!.load();
}

/** The installed apps for the root help; one that cannot be loaded is a warning there, not a failure of help. */
async function appsForHelp(argv: readonly string[], io: IO): Promise<LoadedApp[]> {
  // No settings file, no apps: `confctl --help` stays as quick as it was (nothing more is loaded).
  if (!argv.some((a) => a.startsWith('--settings')) && !io.env.CONFCTL_SETTINGS && !existsSync(`${io.cwd}/confctl.toml`)) return [];
  try {
    const { installedApps } = await import('./commands/_kit/app-list.ts');
    return await installedApps(argv, io);
  } catch (error) {
    io.stderr.write(`Warning: ${error instanceof Error ? error.message : String(error)}\n`);
    return [];
  }
}

function findCommand(typed: string, orFail: true): CommandEntry;
function findCommand(typed: string, orFail: false): CommandEntry | null;
function findCommand(typed: string, orFail: boolean): CommandEntry | null {
  const name = typed.replaceAll('-', '_');
  const entries = Object.entries(commands) as [string, CommandEntry][];
  const found = entries.find(([key, entry]) => key === name || entry.aliases?.includes(name));
  if (found) return found[1];
  if (!orFail) return null;
  const names = entries.flatMap(([key, entry]) => [key, ...(entry.aliases ?? [])]);
  const hint = typed.startsWith('-') ? undefined : closest(name, names);
  throw new UsageError(
    `Unknown command "${typed}". ` + (hint ? `Did you mean "${hint}"?` : `Type "confctl help" for usage.`),
  );
}

/** Colour for help and error lines, before any command has parsed its options; both flags = none. */
function colorFor(stream: OutputStream, io: IO, options: readonly string[]): boolean {
  const noColor = options.includes('--no-color');
  return wantsColor({ isTTY: stream.isTTY, env: io.env, noColor, forceColor: options.includes('--force-color') && !noColor });
}

function report(error: unknown, io: IO, traceback: boolean, options: readonly string[]): number {
  const red = createStyle(colorFor(io.stderr, io, options)).ERROR;
  const stack = error instanceof Error && error.stack ? error.stack : String(error);
  if (error instanceof ExitStatus) return error.exitCode;
  if (error instanceof CommandError) {
    if (traceback) io.stderr.write(`${stack}\n`);
    else if (error instanceof UsageError) io.stderr.write(`${red(error.message)}\n`);
    else io.stderr.write(`${red(`${error.name}: ${error.message}`)}\n`);
    return error.exitCode;
  }
  if (traceback) {
    io.stderr.write(`${stack}\n`);
  } else {
    const name = error instanceof Error ? error.name : 'Error';
    const message = error instanceof Error ? error.message.split('\n')[0] : String(error);
    io.stderr.write(`${red(`${name}: ${message}`)} (run with --traceback to see the stack trace)\n`);
  }
  return 1;
}

/** A file descriptor as an output stream: synchronous, whole writes, quiet when the reader left. */
/** A millisecond's pause while a non-blocking terminal is full (Atomics.wait: the web standard's sleep). */
const pause = new Int32Array(new SharedArrayBuffer(4));

function fdStream(fd: number): OutputStream {
  let closed = false;
  return {
    isTTY: isatty(fd),
    write(text: string) {
      let bytes = Buffer.from(text);
      while (!closed && bytes.length > 0) {
        try {
          bytes = bytes.subarray(writeSync(fd, bytes));
        } catch (error) {
          const code = (error as NodeJS.ErrnoException).code;
          if (code === 'EAGAIN') Atomics.wait(pause, 0, 0, 1);
          else if (code === 'EPIPE') closed = true;
          else throw error;
        }
      }
    },
  };
}

/**
 * Standard input as the commands see it: lines, everything, or a line typed without echo. One
 * buffer over process.stdin serves all three; it is attached on the first read only, and paused
 * between reads so that a finished command exits.
 */
function processStdin(): InputStream {
  const stdin = process.stdin;
  const tty = isatty(0);
  let buffer = '';
  let ended = false;
  let attached = false;
  let wake: (() => void) | undefined;
  const more = async (): Promise<boolean> => {
    if (ended) return false;
    if (!attached) {
      attached = true;
      stdin.setEncoding('utf8');
      stdin.on('data', (chunk: string) => {
        buffer += chunk;
        wake?.();
      });
      stdin.on('end', () => {
        ended = true;
        wake?.();
      });
    }
    const before = buffer.length;
    stdin.resume();
    while (buffer.length === before && !ended) await new Promise<void>((resolve) => (wake = resolve));
    stdin.pause();
    return buffer.length > before;
  };
  const take = (n: number) => {
    const head = buffer.slice(0, n);
    buffer = buffer.slice(n);
    return head;
  };
  const readLine = async (): Promise<string | null> => {
    for (;;) {
      const newline = buffer.indexOf('\n');
      if (newline !== -1) return take(newline + 1).replace(/\r?\n$/, '');
      if (!(await more())) return buffer === '' ? null : take(buffer.length);
    }
  };
  return {
    isTTY: tty,
    readLine,
    async readAll() {
      while (await more());
      return take(buffer.length);
    },
    async readSecret() {
      if (!tty) return readLine();
      stdin.setRawMode(true);
      try {
        let line = '';
        for (;;) {
          if (buffer === '' && !(await more())) return null;
          const char = take(1);
          if (char === '\r' || char === '\n') return line;
          if (char === '\x03' || (char === '\x04' && line === '')) return null;
          if (char === '\x7f' || char === '\b') line = line.slice(0, -1);
          else if (char >= ' ') line += char;
        }
      } finally {
        stdin.setRawMode(false);
        writeSync(1, '\n');
      }
    },
  };
}

/**
 * `bun cli.ts runserver` (or `deno run -A cli.ts runserver`) restarts when the code changes, as
 * Django's autoreloader does: it runs the server in a child process (CONFCTL_RUN_MAIN marks it, as
 * RUN_MAIN does in Django), watches the sources, and stops and starts the child when one changes.
 * A server that ends by itself ends the reloader with its status (SIGTERM, a port in use), except
 * after a reload: code that no longer starts (a syntax error) is waited out until the next change.
 * Never in the compiled binary, never with --noreload.
 */
async function withReloader(argv: readonly string[]): Promise<number | null> {
  const { runtime } = await import('./platform/index.ts');
  if (runtime().embedded(import.meta.url) || argv[0] !== 'runserver' || argv.includes('--noreload') || process.env.CONFCTL_RUN_MAIN) return null;
  const [{ runAttached }, { watchSources }, { fileURLToPath }, { dirname }] = await Promise.all([import('./core/common/programs.ts'), import('./core/serve/reloader.ts'), import('node:url'), import('node:path')]);
  const entry = fileURLToPath(import.meta.url);
  const command = runtime().runCommand(entry, argv);
  const env = { ...process.env, CONFCTL_RUN_MAIN: 'true' };
  let child: ReturnType<typeof runAttached> | null = runAttached(command, env);
  let reloaded = false;
  let stopping = false;
  let stop!: () => void;
  const stopped = new Promise<{ stop: true }>((resolve) => (stop = () => resolve({ stop: true })));
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.on(signal, () => {
      stopping = true;
      if (child) child.kill(signal);
      else stop();
    });
  }
  for (;;) {
    const sources = watchSources(dirname(entry));
    const running = child;
    const next = await Promise.race([running ? running.exited.then((code) => ({ code })) : stopped, sources.next.then((path) => ({ path }))]);
    sources.close();
    if ('stop' in next) return 0;
    if ('code' in next) {
      if (stopping || !reloaded || next.code === 0) return next.code;
      writeSync(2, `The server stopped (exit status ${next.code}): waiting for a change to start it again.\n`);
      child = null;
      continue;
    }
    if (stopping) return child ? child.exited : 0;
    writeSync(2, `${next.path} changed, reloading.\n`);
    if (child) {
      child.kill('SIGTERM');
      await child.exited;
    }
    if (stopping) return 0;
    reloaded = true;
    child = runAttached(command, env);
  }
}

if (import.meta.main) {
  const platform = await import('./platform/index.ts');
  await platform.loadRuntime();
  const reloaded = await withReloader(process.argv.slice(2));
  if (reloaded !== null) process.exit(reloaded);
  // Ctrl-C never claims a cancel that did not happen. Before anything is written (a prompt, a
  // download): as Django, "Operation cancelled." and exit 1. During a write transaction: it rolls back
  // instead of committing, and the command fails with "Operation cancelled." (a second Ctrl-C stops at
  // once: SQLite rolls back an uncommitted transaction itself). After a commit: the command finishes
  // and reports what it did. A server waiting for its stop signal gets SIGINT and SIGTERM instead.
  let stopping: ((signal: string) => void) | null = null;
  const writes: WriteGuard = { requested: false, open: 0, committed: false };
  process.on('SIGINT', () => {
    if (stopping) return stopping('SIGINT');
    const action = writes.requested && writes.open > 0 ? 'exit' : interruptAction(writes);
    writes.requested = true;
    if (action === 'exit') {
      writeSync(2, '\nOperation cancelled.\n');
      process.exit(1);
    }
    if (action === 'finish') writeSync(2, '\nInterrupted after the changes were saved: finishing.\n');
  });
  const io: IO = {
    stdout: fdStream(1),
    stderr: fdStream(2),
    stdin: processStdin(),
    waitForStop: () =>
      new Promise<string>((resolve) => {
        stopping = resolve;
        // `on`, not `once`: a service manager signals every process of the group, and the reloader
        // passes the signal on too; a second SIGTERM must not kill a server that is stopping.
        process.on('SIGTERM', () => resolve('SIGTERM'));
        // A closed terminal: stop as cleanly (testserver removes its temporary database).
        process.on('SIGHUP', () => resolve('SIGHUP'));
      }),
    env: process.env,
    cwd: process.cwd(),
    writes,
    again: platform.runtime().embedded(import.meta.url) ? [process.execPath, ...process.argv.slice(2)] : platform.runtime().runCommand(decodeURIComponent(new URL(import.meta.url).pathname), process.argv.slice(2)),
  };
  process.exitCode = await main(process.argv.slice(2), io);
  // A Ctrl-C that came during the last synchronous stretch is delivered on a turn of the event loop:
  // give it one, so that it is answered ("finishing", or a cancel) rather than lost at exit; then end
  // at once. Deno's own ending takes tens of milliseconds after the last listener ran, in which a
  // Ctrl-C went unanswered or killed the process (exit 130, with the changes saved).
  if (writes.committed || writes.requested) {
    await letSignalsIn();
    process.exit(process.exitCode);
  }
  // Under the reloader Bun's --watch would keep the process waiting for changes: a stopped server ends it.
  if (process.env.CONFCTL_RUN_MAIN) process.exit(process.exitCode);
}
