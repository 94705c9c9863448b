import { createHash } from 'node:crypto';
import { isColour } from '../export/html.ts';
import { CommandError } from '../common/errors.ts';
import type { FeedDay } from '../export/days.ts';
import type { Upstream } from '../export/upstream.ts';
import { isObject, type PretalxClient, type RequestOptions } from './client.ts';

/**
 * One Pretalx event as a sync needs it, whatever API generation it came from: everything is
 * fetched before anything is written. Localised fields keep their whole locale map.
 */
export type I18n = Record<string, string>;

export interface UpRoom {
  id: number;
  guid: string | null;
  name: I18n;
  description: I18n | null;
  capacity: number | null;
  position: number | null;
  /** What a schedule feed said of it beyond the model (imports only). */
  upstream?: Upstream | null;
}
export interface UpTrack {
  id: number;
  name: I18n;
  color: string;
  position: number | null;
  /** What a schedule feed said of it beyond the model (imports only: its slug…). */
  upstream?: Upstream | null;
}
export interface UpType {
  id: number;
  name: I18n;
  defaultDuration: number;
}
export interface UpTag {
  id: number;
  tag: string;
  color: string;
}
export interface UpSpeaker {
  code: string;
  name: string;
  biography: string | null;
  avatarUrl: string | null;
  email: string | null;
  /** What a schedule feed said of it beyond the model (imports only). */
  upstream?: Upstream | null;
}
export interface UpSubmission {
  code: string;
  title: string;
  state: string;
  abstract: string | null;
  description: string | null;
  duration: number | null;
  slotCount: number;
  contentLocale: string;
  doNotRecord: boolean;
  isFeatured: boolean;
  type: number | null;
  track: number | null;
  tags: number[];
  speakers: string[];
}
export interface UpSlot {
  /** Submission code, or null for a break. */
  submission: string | null;
  room: number | null;
  start: Date | null;
  end: Date | null;
  description: I18n | null;
  /** What a schedule feed said of it beyond the model (imports only). */
  upstream?: Upstream | null;
  /** Whether pretalx shows it (organiser tokens see pretalx's is_visible); shown when not said. */
  visible?: boolean;
}
export interface Snapshot {
  api: 'v2' | 'v1' | 'legacy';
  /** The Pretalx event's time zone, when it names a valid one: the mirror shows times in it. */
  timezone?: string | null;
  version: string | null;
  /** The programme's first and last day as the source says (a feed's conference start and end), if it does. */
  dates?: { from: string; to: string } | null;
  /** The source's days with their start and end (a feed's day_start, day_end), if it gives them. */
  days?: FeedDay[] | null;
  published: Date | null;
  rooms: UpRoom[];
  tracks: UpTrack[];
  types: UpType[];
  tags: UpTag[];
  speakers: UpSpeaker[];
  submissions: UpSubmission[];
  slots: UpSlot[];
}

/**
 * Codes name folders, links and feed entries. One written like pretalx's (letters and digits, then
 * also - and _, at most 16, the length of pretalx's code fields and of confctl's code columns) is
 * kept; any other (`..`, `../../tmp/x`, `/tmp/x`, spaces, a longer one) becomes the same `X` + 15 hex
 * digits of its SHA-1 every time, so that a re-sync keeps the talk and its links match. (Up to 64
 * were kept before: PostgreSQL's varchar(16) refused a longer one, and the whole sync with it.)
 */
export function safeCode(code: string): string {
  return /^[A-Za-z0-9][A-Za-z0-9_-]{0,15}$/.test(code) ? code : `X${createHash('sha1').update(code).digest('hex').slice(0, 15).toUpperCase()}`;
}

/** Every code of a snapshot made safe (see safeCode), references included. */
export function withSafeCodes(snapshot: Snapshot): Snapshot {
  return {
    ...snapshot,
    speakers: snapshot.speakers.map((s) => ({ ...s, code: safeCode(s.code) })),
    submissions: snapshot.submissions.map((s) => ({ ...s, code: safeCode(s.code), speakers: s.speakers.map(safeCode) })),
    slots: snapshot.slots.map((s) => ({ ...s, submission: s.submission === null ? null : safeCode(s.submission) })),
  };
}

/**
 * The most characters each bounded text of a snapshot may have: the varchar(n) of its column (db/migrations),
 * as pretalx's own fields. A test holds them to the schema.
 */
export const COLUMN_LENGTHS = {
  speakerName: 120,
  speakerEmail: 254,
  avatarUrl: 500,
  title: 1000,
  state: 32,
  contentLocale: 32,
  tag: 50,
  version: 190,
} as const;

/**
 * A snapshot whose texts fit their columns, and a note for each that did not. PostgreSQL refuses a longer
 * text (the whole sync with it) where SQLite keeps it: both now keep the same. A name, title, tag, state,
 * locale or version keeps its first characters (the same ones every time, so a re-sync changes nothing);
 * an e-mail address or URL that long is left out, since a part of one would lead elsewhere.
 */
export function withinColumns(snapshot: Snapshot): { snapshot: Snapshot; notes: string[] } {
  const notes: string[] = [];
  const fit = (text: string, max: number, what: string): string => {
    if (text.length <= max) return text;
    const characters = [...text];
    if (characters.length <= max) return text;
    notes.push(`${what} has ${characters.length} characters: only the first ${max} are kept (the most the database holds).`);
    return characters.slice(0, max).join('');
  };
  const fitOrNull = (text: string | null, max: number, what: string): string | null => {
    // A string's length counts UTF-16 units, never fewer than its characters: a short one fits.
    if (text === null || text.length <= max) return text;
    const characters = [...text].length;
    if (characters <= max) return text;
    notes.push(`${what} has ${characters} characters, more than the ${max} the database holds: it is left out.`);
    return null;
  };
  const L = COLUMN_LENGTHS;
  const fitted: Snapshot = {
    ...snapshot,
    version: snapshot.version === null ? null : fit(snapshot.version, L.version, 'The schedule version'),
    tags: snapshot.tags.map((t) => ({ ...t, tag: fit(t.tag, L.tag, `Tag ${t.id}`) })),
    speakers: snapshot.speakers.map((s) => ({
      ...s,
      name: fit(s.name, L.speakerName, `The name of speaker ${s.code}`),
      email: fitOrNull(s.email, L.speakerEmail, `The e-mail address of speaker ${s.code}`),
      avatarUrl: fitOrNull(s.avatarUrl, L.avatarUrl, `The avatar URL of speaker ${s.code}`),
    })),
    submissions: snapshot.submissions.map((s) => ({
      ...s,
      title: fit(s.title, L.title, `The title of talk ${s.code}`),
      state: fit(s.state, L.state, `The state of talk ${s.code}`),
      contentLocale: fit(s.contentLocale, L.contentLocale, `The language of talk ${s.code}`),
    })),
  };
  return { snapshot: fitted, notes };
}

/** Which steps to fetch; the lookups (tracks, types, tags) come with talks. */
export interface Steps {
  rooms: boolean;
  speakers: boolean;
  talks: boolean;
  schedule: boolean;
}

// --- reading untrusted JSON, with errors that say which field of which URL --------------------------

class Shape {
  constructor(private readonly where: string) {}
  fail(field: string, expected: string, value: unknown): never {
    throw new CommandError(`Pretalx sent an unexpected ${field} (${expected} expected, got ${JSON.stringify(value)?.slice(0, 40)}) for ${this.where}.`);
  }
  int(o: Record<string, unknown>, field: string): number {
    const v = o[field];
    return typeof v === 'number' && Number.isInteger(v) ? v : this.fail(field, 'an integer', v);
  }
  intOrNull(o: Record<string, unknown>, field: string): number | null {
    const v = o[field];
    if (v === null || v === undefined) return null;
    if (isObject(v) && typeof v.id === 'number') return v.id;
    return typeof v === 'number' && Number.isInteger(v) ? v : this.fail(field, 'an integer or null', v);
  }
  str(o: Record<string, unknown>, field: string): string {
    const v = o[field];
    return typeof v === 'string' ? v : this.fail(field, 'a string', v);
  }
  strOrNull(o: Record<string, unknown>, field: string): string | null {
    const v = o[field];
    if (v === null || v === undefined) return null;
    return typeof v === 'string' ? v : this.fail(field, 'a string or null', v);
  }
  /** A localised text: `{en: …}` kept whole, a plain string as the default locale. */
  i18n(o: Record<string, unknown>, field: string, locale: string): I18n | null {
    const v = o[field];
    if (v === null || v === undefined) return null;
    if (typeof v === 'string') return { [locale]: v };
    if (isObject(v) && Object.values(v).every((x) => typeof x === 'string')) return Object.keys(v).length === 0 ? null : (v as I18n);
    return this.fail(field, 'a text or {locale: text}', v);
  }
  date(o: Record<string, unknown>, field: string): Date | null {
    const v = o[field];
    if (v === null || v === undefined) return null;
    const d = typeof v === 'string' ? new Date(v) : null;
    return d && !Number.isNaN(d.getTime()) && /[zZ]|[+-]\d\d:?\d\d$/.test(String(v)) ? d : this.fail(field, 'an ISO date-time with offset', v);
  }
  bool(o: Record<string, unknown>, field: string): boolean {
    const v = o[field];
    return v === true;
  }
}

const byCode = (item: Record<string, unknown>) => String(item.code);
const byId = (item: Record<string, unknown>) => String(item.id);

/**
 * Detects the API generation (pretalx.md §4.4): GET /api/ answers `api_version` from 2026.1 on,
 * `{"events": …}` on legacy servers, and 404 on 2025.x (v1). v2 is then asked for explicitly; a
 * server that refuses it with 400 "Unsupported version" is read as v1.
 */
export async function detectApi(client: PretalxClient): Promise<'v2' | 'v1' | 'legacy'> {
  const root = await client.get('');
  if (root.status === 404) {
    client.setVersion('v1');
    return 'v1';
  }
  if (isObject(root.body) && typeof root.body.api_version === 'string') {
    client.setVersion('v2');
    return 'v2';
  }
  if (isObject(root.body) && 'events' in root.body) {
    client.setVersion(null);
    return 'legacy';
  }
  throw new CommandError(`${client.apiBase} does not look like a Pretalx API (unexpected answer to GET /api/).`);
}

/**
 * The whole event. The API root tells the generation (detectApi), but most servers speak v2: the
 * event and its v2 lists are asked for beside the root, not one round trip after it. When the
 * root says otherwise they are abandoned (requests still waiting for a slot are never sent) and
 * the event is read in its own generation.
 */
export async function fetchSnapshot(client: PretalxClient, event: string, locale: string, steps: Steps, pageSize: number): Promise<Snapshot> {
  const base = `events/${encodeURIComponent(event)}/`;
  const detected = detectApi(client);
  const speculation = new AbortController();
  const ahead = readModern(client, event, 'v2', locale, steps, pageSize, { version: 'v2', signal: speculation.signal });
  ahead.catch(() => undefined); // Settled below, or abandoned.
  let api: Awaited<typeof detected>;
  try {
    api = await detected;
  } catch (error) {
    speculation.abort();
    throw error;
  }
  if (api === 'v2') {
    const snapshot = await ahead;
    if (snapshot !== 'refused') return snapshot;
    client.setVersion('v1');
    api = 'v1';
  } else speculation.abort();
  if (api === 'legacy') {
    const probe = await client.get(base);
    if (probe.status === 404) throw new CommandError(`Pretalx has no event "${event}" at ${client.apiBase}${base} (404).`);
    return { ...(await fetchLegacy(client, base, locale, steps, pageSize)), timezone: timezoneOf(probe.body) };
  }
  return (await readModern(client, event, 'v1', locale, steps, pageSize)) as Snapshot;
}

/**
 * The event (as a probe) beside its lists. A 404 for the event is an unknown event; 'refused' is a
 * server that refuses v2 with 400 (pretalx.md §4.4: then read it as v1).
 */
async function readModern(client: PretalxClient, event: string, api: 'v2' | 'v1', locale: string, steps: Steps, pageSize: number, request: RequestOptions = {}): Promise<Snapshot | 'refused'> {
  const base = `events/${encodeURIComponent(event)}/`;
  // The lists first: the long ones' second pages can then leave in the second round of requests.
  const lists = fetchModern(client, base, api, locale, steps, pageSize, request);
  const [probe, result] = await Promise.allSettled([client.get(base, {}, request), lists]);
  if (probe.status === 'fulfilled' && probe.value.status === 404) throw new CommandError(`Pretalx has no event "${event}" at ${client.apiBase}${base} (404).`);
  if (probe.status === 'fulfilled' && probe.value.status === 400 && api === 'v2') return 'refused';
  if (probe.status === 'rejected') throw probe.reason;
  if (result.status === 'rejected') throw result.reason;
  return { ...result.value, timezone: timezoneOf(probe.value.body) };
}

/** A colour from Pretalx, if it is one (#rgb or #rrggbb, lower case); anything else is black. It ends up in CSS. */
export function colour(value: string | null): string {
  return value !== null && isColour(value) ? value.toLowerCase() : '#000000';
}

/** An event's `timezone`, if it is one this runtime knows (untrusted: anything else is ignored). */
function timezoneOf(event: unknown): string | null {
  return isObject(event) && typeof event.timezone === 'string' ? knownZone(event.timezone) : null;
}

/** A time zone name this runtime knows, in its canonical spelling (real legacy servers send "Europe/berlin"); else null. */
export function knownZone(name: string): string | null {
  try {
    return new Intl.DateTimeFormat('en', { timeZone: name }).resolvedOptions().timeZone;
  } catch {
    return null;
  }
}

async function fetchModern(client: PretalxClient, base: string, api: 'v2' | 'v1', locale: string, steps: Steps, pageSize: number, request: RequestOptions): Promise<Snapshot> {
  const list = (path: string, key: (i: Record<string, unknown>) => string) => client.list(`${base}${path}`, { key, pageSize, ...request });
  const none = Promise.resolve([] as Record<string, unknown>[]);
  const wantsLookups = steps.talks || steps.schedule;
  // The lists that run to several pages are asked for first, so that their next pages leave early.
  const [speakers, submissions, slots, rooms, tracks, types, tags, latest] = await Promise.all([
    steps.speakers ? list('speakers/', byCode) : none,
    steps.talks || steps.schedule ? list('submissions/', byCode) : none,
    steps.schedule ? list('slots/', byId) : none,
    steps.rooms || steps.schedule ? list('rooms/', byId) : none,
    wantsLookups ? list('tracks/', byId) : none,
    wantsLookups ? list('submission-types/', byId) : none,
    wantsLookups ? list('tags/', byId) : none,
    steps.schedule ? client.get(`${base}schedules/latest/`, {}, request) : Promise.resolve(null),
  ]);
  const shape = (what: string) => new Shape(`${client.apiBase}${base}${what}`);
  const r = shape('rooms/');
  const t = shape('tracks/');
  const ty = shape('submission-types/');
  const tg = shape('tags/');
  const sp = shape('speakers/');
  const su = shape('submissions/');
  const sl = shape('slots/');
  let version: string | null = null;
  let published: Date | null = null;
  if (latest && latest.status === 200 && isObject(latest.body)) {
    const s = shape('schedules/latest/');
    version = s.strOrNull(latest.body, 'version');
    published = s.date(latest.body, 'published');
  }
  return {
    api,
    version,
    published,
    rooms: rooms.map((o) => roomFields(r, o, locale)),
    tracks: tracks.map((o) => ({ id: t.int(o, 'id'), name: t.i18n(o, 'name', locale) ?? { [locale]: '' }, color: colour(t.strOrNull(o, 'color')), position: t.intOrNull(o, 'position') })),
    types: types.map((o) => ({ id: ty.int(o, 'id'), name: ty.i18n(o, 'name', locale) ?? { [locale]: '' }, defaultDuration: ty.intOrNull(o, 'default_duration') ?? 30 })),
    tags: tags.map((o) => ({ id: tg.int(o, 'id'), tag: tg.str(o, 'tag'), color: colour(tg.strOrNull(o, 'color')) })),
    speakers: speakers.map((o) => ({
      code: sp.str(o, 'code'),
      name: sp.strOrNull(o, 'name') ?? '',
      biography: sp.strOrNull(o, 'biography'),
      avatarUrl: sp.strOrNull(o, 'avatar_url') ?? sp.strOrNull(o, 'avatar'),
      email: sp.strOrNull(o, 'email'),
    })),
    submissions: submissions.map((o) => ({
      ...talkFields(su, o, locale),
      type: su.intOrNull(o, 'submission_type'),
      track: su.intOrNull(o, 'track'),
      tags: Array.isArray(o.tags) ? o.tags.map((x) => (typeof x === 'number' ? x : isObject(x) && typeof x.id === 'number' ? x.id : su.fail('tags', 'ids', o.tags))) : [],
      speakers: Array.isArray(o.speakers) ? o.speakers.map((x) => (typeof x === 'string' ? x : isObject(x) && typeof x.code === 'string' ? x.code : su.fail('speakers', 'codes', o.speakers))) : [],
    })),
    slots: slots.map((o) => ({
      submission: isObject(o.submission) ? sl.str(o.submission, 'code') : sl.strOrNull(o, 'submission'),
      room: sl.intOrNull(o, 'room'),
      start: sl.date(o, 'start'),
      end: sl.date(o, 'end'),
      description: sl.i18n(o, 'description', locale),
      // An organiser token sees pretalx's is_visible (false for a talk not confirmed when the schedule was released).
      ...(typeof o.is_visible === 'boolean' ? { visible: o.is_visible } : {}),
    })),
  };
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** A room, as every API version shows it. */
function roomFields(r: Shape, o: Record<string, unknown>, locale: string): UpRoom {
  return {
    id: r.int(o, 'id'),
    // Without a guid of its own, the uuid pretalx derives (v1+; uuid5 of its instance and "room:<id>") is the one its own schedule.json gives the room.
    guid: r.strOrNull(o, 'guid') ?? (typeof o.uuid === 'string' && UUID.test(o.uuid) ? o.uuid : null),
    name: r.i18n(o, 'name', locale) ?? { [locale]: `Room ${o.id}` },
    description: r.i18n(o, 'description', locale),
    capacity: r.intOrNull(o, 'capacity'),
    position: r.intOrNull(o, 'position'),
  };
}

/** The fields of a talk that every API version names alike. */
function talkFields(su: Shape, o: Record<string, unknown>, locale: string): Omit<UpSubmission, 'type' | 'track' | 'tags' | 'speakers'> {
  return {
    code: su.str(o, 'code'),
    title: su.strOrNull(o, 'title') ?? '',
    state: su.str(o, 'state'),
    abstract: su.strOrNull(o, 'abstract'),
    description: su.strOrNull(o, 'description'),
    duration: su.intOrNull(o, 'duration'),
    slotCount: su.intOrNull(o, 'slot_count') ?? 1,
    contentLocale: su.strOrNull(o, 'content_locale') ?? locale,
    doNotRecord: su.bool(o, 'do_not_record'),
    isFeatured: su.bool(o, 'is_featured'),
  };
}

/**
 * The legacy API (pretalx ≤ 2024.3, LEGACY tokens later): limit/offset pages (followed by their
 * next links like any other), names beside ids (submission_type + submission_type_id, track +
 * track_id, tags + tag_ids), speakers inline, ONE `slot` per talk, and schedules/latest/ with the
 * released talks and the breaks. Types, tracks and tags come from the talks that use them.
 */
async function fetchLegacy(client: PretalxClient, base: string, locale: string, steps: Steps, pageSize: number): Promise<Snapshot> {
  const none = Promise.resolve([] as Record<string, unknown>[]);
  const [rooms, speakers, submissions, latest] = await Promise.all([
    steps.rooms || steps.schedule ? client.list(`${base}rooms/`, { key: byId, pageSize }) : none,
    steps.speakers ? client.list(`${base}speakers/`, { key: byCode, pageSize }) : none,
    steps.talks ? client.list(`${base}submissions/`, { key: byCode, pageSize }) : none,
    steps.schedule || steps.talks ? client.get(`${base}schedules/latest/`) : Promise.resolve(null),
  ]);
  const r = new Shape(`${client.apiBase}${base}rooms/`);
  const su = new Shape(`${client.apiBase}${base}submissions/`);
  const sc = new Shape(`${client.apiBase}${base}schedules/latest/`);
  const released = latest && latest.status === 200 && isObject(latest.body) ? latest.body : null;
  const releasedTalks = released && Array.isArray(released.slots) ? released.slots.filter(isObject) : [];
  // Talks from submissions/ when asked for, else the released ones; both carry the same shape.
  const talks = submissions.length > 0 ? submissions : steps.talks ? releasedTalks : [];
  const types = new Map<number, UpType>();
  const tracks = new Map<number, UpTrack>();
  const tags = new Map<number, UpTag>();
  const inlineSpeakers = new Map<string, UpSpeaker>();
  const mapped = talks.map((o): UpSubmission => {
    const typeId = su.intOrNull(o, 'submission_type_id');
    if (typeId !== null) types.set(typeId, { id: typeId, name: su.i18n(o, 'submission_type', locale) ?? { [locale]: '' }, defaultDuration: su.intOrNull(o, 'duration') ?? 30 });
    const trackId = su.intOrNull(o, 'track_id');
    if (trackId !== null) tracks.set(trackId, { id: trackId, name: su.i18n(o, 'track', locale) ?? { [locale]: '' }, color: '#000000', position: null });
    const tagIds = Array.isArray(o.tag_ids) ? o.tag_ids.filter((x): x is number => typeof x === 'number') : [];
    const tagNames = Array.isArray(o.tags) ? o.tags : [];
    tagIds.forEach((id, i) => tags.set(id, { id, tag: typeof tagNames[i] === 'string' ? (tagNames[i] as string) : String(id), color: '#000000' }));
    const people = (Array.isArray(o.speakers) ? o.speakers : []).filter(isObject);
    for (const p of people) {
      if (typeof p.code === 'string') inlineSpeakers.set(p.code, { code: p.code, name: typeof p.name === 'string' ? p.name : '', biography: typeof p.biography === 'string' ? p.biography : null, avatarUrl: typeof p.avatar === 'string' ? p.avatar : null, email: typeof p.email === 'string' ? p.email : null });
    }
    return {
      ...talkFields(su, o, locale),
      type: typeId,
      track: trackId,
      tags: tagIds,
      speakers: people.map((p) => String(p.code)),
    };
  });
  const listed = speakers.map((o): UpSpeaker => {
    const sp = new Shape(`${client.apiBase}${base}speakers/`);
    return { code: sp.str(o, 'code'), name: sp.strOrNull(o, 'name') ?? '', biography: sp.strOrNull(o, 'biography'), avatarUrl: sp.strOrNull(o, 'avatar') ?? sp.strOrNull(o, 'avatar_url'), email: sp.strOrNull(o, 'email') };
  });
  const allSpeakers = new Map([...(steps.speakers ? inlineSpeakers : new Map<string, UpSpeaker>()), ...listed.map((s) => [s.code, s] as const)]);
  const slots: UpSlot[] = steps.schedule
    ? [
        ...releasedTalks.filter((o) => isObject(o.slot)).map((o) => {
          const slot = o.slot as Record<string, unknown>;
          return { submission: sc.str(o, 'code'), room: sc.intOrNull(slot, 'room_id'), start: sc.date(slot, 'start'), end: sc.date(slot, 'end'), description: null };
        }),
        ...(released && Array.isArray(released.breaks) ? released.breaks.filter(isObject) : []).map((b) => ({
          submission: null,
          room: sc.intOrNull(b, 'room_id'),
          start: sc.date(b, 'start'),
          end: sc.date(b, 'end'),
          description: sc.i18n(b, 'description', locale),
        })),
      ]
    : [];
  return {
    api: 'legacy',
    version: released ? sc.strOrNull(released, 'version') : null,
    published: null,
    rooms: rooms.map((o) => roomFields(r, o, locale)),
    tracks: [...tracks.values()],
    types: [...types.values()],
    tags: [...tags.values()],
    speakers: [...allSpeakers.values()],
    submissions: mapped,
    slots,
  };
}
