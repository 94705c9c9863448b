// core/completion/ — shell completion: what the words typed so far can go on with. The shell scripts
// (scripts.ts) pass the words as they are, as separate arguments: nothing typed is ever evaluated.

export interface Candidate {
  value: string;
  description?: string;
}

/** Where an option's or argument's values come from. */
export type Values =
  | { kind: 'words'; words: readonly string[]; descriptions?: readonly string[] }
  | { kind: 'files' }
  | { kind: 'dirs' }
  | { kind: 'live'; name: LiveValues };

/** Values only the configured instance knows (read when asked, never written). */
export type LiveValues = 'events' | 'labels' | 'fixtures' | 'locales' | 'migrations' | 'commands' | 'tests';

export interface OptionSpec {
  /** Long names without dashes (`event`, `no-color`). */
  names: readonly string[];
  /** One-letter names without the dash. */
  short: readonly string[];
  takesValue: boolean;
  description: string;
  values?: Values;
}

export interface CommandSpec {
  options: readonly OptionSpec[];
  /** In order; the last repeats when the command takes several. */
  positionals: readonly (Values | null)[];
  variadic: boolean;
}

export interface Completer {
  /** Command names and aliases, each with its description. */
  commands: readonly Candidate[];
  /** A command's options and arguments (null: no such command). */
  command(name: string): Promise<CommandSpec | null>;
  /** Live values; an instance that cannot be read gives none. */
  live(name: LiveValues): Promise<Candidate[]>;
  /** Options before the command (`confctl --version`). */
  topOptions: readonly OptionSpec[];
}

export interface Completion {
  /** `files`/`dirs`: the shell adds file (folder) names to the candidates. */
  mode: 'words' | 'files' | 'dirs';
  candidates: Candidate[];
}

const none: Completion = { mode: 'words', candidates: [] };

/**
 * The candidates for the last of `words` (the word being typed, '' for a new one), given the words
 * before it (the command line after the program's name). Options are known by their long and short
 * names; `--name=value` and `--name value` both complete the value; after `--` only arguments.
 */
export async function complete(words: readonly string[], completer: Completer): Promise<Completion> {
  if (words.length === 0) return none;
  const current = words.at(-1)!;
  const before = words.slice(0, -1);
  // The command: the first word that is not an option (top-level options take no value).
  const commandAt = before.findIndex((w) => !w.startsWith('-'));
  if (commandAt < 0) {
    if (current.startsWith('-')) return { mode: 'words', candidates: optionCandidates(completer.topOptions, current) };
    return { mode: 'words', candidates: byPrefix(completer.commands, current) };
  }
  const name = before[commandAt]!;
  if (name === 'help') return commandAt === before.length - 1 ? { mode: 'words', candidates: byPrefix(completer.commands.filter((c) => c.value !== 'help'), current) } : none;
  const spec = await completer.command(name);
  if (!spec) return none;

  let positional = 0;
  let afterDashes = false;
  let pending: OptionSpec | null = null;
  for (const word of before.slice(commandAt + 1)) {
    if (pending) {
      pending = null;
      continue;
    }
    if (!afterDashes && word === '--') afterDashes = true;
    else if (!afterDashes && word.startsWith('-') && word !== '-') {
      const option = findOption(spec.options, word);
      if (option?.takesValue && !word.includes('=') && !(word.length > 2 && !word.startsWith('--'))) pending = option;
    } else positional++;
  }
  if (pending) return values(pending.values, current, '', completer);
  if (!afterDashes && current.startsWith('--') && current.includes('=')) {
    const eq = current.indexOf('=');
    const option = findOption(spec.options, current.slice(0, eq));
    return option?.takesValue ? values(option.values, current.slice(eq + 1), current.slice(0, eq + 1), completer) : none;
  }
  if (!afterDashes && current.startsWith('-')) return { mode: 'words', candidates: optionCandidates(spec.options, current) };
  const slot = positional < spec.positionals.length ? spec.positionals[positional] : spec.variadic ? spec.positionals.at(-1) : undefined;
  return slot ? values(slot, current, '', completer) : none;
}

function findOption(options: readonly OptionSpec[], word: string): OptionSpec | undefined {
  const bare = word.split('=')[0]!;
  if (bare.startsWith('--')) return options.find((o) => o.names.includes(bare.slice(2)));
  return options.find((o) => o.short.includes(bare.slice(1, 2)));
}

function optionCandidates(options: readonly OptionSpec[], current: string): Candidate[] {
  const all = options.flatMap((o) => [...o.names.map((n) => `--${n}`), ...(current.startsWith('--') ? [] : o.short.map((s) => `-${s}`))].map((value) => ({ value, description: o.description })));
  return byPrefix(all, current);
}

async function values(source: Values | undefined, current: string, prefix: string, completer: Completer): Promise<Completion> {
  if (!source) return none;
  if (source.kind === 'files' || source.kind === 'dirs') return { mode: source.kind, candidates: [] };
  const all =
    source.kind === 'words'
      ? source.words.map((value, i) => ({ value, ...(source.descriptions?.[i] ? { description: source.descriptions[i] } : {}) }))
      : await completer.live(source.name).catch(() => []);
  const found = byPrefix(all, current).map((c) => ({ ...c, value: `${prefix}${c.value}` }));
  // Fixtures are names and files alike.
  return { mode: source.kind === 'live' && source.name === 'fixtures' ? 'files' : 'words', candidates: found };
}

function byPrefix(candidates: readonly Candidate[], current: string): Candidate[] {
  const seen = new Set<string>();
  return candidates.filter((c) => c.value.startsWith(current) && !seen.has(c.value) && seen.add(c.value));
}

/** Characters after which bash starts a new word to complete (COMP_WORDBREAKS, less the quotes). */
const BASH_BREAKS = /[=:@><;|&(]/;

/**
 * The lines a completion script reads: the mode, then one candidate per line. Bash completes only
 * the part of a word after its last `=` or `:` (its COMP_WORDBREAKS), and shows no descriptions:
 * it gets the values cut there. zsh and fish get `value<TAB>description`.
 */
export function completionLines(result: Completion, shell: string, current: string): string[] {
  const clean = (text: string) => text.replace(/[\t\r\n]+/g, ' ').trim();
  if (shell === 'bash') {
    let cut = 0;
    for (let i = 0; i < current.length; i++) if (BASH_BREAKS.test(current[i]!)) cut = i + 1;
    return [result.mode, ...result.candidates.map((c) => clean(c.value.slice(cut)))];
  }
  return [result.mode, ...result.candidates.map((c) => (c.description ? `${clean(c.value)}\t${clean(c.description)}` : clean(c.value)))];
}
