/** Wall-clock times in an IANA zone, without a time-zone library: Intl knows the offsets. */
const formats = new Map<string, Intl.DateTimeFormat>();

function format(timeZone: string): Intl.DateTimeFormat {
  let f = formats.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    });
    formats.set(timeZone, f);
  }
  return f;
}

type WallClock = Readonly<{ date: string; time: string; offsetMinutes: number }>;
/** Intl's formatToParts is slow and a programme has few distinct start times: remember them. */
const remembered = new Map<string, WallClock>();

/** The wall-clock fields of `instant` in `timeZone`. */
export function wallClock(instant: Date, timeZone: string): WallClock {
  const key = `${timeZone} ${instant.getTime()}`;
  let known = remembered.get(key);
  if (!known) {
    if (remembered.size >= 50_000) remembered.clear();
    known = Object.freeze(computeWallClock(instant, timeZone));
    remembered.set(key, known);
  }
  return known;
}

function computeWallClock(instant: Date, timeZone: string): { date: string; time: string; offsetMinutes: number } {
  const parts = Object.fromEntries(format(timeZone).formatToParts(instant).map((p) => [p.type, p.value]));
  const local = Date.UTC(+parts.year!, +parts.month! - 1, +parts.day!, +parts.hour!, +parts.minute!, +parts.second!);
  const whole = Math.floor(instant.getTime() / 1000) * 1000;
  return {
    date: `${parts.year}-${parts.month}-${parts.day}`,
    time: `${parts.hour}:${parts.minute}`,
    offsetMinutes: Math.round((local - whole) / 60000),
  };
}

/** The instant when the clocks in `timeZone` show `date` `time` (HH:MM). */
export function zonedInstant(date: string, time: string, timeZone: string): Date {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  const [hh, mm] = time.split(':').map(Number) as [number, number];
  const naive = Date.UTC(y, m - 1, d, hh, mm);
  let guess = naive;
  for (let i = 0; i < 3; i++) guess = naive - wallClock(new Date(guess), timeZone).offsetMinutes * 60000;
  return new Date(guess);
}

export function addDays(date: string, days: number): string {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  return new Date(Date.UTC(y, m - 1, d + days)).toISOString().slice(0, 10);
}

export function addMinutes(instant: Date, minutes: number): Date {
  return new Date(instant.getTime() + minutes * 60000);
}

/** Whole days from `a` to `b` (YYYY-MM-DD). */
export function daysBetween(a: string, b: string): number {
  return Math.round((Date.parse(`${b}T00:00:00Z`) - Date.parse(`${a}T00:00:00Z`)) / 86400000);
}
