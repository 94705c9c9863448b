import { describe, expect, test } from 'bun:test';
import { createLogger, sqlTiming, type Verbosity } from '../../commands/_kit/output.ts';
import { createStyle } from '../../commands/_kit/style.ts';

const logAll = (verbosity: Verbosity, color = false) => {
  let stderr = '';
  const logger = createLogger({ verbosity, stderr: { isTTY: false, write: (t) => void (stderr += t) }, style: createStyle(color) });
  logger.error('e');
  logger.warn('w');
  logger.info('i');
  logger.success('s');
  logger.debug('d');
  logger.trace('t');
  return stderr;
};

describe('the logger', () => {
  test('verbosity gates the levels: 0 errors, 1 normal, 2 debug, 3 everything', () => {
    expect(logAll(0)).toBe('e\n');
    expect(logAll(1)).toBe('e\nWarning: w\ni\ns\n');
    expect(logAll(2)).toBe('e\nWarning: w\ni\ns\nd\n');
    expect(logAll(3)).toBe('e\nWarning: w\ni\ns\nd\nt\n');
  });

  test('colour only when the style says so', () => {
    expect(logAll(1, true)).toBe('\x1b[1m\x1b[31me\x1b[39m\x1b[22m\n\x1b[33mWarning: w\x1b[39m\ni\n\x1b[32ms\x1b[39m\n');
  });
});

describe('sqlTiming', () => {
  test("a query's time in seconds with three decimals, as Django's backend logs it", () => {
    expect(sqlTiming('SELECT 1', 0.04)).toBe('(0.000) SELECT 1');
    expect(sqlTiming('SELECT 1', 2.4)).toBe('(0.002) SELECT 1');
    expect(sqlTiming('SELECT 1', 1234.6)).toBe('(1.235) SELECT 1');
  });
});
