import { createHash } from 'node:crypto';
import { gunzipSync } from 'node:zlib';
import { CommandError } from '../common/errors.ts';
import { zonedInstant } from '../common/tz.ts';
import type { FeedDay } from '../export/days.ts';
import { NAMESPACE_URL, uuid5 } from '../export/format.ts';
import { any, bool, list, text as isText, type Upstream, upstreamOf } from '../export/upstream.ts';
import { isObject, withoutNul } from './client.ts';
import type { Snapshot, UpRoom, UpSlot, UpSpeaker, UpSubmission, UpTrack, UpType } from './snapshot.ts';
import { colour, knownZone, safeCode, withinColumns, withSafeCodes } from './snapshot.ts';

/**
 * A schedule file as a snapshot: c3voc schedule.json or frab schedule.xml (pretalx and frab
 * exports), gzipped or not, told apart by their content. Real files break the schema in many ways,
 * so this takes what is usable and reports what it skipped. Identities: a talk by its code (or the
 * code in its pretalx URL), else by a code made from its guid; a room by its guid when the file's guids are unique, else by name;
 * a person by code, else by frab id, else by guid, else by name.
 */
export interface Imported {
  snapshot: Snapshot;
  /** Events not imported, each with its reason. */
  skipped: string[];
  /** Everything else of the file that was not taken as it stood (entries that are no room or person, shared guids), said once each. */
  notes: string[];
}

/**
 * The talk code in a pretalx (or confctl) talk URL, `…/talk/MJA8QY/`: pretalx's c3voc export leaves
 * `code` out of some events (rc3's), and a repeat carries no code, but its URL names its talk.
 */
function codeFromUrl(url: string | null): string | null {
  return url === null ? null : (/\/talk\/([A-Za-z0-9]{1,16})\/?(?:[?#].*)?$/.exec(url)?.[1] ?? null);
}

/** A stable positive 31-bit id for a key (the upstream id of rooms, tracks and types in an import). */
const idFor = (kind: string, key: string) => createHash('sha1').update(`${kind}:${key}`).digest().readUInt32BE(0) & 0x7fffffff;
/**
 * Codes for guids (of events without a code: G…, of people without a code or id: Q…): the prefix
 * and the guid's first 15 hex digits, unless two different guids share those (UUIDv7s made in one
 * millisecond, hand-made guids): then each of them gets the `hashed` letter and 15 hex digits of its
 * SHA-1, so that no two merge.
 */
function guidCodes(guids: readonly string[], prefix: string, hashed: string): Map<string, string> {
  const hex = (guid: string) => guid.replace(/[^0-9a-fA-F]/g, '').toUpperCase();
  const byPrefix = new Map<string, Set<string>>();
  for (const guid of guids) {
    const start = `${prefix}${hex(guid).slice(0, 15)}`;
    byPrefix.set(start, (byPrefix.get(start) ?? new Set()).add(hex(guid)));
  }
  const codes = new Map<string, string>();
  for (const guid of guids) {
    const start = `${prefix}${hex(guid).slice(0, 15)}`;
    codes.set(guid, byPrefix.get(start)!.size === 1 ? start : `${hashed}${createHash('sha1').update(hex(guid)).digest('hex').slice(0, 15).toUpperCase()}`);
  }
  return codes;
}
const minutes = (duration: string) => {
  const m = /^(\d+):(\d{2})(?::\d{2})?$/.exec(duration.trim());
  return m ? Number(m[1]) * 60 + Number(m[2]) : null;
};

interface RawEvent {
  guid: string | null;
  /** The event's own code, as the feed gives it. */
  code: string | null;
  /** The code in its pretalx URL (…/talk/CODE/), for a feed that leaves codes out (rC3's). */
  urlCode: string | null;
  id: string | null;
  title: string;
  room: string;
  roomGuid: string | null;
  date: string | null;
  dayDate: string | null;
  start: string | null;
  duration: string | null;
  end: string | null;
  track: string | null;
  type: string | null;
  language: string | null;
  abstract: string | null;
  description: string | null;
  doNotRecord: boolean;
  persons: { code: string | null; id: string | null; guid: string | null; name: string; biography: string | null; avatar: string | null; upstream: Upstream }[];
  /** What the feed says of the event beyond the model (its guid, id, slug, url, links…), written back by the feeds. */
  upstream: Upstream;
}

/** A code confctl keeps as the talk's or person's own (pretalx's alphabet, at most 16). */
const ownCodeText = (v: unknown) => typeof v === 'string' && /^[A-Za-z0-9]{1,16}$/.test(v);
/** The fields of a c3voc event that the model holds (the others, and values the model cannot hold, stay upstream). */
const EVENT_MODELLED = {
  // A code is written back as given (a repeat carries its talk's code too), unless it is one the
  // feeds may not show (`../x`: safeCode maps it, and the feeds write the mapped one).
  code: (v: unknown) => typeof v === 'string' && safeCode(v) !== v,
  title: isText,
  abstract: isText,
  description: isText,
  // The source's date, start and end stay upstream too: the feeds write them as the source did while they still name the slot's times.
  date: () => false,
  start: () => false,
  end: () => false,
  duration: any,
  room: any,
  track: isText,
  type: isText,
  language: isText,
  do_not_record: bool,
  persons: list,
};
const PERSON_MODELLED = { code: ownCodeText, name: isText, biography: isText, avatar: isText };
const TRACK_MODELLED = { name: isText, color: any };
const ROOM_MODELLED = { name: isText, description: isText, capacity: (v: unknown) => Number.isSafeInteger(v) && (v as number) >= 0 };

export async function readScheduleFile(bytes: Uint8Array, timezoneFallback: string): Promise<Imported> {
  let data = bytes;
  if (data[0] === 0x1f && data[1] === 0x8b) {
    try {
      data = gunzipSync(data);
    } catch {
      throw new CommandError('The file looks gzipped but does not decompress.');
    }
  }
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(data).replace(/^\ufeff/, '');
  } catch {
    throw new CommandError('The file is not valid UTF-8.');
  }
  const first = text.trimStart()[0];
  const parsed = first === '{' ? fromJson(text) : first === '<' ? await fromXml(text) : null;
  if (!parsed) throw new CommandError('The file is neither a c3voc schedule.json nor a frab schedule.xml.');
  const zone = parsed.timezone === null ? null : knownZone(parsed.timezone);
  const imported = toSnapshot(parsed.version, zone ?? timezoneFallback, parsed);
  if (parsed.timezone !== null && zone === null) {
    imported.notes.push(`The file's time zone "${parsed.timezone.slice(0, 60)}" is not one this system knows: its times are read with their own offsets, and the event keeps its time zone.`);
  }
  // The event shows the feed's times as the feed does: it takes the feed's time zone, as a sync takes Pretalx's.
  const fitted = withinColumns(withSafeCodes({ ...imported.snapshot, timezone: zone }));
  return { ...imported, snapshot: fitted.snapshot, notes: [...imported.notes, ...fitted.notes] };
}

/** A room as the feed's conference lists it (c3voc conference.rooms), in the feed's order. */
interface RawRoom {
  name: string;
  guid: string | null;
  description: string | null;
  capacity: number | null;
  upstream: Upstream | null;
}

interface Parsed {
  version: string | null;
  /** Parts of the feed that are not what they should be (skipped, and said so). */
  problems: string[];
  /** The feed's days: date, start, end, the rooms each lists (and their guids, in XML). */
  days: (FeedDay & { roomGuids?: (string | null)[] })[];
  /** The conference's first and last day, as the feed says (`YYYY-MM-DD`). */
  dates: { from: string; to: string } | null;
  timezone: string | null;
  events: RawEvent[];
  rooms: RawRoom[];
  /** The conference's tracks (c3voc conference.tracks), in its order, with their colours. */
  tracks: { name: string; color: string | null; upstream: Upstream | null }[];
}

function fromJson(text: string): Parsed {
  let doc: unknown;
  try {
    doc = JSON.parse(text, withoutNul);
  } catch (error) {
    throw new CommandError(`The file is not valid JSON: ${(error as Error).message}`);
  }
  const schedule = isObject(doc) && isObject(doc.schedule) ? doc.schedule : null;
  const conference = schedule && isObject(schedule.conference) ? schedule.conference : null;
  if (!schedule || !conference || !Array.isArray(conference.days)) throw new CommandError('The JSON is not a c3voc schedule: no schedule.conference.days.');
  const str = (v: unknown) => (typeof v === 'string' ? v : typeof v === 'number' ? String(v) : null);
  const rooms: RawRoom[] = (Array.isArray(conference.rooms) ? conference.rooms : []).filter(isObject).flatMap((room) =>
    typeof room.name === 'string' && room.name !== ''
      ? [
          {
            name: room.name,
            guid: str(room.guid),
            description: str(room.description),
            capacity: ROOM_MODELLED.capacity(room.capacity) ? (room.capacity as number) : null,
            upstream: upstreamOf(room, ROOM_MODELLED),
          },
        ]
      : [],
  );
  const roomGuids = new Map(rooms.flatMap((room) => (room.guid === null ? [] : [[room.name, room.guid] as const])));
  const tracks = (Array.isArray(conference.tracks) ? conference.tracks : [])
    .filter(isObject)
    .flatMap((t) => (typeof t.name === 'string' && t.name !== '' ? [{ name: t.name, color: str(t.color), upstream: upstreamOf(t, TRACK_MODELLED) }] : []));
  const days: FeedDay[] = conference.days.filter(isObject).flatMap((day) =>
    typeof day.date === 'string' && /^\d{4}-\d\d-\d\d$/.test(day.date)
      ? [{ date: day.date, start: str(day.day_start), end: str(day.day_end), rooms: isObject(day.rooms) ? Object.keys(day.rooms) : null }]
      : [],
  );
  const events: RawEvent[] = [];
  const problems: string[] = [];
  const listedRooms = Array.isArray(conference.rooms) ? conference.rooms : [];
  const unusable = listedRooms.filter((room) => !isObject(room) || typeof room.name !== 'string' || room.name === '').length;
  if (unusable > 0) problems.push(`${unusable} ${unusable === 1 ? 'entry' : 'entries'} of conference.rooms: not a room with a name`);
  for (const [i, day] of conference.days.entries()) {
    if (!isObject(day) || !isObject(day.rooms)) {
      problems.push(`day ${i + 1}: not a day with rooms`);
      continue;
    }
    for (const [room, list] of Object.entries(day.rooms)) {
      if (!Array.isArray(list)) problems.push(`${day.date ?? `day ${i + 1}`}, room "${room}": not a list of events`);
      for (const e of Array.isArray(list) ? list : []) {
        if (!isObject(e)) {
          problems.push(`${day.date ?? `day ${i + 1}`}, room "${room}": ${JSON.stringify(e)?.slice(0, 40)} is not an event`);
          continue;
        }
        const persons = Array.isArray(e.persons) ? e.persons : [];
        const people = persons.filter((p) => isObject(p) && [p.name, p.public_name, p.code, p.id, p.guid].some((v) => (typeof v === 'string' && v !== '') || typeof v === 'number'));
        if (people.length < persons.length) problems.push(`${persons.length - people.length} of the persons of "${str(e.title) ?? str(e.guid) ?? '(untitled)'}": not a person with a name, code, id or guid (the event is imported)`);
        events.push({
          guid: str(e.guid),
          code: str(e.code),
          urlCode: codeFromUrl(str(e.url)),
          id: str(e.id),
          title: str(e.title) ?? '',
          room: str(e.room) ?? room,
          roomGuid: roomGuids.get(room) ?? null,
          date: str(e.date),
          dayDate: str(day.date),
          start: str(e.start),
          duration: str(e.duration),
          end: str(e.end),
          track: str(e.track),
          type: str(e.type),
          language: str(e.language),
          abstract: str(e.abstract),
          description: str(e.description),
          doNotRecord: e.do_not_record === true,
          persons: people.filter(isObject).map((p) => ({
            code: str(p.code),
            id: str(p.id),
            guid: str(p.guid),
            name: str(p.name) ?? str(p.public_name) ?? '',
            biography: str(p.biography),
            avatar: str(p.avatar),
            // public_name is the name where the person has no other (older pretalx exports).
            upstream: upstreamOf(p, { ...PERSON_MODELLED, ...(Object.hasOwn(p, 'name') ? {} : { public_name: isText }) }),
          })),
          upstream: upstreamOf(e, EVENT_MODELLED),
        });
      }
    }
  }
  return { version: str(schedule.version), problems, days, dates: conferenceDates(conference.days.filter(isObject).map((d) => str(d.date))), timezone: str(conference.time_zone_name), events, rooms, tracks };
}

interface XmlNode {
  name: string;
  attrs: Record<string, string>;
  children: XmlNode[];
  text: string;
}

async function fromXml(text: string): Promise<Parsed> {
  const { default: sax } = await import('sax');
  const parser = sax.parser(true, { trim: false });
  const root: XmlNode = { name: '#root', attrs: {}, children: [], text: '' };
  const stack = [root];
  let failure: string | null = null;
  parser.onerror = (error) => {
    failure ??= error.message.split('\n')[0]!;
    parser.error = null as never;
  };
  parser.onopentag = (tag) => {
    const node: XmlNode = { name: tag.name, attrs: tag.attributes as Record<string, string>, children: [], text: '' };
    stack.at(-1)!.children.push(node);
    stack.push(node);
  };
  parser.ontext = (t) => void (stack.at(-1)!.text += t);
  parser.oncdata = parser.ontext;
  parser.onclosetag = () => void stack.pop();
  parser.write(text).close();
  if (failure) throw new CommandError(`The file is not valid XML: ${failure}`);
  const schedule = root.children.find((n) => n.name === 'schedule');
  if (!schedule) throw new CommandError('The XML is not a frab schedule: no <schedule>.');
  const child = (n: XmlNode, name: string) => n.children.find((c) => c.name === name);
  const value = (n: XmlNode, name: string) => {
    const c = child(n, name);
    return c ? c.text.trim() || null : null;
  };
  /** Free text as written (whitespace and line breaks kept, as the JSON import keeps them); null when absent. */
  const written = (n: XmlNode, name: string) => child(n, name)?.text ?? null;
  // A number where the text is one exactly (9007199254740992 is; 9007199254740993 would not be).
  const number = (v: string) => (/^(0|[1-9][0-9]*)$/.test(v) && String(Number(v)) === v ? Number(v) : v);
  /** The feed's identifiers and the fields the model does not hold, under their c3voc JSON names (the same rows as the JSON of the same schedule). */
  /**
   * The feed's identifiers and the fields the model does not hold, under their c3voc JSON names
   * (the same rows as the JSON of the same schedule), and the JSON fields an XML event has, in
   * pretalx's order: the feeds then write no field the XML lacked (no made-up code, no end).
   */
  const upstream = (e: XmlNode): Upstream => {
    const fields: Record<string, unknown> = {};
    if (e.attrs.guid !== undefined) fields.guid = e.attrs.guid;
    if (e.attrs.id !== undefined) fields.id = number(e.attrs.id);
    if (e.attrs.code !== undefined && safeCode(e.attrs.code) === e.attrs.code) fields.code = e.attrs.code;
    for (const name of ['logo', 'date', 'start', 'slug', 'url', 'subtitle', 'feedback_url', 'origin_url', 'video_download_url']) {
      const c = child(e, name);
      if (c) fields[name] = name === 'subtitle' ? c.text : c.text.trim();
    }
    // An empty language or type is the XML of a null one.
    for (const name of ['language', 'type']) if (child(e, name) && child(e, name)!.text.trim() === '') fields[name] = null;
    const recording = child(e, 'recording');
    const license = recording && child(recording, 'license');
    if (license) fields.recording_license = license.text;
    for (const [list, item] of [['links', 'link'], ['attachments', 'attachment']] as const) {
      const c = child(e, list);
      if (c) fields[list] = c.children.filter((n) => n.name === item).map((n) => ({ title: n.text, url: n.attrs.href ?? '', ...(n.attrs.type !== undefined ? { type: n.attrs.type } : {}) }));
    }
    const has = (name: string) => child(e, name) !== undefined;
    const keys = [
      ...(e.attrs.guid !== undefined ? ['guid'] : []),
      ...(e.attrs.code !== undefined ? ['code'] : []),
      ...(e.attrs.id !== undefined ? ['id'] : []),
      ...['logo', 'date', 'start'].filter(has),
      ...['duration', 'room', 'slug', 'url', 'title', 'subtitle', 'track', 'type', 'language', 'abstract', 'description'].filter(has),
      ...(license ? ['recording_license'] : []),
      ...(recording && child(recording, 'optout') ? ['do_not_record'] : []),
      ...['persons', 'links', 'feedback_url', 'origin_url', 'attachments'].filter(has),
    ];
    return { fields, keys };
  };
  const personUpstream = (p: XmlNode): Upstream => ({
    fields: { ...(p.attrs.id !== undefined ? { id: number(p.attrs.id) } : {}), ...(p.attrs.guid !== undefined ? { guid: p.attrs.guid } : {}) },
    keys: [...(p.attrs.id !== undefined ? ['id'] : []), ...(p.attrs.guid !== undefined ? ['guid'] : []), 'name', 'public_name'],
  });
  const events: RawEvent[] = [];
  for (const day of schedule.children.filter((n) => n.name === 'day')) {
    for (const room of day.children.filter((n) => n.name === 'room')) {
      for (const e of room.children.filter((n) => n.name === 'event')) {
        const persons = child(e, 'persons')?.children.filter((p) => p.name === 'person') ?? [];
        events.push({
          guid: e.attrs.guid ?? null,
          code: e.attrs.code ?? null,
          urlCode: codeFromUrl(value(e, 'url')),
          id: e.attrs.id ?? null,
          title: written(e, 'title') ?? '',
          room: value(e, 'room') ?? room.attrs.name ?? '',
          roomGuid: room.attrs.guid ?? null,
          date: value(e, 'date'),
          dayDate: day.attrs.date ?? null,
          start: value(e, 'start'),
          duration: value(e, 'duration'),
          end: null,
          track: value(e, 'track'),
          type: value(e, 'type'),
          language: value(e, 'language'),
          abstract: written(e, 'abstract'),
          description: written(e, 'description'),
          doNotRecord: child(child(e, 'recording') ?? e, 'optout')?.text.trim() === 'true',
          persons: persons.map((p) => ({
            code: p.attrs.code ?? null,
            id: p.attrs.id ?? null,
            guid: p.attrs.guid ?? null,
            // As written (a trailing space is the person's, as in the JSON), unless a pretty-printer broke the line.
            name: /[\r\n]/.test(p.text) ? p.text.trim() : p.text,
            biography: null,
            avatar: null,
            upstream: personUpstream(p),
          })),
          upstream: upstream(e),
        });
      }
    }
  }
  const conference = child(schedule, 'conference');
  const days = schedule.children
    .filter((n) => n.name === 'day' && /^\d{4}-\d\d-\d\d$/.test(n.attrs.date ?? ''))
    .map((d) => {
      const listed = d.children.filter((n) => n.name === 'room' && n.attrs.name !== undefined);
      return { date: d.attrs.date!, start: d.attrs.start ?? null, end: d.attrs.end ?? null, rooms: listed.map((n) => n.attrs.name!), roomGuids: listed.map((n) => n.attrs.guid ?? null) };
    });
  // frab's conference tracks: <track name color slug/>.
  const tracks = (conference?.children ?? [])
    .filter((n) => n.name === 'track' && (n.attrs.name ?? '') !== '')
    .map((n) => ({ name: n.attrs.name!, color: n.attrs.color ?? null, upstream: n.attrs.slug === undefined ? null : { fields: { slug: n.attrs.slug }, keys: null } }));
  return {
    version: value(schedule, 'version'),
    problems: [],
    days,
    dates: conferenceDates(schedule.children.filter((n) => n.name === 'day').map((d) => d.attrs.date ?? null)),
    timezone: conference ? value(conference, 'time_zone_name') : null,
    events,
    rooms: [],
    tracks,
  };
}

/** A feed's first and last day: of its days (a conference's start and end disagree with them in real files), each a date. */
function conferenceDates(days: readonly (string | null)[]): { from: string; to: string } | null {
  const dates = days.flatMap((v) => (v !== null && /^\d{4}-\d\d-\d\d(?:$|T)/.test(v) && !Number.isNaN(Date.parse(v.slice(0, 10))) ? [v.slice(0, 10)] : [])).sort();
  return dates.length === 0 ? null : { from: dates[0]!, to: dates.at(-1)! };
}

const ROOM_NAMESPACE = uuid5('confctl:room', NAMESPACE_URL);
/**
 * The guid of a room the feed gives no usable guid (none, or one shared by several rooms): made from
 * its name, as c3voc derives guids, stored with the room and written by the feeds; when it comes back
 * in a feed (an export of this mirror), the room is known by its name as before.
 */
export const derivedRoomGuid = (name: string) => uuid5(`room:${name}`, ROOM_NAMESPACE);

function toSnapshot(version: string | null, timezone: string, { events, rooms: listed, tracks: listedTracks, dates, days, problems }: Parsed): Imported {
  const skipped: string[] = [];
  const notes: string[] = problems.map((p) => `Skipped ${p}.`);
  const guidCounts = new Map<string, Set<string>>();
  for (const r of [...events.map((e) => ({ guid: e.roomGuid, name: e.room })), ...listed]) if (r.guid) guidCounts.set(r.guid, (guidCounts.get(r.guid) ?? new Set()).add(r.name));
  const guidOfName = new Map<string, string | null>([...listed.map((r) => [r.name, r.guid] as const), ...events.map((e) => [e.room, e.roomGuid] as const)]);
  const keyOf = (guid: string | null, name: string) => (guid && guidCounts.get(guid)?.size === 1 && guid !== derivedRoomGuid(name) ? `guid:${guid}` : `name:${name}`);
  const roomKey = (e: RawEvent) => keyOf(e.roomGuid, e.room);
  const rooms = new Map<string, UpRoom>();
  // The rooms the conference lists, in its order, with what it says of them (used or not); then any other room an event names.
  for (const room of listed) {
    const key = keyOf(room.guid, room.name);
    if (!rooms.has(key)) {
      rooms.set(key, {
        id: idFor('room', key),
        guid: key.startsWith('guid:') ? room.guid : derivedRoomGuid(room.name),
        name: { en: room.name },
        description: room.description === null ? null : { en: room.description },
        capacity: room.capacity,
        position: rooms.size,
        upstream: room.upstream,
      });
    }
  }
  // Without a list of the conference's rooms (frab XML, older feeds), the rooms the days list, in their order.
  if (listed.length === 0) {
    for (const day of days) {
      for (const [i, name] of (day.rooms ?? []).entries()) {
        const guid = day.roomGuids?.[i] ?? guidOfName.get(name) ?? null;
        const key = keyOf(guid, name);
        if (name !== '' && !rooms.has(key)) rooms.set(key, { id: idFor('room', key), guid: key.startsWith('guid:') ? guid : derivedRoomGuid(name), name: { en: name }, description: null, capacity: null, position: rooms.size });
      }
    }
  }
  const tracks = new Map<string, UpTrack>();
  // The conference's tracks in its order and colours (a colour that is none is black, as before).
  for (const t of listedTracks) if (!tracks.has(t.name)) tracks.set(t.name, { id: idFor('track', t.name), name: { en: t.name }, color: colour(t.color), position: tracks.size, upstream: t.upstream });
  const types = new Map<string, UpType>();
  const speakers = new Map<string, UpSpeaker>();
  const submissions = new Map<string, UpSubmission>();
  const slots: UpSlot[] = [];
  const valid = (code: string | null) => (code && /^[A-Za-z0-9]{1,16}$/.test(code) ? code : null);
  // A code from a URL is a talk's code unless an event with another title has it as its own: then it
  // would merge two talks (a repeat without a code of its own has its talk's title).
  const titlesOf = new Map<string, Set<string>>();
  for (const e of events) if (valid(e.code)) titlesOf.set(e.code!, (titlesOf.get(e.code!) ?? new Set()).add(e.title));
  const urlCodeFits = (e: RawEvent) => valid(e.urlCode) !== null && [...(titlesOf.get(e.urlCode!) ?? [e.title])].every((title) => title === e.title);
  const ownCode = (e: RawEvent) => valid(e.code) ?? (urlCodeFits(e) ? e.urlCode : null);
  const ownPersonCode = (p: RawEvent['persons'][number]) => valid(p.code);
  // Events without a code that share a guid (a broken feed) are told apart by their ids, and it is said.
  const sharedGuid = new Map<string, Set<string>>();
  for (const e of events) if (!ownCode(e) && e.guid) sharedGuid.set(e.guid, (sharedGuid.get(e.guid) ?? new Set()).add(e.id ?? ''));
  for (const [guid, ids] of sharedGuid) if (ids.size > 1) notes.push(`${ids.size} events share the guid ${guid}: imported as ${ids.size} talks, told apart by their ids.`);
  const guidKey = (e: RawEvent) => (sharedGuid.get(e.guid!)!.size > 1 ? `${e.guid}#${e.id ?? ''}` : e.guid!);
  const byGuid = guidCodes(events.filter((e) => !ownCode(e) && e.guid).map(guidKey), 'G', 'H');
  // People are known by their own code, else their guid (the identity merged feeds keep apart), else
  // their frab id, else their name. A code made here that is another person's own gets hashed instead.
  const ownPersonCodes = new Set(events.flatMap((e) => e.persons.flatMap((p) => (ownPersonCode(p) ? [p.code!] : []))));
  const personByGuid = guidCodes(events.flatMap((e) => e.persons.filter((p) => !ownPersonCode(p) && p.guid).map((p) => p.guid!)), 'Q', 'R');
  const unclaimed = (made: string, kind: string, key: string) =>
    ownPersonCodes.has(made) ? `R${createHash('sha1').update(`${kind}:${key}`).digest('hex').slice(0, 15).toUpperCase()}` : made;
  for (const e of events) {
    const label = e.title || e.guid || e.id || '(untitled)';
    const code = ownCode(e) ?? (e.guid ? byGuid.get(guidKey(e))! : e.id ? `F${e.id}`.slice(0, 16) : null);
    if (!code) {
      skipped.push(`"${label}": no code, guid or id`);
      continue;
    }
    let start: Date | null = null;
    if (e.date && /T\d\d:\d\d/.test(e.date) && /([zZ]|[+-]\d\d:?\d\d)$/.test(e.date)) start = new Date(e.date);
    else if (e.dayDate && e.start && /^\d\d:\d\d/.test(e.start)) start = zonedInstant(e.dayDate.slice(0, 10), e.start.slice(0, 5), timezone);
    const length = e.duration ? minutes(e.duration) : null;
    const end = e.end && !Number.isNaN(Date.parse(e.end)) ? new Date(e.end) : start && length !== null ? new Date(start.getTime() + length * 60000) : null;
    if (!start || Number.isNaN(start.getTime()) || !end) {
      skipped.push(`"${label}": no usable date, start or duration`);
      continue;
    }
    if (!e.room) {
      skipped.push(`"${label}": no room`);
      continue;
    }
    const rk = roomKey(e);
    if (!rooms.has(rk)) rooms.set(rk, { id: idFor('room', rk), guid: rk.startsWith('guid:') ? e.roomGuid : derivedRoomGuid(e.room), name: { en: e.room }, description: null, capacity: null, position: rooms.size });
    const track = e.track ? (tracks.get(e.track) ?? tracks.set(e.track, { id: idFor('track', e.track), name: { en: e.track }, color: '#000000', position: tracks.size }).get(e.track)!) : null;
    const typeName = e.type || 'Talk';
    const type = types.get(typeName) ?? types.set(typeName, { id: idFor('type', typeName), name: { en: typeName }, defaultDuration: length ?? 30 }).get(typeName)!;
    const people = e.persons
      .filter((p) => p.name || p.code || p.id || p.guid)
      .map((p) => {
        const personCode =
          ownPersonCode(p) ??
          (p.guid
            ? unclaimed(personByGuid.get(p.guid)!, 'guid', p.guid)
            : p.id
              ? unclaimed(`P${p.id}`.slice(0, 16), 'id', p.id)
              : unclaimed(`N${createHash('sha1').update(p.name).digest('hex').slice(0, 15).toUpperCase()}`, 'name', p.name));
        const known = speakers.get(personCode);
        speakers.set(personCode, {
          code: personCode,
          name: p.name || known?.name || personCode,
          biography: p.biography ?? known?.biography ?? null,
          avatarUrl: p.avatar ?? known?.avatarUrl ?? null,
          email: null,
          upstream: p.upstream,
        });
        return personCode;
      });
    const existing = submissions.get(code);
    submissions.set(code, {
      code,
      title: e.title,
      state: 'confirmed',
      abstract: e.abstract,
      description: e.description,
      duration: length,
      slotCount: (existing?.slotCount ?? 0) + 1,
      contentLocale: e.language || 'en',
      doNotRecord: e.doNotRecord,
      isFeatured: false,
      type: type.id,
      track: track?.id ?? null,
      tags: [],
      speakers: [...new Set([...(existing?.speakers ?? []), ...people])],
    });
    slots.push({ submission: code, room: rooms.get(rk)!.id, start, end, description: null, upstream: e.dayDate && /^\d{4}-\d\d-\d\d$/.test(e.dayDate) ? { ...e.upstream, day: e.dayDate } : e.upstream });
  }
  return {
    snapshot: {
      api: 'v2',
      version,
      dates,
      // Each day's rooms also by id, which a later rename of a room keeps.
      days: days.length > 0 ? days.map(({ roomGuids, ...d }) => ({ ...d, roomIds: d.rooms ? d.rooms.flatMap((name, i) => rooms.get(keyOf(roomGuids?.[i] ?? guidOfName.get(name) ?? null, name))?.id ?? []) : null })) : null,
      published: null,
      rooms: [...rooms.values()],
      tracks: [...tracks.values()],
      types: [...types.values()],
      tags: [],
      speakers: [...speakers.values()],
      submissions: [...submissions.values()],
      slots,
    },
    skipped,
    notes,
  };
}
