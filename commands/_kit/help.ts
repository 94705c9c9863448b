import type { ArgDef } from 'citty';
import type { Style } from './style.ts';
import { baseArgNames } from './args.ts';
import type { ConfctlCommand } from './command.ts';
import { version } from './version.ts';
import type { LoadedApp } from '../../core/apps/loader.ts';
import { commands, type CommandEntry } from '../index.ts';

const groups: Record<CommandEntry['group'], string> = {
  general: 'general',
  instance: 'instance',
  export: 'export',
  server: 'server',
  data: 'data',
  settings: 'settings',
  i18n: 'translation',
  database: 'database',
};

/** `confctl help`: every command with its one-line description, from the static registry; then each installed app's, under its label (Django's [app] sections). */
export function renderRootHelp(style: Style, apps: readonly LoadedApp[] = []): string {
  const entries = Object.entries(commands) as [string, CommandEntry][];
  const width = Math.max(...entries.map(([name]) => name.length)) + 2;
  const lines = [
    `confctl ${version}: runs a conference programme from the command line.`,
    '',
    `Usage: confctl <command> [options]`,
    '',
    `Type 'confctl help <command>' or 'confctl <command> --help' for help on a specific command.`,
    '',
    'Available commands:',
  ];
  for (const group of Object.keys(groups) as CommandEntry['group'][]) {
    const members = entries.filter(([, entry]) => entry.group === group);
    if (members.length === 0) continue;
    lines.push('', style.ERROR(`[${groups[group]}]`));
    for (const [name, entry] of members) {
      const aliases = entry.aliases?.length ? ` (alias: ${entry.aliases.join(', ')})` : '';
      lines.push(`  ${name.padEnd(width)}${entry.description}${aliases}`);
    }
  }
  for (const app of apps) {
    const own = Object.entries(app.definition.commands ?? {});
    if (own.length === 0) continue;
    lines.push('', style.ERROR(`[${app.label}]`) + (app.definition.description ? ` ${app.definition.description}` : ''));
    for (const [name, command] of own) lines.push(`  ${name.padEnd(width)}${command.description}`);
  }
  lines.push('', 'Options: --version prints the version; --help prints this help.');
  return `${lines.join('\n')}\n`;
}

/** `confctl <command> --help`: usage, description, arguments, options, then the base options. */
export function renderCommandHelp(command: ConfctlCommand, style: Style): string {
  const defs = Object.entries((command.args ?? {}) as Record<string, ArgDef>);
  const positionals = defs.filter(([, def]) => def.type === 'positional');
  const usage = [`confctl ${command.meta.name}`, '[options]'];
  for (const [name, def] of positionals) {
    const label = (def.valueHint ?? name).toUpperCase();
    usage.push(def.required === false || def.default !== undefined ? `[${label}]` : label);
  }
  if (command.variadic && positionals.length === 0) usage.push('[ARGS ...]');
  else if (command.variadic) usage[usage.length - 1] += ' ...';

  const row = (left: string, right: string) => [left, right] as const;
  const optionRows = (names: ReadonlySet<string> | null, base: boolean) =>
    defs
      .filter(([name, def]) => def.type !== 'positional' && baseArgNames.has(name) === base && (names?.has(name) ?? true))
      .map(([name, def]) => {
        if (def.type === 'boolean' && def.default === true) {
          return row(`--no-${name}`, def.negativeDescription ?? '');
        }
        const aliases = 'alias' in def && def.alias !== undefined ? [def.alias].flat() : [];
        const flags = [...aliases.map((a) => (a.length === 1 ? `-${a}` : `--${a}`)), `--${name}`].join(', ');
        const hint =
          def.type === 'enum' && def.options ? ` {${def.options.join(',')}}` : def.type === 'string' ? ` ${def.valueHint ?? 'VALUE'}` : '';
        const fallback = def.default !== undefined && def.type !== 'boolean' ? ` (default: ${def.default})` : '';
        return row(flags + hint, (def.description ?? '') + fallback);
      });

  const sections: [string, (readonly [string, string])[]][] = [
    [
      'Arguments',
      positionals.map(([name, def]) => row((def.valueHint ?? name).toUpperCase(), def.description ?? '')),
    ],
    ['Options', [row('-h, --help', 'Show this help message and exit.'), ...optionRows(null, false)]],
    ['Base options', optionRows(null, true)],
  ];
  const width = Math.min(34, Math.max(...sections.flatMap(([, rows]) => rows.map(([left]) => left.length))) + 2);
  const lines = [`Usage: ${usage.join(' ')}`, '', command.meta.description];
  for (const [title, rows] of sections) {
    if (rows.length === 0) continue;
    lines.push('', style.MIGRATE_HEADING(`${title}:`));
    for (const [left, right] of rows) {
      lines.push(left.length + 2 > width ? `  ${left}\n  ${' '.repeat(width)}${right}` : `  ${left.padEnd(width)}${right}`);
    }
  }
  if (command.epilog) lines.push('', command.epilog.trim());
  return `${lines.join('\n')}\n`;
}
