import { describe, expect, test } from 'bun:test';
import { addDays, daysBetween, wallClock, zonedInstant } from '../../core/common/tz.ts';

describe('time zones', () => {
  test('a Berlin wall-clock time becomes the right instant in winter and in summer', () => {
    expect(zonedInstant('2026-03-10', '09:00', 'Europe/Berlin').toISOString()).toBe('2026-03-10T08:00:00.000Z');
    expect(zonedInstant('2026-07-10', '09:00', 'Europe/Berlin').toISOString()).toBe('2026-07-10T07:00:00.000Z');
    expect(zonedInstant('2026-03-10', '09:00', 'UTC').toISOString()).toBe('2026-03-10T09:00:00.000Z');
    expect(zonedInstant('2026-03-10', '09:00', 'Asia/Kolkata').toISOString()).toBe('2026-03-10T03:30:00.000Z');
  });

  test('the day clocks change (2026-03-29 in Berlin) keeps times after the change right', () => {
    expect(zonedInstant('2026-03-29', '14:00', 'Europe/Berlin').toISOString()).toBe('2026-03-29T12:00:00.000Z');
    expect(zonedInstant('2026-03-29', '01:00', 'Europe/Berlin').toISOString()).toBe('2026-03-29T00:00:00.000Z');
  });

  test('wall clock and offset of an instant', () => {
    expect(wallClock(new Date('2026-03-10T08:00:00Z'), 'Europe/Berlin')).toEqual({ date: '2026-03-10', time: '09:00', offsetMinutes: 60 });
    expect(wallClock(new Date('2026-12-31T23:30:00Z'), 'Europe/Berlin')).toEqual({ date: '2027-01-01', time: '00:30', offsetMinutes: 60 });
  });

  test('date arithmetic across months and years', () => {
    expect(addDays('2026-02-27', 2)).toBe('2026-03-01');
    expect(addDays('2026-01-01', -1)).toBe('2025-12-31');
    expect(daysBetween('2026-03-10', '2026-03-22')).toBe(12);
    expect(daysBetween('2026-03-22', '2026-03-10')).toBe(-12);
  });
});
