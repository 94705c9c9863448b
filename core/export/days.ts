import { addDays, daysBetween, wallClock } from '../common/tz.ts';

/** A day as a schedule feed gives it: its date, when it starts and ends (as written), the rooms it lists. */
export interface FeedDay {
  date: string;
  start: string | null;
  end: string | null;
  /** The names of the rooms the source lists that day, in its order. */
  rooms: string[] | null;
  /** The same rooms by their id (the feed's or Pretalx's), which a rename keeps. */
  roomIds?: number[] | null;
}

/**
 * The day a slot belongs to, as c3voc's feeds and pretalx count them: its local date, except that a
 * slot starting before 03:00 is the night of the day before (not on the event's first day, when given).
 */
export function dayOfSlot(start: Date, timezone: string, dateFrom?: string): string {
  const local = wallClock(start, timezone);
  return local.time < '03:00' && local.date !== dateFrom ? addDays(local.date, -1) : local.date;
}

/**
 * The day a slot belongs to when the source gave its days: the one whose start and end hold it (a
 * feed's day_end is its last minute, 03:59, or the next day's start), else as dayOfSlot counts.
 */
export function dayOf(start: Date, timezone: string, feedDays: readonly FeedDay[] | null | undefined, dateFrom?: string): string {
  const t = start.getTime();
  const bounded = (feedDays ?? []).flatMap((d) => {
    const [from, to] = [Date.parse(d.start ?? ''), Date.parse(d.end ?? '')];
    return Number.isNaN(from) || Number.isNaN(to) ? [] : [{ date: d.date, from, to }];
  });
  const holding = bounded.find((d) => d.from <= t && t < d.to) ?? bounded.find((d) => d.from <= t && t <= d.to);
  return holding?.date ?? dayOfSlot(start, timezone, dateFrom);
}

/**
 * The event's days, each with its slots in order, for every output alike (schedule.json and .xml,
 * the grid and the list): the source's days (with their start and end) where it gave them, and the
 * event's days, widened to the days of slots outside them, so that no slot of the database is
 * missing from any output.
 */
export function scheduleDays<S extends { start: Date }>(
  event: { dateFrom: string; dateTo: string; timezone: string },
  slots: readonly S[],
  feedDays?: readonly FeedDay[] | null,
  /** The day the source filed a slot under, while that still holds (the slot did not move). */
  filed?: (slot: S) => string | null,
): { index: number; date: string; slots: S[]; feed: FeedDay | null }[] {
  const byDay = new Map<string, S[]>();
  for (const slot of slots) {
    const day = filed?.(slot) ?? dayOf(slot.start, event.timezone, feedDays, event.dateFrom);
    byDay.get(day)?.push(slot) ?? byDay.set(day, [slot]);
  }
  const feed = new Map((feedDays ?? []).map((d) => [d.date, d]));
  const known = [...byDay.keys(), ...feed.keys()].sort();
  const first = known[0] !== undefined && known[0] < event.dateFrom ? known[0] : event.dateFrom;
  const last = known.at(-1) !== undefined && known.at(-1)! > event.dateTo ? known.at(-1)! : event.dateTo;
  return Array.from({ length: daysBetween(first, last) + 1 }, (_, i) => {
    const date = addDays(first, i);
    return { index: i + 1, date, slots: byDay.get(date) ?? [], feed: feed.get(date) ?? null };
  });
}
