import type { IO } from '../../core/common/io.ts';
import { findSettingsFile, loadSettings } from '../../core/common/settings.ts';
import { appSearch, loadApps, type LoadedApp } from '../../core/apps/loader.ts';
import { commands, type CommandEntry } from '../index.ts';

/** Names an app's command cannot take: confctl's commands, their aliases, and help. */
export const builtinNames = (): string[] => ['help', ...(Object.entries(commands) as [string, CommandEntry][]).flatMap(([name, entry]) => [name, ...(entry.aliases ?? [])])];

/** The value of each `--name VALUE` / `--name=VALUE` before `--` (the command line not yet parsed). */
function optionValues(argv: readonly string[], name: string): string[] {
  const values: string[] = [];
  for (let i = 0; i < argv.length && argv[i] !== '--'; i++) {
    if (argv[i] === `--${name}`) values.push(argv[++i] ?? '');
    else if (argv[i]!.startsWith(`--${name}=`)) values.push(argv[i]!.slice(name.length + 3));
  }
  return values;
}

/**
 * The installed apps, as the command line's settings name them (--settings, --pythonpath), before
 * any command has parsed it; none with --skip-apps.
 */
export async function installedApps(argv: readonly string[], io: IO): Promise<LoadedApp[]> {
  if (argv.includes('--skip-apps')) return [];
  const settings = loadSettings({ file: findSettingsFile(optionValues(argv, 'settings').at(-1), io.env, io.cwd), env: io.env, cwd: io.cwd });
  const search = appSearch(settings, io.cwd, optionValues(argv, 'pythonpath'));
  if (search.installed.length === 0) return [];
  return loadApps(search, builtinNames());
}


/** The installed apps of a command that has its Context (migrate, showmigrations, runperiodic…): none with --skip-apps. */
export async function appsOf(ctx: { settings: import('../../core/common/settings.ts').Settings; io: IO; args: { 'skip-apps'?: boolean | undefined }; all(name: string): string[] }): Promise<LoadedApp[]> {
  if (ctx.args['skip-apps'] === true) return [];
  const search = appSearch(ctx.settings, ctx.io.cwd, ctx.all('pythonpath'));
  return search.installed.length === 0 ? [] : loadApps(search, builtinNames());
}
