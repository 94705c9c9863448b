import { describe, expect, test } from 'bun:test';
import type { FieldDef } from '../../core/data/models.ts';
import { fromFixtureValue } from '../../core/data/values.ts';

const field = (kind: FieldDef['kind'], extra: Partial<FieldDef> = {}): FieldDef => ({ name: 'f', column: 'f', kind, nullable: true, ...extra });

describe('fixture values', () => {
  test('dates and times that exist are stored in UTC, leap days and half-hour offsets included', () => {
    expect(fromFixtureValue(field('date'), '2024-02-29')).toBe('2024-02-29');
    expect(fromFixtureValue(field('date'), '2000-02-29')).toBe('2000-02-29');
    expect(fromFixtureValue(field('datetime'), '2026-04-30T23:59:59.999999Z')).toBe('2026-04-30 23:59:59.999999');
    expect(fromFixtureValue(field('datetime'), '2026-04-30T09:00:00+05:30')).toBe('2026-04-30 03:30:00');
    expect(fromFixtureValue(field('datetime'), '2026-04-30T00:00-03:00')).toBe('2026-04-30 03:00:00');
    expect(() => fromFixtureValue(field('date'), '1900-02-29')).toThrow('f: expected a date YYYY-MM-DD, got "1900-02-29"');
  });

  test("decimal(10,2) takes what Django's DecimalField validates, and refuses what the column cannot hold", () => {
    const score = field('decimal', { digits: 10, places: 2 });
    for (const [value, stored] of [['12345678.99', 12345678.99], ['-1.5', -1.5], ['0.25', 0.25], [2, 2], [1.75, 1.75], ['00000001.00', 1]] as const) {
      expect(fromFixtureValue(score, value)).toBe(stored);
    }
    for (const value of ['123456789.5', '123456789012345678901234567890', '0.001', 9007199254740993, 1e21, 3.14159]) {
      expect(() => fromFixtureValue(score, value)).toThrow('f: expected a decimal number with at most 10 digits, 2 after the point');
    }
  });
});
