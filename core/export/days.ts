import { addDays, daysBetween, wallClock } from '../common/tz.ts';

/**
 * The day a slot belongs to, as c3voc's feeds and pretalx count them: its local date, except that a
 * slot starting before 03:00 is the night of the day before (not on the event's first day, when given).
 */
export function dayOfSlot(start: Date, timezone: string, dateFrom?: string): string {
  const local = wallClock(start, timezone);
  return local.time < '03:00' && local.date !== dateFrom ? addDays(local.date, -1) : local.date;
}

/**
 * The event's days, each with its slots in order, for every output alike (schedule.json and .xml,
 * the grid and the list): from the first to the last day of the event, widened to the days of
 * slots outside them, so that no slot of the database is missing from any output.
 */
export function scheduleDays<S extends { start: Date }>(event: { dateFrom: string; dateTo: string; timezone: string }, slots: readonly S[]): { index: number; date: string; slots: S[] }[] {
  const byDay = new Map<string, S[]>();
  for (const slot of slots) {
    const day = dayOfSlot(slot.start, event.timezone, event.dateFrom);
    byDay.get(day)?.push(slot) ?? byDay.set(day, [slot]);
  }
  const known = [...byDay.keys()].sort();
  const first = known[0] !== undefined && known[0] < event.dateFrom ? known[0] : event.dateFrom;
  const last = known.at(-1) !== undefined && known.at(-1)! > event.dateTo ? known.at(-1)! : event.dateTo;
  return Array.from({ length: daysBetween(first, last) + 1 }, (_, i) => {
    const date = addDays(first, i);
    return { index: i + 1, date, slots: byDay.get(date) ?? [] };
  });
}
