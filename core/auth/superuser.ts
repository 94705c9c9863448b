import { CommandError } from '../common/errors.ts';
import type { IO } from '../common/io.ts';
import { findUserByEmail, insertUser, type Db } from './users.ts';
import { makePassword, makeUnusablePassword } from './passwords.ts';
import { emailProblem, normalizeEmail, validatePassword } from './validation.ts';

export interface SuperuserInput {
  email: string;
  name: string;
  /** The raw password, or null for an unusable one. */
  password: string | null;
}

/** The questions askSuperuser puts; the command kit's Prompter answers them from the terminal. */
export interface Prompter {
  askValid(question: string, check: (answer: string) => Promise<string | null> | string | null): Promise<string>;
  secret(question: string): Promise<string>;
  confirm(question: string): Promise<boolean>;
}

const TAKEN = 'That email address is already taken.';

async function emailCheck(db: Db, raw: string): Promise<string | null> {
  const email = normalizeEmail(raw);
  return emailProblem(email) ?? ((await findUserByEmail(db, email)) ? TAKEN : null);
}

/**
 * Django's interactive createsuperuser: re-asks on invalid input (`Error: …` on stderr), asks the
 * password twice without echo, and offers to bypass the password validators.
 */
export async function askSuperuser(
  db: Db,
  io: IO,
  prompter: Prompter,
  preset: { email?: string | undefined; name?: string | undefined },
): Promise<SuperuserInput> {
  let email: string | undefined;
  if (preset.email !== undefined) {
    const problem = await emailCheck(db, preset.email);
    if (problem === null) email = normalizeEmail(preset.email);
    else io.stderr.write(`Error: ${problem}\n`);
  }
  email ??= normalizeEmail(await prompter.askValid('Email address: ', (answer) => emailCheck(db, answer)));
  const name =
    preset.name?.trim() ||
    (await prompter.askValid('Name: ', (answer) => (answer === '' ? 'This field cannot be blank.' : null)));
  for (;;) {
    const password = await prompter.secret('Password: ');
    const again = await prompter.secret('Password (again): ');
    if (password !== again) {
      io.stderr.write("Error: Your passwords didn't match.\n");
      continue;
    }
    if (password.trim() === '') {
      io.stderr.write("Error: Blank passwords aren't allowed.\n");
      continue;
    }
    const problems = validatePassword(password, { email, name });
    if (problems.length > 0) {
      io.stderr.write(`${problems.join('\n')}\n`);
      if (!(await prompter.confirm('Bypass password validation and create user anyway? [y/N]: '))) continue;
    }
    return { email, name, password };
  }
}

/** The non-interactive path: everything from options and the environment, checked once, one clear error. */
export async function superuserFromOptions(
  db: Db,
  input: { email: string | undefined; name: string | undefined; password: string | undefined },
): Promise<SuperuserInput> {
  if (input.email === undefined || input.email.trim() === '') {
    throw new CommandError('You must use --email with --noinput.');
  }
  const problem = await emailCheck(db, input.email);
  if (problem !== null) throw new CommandError(problem === TAKEN ? `Error: ${TAKEN}` : problem);
  return { email: normalizeEmail(input.email), name: input.name?.trim() ?? '', password: input.password ?? null };
}

/** Creates the administrator; returns its id. The address is checked again: another process may have taken it meanwhile. */
export async function createSuperuser(db: Db, input: SuperuserInput): Promise<number> {
  if (await findUserByEmail(db, input.email)) throw new CommandError(`Error: ${TAKEN}`);
  return insertUser(
    db,
    {
      email: input.email,
      name: input.name,
      password: input.password === null ? makeUnusablePassword() : makePassword(input.password),
      administrator: true,
      verified: true,
    },
    Math.random,
  );
}
