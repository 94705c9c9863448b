import type { Clock } from '../common/clock.ts';
import { fromDbDateTime, toDbDateTime } from '../common/dbtime.ts';
import { CommandError } from '../common/errors.ts';
import { localised } from './events.ts';
import { addDays, daysBetween, wallClock, zonedInstant } from '../common/tz.ts';
import { localIso } from '../export/format.ts';
import type { Db } from '../auth/users.ts';

export interface MoveResult {
  name: string;
  days: number;
  slots: number;
  schedules: number;
  availabilities: number;
  deadlines: number;
}

export async function findEvent(db: Db, slug: string) {
  const event = await db
    .selectFrom('event_event')
    .selectAll()
    .where((eb) => eb(eb.fn('lower', ['slug']), '=', slug.toLowerCase()))
    .executeTakeFirst();
  if (!event) throw new CommandError(`Could not find event with slug "${slug}".`);
  return event;
}

/**
 * Moves an event so that it starts on `date`: its dates, every slot of every schedule (WIP,
 * current and old versions), availabilities, the CfP deadline and the submission types' deadlines.
 * Times keep their wall-clock time in the event's time zone, also across a daylight-saving change.
 */
export async function moveEvent(db: Db, slug: string, date: string, clock: Clock): Promise<MoveResult> {
  const event = await findEvent(db, slug);
  const days = daysBetween(event.date_from, date);
  const result: MoveResult = { name: localised(JSON.parse(event.name)), days, slots: 0, schedules: 0, availabilities: 0, deadlines: 0 };
  if (days === 0) return result;
  const shift = (value: string | null) => {
    if (value === null) return null;
    const local = wallClock(fromDbDateTime(value), event.timezone);
    return toDbDateTime(zonedInstant(addDays(local.date, days), local.time, event.timezone));
  };

  await db
    .updateTable('event_event')
    .set({ date_from: addDays(event.date_from, days), date_to: addDays(event.date_to, days), updated: toDbDateTime(clock.now()) })
    .where('id', '=', event.id)
    .execute();

  const slots = await db
    .selectFrom('schedule_talkslot as t')
    .innerJoin('schedule_schedule as s', 's.id', 't.schedule_id')
    .select(['t.id', 't.start', 't.end', 't.schedule_id'])
    .where('s.event_id', '=', event.id)
    .where('t.start', 'is not', null)
    .execute();
  for (const slot of slots) {
    await db.updateTable('schedule_talkslot').set({ start: shift(slot.start), end: shift(slot.end) }).where('id', '=', slot.id).execute();
  }
  result.slots = slots.length;
  result.schedules = new Set(slots.map((s) => s.schedule_id)).size;

  // The days a feed gave a version (import_schedule) move with the slots, or the talks would be on
  // days of their own after the feed's old ones.
  const versions = await db.selectFrom('schedule_schedule').select(['id', 'upstream']).where('event_id', '=', event.id).where('upstream', 'is not', null).execute();
  const moved = (text: unknown) => {
    if (typeof text !== 'string' || Number.isNaN(Date.parse(text))) return text;
    const local = wallClock(new Date(text), event.timezone);
    return localIso(zonedInstant(addDays(local.date, days), local.time, event.timezone), event.timezone);
  };
  for (const version of versions) {
    const upstream = JSON.parse(version.upstream!) as { days?: unknown };
    if (!Array.isArray(upstream.days)) continue;
    upstream.days = upstream.days.map((day: unknown) => {
      if (typeof day !== 'object' || day === null) return day;
      const d = day as Record<string, unknown>;
      return { ...d, date: typeof d.date === 'string' && /^\d{4}-\d\d-\d\d$/.test(d.date) ? addDays(d.date, days) : d.date, start: moved(d.start), end: moved(d.end) };
    });
    await db.updateTable('schedule_schedule').set({ upstream: JSON.stringify(upstream) }).where('id', '=', version.id).execute();
  }

  const availabilities = await db.selectFrom('schedule_availability').select(['id', 'start', 'end']).where('event_id', '=', event.id).execute();
  for (const a of availabilities) {
    await db.updateTable('schedule_availability').set({ start: shift(a.start)!, end: shift(a.end)! }).where('id', '=', a.id).execute();
  }
  result.availabilities = availabilities.length;

  const cfp = await db.selectFrom('submission_cfp').select(['id', 'deadline']).where('event_id', '=', event.id).where('deadline', 'is not', null).execute();
  const types = await db
    .selectFrom('submission_submissiontype')
    .select(['id', 'deadline'])
    .where('event_id', '=', event.id)
    .where('deadline', 'is not', null)
    .execute();
  for (const c of cfp) await db.updateTable('submission_cfp').set({ deadline: shift(c.deadline) }).where('id', '=', c.id).execute();
  for (const t of types) {
    await db.updateTable('submission_submissiontype').set({ deadline: shift(t.deadline) }).where('id', '=', t.id).execute();
  }
  result.deadlines = cfp.length + types.length;
  return result;
}
