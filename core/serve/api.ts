import type { Db } from '../auth/users.ts';
import { fromDbDateTime } from '../common/dbtime.ts';
import { localIso } from '../export/format.ts';

/**
 * A read-only API compatible with Pretalx's v2 for what confctl holds, as an anonymous client sees
 * it: public events only, and of those the talks, speakers and slots of the current released
 * schedule. Lists are paginated as Pretalx paginates them ({count, next, previous, results}, page
 * and page_size, absolute next links); /api/events/ is a bare array.
 */
export interface ApiContext {
  db: Db;
  /** The absolute URL of the request, for next links. */
  url: URL;
  version: string;
  maxPageSize: number;
}

type Json = Record<string, unknown>;

const i18n = (text: string | null) => (text === null ? null : (JSON.parse(text) as Record<string, string>));

function groupBy<T, K>(items: readonly T[], key: (item: T) => K): Map<K, T[]> {
  const groups = new Map<K, T[]>();
  for (const item of items) groups.get(key(item))?.push(item) ?? groups.set(key(item), [item]);
  return groups;
}

function paged(ctx: ApiContext, items: Json[]): Json {
  const size = Math.min(Math.max(1, Number(ctx.url.searchParams.get('page_size')) || 50), ctx.maxPageSize);
  const current = Math.max(1, Number(ctx.url.searchParams.get('page')) || 1);
  const link = (n: number) => {
    const u = new URL(ctx.url.href);
    u.searchParams.set('page', String(n));
    return u.href;
  };
  return {
    count: items.length,
    next: current * size < items.length ? link(current + 1) : null,
    previous: current > 1 ? link(current - 1) : null,
    results: items.slice((current - 1) * size, current * size),
  };
}

async function publicEvent(db: Db, slug: string) {
  return db
    .selectFrom('event_event')
    .selectAll()
    .where((eb) => eb(eb.fn('lower', ['slug']), '=', slug.toLowerCase()))
    .where('is_public', '=', 1)
    .executeTakeFirst();
}

async function currentSchedule(db: Db, eventId: number) {
  return db
    .selectFrom('schedule_schedule')
    .selectAll()
    .where('event_id', '=', eventId)
    .where('version', 'is not', null)
    .where('published', 'is not', null)
    .orderBy('published', 'desc')
    .orderBy('id', 'desc')
    .executeTakeFirst();
}

/** The API's answer to a path below /api/, or null for "no such resource" (404). */
export async function apiResponse(ctx: ApiContext, path: string): Promise<Json | Json[] | null> {
  const { db } = ctx;
  const origin = ctx.url.origin;
  if (path === '') return { name: 'confctl', version: ctx.version, api_version: 'v2', urls: { events: `${origin}/api/events/` } };
  const events = (await db.selectFrom('event_event').selectAll().where('is_public', '=', 1).orderBy('date_from').orderBy('slug').execute());
  if (path === 'events/') return events.map((e) => ({ name: i18n(e.name), slug: e.slug, is_public: true, date_from: e.date_from, date_to: e.date_to, timezone: e.timezone }));
  const match = /^events\/([^/]+)\/(.*)$/.exec(path);
  if (!match) return null;
  const event = await publicEvent(db, decodeURIComponent(match[1]!));
  if (!event) return null;
  const rest = match[2]!;
  const tz = event.timezone;
  if (rest === '') {
    return {
      name: i18n(event.name), slug: event.slug, is_public: true, date_from: event.date_from, date_to: event.date_to, timezone: tz, email: event.email,
      primary_color: event.primary_color, custom_domain: null, logo: null, header_image: null, og_image: null, locale: event.locale,
      locales: JSON.parse(event.locales), content_locales: JSON.parse(event.content_locales),
    };
  }
  const schedule = await currentSchedule(db, event.id);
  const slots = schedule
    ? await db
        .selectFrom('schedule_talkslot as t')
        .leftJoin('submission_submission as s', 's.id', 't.submission_id')
        .select(['t.id', 't.room_id', 't.start', 't.end', 't.description', 't.schedule_id', 's.code'])
        .where('t.schedule_id', '=', schedule.id)
        .where('t.is_visible', '=', 1)
        .where('t.start', 'is not', null)
        .orderBy('t.start')
        .orderBy('t.room_id')
        .orderBy('t.id')
        .execute()
    : [];
  const visibleCodes = new Set(slots.map((s) => s.code).filter((c): c is string => c !== null));
  const submissions = (await db.selectFrom('submission_submission').selectAll().where('event_id', '=', event.id).orderBy('code').execute()).filter((s) => visibleCodes.has(s.code));
  const roles = await db
    .selectFrom('submission_speakerrole as r')
    .innerJoin('person_speakerprofile as p', 'p.id', 'r.speaker_id')
    .innerJoin('submission_submission as s', 's.id', 'r.submission_id')
    .select(['s.code as submission', 'p.code as speaker', 'r.position'])
    .where('p.event_id', '=', event.id)
    .orderBy('r.position')
    .execute();
  const visibleRoles = roles.filter((r) => visibleCodes.has(r.submission));
  const minutes = (a: string, b: string) => Math.round((fromDbDateTime(b).getTime() - fromDbDateTime(a).getTime()) / 60000);
  const time = (t: string | null) => (t === null ? null : localIso(fromDbDateTime(t), tz));
  // pretalx's detail endpoints (submissions/<code>/, speakers/<code>/, rooms/<id>/ …): the item of the list, or 404.
  const detail = /^(rooms|tracks|submission-types|tags|speakers|submissions|slots)\/([^/]+)\/$/.exec(rest);
  const key = detail ? decodeURIComponent(detail[2]!) : null;
  const page = (ctx: ApiContext, items: Json[]): Json | null =>
    key === null ? paged(ctx, items) : (items.find((item) => String((item as { code?: unknown; id?: unknown }).code ?? (item as { id?: unknown }).id) === key) ?? null);
  switch (detail ? `${detail[1]}/` : rest) {
    case 'rooms/': {
      const rooms = await db.selectFrom('schedule_room').selectAll().where('event_id', '=', event.id).where('hidden', '=', 0).orderBy('position', (ob) => ob.asc().nullsFirst()).orderBy('id').execute();
      return page(ctx, rooms.map((r) => ({ id: r.id, name: i18n(r.name), description: i18n(r.description) ?? {}, uuid: r.guid, guid: r.guid, capacity: r.capacity, position: r.position, hidden: false })));
    }
    case 'tracks/': {
      const tracks = await db.selectFrom('submission_track').selectAll().where('event_id', '=', event.id).orderBy('position', (ob) => ob.asc().nullsFirst()).orderBy('id').execute();
      return page(ctx, tracks.map((t) => ({ id: t.id, name: i18n(t.name), description: i18n(t.description) ?? {}, color: t.color, position: t.position, requires_access_code: t.requires_access_code === 1, attendee_signup_required: t.attendee_signup_required === 1 })));
    }
    case 'submission-types/': {
      const types = await db.selectFrom('submission_submissiontype').selectAll().where('event_id', '=', event.id).orderBy('id').execute();
      return page(ctx, types.map((t) => ({ id: t.id, name: i18n(t.name), default_duration: t.default_duration, deadline: null, requires_access_code: t.requires_access_code === 1, attendee_signup_required: t.attendee_signup_required === 1 })));
    }
    case 'tags/': {
      const tags = await db.selectFrom('submission_tag').selectAll().where('event_id', '=', event.id).where('is_public', '=', 1).orderBy('id').execute();
      return page(ctx, tags.map((t) => ({ id: t.id, tag: t.tag, description: i18n(t.description) ?? {}, color: t.color, is_public: true })));
    }
    case 'speakers/': {
      const talksOf = groupBy(visibleRoles, (r) => r.speaker);
      const speakers = (await db.selectFrom('person_speakerprofile').selectAll().where('event_id', '=', event.id).orderBy('code').execute()).filter((p) => talksOf.has(p.code));
      return page(ctx, speakers.map((p) => ({ code: p.code, name: p.name, biography: p.biography, submissions: talksOf.get(p.code)!.map((r) => r.submission), avatar_url: p.avatar_url, answers: [] })));
    }
    case 'submissions/': {
      const tagsOf = groupBy(await db.selectFrom('submission_submission_tags').select(['submission_id', 'tag_id']).orderBy('tag_id').execute(), (t) => t.submission_id);
      const speakersOf = groupBy(visibleRoles, (r) => r.submission);
      const slotsOf = groupBy(slots, (t) => t.code);
      // is_featured is not in v2's list; confctl adds it so that a confctl mirror keeps the flag.
      return page(ctx, submissions.map((s) => ({
        code: s.code, title: s.title, speakers: (speakersOf.get(s.code) ?? []).map((r) => r.speaker), submission_type: s.submission_type_id, track: s.track_id,
        tags: (tagsOf.get(s.id) ?? []).map((t) => t.tag_id), state: s.state, abstract: s.abstract, description: s.description, duration: s.duration,
        slot_count: s.slot_count, content_locale: s.content_locale, do_not_record: s.do_not_record === 1, is_featured: s.is_featured === 1, image: null, resources: [],
        slots: (slotsOf.get(s.code) ?? []).map((t) => t.id), answers: [], attendee_signup_required: null, attendee_signup_capacity: null, signup_status: null,
      })));
    }
    case 'slots/':
      return page(ctx, slots.map((t) => ({ id: t.id, room: t.room_id, start: time(t.start), end: time(t.end), submission: t.code, schedule: t.schedule_id, description: i18n(t.description) ?? {}, duration: t.start && t.end ? minutes(t.start, t.end) : null })));
    case 'schedules/':
      return page(ctx, schedule ? [{ id: schedule.id, version: schedule.version, published: time(schedule.published) }] : []);
    case 'schedules/latest/':
      return schedule ? { id: schedule.id, version: schedule.version, published: time(schedule.published), comment: i18n(schedule.comment) ?? {}, slots: slots.map((t) => t.id) } : null;
    default:
      return null;
  }
}
