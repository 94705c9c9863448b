import type { ArgDef } from 'citty';
import { readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Candidate, CommandSpec, Completer, LiveValues, OptionSpec, Values } from '../../core/completion/engine.ts';
import { fixtureNames } from '../../core/data/load.ts';
import { APP_LABELS, MODELS } from '../../core/data/models.ts';
import { localeDirs } from '../../core/i18n/catalogues.ts';
import { isLocaleName, SHIPPED } from '../../core/i18n/locales.ts';
import { knownMigrations } from '../../db/migrator.ts';
import { KEYS } from '../../core/serve/fcgi-options.ts';
import { commands, type CommandEntry } from '../index.ts';
import type { Context } from './command.ts';
import type { LoadedApp } from '../../core/apps/loader.ts';
import { appCommand } from './apps.ts';

const live = (name: LiveValues): Values => ({ kind: 'live', name });
const FILES: Values = { kind: 'files' };
const DIRS: Values = { kind: 'dirs' };

/** Arguments whose values confctl knows, by name (the same name means the same thing in every command). */
const POSITIONALS: Record<string, Values> = {
  event: live('events'),
  fixture: live('fixtures'),
  app_label: { kind: 'words', words: APP_LABELS },
  migration_name: live('migrations'),
  directory: DIRS,
  file: FILES,
  // runfcgi's KEY=VALUE settings, and test's labels.
  setting: { kind: 'words', words: KEYS.map((key) => `${key}=`) },
  label: live('tests'),
};
const OPTIONS: Record<string, Values> = {
  event: live('events'),
  event__slug: live('events'),
  conference: live('events'),
};

/** A value hint that lists the values: cfp|review|schedule|over. */
const WORDS = /^[a-z0-9_.-]+(?:\|[a-z0-9_.-]+)+$/;

/** Where an option's values come from: its name, else its value hint (a|b|c, FILE, DIR, LANG). */
function optionValues(name: string, def: ArgDef): Values | undefined {
  if (OPTIONS[name]) return OPTIONS[name];
  if (def.type === 'enum') return { kind: 'words', words: def.options as readonly string[] };
  const hint = 'valueHint' in def ? (def.valueHint ?? '') : '';
  if (WORDS.test(hint)) return { kind: 'words', words: hint.split('|') };
  if (/FILE|PATH|ZIP/.test(hint)) return FILES;
  if (/DIR/.test(hint)) return DIRS;
  if (hint === 'LANG') return live('locales');
  return undefined;
}

/** A command's options and arguments as completion sees them, from its citty definition. */
export function commandSpec(name: string, args: Record<string, ArgDef>, variadic: boolean): CommandSpec {
  const options: OptionSpec[] = [{ names: ['help'], short: ['h'], takesValue: false, description: 'Show this help message and exit.' }];
  const positionals: (Values | null)[] = [];
  for (const [key, def] of Object.entries(args)) {
    if (def.type === 'positional') {
      const hint = def.valueHint ?? '';
      positionals.push(name === 'dumpdata' && key === 'app_label' ? live('labels') : (POSITIONALS[key] ?? (WORDS.test(hint) ? { kind: 'words', words: hint.split('|') } : null)));
      continue;
    }
    const alias = (def as { alias?: string | string[] }).alias;
    const aliases: string[] = alias === undefined ? [] : Array.isArray(alias) ? alias : [alias];
    const description = (def.description ?? ('negativeDescription' in def ? def.negativeDescription : '') ?? '').split('\n')[0]!;
    if (def.type === 'boolean') {
      // A flag on by default is typed as its --no- form (--no-color).
      const negatable = def.default === true;
      options.push({ names: negatable ? [`no-${key}`] : [key], short: negatable ? [] : aliases.filter((a) => a.length === 1), takesValue: false, description: negatable ? ('negativeDescription' in def ? (def.negativeDescription ?? description) : description) : description });
      continue;
    }
    const values = optionValues(key, def);
    options.push({ names: [key, ...aliases.filter((a) => a.length > 1)], short: aliases.filter((a) => a.length === 1), takesValue: true, description, ...(values ? { values } : {}) });
  }
  return { options, positionals, variadic };
}

/** What confctl completes, from its command list and, for live values, the configured instance. */
export function completer(ctx: Pick<Context, 'settings' | 'io' | 'existingDatabase'>, apps: readonly LoadedApp[] = []): Completer {
  const entries = Object.entries(commands) as [string, CommandEntry][];
  const names: Candidate[] = entries.flatMap(([name, entry]) => [name, ...(entry.aliases ?? [])].map((value) => ({ value, description: entry.description })));
  // The installed apps' commands too.
  const own = apps.flatMap((app) => Object.entries(app.definition.commands ?? {}));
  names.push(...own.map(([value, command]) => ({ value, description: command.description })));
  names.push({ value: 'help', description: 'Help on a command.' });
  return {
    commands: names,
    topOptions: [
      { names: ['help'], short: ['h'], takesValue: false, description: 'Show the list of commands.' },
      { names: ['version'], short: [], takesValue: false, description: "Show confctl's version." },
    ],
    async command(typed) {
      const entry = entries.find(([name, e]) => name === typed || name === typed.replaceAll('-', '_') || e.aliases?.includes(typed));
      const app = own.find(([name]) => name === typed);
      if (!entry && app) return commandSpec(typed, (appCommand(typed, app[1]).args ?? {}) as Record<string, ArgDef>, true);
      if (!entry) return null;
      const command = await entry[1].load();
      return commandSpec(entry[0], (command.args ?? {}) as Record<string, ArgDef>, command.variadic === true);
    },
    async live(name) {
      switch (name) {
        case 'events': {
          const db = await ctx.existingDatabase({ readonly: true });
          if (!db) return [];
          try {
            const rows = await db.selectFrom('event_event').select(['slug', 'name', 'locale']).orderBy('slug').execute();
            return rows.map((row) => ({ value: row.slug, description: eventName(row.name, row.locale) }));
          } finally {
            await db.destroy();
          }
        }
        case 'labels':
          return [...APP_LABELS.map((value) => ({ value, description: 'app' })), ...MODELS.map((m) => ({ value: m.label, description: m.table }))];
        case 'fixtures':
          return fixtureNames([...ctx.settings.values['fixtures.dirs'], join(ctx.settings.dataDir, 'fixtures')], ctx.io.cwd).map((value) => ({ value, description: 'fixture' }));
        case 'locales':
          return [...new Set([...SHIPPED, ...[...localeDirs(ctx.settings), resolve(ctx.io.cwd, 'locale')].flatMap(folders)])].filter(isLocaleName).sort().map((value) => ({ value }));
        case 'migrations':
          return knownMigrations.map((value) => ({ value }));
        case 'commands':
          return names;
        case 'tests': {
          // Loaded only here: the self-test pulls in most of confctl, and TAB must stay quick.
          const { SELF_TESTS } = await import('../../core/selftest/selftest.ts');
          return [
            { value: 'confctl', description: 'every test of confctl' },
            ...SELF_TESTS.map((t) => ({ value: t.name, description: t.doc })),
            ...apps.filter((a) => a.definition.tests?.length).flatMap((a) => [{ value: a.label, description: `the tests of ${a.label}` }, ...(a.definition.tests ?? []).map((t) => ({ value: `${a.label}.${t.name}`, description: t.doc ?? '' }))]),
          ];
        }
      }
    },
  };
}

function folders(path: string): string[] {
  try {
    return readdirSync(path, { withFileTypes: true }).filter((e) => e.isDirectory()).map((e) => e.name);
  } catch {
    return [];
  }
}

function eventName(name: string, locale: string): string {
  try {
    const names = JSON.parse(name) as Record<string, string> | string;
    return typeof names === 'string' ? names : (names[locale] ?? Object.values(names)[0] ?? '');
  } catch {
    return name;
  }
}
