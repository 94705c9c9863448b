/**
 * The one way a command fails on purpose, as Django's `CommandError`.
 * Only cli.ts turns it into `CommandError: <message>` on stderr and an exit code.
 */
export class CommandError extends Error {
  readonly exitCode: number;

  constructor(message: string, options: { exitCode?: number; cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'CommandError';
    this.exitCode = options.exitCode ?? 1;
  }
}

/**
 * A mistake in how the command line was typed (unknown command). Printed as the bare
 * message, without the `CommandError: ` prefix, as the message already says what happened.
 */
export class UsageError extends CommandError {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

/** A command that has already said why it failed (the test runner, after FAILED): only its exit status. */
export class ExitStatus extends CommandError {
  constructor(exitCode: number) {
    super(`exit status ${exitCode}`, { exitCode });
    this.name = 'ExitStatus';
  }
}

/** Ctrl-C or end of input at a prompt, or Ctrl-C during a write: Django's "Operation cancelled.", exit 1. */
export class CancelledError extends UsageError {
  constructor(message = 'Operation cancelled.') {
    super(message);
    this.name = 'CancelledError';
  }
}

/** The message of anything thrown, on one line. */
export function errorMessage(error: unknown): string {
  if (error instanceof Error) return error.message.split('\n')[0] ?? '';
  return String(error);
}
