/**
 * Times as the database stores them: Django's SQLite format, UTC, `YYYY-MM-DD HH:MM:SS` plus
 * `.ffffff` when there are fractions of a second; dates as `YYYY-MM-DD`.
 */
export function toDbDateTime(date: Date): string {
  const iso = date.toISOString();
  const ms = date.getUTCMilliseconds();
  return `${iso.slice(0, 10)} ${iso.slice(11, 19)}${ms ? `.${String(ms * 1000).padStart(6, '0')}` : ''}`;
}

export function fromDbDateTime(value: string): Date {
  return new Date(`${value.replace(' ', 'T')}${/[zZ]|[+-]\d\d:?\d\d$/.test(value) ? '' : 'Z'}`);
}

export function toDbDate(date: Date): string {
  return date.toISOString().slice(0, 10);
}
