import type { ArgsDef } from 'citty';

/** Django's base options, on every command; declared once and spread last into each command's args. */
export const baseArgs = {
  verbosity: {
    type: 'enum',
    alias: 'v',
    options: ['0', '1', '2', '3'],
    default: '1',
    description: 'Verbosity level: 0 = minimal output, 1 = normal, 2 = verbose, 3 = very verbose (debug).',
  },
  settings: {
    type: 'string',
    valueHint: 'FILE',
    description: 'Settings file (TOML). Default: $CONFCTL_SETTINGS, else ./confctl.toml if present.',
  },
  database: {
    type: 'string',
    valueHint: 'PATH|URL',
    description: 'SQLite database file, or a postgres:// URL. Default: $CONFCTL_DATABASE, else $DATABASE_URL, else the settings, else <data dir>/db.sqlite3.',
  },
  pythonpath: { type: 'string', valueHint: 'DIR', description: "A folder where apps named alone in [apps] installed are looked for, before [apps] path (Django's --pythonpath)." },
  'skip-apps': { type: 'boolean', description: 'Load no app: the commands of confctl alone (when an app is broken).' },
  traceback: { type: 'boolean', description: 'Show the stack trace of an error, including a CommandError.' },
  color: { type: 'boolean', default: true, negativeDescription: "Don't colorize the command output." },
  'force-color': { type: 'boolean', description: 'Force colorization of the command output.' },
  'pretalx-information': {
    type: 'boolean',
    default: true,
    negativeDescription: 'Do not print the start-up header (shown at verbosity 2 and above).',
  },
} as const satisfies ArgsDef;

/** For commands that ask questions: Django's --noinput, and --no-input as citty parses it. */
export const inputArgs = {
  noinput: { type: 'boolean', description: 'Do NOT prompt the user for input of any kind.' },
  input: { type: 'boolean', default: true, negativeDescription: 'Same as --noinput.' },
} as const satisfies ArgsDef;

/** Options that are not shown under a command's own options but as "Base options". */
export const baseArgNames: ReadonlySet<string> = new Set(Object.keys(baseArgs));
