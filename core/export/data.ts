import { fromDbDateTime } from '../common/dbtime.ts';
import { CommandError } from '../common/errors.ts';
import { LANGUAGE_CODE } from '../i18n/locales.ts';
import type { Db } from '../auth/users.ts';
import type { FeedDay } from './days.ts';
import { parseUpstream, type Upstream } from './upstream.ts';

/**
 * What a schedule export shows, read once from the database. Nothing here depends on the clock:
 * the same database gives the same export.
 */
export type I18n = Record<string, string>;

export interface ExportEvent {
  id: number;
  slug: string;
  name: I18n;
  /** The default language: its pages are at the site's root. */
  locale: string;
  /** Every language of the site, the default first; each other one's pages are under <language>/. */
  locales: string[];
  timezone: string;
  dateFrom: string;
  dateTo: string;
  primaryColor: string | null;
  landingPageText: I18n | null;
  featuredText: I18n | null;
  email: string | null;
  updated: Date;
}

export interface ExportRoom {
  id: number;
  name: I18n;
  guid: string | null;
  description: I18n | null;
  capacity: number | null;
  position: number | null;
  /** Its id on the Pretalx instance (or in the feed) it came from; null for a room made here. */
  pretalxId: number | null;
  upstream: Upstream | null;
}

export interface ExportTrack {
  id: number;
  name: I18n;
  color: string;
  /** Its id on the Pretalx instance (or in the feed) it came from; null for a track made here. */
  pretalxId: number | null;
  upstream: Upstream | null;
}

export interface ExportSpeaker {
  id: number;
  code: string;
  name: string;
  biography: string | null;
  avatarUrl: string | null;
  upstream: Upstream | null;
}

export interface ExportTalk {
  id: number;
  code: string;
  title: string;
  abstract: string | null;
  description: string | null;
  track: ExportTrack | null;
  type: I18n;
  doNotRecord: boolean;
  isFeatured: boolean;
  locale: string;
  speakers: ExportSpeaker[];
}

export interface ExportSlot {
  talk: ExportTalk;
  room: ExportRoom;
  start: Date;
  end: Date;
  /** 0 for a talk's first slot (by start) in this version, 1 for its second… (the guid rule). */
  occurrence: number;
  /** How many slots the talk has in this version. */
  occurrences: number;
  /** What the feed it was imported from said of it (its guid, id, slug, url, links…). */
  upstream: Upstream | null;
}

export interface ExportVersion {
  id: number;
  /** The work-in-progress schedule, shown to organisers only (as version "wip"). */
  wip?: boolean;
  version: string;
  published: Date;
  comment: I18n | null;
  /** Its slots; empty when they were not loaded (see `loaded`). */
  slots: ExportSlot[];
  /** Whether `slots` was read: always for the current and WIP versions, for older ones when asked for. */
  loaded: boolean;
  /** The source's days (a feed's day_start and day_end), when it came from one. */
  days: FeedDay[] | null;
}

export interface ExportData {
  event: ExportEvent;
  rooms: ExportRoom[];
  tracks: ExportTrack[];
  /** Released versions, newest first. */
  versions: ExportVersion[];
  current: ExportVersion | null;
  /** Talks of the current version, by code. */
  talks: ExportTalk[];
  /** Speakers of the current version's talks, by name. */
  speakers: ExportSpeaker[];
}

const json = <T>(text: string | null): T | null => (text === null ? null : (JSON.parse(text) as T));

/**
 * The event's languages, the default first, each once; anything but a language code (safe as a
 * folder name: event_event.locales may come from Pretalx) is left out.
 */
export function eventLanguages(locale: string, locales: string | null): string[] {
  let listed: unknown = [];
  try {
    listed = JSON.parse(locales ?? '[]');
  } catch {
    // A broken list is no list: the default language only.
  }
  const others = Array.isArray(listed) ? listed.filter((l): l is string => typeof l === 'string').map((l) => l.toLowerCase()) : [];
  return [...new Set([locale, ...others.filter((l) => LANGUAGE_CODE.test(l))])];
}

/** A version's days as its source gave them (stored by an import), each checked: untrusted. */
function feedDays(text: string | null): FeedDay[] | null {
  const value = json<{ days?: unknown }>(text);
  if (!value || !Array.isArray(value.days)) return null;
  const text_ = (v: unknown) => (typeof v === 'string' ? v : null);
  return value.days.flatMap((d: unknown) => {
    if (typeof d !== 'object' || d === null) return [];
    const day = d as Record<string, unknown>;
    if (typeof day.date !== 'string' || !/^\d{4}-\d\d-\d\d$/.test(day.date)) return [];
    const rooms = Array.isArray(day.rooms) ? day.rooms.filter((r): r is string => typeof r === 'string') : null;
    const roomIds = Array.isArray(day.roomIds) ? day.roomIds.filter((r): r is number => Number.isSafeInteger(r)) : null;
    return [{ date: day.date, start: text_(day.start), end: text_(day.end), rooms, roomIds }];
  });
}

/**
 * An event as its site shows it. `versions` says which released versions' slots to read besides the
 * current one (and the WIP one with `includeWip`): all of them (the default, for a whole export),
 * or the ones named, so that a server rendering the current schedule never reads the slots of every
 * release; the others are listed with their names, dates and comments, unloaded.
 */
export async function loadExport(db: Db, slug: string, options: { includeWip?: boolean; versions?: 'all' | readonly string[] } = {}): Promise<ExportData> {
  const row = await db
    .selectFrom('event_event')
    .selectAll()
    .where((eb) => eb(eb.fn('lower', ['slug']), '=', slug.toLowerCase()))
    .executeTakeFirst();
  if (!row) throw new CommandError(`Could not find event with slug "${slug}".`);
  const event: ExportEvent = {
    id: row.id,
    slug: row.slug,
    name: JSON.parse(row.name),
    locale: row.locale,
    locales: eventLanguages(row.locale, row.locales),
    timezone: row.timezone,
    dateFrom: row.date_from,
    dateTo: row.date_to,
    primaryColor: row.primary_color,
    landingPageText: json<I18n>(row.landing_page_text),
    featuredText: json<I18n>(row.featured_sessions_text),
    email: row.email,
    updated: fromDbDateTime(row.updated),
  };

  const rooms = (await db.selectFrom('schedule_room').selectAll().where('event_id', '=', event.id).where('hidden', '=', 0).execute())
    .map((r): ExportRoom => ({ id: r.id, name: JSON.parse(r.name), guid: r.guid, description: json(r.description), capacity: r.capacity, position: r.position, pretalxId: r.pretalx_id, upstream: parseUpstream(r.upstream) }))
    .sort((a, b) => (a.position ?? 1e9) - (b.position ?? 1e9) || a.id - b.id);
  const tracks = (await db.selectFrom('submission_track').selectAll().where('event_id', '=', event.id).orderBy('position', (ob) => ob.asc().nullsFirst()).orderBy('id').execute()).map(
    (t): ExportTrack => ({ id: t.id, name: JSON.parse(t.name), color: t.color, pretalxId: t.pretalx_id, upstream: parseUpstream(t.upstream) }),
  );
  const types = new Map(
    (await db.selectFrom('submission_submissiontype').select(['id', 'name']).where('event_id', '=', event.id).execute()).map((t) => [t.id, JSON.parse(t.name) as I18n]),
  );
  const released = await db
    .selectFrom('schedule_schedule')
    .selectAll()
    .where('event_id', '=', event.id)
    .where('version', 'is not', null)
    .where('published', 'is not', null)
    .orderBy('published', 'desc')
    .orderBy('id', 'desc')
    .execute();
  const wip = options.includeWip
    ? await db.selectFrom('schedule_schedule').selectAll().where('event_id', '=', event.id).where('version', 'is', null).executeTakeFirst()
    : undefined;
  const schedules = wip ? [...released, wip] : released;
  const wanted = options.versions ?? 'all';
  const loaded = new Set(wanted === 'all' ? schedules.map((s) => s.id) : schedules.filter((s, i) => i === 0 || s === wip || wanted.includes(s.version!)).map((s) => s.id));

  const slotRows = await db
    .selectFrom('schedule_talkslot as t')
    .innerJoin('schedule_schedule as s', 's.id', 't.schedule_id')
    .select(['t.schedule_id', 't.submission_id', 't.room_id', 't.start', 't.end', 't.upstream'])
    .where('s.event_id', '=', event.id)
    .where('s.id', 'in', [...loaded, -1])
    .where((eb) => (wip ? eb.or([eb('t.is_visible', '=', 1), eb('s.id', '=', wip.id)]) : eb('t.is_visible', '=', 1)))
    .where('t.submission_id', 'is not', null)
    .where('t.room_id', 'is not', null)
    .where('t.start', 'is not', null)
    .where('t.end', 'is not', null)
    .orderBy('t.start')
    .orderBy('t.room_id')
    .orderBy('t.id')
    .execute();
  const submissionIds = [...new Set(slotRows.map((s) => s.submission_id!))];
  const submissions = submissionIds.length === 0 ? [] : await db.selectFrom('submission_submission').selectAll().where('id', 'in', submissionIds).execute();
  const roles =
    submissionIds.length === 0
      ? []
      : await db
          .selectFrom('submission_speakerrole as r')
          .innerJoin('person_speakerprofile as p', 'p.id', 'r.speaker_id')
          .select(['r.submission_id', 'r.position', 'p.id', 'p.code', 'p.name', 'p.biography', 'p.avatar_url', 'p.upstream'])
          .where('r.submission_id', 'in', submissionIds)
          .orderBy('r.submission_id')
          .orderBy('r.position')
          .orderBy('p.id')
          .execute();
  const speakersById = new Map<number, ExportSpeaker>();
  const speakersOf = new Map<number, ExportSpeaker[]>();
  for (const r of roles) {
    if (!speakersById.has(r.id)) speakersById.set(r.id, { id: r.id, code: r.code, name: r.name, biography: r.biography, avatarUrl: r.avatar_url, upstream: parseUpstream(r.upstream) });
    const speaker = speakersById.get(r.id)!;
    speakersOf.get(r.submission_id)?.push(speaker) ?? speakersOf.set(r.submission_id, [speaker]);
  }
  const tracksById = new Map(tracks.map((t) => [t.id, t]));
  const talksById = new Map(
    submissions.map((s): [number, ExportTalk] => [
      s.id,
      {
        id: s.id,
        code: s.code,
        title: s.title,
        abstract: s.abstract,
        description: s.description,
        track: (s.track_id === null ? undefined : tracksById.get(s.track_id)) ?? null,
        type: types.get(s.submission_type_id) ?? { en: '' },
        doNotRecord: s.do_not_record === 1,
        isFeatured: s.is_featured === 1,
        locale: s.content_locale,
        speakers: speakersOf.get(s.id) ?? [],
      },
    ]),
  );
  const roomsById = new Map(rooms.map((r) => [r.id, r]));

  const rowsOf = new Map<number, typeof slotRows>();
  for (const t of slotRows) if (roomsById.has(t.room_id!)) rowsOf.get(t.schedule_id)?.push(t) ?? rowsOf.set(t.schedule_id, [t]);
  const versions = schedules.map((s): ExportVersion => {
    const slots = (rowsOf.get(s.id) ?? [])
      .map((t): ExportSlot => ({
        talk: talksById.get(t.submission_id!)!,
        room: roomsById.get(t.room_id!)!,
        start: fromDbDateTime(t.start!),
        end: fromDbDateTime(t.end!),
        occurrence: 0,
        occurrences: 1,
        upstream: parseUpstream(t.upstream),
      }));
    const seen = new Map<number, number>();
    for (const slot of slots) {
      slot.occurrence = seen.get(slot.talk.id) ?? 0;
      seen.set(slot.talk.id, slot.occurrence + 1);
    }
    for (const slot of slots) slot.occurrences = seen.get(slot.talk.id)!;
    const days = feedDays(s.upstream);
    return s.version === null
      ? { id: s.id, wip: true, version: 'wip', published: event.updated, comment: null, slots, loaded: true, days }
      : { id: s.id, version: s.version, published: fromDbDateTime(s.published!), comment: json(s.comment), slots, loaded: loaded.has(s.id), days };
  });
  const current = versions.find((v) => !v.wip) ?? null;
  // Talk pages exist for every talk shown: the current version's, and the WIP's for organisers.
  const shown = [...(current?.slots ?? []), ...(versions.find((v) => v.wip)?.slots ?? [])];
  const talks = [...new Map(shown.map((s) => [s.talk.id, s.talk])).values()].sort((a, b) => (a.code < b.code ? -1 : 1));
  const speakers = [...new Map(talks.flatMap((t) => t.speakers).map((s) => [s.id, s])).values()].sort(
    (a, b) => a.name.localeCompare(b.name, 'en') || (a.code < b.code ? -1 : 1),
  );
  return { event, rooms, tracks, versions, current, talks, speakers };
}
