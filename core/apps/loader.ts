import { existsSync, statSync } from 'node:fs';
import { basename, dirname, isAbsolute, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { CommandError, errorMessage } from '../common/errors.ts';
import type { Settings } from '../common/settings.ts';
import { APP_LABELS } from '../data/models.ts';
import { API_VERSION, type AppCommand, type AppDefinition, type AppMigration, type AppSite, type AppTask, type AppTest } from './api.ts';

export interface LoadedApp {
  label: string;
  /** The app's folder. */
  folder: string;
  definition: AppDefinition;
}

/** Where apps are found: [apps] path and --pythonpath folders (absolute). */
export interface AppSearch {
  installed: readonly string[];
  /** The settings file's folder (installed entries are relative to it), or the working folder. */
  base: string;
  path: readonly string[];
}

export const appSearch = (settings: Settings, cwd: string, pythonpath: readonly string[]): AppSearch => ({
  installed: settings.values['apps.installed'],
  base: settings.file === null ? cwd : dirname(settings.file),
  path: [...pythonpath.map((p) => resolve(cwd, p)), ...settings.values['apps.path']],
});

const LABEL = /^[a-z][a-z0-9_]*$/;

/**
 * Labels an app cannot have: confctl's own apps (their tables are <label>_…: an app's migration could
 * make tables among them), and the databases' own prefixes.
 */
export const RESERVED_LABELS: readonly string[] = [...new Set(['confctl', 'common', 'sqlite', 'pg', ...APP_LABELS])];

/**
 * The app an [apps] installed entry names: a folder (relative to the settings file) holding
 * index.ts, or a name alone looked for in the --pythonpath and [apps] path folders first.
 */
export function findApp(entry: string, search: AppSearch): string {
  const bare = !entry.includes('/') && !entry.startsWith('.');
  const candidates = [...(bare ? search.path.map((folder) => join(folder, entry)) : []), isAbsolute(entry) ? entry : resolve(search.base, entry)];
  const found = candidates.find((folder) => existsSync(join(folder, 'index.ts')) && statSync(join(folder, 'index.ts')).isFile());
  if (!found) throw new CommandError(`App "${entry}": no index.ts in ${candidates.join(' or ')}.${hint}`);
  return found;
}

const hint = ' (Other commands run with --skip-apps.)';

/** Imports and checks every installed app, in order; a broken one is one CommandError naming it. */
export async function loadApps(search: AppSearch, builtins: readonly string[]): Promise<LoadedApp[]> {
  const apps: LoadedApp[] = [];
  const commands = new Map<string, string>();
  for (const entry of search.installed) {
    const folder = findApp(entry, search);
    const fail = (why: string) => new CommandError(`App "${entry}" (${join(folder, 'index.ts')}): ${why}${hint}`);
    let module: { default?: unknown };
    try {
      module = (await import(pathToFileURL(join(folder, 'index.ts')).href)) as { default?: unknown };
    } catch (error) {
      throw fail(`it does not load: ${loadError(error)}`);
    }
    const definition = module.default as Partial<AppDefinition> | undefined;
    if (definition === null || typeof definition !== 'object') throw fail('it has no default export (export default { apiVersion, label, … }).');
    if (definition.apiVersion === undefined) throw fail(`it says no apiVersion (this confctl speaks plugin API version ${API_VERSION}).`);
    if (definition.apiVersion !== API_VERSION) throw fail(`it is built for plugin API version ${JSON.stringify(definition.apiVersion)}; this confctl speaks version ${API_VERSION}.`);
    if (typeof definition.label !== 'string' || !LABEL.test(definition.label)) throw fail(`its label ${JSON.stringify(definition.label ?? null)} is not a lower-case identifier.`);
    if (RESERVED_LABELS.includes(definition.label)) throw fail(`its label "${definition.label}" is one of confctl's own (${RESERVED_LABELS.join(', ')}).`);
    const other = apps.find((app) => app.label === definition.label);
    if (other) throw fail(`its label "${definition.label}" is the label of ${other.folder} too.`);
    for (const [name, command] of Object.entries(definition.commands ?? {})) {
      if (!/^[a-z][a-z0-9_]*$/.test(name)) throw fail(`its command name "${name}" is not snake_case.`);
      if (builtins.includes(name)) throw fail(`its command "${name}" has the name of a confctl command.`);
      if (commands.has(name)) throw fail(`its command "${name}" is a command of the app "${commands.get(name)}" too.`);
      checkCommand(name, command, fail);
      commands.set(name, definition.label);
    }
    checkMigrations(definition.migrations, fail);
    checkTasks(definition.periodic, fail);
    checkSite(definition.site, fail);
    checkTests(definition.tests, fail);
    apps.push({ label: definition.label, folder, definition: definition as AppDefinition });
  }
  return apps;
}

function checkCommand(name: string, command: Partial<AppCommand> | undefined, fail: (why: string) => Error): void {
  if (command === null || typeof command !== 'object' || typeof command.run !== 'function' || typeof command.description !== 'string') {
    throw fail(`its command "${name}" needs a description and a run function.`);
  }
  for (const [arg, def] of Object.entries(command.args ?? {})) {
    if (!/^[a-z][a-z0-9-]*$/.test(arg) || !def || !['string', 'boolean', 'positional'].includes(def.type)) throw fail(`its command "${name}" has an argument "${arg}" that is not a lower-case name with type string, boolean or positional.`);
  }
}

/** The app a folder name would be (startapp checks the name as a label). */
export const isAppLabel = (name: string) => LABEL.test(name) && basename(name) === name;

/** Why a module did not load: a syntax error with its place (the runtime's build message, alone or among "N errors building …"). */
function loadError(error: unknown): string {
  type Built = { message?: string; position?: { file?: string; line?: number; column?: number } | null };
  const first: Built | undefined = (error as Built).position ? (error as Built) : (error as { errors?: Built[] }).errors?.[0];
  if (first?.message) return `${first.message}${first.position?.line ? ` (${basename(first.position.file ?? 'index.ts')}:${first.position.line}:${first.position.column ?? 0})` : ''}`;
  return errorMessage(error);
}
function checkMigrations(migrations: unknown, fail: (why: string) => Error): void {
  if (migrations === undefined) return;
  if (!Array.isArray(migrations)) throw fail('its migrations are not a list.');
  const seen = new Set<string>();
  for (const migration of migrations as Partial<AppMigration>[]) {
    const name = migration?.name;
    if (typeof name !== 'string' || !/^\d{4}_[a-z0-9_]+$/.test(name)) throw fail(`its migration ${JSON.stringify(name ?? null)} is not named like 0001_initial.`);
    if (seen.has(name)) throw fail(`its migration "${name}" is there twice.`);
    if (typeof migration.up !== 'function') throw fail(`its migration "${name}" has no up function.`);
    seen.add(name);
  }
}

function checkTasks(tasks: unknown, fail: (why: string) => Error): void {
  if (tasks === undefined) return;
  if (!Array.isArray(tasks)) throw fail('its periodic tasks are not a list.');
  const seen = new Set<string>();
  for (const task of tasks as Partial<AppTask>[]) {
    const name = task?.name;
    if (typeof name !== 'string' || !/^[a-z][a-z0-9_-]*$/.test(name) || seen.has(name)) throw fail(`its periodic task ${JSON.stringify(name ?? null)} needs a lower-case name of its own.`);
    if (typeof task.every !== 'number' || !Number.isInteger(task.every) || task.every < 1) throw fail(`its periodic task "${name}" needs every: a whole number of minutes, at least 1.`);
    if (typeof task.run !== 'function') throw fail(`its periodic task "${name}" has no run function.`);
    seen.add(name);
  }
}

function checkSite(site: unknown, fail: (why: string) => Error): void {
  if (site === undefined) return;
  const s = site as Partial<AppSite> | null;
  if (s === null || typeof s !== 'object') throw fail('its site is not an object of css, header and footer.');
  if (s.css !== undefined && typeof s.css !== 'string') throw fail('its site css is not a string.');
  for (const part of ['header', 'footer'] as const) if (s[part] !== undefined && typeof s[part] !== 'function') throw fail(`its site ${part} is not a function.`);
}

function checkTests(tests: unknown, fail: (why: string) => Error): void {
  if (tests === undefined) return;
  if (!Array.isArray(tests)) throw fail('its tests are not a list.');
  const seen = new Set<string>();
  for (const test of tests as Partial<AppTest>[]) {
    const name = test?.name;
    if (typeof name !== 'string' || !/^test_[a-z0-9_]+$/.test(name) || seen.has(name)) throw fail(`its test ${JSON.stringify(name ?? null)} needs a name of its own starting with test_.`);
    if (typeof test.run !== 'function') throw fail(`its test "${name}" has no run function.`);
    seen.add(name);
  }
}
