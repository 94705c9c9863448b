import { createHash } from 'node:crypto';
import { wallClock } from '../common/tz.ts';

/** RFC 4122 name-based UUID, version 5 (SHA-1). */
export function uuid5(name: string, namespace: string): string {
  const ns = Buffer.from(namespace.replace(/-/g, ''), 'hex');
  const hash = createHash('sha1').update(ns).update(name, 'utf8').digest();
  hash[6] = (hash[6]! & 0x0f) | 0x50;
  hash[8] = (hash[8]! & 0x3f) | 0x80;
  const hex = hash.subarray(0, 16).toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/**
 * A positive 31-bit number for a name: the id a feed gives an object its source gave none, the same
 * for the same name in any database (never a row id). 31 bits, as frab consumers keep ids in int columns.
 */
export function numericId(name: string): number {
  return createHash('sha1').update(name, 'utf8').digest().readUInt32BE(0) & 0x7fffffff || 1;
}

export const NAMESPACE_URL = '6ba7b811-9dad-11d1-80b4-00c04fd430c8';

/** `2026-03-10T09:00:00+01:00`: the instant in the event's time zone. */
export function localIso(instant: Date, timeZone: string): string {
  const { date, time, offsetMinutes } = wallClock(instant, timeZone);
  const sign = offsetMinutes < 0 ? '-' : '+';
  const abs = Math.abs(offsetMinutes);
  return `${date}T${time}:${String(instant.getUTCSeconds()).padStart(2, '0')}${sign}${String(Math.floor(abs / 60)).padStart(2, '0')}:${String(abs % 60).padStart(2, '0')}`;
}

/** `HH:MM` of a duration in minutes. */
export function hoursMinutes(minutes: number): string {
  return `${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}`;
}

/** Django's slugify: ASCII letters and digits, runs of anything else become one dash. */
export function slugify(text: string): string {
  return text
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
}

/** The name in `locale`, else English, else any. */
export function pick(map: Record<string, string> | null | undefined, locale: string): string {
  if (!map) return '';
  return map[locale] ?? map.en ?? Object.values(map)[0] ?? '';
}
