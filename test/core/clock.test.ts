import { describe, expect, test } from 'bun:test';
import { createClock, parseNow } from '../../core/common/clock.ts';

describe('CONFCTL_NOW', () => {
  test('a bare date is midnight UTC', () => {
    expect(parseNow('2026-05-01').toISOString()).toBe('2026-05-01T00:00:00.000Z');
  });

  test('a date-time keeps its zone', () => {
    expect(parseNow('2026-05-01T09:00:00Z').toISOString()).toBe('2026-05-01T09:00:00.000Z');
    expect(parseNow('2026-05-01T11:00:00+02:00').toISOString()).toBe('2026-05-01T09:00:00.000Z');
    expect(parseNow('2026-05-01T09:00Z').toISOString()).toBe('2026-05-01T09:00:00.000Z');
  });

  test('anything else is refused, including a date-time without a zone', () => {
    for (const value of ['2026-05-01T09:00:00', 'tomorrow', '2026-13-01', '', '1714554000']) {
      expect(() => parseNow(value)).toThrow(/^CONFCTL_NOW must be a date/);
    }
  });

  test('a fixed clock never moves; no value means real time', () => {
    const fixed = createClock('2026-05-01');
    expect(fixed.now().getTime()).toBe(Date.UTC(2026, 4, 1));
    expect(fixed.now()).not.toBe(fixed.now());
    const real = createClock(undefined);
    expect(Math.abs(real.now().getTime() - Date.now())).toBeLessThan(1000);
  });
});
