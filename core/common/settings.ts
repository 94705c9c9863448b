// core/common/ — the small things every room shares: settings, errors, the clock, time zones and
// database times, the IO contract the outside world is injected through, and text helpers.
import { existsSync, readFileSync } from 'node:fs';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import { parse as parseToml, TomlError } from 'smol-toml';
import { isDatabaseUrl, maskDatabaseUrl, urlScheme } from './database-url.ts';
import { CommandError } from './errors.ts';
import { closest } from './suggest.ts';
import type { Env } from './io.ts';

/**
 * Every setting confctl knows, with its default. A settings file may set only these; the
 * environment overrides a few (CONFCTL_DATA_DIR, CONFCTL_DATABASE) and base options override
 * the database path. Paths in a settings file are relative to that file's folder.
 */
type Kind = 'string' | 'path' | 'paths' | 'integer' | 'number' | 'secrets';

interface SettingDef {
  readonly kind: Kind;
  readonly default: string | number | readonly string[] | Readonly<Record<string, string>>;
  readonly description: string;
  readonly min?: number;
  readonly max?: number;
}

export const settingDefs = {
  'filesystem.data': { kind: 'path', default: 'data', description: 'data folder (env CONFCTL_DATA_DIR)' },
  'filesystem.htmlexport': {
    kind: 'path',
    default: '',
    description: 'where export_schedule_html writes; empty = <data>/htmlexport',
  },
  'filesystem.static': { kind: 'path', default: '', description: 'static files folder; empty = <data>/static' },
  'database.name': {
    kind: 'path',
    default: '',
    description: 'SQLite database file, or a postgres:// URL; empty = <data>/db.sqlite3 (env CONFCTL_DATABASE, option --database)',
  },
  'database.url': {
    kind: 'string',
    default: '',
    description: 'PostgreSQL server (postgres://user:password@host:5432/name); set, it is used instead of database.name (env DATABASE_URL)',
  },
  'database.busy_timeout': {
    kind: 'integer',
    default: 5000,
    min: 0,
    description: 'milliseconds to wait for a lock held by another process',
  },
  'site.url': { kind: 'string', default: 'http://localhost:8000', description: 'public base URL of this instance' },
  'fixtures.dirs': { kind: 'paths', default: [], description: 'extra folders loaddata searches (FIXTURE_DIRS)' },
  'fixtures.max_ratio': {
    kind: 'integer',
    default: 100,
    min: 1,
    description: 'how many times a compressed fixture may expand (past 16 MiB) before loaddata refuses it as a bomb',
  },
  'fixtures.max_size': {
    kind: 'integer',
    default: 2 * 1024 ** 3,
    min: 1,
    description: 'largest fixture loaddata reads, in bytes after decompression',
  },
  'i18n.locale_dirs': {
    kind: 'paths',
    default: [],
    description: "folders of the operator's catalogues, <dir>/<lang>/LC_MESSAGES/confctl.po and .mo, used before the embedded ones (LOCALE_PATHS); empty = <data>/locale",
  },
  'apps.installed': {
    kind: 'paths',
    default: [],
    description: 'apps (plugins) to load, in order: folders with an index.ts, relative to this file, or names looked for in apps.path (INSTALLED_APPS)',
  },
  'apps.path': { kind: 'paths', default: [], description: 'extra folders where apps named alone in apps.installed are looked for (--pythonpath adds to them)' },
  'sync.pace': {
    kind: 'number',
    default: 2,
    min: 0,
    description: 'Pretalx requests per second; 0 = unlimited (for self-hosted instances)',
  },
  'sync.concurrency': { kind: 'integer', default: 4, min: 1, max: 64, description: 'Pretalx requests in flight' },
  'sync.timeout': { kind: 'number', default: 30, min: 1, description: 'seconds per Pretalx request' },
  'sync.page_size': { kind: 'integer', default: 250, min: 1, description: 'page size asked of Pretalx' },
  'sync.budget': { kind: 'number', default: 600, min: 1, description: 'seconds a whole sync may take before it gives up (nothing is written then)' },
  'sync.retries': { kind: 'integer', default: 5, min: 0, max: 20, description: 'retries of a Pretalx request answered with 5xx or 429' },
  'sync.connect_retries': {
    kind: 'integer',
    default: 2,
    min: 0,
    max: 20,
    description: 'retries while Pretalx does not answer at all (refused, unknown host, timeout), for the whole sync',
  },
  'sync.backoff': { kind: 'integer', default: 1000, min: 0, description: 'milliseconds before the first retry; doubles, with jitter' },
  'sync.guard_min_existing': {
    kind: 'integer',
    default: 5,
    min: 0,
    description: 'the drop guard applies from this many existing rows of a kind',
  },
  'sync.guard_max_fraction': {
    kind: 'number',
    default: 0.4,
    min: 0,
    max: 1,
    description: 'a sync that would remove at least this fraction of a kind aborts',
  },
  'pretalx.tokens': {
    kind: 'secrets',
    default: {},
    description: 'API token per Pretalx instance URL (env CONFCTL_PRETALX_TOKEN for all)',
  },
} as const satisfies Record<string, SettingDef>;

export type SettingKey = keyof typeof settingDefs;
type ValueOf<K extends Kind> = K extends 'paths'
  ? string[]
  : K extends 'secrets'
    ? Record<string, string>
    : K extends 'integer' | 'number'
      ? number
      : string;
export type SettingValues = { -readonly [K in SettingKey]: ValueOf<(typeof settingDefs)[K]['kind']> };

export interface Settings {
  /** The settings file in force, or null for the built-in defaults. */
  readonly file: string | null;
  /** Effective values: defaults, then the file, then the environment and base options. */
  readonly values: Readonly<SettingValues>;
  /** The data folder, absolute. */
  readonly dataDir: string;
  /** The SQLite database file, absolute, or a PostgreSQL server's URL. Never printed: messages print databaseLabel. */
  readonly databasePath: string;
  /** databasePath as it may be printed, its password masked. */
  readonly databaseLabel: string;
}

/** True while site.url is the built-in http://localhost:8000: feeds and UIDs then point nowhere useful. */
export function siteUrlIsDefault(settings: Settings): boolean {
  return settings.values['site.url'] === settingDefs['site.url'].default;
}

/** A site URL from the command line: absolute http(s), no query or fragment. */
export function parseSiteUrl(text: string, option: string): string {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new CommandError(`${option} must be an http:// or https:// URL, not "${text}".`);
  }
  if ((url.protocol !== 'http:' && url.protocol !== 'https:') || url.search || url.hash || url.username) {
    throw new CommandError(`${option} must be an http:// or https:// URL without query, fragment or credentials, not "${text}".`);
  }
  return url.href.replace(/\/+$/, '');
}

export function isSecret(key: SettingKey): boolean {
  return settingDefs[key].kind === 'secrets' || /token|password|secret/i.test(key);
}

/** Which settings file applies: --settings, else CONFCTL_SETTINGS, else ./confctl.toml if present. */
export function findSettingsFile(option: string | undefined, env: Env, cwd: string): string | null {
  const given = option ?? env.CONFCTL_SETTINGS;
  if (given !== undefined) {
    if (given === '') throw new CommandError('The settings file path is empty.');
    const path = resolve(cwd, given);
    if (!existsSync(path)) throw new CommandError(`Settings file ${path} does not exist.`);
    return path;
  }
  const local = join(cwd, 'confctl.toml');
  return existsSync(local) ? local : null;
}

export function defaultValues(): SettingValues {
  const values: Record<string, unknown> = {};
  for (const [key, def] of Object.entries(settingDefs)) values[key] = structuredClone(def.default);
  return values as SettingValues;
}

export function loadSettings(options: {
  file: string | null;
  env: Env;
  cwd: string;
  /** --database, already checked to be non-empty. */
  database?: string | undefined;
}): Settings {
  const { file, env, cwd } = options;
  const values = defaultValues();
  const fromFile = file === null ? new Set<string>() : applyFile(values, file);
  // A path set in the settings file is relative to that file's folder; any other, to the working folder.
  const abs = (key: SettingKey, path: string) =>
    isAbsolute(path) ? path : resolve(fromFile.has(key) && file !== null ? dirname(file) : cwd, path);

  values['filesystem.data'] = env.CONFCTL_DATA_DIR
    ? resolve(cwd, env.CONFCTL_DATA_DIR)
    : abs('filesystem.data', values['filesystem.data']);
  refuseOtherScheme(values['database.name']);
  for (const key of ['filesystem.htmlexport', 'filesystem.static', 'database.name'] as const) {
    if (values[key] !== '' && !isDatabaseUrl(values[key])) values[key] = abs(key, values[key]);
  }
  values['fixtures.dirs'] = values['fixtures.dirs'].map((d) => abs('fixtures.dirs', d));
  values['i18n.locale_dirs'] = values['i18n.locale_dirs'].map((d) => abs('i18n.locale_dirs', d));
  values['apps.path'] = values['apps.path'].map((d) => abs('apps.path', d));
  const dataDir = values['filesystem.data'];
  if (values['database.url'] !== '' && !isDatabaseUrl(values['database.url'])) throw new CommandError(`The setting database.url must be a postgres:// URL, not ${JSON.stringify(maskDatabaseUrl(values['database.url']))}: an SQLite file is database.name.`);
  // --database, then CONFCTL_DATABASE, then DATABASE_URL choose over the file: a server's URL (never a
  // file name below the working folder) as database.url, a path as database.name.
  const chosen = options.database ?? (env.CONFCTL_DATABASE || env.DATABASE_URL || undefined);
  const chosenUrl = chosen !== undefined && isDatabaseUrl(chosen);
  if (chosen !== undefined) {
    if (chosenUrl) values['database.url'] = chosen;
    else values['database.name'] = resolve(cwd, refuseOtherScheme(chosen));
  }
  const databasePath = chosen === undefined ? values['database.url'] || values['database.name'] || join(dataDir, 'db.sqlite3') : chosenUrl ? values['database.url'] : values['database.name'];
  return { file, values, dataDir, databasePath, databaseLabel: maskDatabaseUrl(databasePath) };
}

/**
 * A database value that is meant for a server but is no postgres:// URL would otherwise be taken for a
 * file below the working folder (and its text, password and all, printed as that file's name): another
 * scheme (mysql://, a mistyped postgress://, Django's sqlite:///), a scheme without its // (postgresql:/…),
 * spaces around a URL, or a libpq key=value string. Each is refused in one line, the password masked.
 */
function refuseOtherScheme(value: string): string {
  const trimmed = value.trim();
  const shown = maskDatabaseUrl(trimmed);
  if (isDatabaseUrl(trimmed) && trimmed !== value) throw new CommandError(`The database URL ${shown} has spaces around it: remove them.`);
  const scheme = urlScheme(trimmed);
  if (scheme !== null && !isDatabaseUrl(trimmed)) {
    throw new CommandError(`The database ${shown} is a ${scheme}:// URL: confctl speaks PostgreSQL (postgres:// or postgresql://) and SQLite (a file's path, without sqlite://).`);
  }
  if (/^(postgres|postgresql|pgsql|mysql|mariadb|sqlite3?|oracle|mssql):/i.test(trimmed)) {
    throw new CommandError(`The database ${shown} is not a URL confctl reads: a PostgreSQL URL begins with postgres:// (or postgresql://); an SQLite database is a file's path.`);
  }
  if (/(^|\s)(host|hostaddr|dbname|user|password|port|sslmode)\s*=/i.test(trimmed)) {
    throw new CommandError(`The database ${shown} is a libpq key=value string: confctl takes a URL, postgres://user:password@host:5432/name (a socket: postgres:///name?host=/var/run/postgresql).`);
  }
  return value;
}

/** Applies a settings file over `values`; returns the keys it set. */
function applyFile(values: SettingValues, file: string): Set<string> {
  let document: Record<string, unknown>;
  try {
    document = parseToml(readFileSync(file, 'utf8'));
  } catch (error) {
    if (error instanceof TomlError) {
      const reason = error.message.split('\n')[0]!.replace(/^Invalid TOML document: /, '');
      throw new CommandError(`${file}:${error.line}:${error.column}: ${reason}`);
    }
    throw new CommandError(`Cannot read settings file ${file}: ${(error as Error).message}`);
  }
  const target = values as Record<string, unknown>;
  const set = new Set<string>();
  const keys = Object.keys(settingDefs);
  const sections = [...new Set(keys.map((k) => k.split('.')[0]!))];
  for (const [section, table] of Object.entries(document)) {
    if (!sections.includes(section) || !isTable(table)) {
      const hint = closest(section, sections);
      throw new CommandError(
        `${file}: unknown setting "${section}"; settings are grouped in the tables ` +
          `${sections.map((s) => `[${s}]`).join(', ')}` +
          (hint && hint !== section ? `. Did you mean [${hint}]?` : '.'),
      );
    }
    for (const [name, value] of Object.entries(table)) {
      const key = `${section}.${name}`;
      if (!(key in settingDefs)) {
        const known = keys.filter((k) => k.startsWith(`${section}.`)).map((k) => k.slice(section.length + 1));
        const hint = closest(name, known);
        throw new CommandError(
          `${file}: unknown setting "${key}"` +
            (hint ? `. Did you mean "${section}.${hint}"?` : ` (known in [${section}]: ${known.join(', ')}).`),
        );
      }
      target[key] = checkValue(file, key as SettingKey, value);
      set.add(key);
    }
  }
  return set;
}

function checkValue(file: string, key: SettingKey, value: unknown): unknown {
  const def: SettingDef = settingDefs[key];
  const wrong = (expected: string) =>
    new CommandError(`${file}: setting "${key}" must be ${expected}, not ${describe(value)}.`);
  switch (def.kind) {
    case 'string':
    case 'path':
      if (typeof value !== 'string') throw wrong('a string');
      if (key === 'site.url' && !/^https?:\/\/[^/?#\s]+(\/[^?#\s]*)?$/.test(value)) throw wrong('an http:// or https:// URL');
      return value;
    case 'paths':
      if (!Array.isArray(value) || value.some((v) => typeof v !== 'string' || v === '')) {
        throw wrong('a list of paths');
      }
      return value;
    case 'integer':
    case 'number': {
      // smol-toml refuses integers it cannot hold as numbers ("cannot be represented losslessly"): no bigint arrives.
      if (typeof value !== 'number' || (def.kind === 'integer' && !Number.isInteger(value))) {
        throw wrong(def.kind === 'integer' ? 'an integer' : 'a number');
      }
      const n = Number(value);
      if ((def.min !== undefined && n < def.min) || (def.max !== undefined && n > def.max)) {
        throw wrong(`between ${def.min ?? '-∞'} and ${def.max ?? '∞'}`);
      }
      return n;
    }
    case 'secrets':
      if (!isTable(value) || Object.values(value).some((v) => typeof v !== 'string')) {
        throw wrong('a table of "<instance URL>" = "<token>" strings');
      }
      return { ...value };
  }
}

function isTable(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof Date);
}

function describe(value: unknown): string {
  if (Array.isArray(value)) return 'a list';
  if (value instanceof Date) return 'a date';
  if (isTable(value)) return 'a table';
  return `${typeof value} ${JSON.stringify(value)}`;
}

/** A value as diffsettings prints it: TOML-like, secrets masked (a database URL's password too). */
export function formatSetting(key: SettingKey, value: unknown): string {
  if ((key === 'database.name' || key === 'database.url') && typeof value === 'string') return JSON.stringify(maskDatabaseUrl(value));
  if (isSecret(key)) {
    if (typeof value === 'object' && value !== null) {
      const entries = Object.keys(value).sort().map((k) => `${JSON.stringify(k)} = "********"`);
      return `{ ${entries.join(', ')} }`.replace('{  }', '{}');
    }
    return value === '' ? '""' : '"********"';
  }
  return JSON.stringify(value);
}

export interface SettingLine {
  key: SettingKey;
  value: string;
  defaultValue: string;
  changed: boolean;
}

/** Every setting with its effective value and the value it would have with no file and no overrides. */
export function compareSettings(settings: Settings, cwd: string): SettingLine[] {
  const defaults = loadSettings({ file: null, env: {}, cwd }).values;
  return (Object.keys(settingDefs) as SettingKey[]).map((key) => ({
    key,
    value: formatSetting(key, settings.values[key]),
    defaultValue: formatSetting(key, defaults[key]),
    changed: JSON.stringify(settings.values[key]) !== JSON.stringify(defaults[key]),
  }));
}

export { isDatabaseUrl, maskDatabaseUrl };
