import { CancelledError, CommandError } from '../../core/common/errors.ts';
import type { IO } from '../../core/common/io.ts';

export { CancelledError };

/** Questions on stdout, answers from stdin, as Django's input()/getpass() do. */
export class Prompter {
  constructor(private readonly io: IO) {}

  async ask(question: string): Promise<string> {
    this.io.stdout.write(question);
    const answer = await this.io.stdin.readLine();
    if (answer === null) throw new CancelledError();
    return answer.trim();
  }

  async secret(question: string): Promise<string> {
    this.io.stdout.write(question);
    const answer = await this.io.stdin.readSecret();
    if (answer === null) throw new CancelledError();
    return answer;
  }

  /** Asks until `check` returns null (valid); each problem is printed as `Error: …` on stderr. */
  async askValid(question: string, check: (answer: string) => Promise<string | null> | string | null): Promise<string> {
    for (;;) {
      const answer = await this.ask(question);
      const problem = await check(answer);
      if (problem === null) return answer;
      this.io.stderr.write(`Error: ${problem}\n`);
    }
  }

  async confirm(question: string): Promise<boolean> {
    return /^y(es)?$/i.test(await this.ask(question));
  }
}

/**
 * Django's confirmation before destroying data. Without a terminal there is nobody to ask: the
 * caller must pass --noinput (Django would read stdin and fail at its end).
 */
export async function confirmDestruction(io: IO, interactive: boolean, noinput: boolean, what: string): Promise<boolean> {
  if (noinput) return true;
  if (!interactive) throw new CommandError('This would destroy data and there is no terminal to confirm it: pass --noinput.');
  const answer = await new Prompter(io).ask(
    `${what}\nAre you sure you want to do this?\n\n    Type 'yes' to continue, or 'no' to cancel: `,
  );
  return answer === 'yes';
}
