import { CommandError } from './errors.ts';

/** "Now" for every command: the real time, or CONFCTL_NOW for reproducible tests and demos. */
export interface Clock {
  now(): Date;
}

const bareDate = /^\d{4}-\d{2}-\d{2}$/;
const dateTime = /^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})$/i;

/** Parses CONFCTL_NOW: a bare date means midnight UTC; a date-time must carry Z or an offset. */
export function parseNow(value: string): Date {
  const text = value.trim();
  const iso = bareDate.test(text) ? `${text}T00:00:00Z` : text;
  const date = new Date(iso.replace(' ', 'T'));
  if ((!bareDate.test(text) && !dateTime.test(text)) || Number.isNaN(date.getTime())) {
    throw new CommandError(
      `CONFCTL_NOW must be a date (2026-05-01) or a date-time with a zone (2026-05-01T09:00:00Z), not "${value}".`,
    );
  }
  return date;
}

export function createClock(fixed: string | undefined): Clock {
  if (fixed === undefined || fixed === '') return { now: () => new Date() };
  const instant = parseNow(fixed).getTime();
  return { now: () => new Date(instant) };
}
