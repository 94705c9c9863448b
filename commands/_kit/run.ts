import { runCommand, type ArgDef } from 'citty';
import { CommandError } from '../../core/common/errors.ts';
import type { IO } from '../../core/common/io.ts';
import { stripAnsi } from './style.ts';
import { closest } from '../../core/common/suggest.ts';
import type { ConfctlCommand } from './command.ts';

interface Option {
  readonly name: string;
  readonly takesValue: boolean;
  readonly negatable: boolean;
}

const kebab = (name: string) => name.replace(/([a-z0-9])([A-Z])/g, '$1-$2').replace(/_/g, '-').toLowerCase();

/**
 * Checks a command line against the command's declared options before citty parses it: citty
 * ignores unknown flags and swallows missing values, where Django (argparse) refuses them.
 */
export function checkCommandLine(command: ConfctlCommand, rawArgs: readonly string[]): void {
  const defs = Object.entries((command.args ?? {}) as Record<string, ArgDef>);
  const long = new Map<string, Option>();
  const short = new Map<string, Option>();
  let positionals = 0;
  for (const [name, def] of defs) {
    if (def.type === 'positional') {
      positionals++;
      continue;
    }
    const option: Option = { name, takesValue: def.type === 'string' || def.type === 'enum', negatable: def.type === 'boolean' };
    long.set(name, option);
    long.set(kebab(name), option);
    const aliases = 'alias' in def ? def.alias : undefined;
    for (const alias of aliases === undefined ? [] : Array.isArray(aliases) ? aliases : [aliases]) {
      (alias.length === 1 ? short : long).set(alias, option);
    }
  }
  const unknown = (token: string) => {
    const flag = token.split('=')[0]!;
    const hint = closest(flag, [...long.keys()].map((n) => `--${n}`));
    const name = command.meta.name;
    return new CommandError(
      `Unknown option "${flag}" for "${name}".` + (hint ? ` Did you mean "${hint}"?` : ` See "confctl ${name} --help".`),
    );
  };
  const needsValue = (flag: string, next: string | undefined): void => {
    if (next === undefined || next === '' || (next.startsWith('--') && next.length > 2)) {
      throw new CommandError(`Option ${flag} expects a value.`);
    }
  };

  let extra: string[] = [];
  let seenPositionals = 0;
  for (let i = 0; i < rawArgs.length; i++) {
    const token = rawArgs[i]!;
    if (token === '--') {
      const rest = rawArgs.slice(i + 1);
      seenPositionals += rest.length;
      extra = extra.concat(rest);
      break;
    }
    if (token.startsWith('--')) {
      const [flag, value] = splitOnce(token.slice(2));
      const option = long.get(flag);
      if (option === undefined) {
        const negated = flag.startsWith('no-') ? long.get(flag.slice(3)) : undefined;
        if (negated?.negatable && value === undefined) continue;
        throw unknown(token);
      }
      if (option.takesValue) {
        if (value === undefined) needsValue(`--${flag}`, rawArgs[++i]);
        else if (value === '') throw new CommandError(`Option --${flag} expects a value.`);
      } else if (value !== undefined) {
        throw new CommandError(`Option --${flag} takes no value.`);
      }
      continue;
    }
    if (token.startsWith('-') && token.length > 1 && !/^-\d/.test(token)) {
      const option = short.get(token[1]!);
      if (option === undefined) throw unknown(token);
      if (option.takesValue && token.length === 2) needsValue(token, rawArgs[++i]);
      continue;
    }
    seenPositionals++;
    if (seenPositionals > positionals) extra.push(token);
  }
  if (!command.variadic && extra.length > 0) {
    throw new CommandError(`Unrecognized arguments: ${extra.join(' ')}. See "confctl ${command.meta.name} --help".`);
  }
}

function splitOnce(text: string): [string, string | undefined] {
  const at = text.indexOf('=');
  return at === -1 ? [text, undefined] : [text.slice(0, at), text.slice(at + 1)];
}

/** Runs one command with the given IO; citty's own argument errors become CommandErrors. */
export async function runCommandLine(command: ConfctlCommand, rawArgs: string[], io: IO): Promise<void> {
  checkCommandLine(command, rawArgs);
  try {
    await runCommand(command, { rawArgs, data: { io } });
  } catch (error) {
    if (error instanceof Error && error.name === 'CLIError') throw new CommandError(stripAnsi(error.message));
    throw error;
  }
}
