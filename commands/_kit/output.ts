import { createConsola, type ConsolaInstance, type LogObject } from 'consola/core';
import { formatWithOptions } from 'node:util';
import type { OutputStream } from '../../core/common/io.ts';
import type { Style } from './style.ts';

export type Verbosity = 0 | 1 | 2 | 3;
export type Logger = ConsolaInstance;

/** Django's verbosity 0/1/2/3 → consola levels: errors only, normal, verbose (debug), everything (trace). */
const levels: Record<Verbosity, number> = { 0: 0, 1: 3, 2: 4, 3: 5 };

/**
 * The one logger of a command. Every level goes to stderr: stdout carries only the command's
 * product (dumpdata, --json, SQL), so that it can be piped.
 */
export function createLogger(options: { verbosity: Verbosity; stderr: OutputStream; style: Style }): Logger {
  const { stderr, style } = options;
  const paint = (logObj: LogObject): ((text: string) => string) => {
    switch (logObj.type) {
      case 'error':
      case 'fatal':
        return style.ERROR;
      case 'warn':
        return style.WARNING;
      case 'success':
        return style.SUCCESS;
      case 'debug':
      case 'trace':
      case 'verbose':
        return (t) => (style.enabled ? `\x1b[90m${t}\x1b[39m` : t);
      default:
        return (t) => t;
    }
  };
  return createConsola({
    level: levels[options.verbosity],
    reporters: [
      {
        log(logObj) {
          const text = formatWithOptions({ colors: style.enabled }, ...logObj.args);
          const prefix = logObj.type === 'warn' ? 'Warning: ' : '';
          stderr.write(`${paint(logObj)(prefix + text)}\n`);
        },
      },
    ],
  });
}

/** A query at verbosity 3 as Django's backend logs it: `(0.002) SELECT …`, the time in seconds. */
export function sqlTiming(sql: string, milliseconds: number): string {
  return `(${(milliseconds / 1000).toFixed(3)}) ${sql}`;
}

/** Warns each of `lines` up to `max`, then how many more there were (`… and 3 more such notes`): a long list never floods stderr. */
export function warnSome(logger: Logger, lines: readonly string[], more: string, max = 20): void {
  for (const line of lines.slice(0, max)) logger.warn(line);
  if (lines.length > max) logger.warn(`… and ${lines.length - max} more ${more}`);
}
