/** Django's `self.style`: a few named ANSI styles, switched off entirely when colour is off. */
const codes = {
  bold: [1, 22],
  red: [31, 39],
  green: [32, 39],
  yellow: [33, 39],
  cyan: [36, 39],
  gray: [90, 39],
} as const;

export type Paint = (text: string) => string;

export interface Style {
  readonly enabled: boolean;
  SUCCESS: Paint;
  ERROR: Paint;
  WARNING: Paint;
  NOTICE: Paint;
  MIGRATE_HEADING: Paint;
  MIGRATE_LABEL: Paint;
  SQL_KEYWORD: Paint;
  SQL_FIELD: Paint;
  SQL_TABLE: Paint;
  HTTP_INFO: Paint;
}

export function createStyle(enabled: boolean): Style {
  const paint =
    (...names: (keyof typeof codes)[]): Paint =>
    (text) =>
      enabled ? names.reduce((t, n) => `\x1b[${codes[n][0]}m${t}\x1b[${codes[n][1]}m`, text) : text;
  return {
    enabled,
    SUCCESS: paint('green'),
    ERROR: paint('red', 'bold'),
    WARNING: paint('yellow'),
    NOTICE: paint('red'),
    MIGRATE_HEADING: paint('cyan', 'bold'),
    MIGRATE_LABEL: paint('bold'),
    SQL_KEYWORD: paint('green', 'bold'),
    SQL_FIELD: paint('green', 'bold'),
    SQL_TABLE: paint('bold'),
    HTTP_INFO: paint('bold'),
  };
}

const ansi = /\x1b\[[0-9;]*m/g;
export function stripAnsi(text: string): string {
  return text.replace(ansi, '');
}

/**
 * Colour on a TTY only, never under NO_COLOR (any non-empty value, no-color.org) or TERM=dumb;
 * `--force-color` wins over all of that and `--no-color` over the TTY.
 */
export function wantsColor(options: {
  isTTY: boolean;
  env: Readonly<Record<string, string | undefined>>;
  noColor: boolean;
  forceColor: boolean;
}): boolean {
  if (options.forceColor) return true;
  if (options.noColor) return false;
  if (options.env.NO_COLOR) return false;
  if (options.env.TERM === 'dumb') return false;
  return options.isTTY;
}
