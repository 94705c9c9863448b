import { createHash } from 'node:crypto';
import { gunzipSync } from 'node:zlib';
import { CommandError } from '../common/errors.ts';
import { zonedInstant } from '../common/tz.ts';
import { isObject } from './client.ts';
import type { Snapshot, UpRoom, UpSlot, UpSpeaker, UpSubmission, UpTrack, UpType } from './snapshot.ts';
import { colour, knownZone, withSafeCodes } from './snapshot.ts';

/**
 * A schedule file as a snapshot: c3voc schedule.json or frab schedule.xml (pretalx and frab
 * exports), gzipped or not, told apart by their content. Real files break the schema in many ways,
 * so this takes what is usable and reports what it skipped. Identities: a talk by its code (or the
 * code in its pretalx URL), else by a code made from its guid; a room by its guid when the file's guids are unique, else by name;
 * a person by code, else by frab id, else by guid, else by name.
 */
export interface Imported {
  snapshot: Snapshot;
  skipped: string[];
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
  code: string | null;
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
  persons: { code: string | null; id: string | null; guid: string | null; name: string; biography: string | null; avatar: string | null }[];
}

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
  // The event shows the feed's times as the feed does: it takes the feed's time zone, as a sync takes Pretalx's.
  return { ...imported, snapshot: withSafeCodes({ ...imported.snapshot, timezone: zone }) };
}

/** A room as the feed's conference lists it (c3voc conference.rooms), in the feed's order. */
interface RawRoom {
  name: string;
  guid: string | null;
  description: string | null;
  capacity: number | null;
}

interface Parsed {
  version: string | null;
  timezone: string | null;
  events: RawEvent[];
  rooms: RawRoom[];
  /** The conference's tracks (c3voc conference.tracks), in its order, with their colours. */
  tracks: { name: string; color: string | null }[];
}

function fromJson(text: string): Parsed {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (error) {
    throw new CommandError(`The file is not valid JSON: ${(error as Error).message}`);
  }
  const schedule = isObject(doc) && isObject(doc.schedule) ? doc.schedule : null;
  const conference = schedule && isObject(schedule.conference) ? schedule.conference : null;
  if (!schedule || !conference || !Array.isArray(conference.days)) throw new CommandError('The JSON is not a c3voc schedule: no schedule.conference.days.');
  const str = (v: unknown) => (typeof v === 'string' ? v : typeof v === 'number' ? String(v) : null);
  const rooms: RawRoom[] = (Array.isArray(conference.rooms) ? conference.rooms : []).filter(isObject).flatMap((room) =>
    typeof room.name === 'string' && room.name !== ''
      ? [{ name: room.name, guid: str(room.guid), description: str(room.description), capacity: Number.isSafeInteger(room.capacity) && (room.capacity as number) >= 0 ? (room.capacity as number) : null }]
      : [],
  );
  const roomGuids = new Map(rooms.flatMap((room) => (room.guid === null ? [] : [[room.name, room.guid] as const])));
  const tracks = (Array.isArray(conference.tracks) ? conference.tracks : []).filter(isObject).flatMap((t) => (typeof t.name === 'string' && t.name !== '' ? [{ name: t.name, color: str(t.color) }] : []));
  const events: RawEvent[] = [];
  for (const day of conference.days) {
    if (!isObject(day) || !isObject(day.rooms)) continue;
    for (const [room, list] of Object.entries(day.rooms)) {
      for (const e of Array.isArray(list) ? list : []) {
        if (!isObject(e)) continue;
        events.push({
          guid: str(e.guid),
          code: str(e.code) ?? codeFromUrl(str(e.url)),
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
          persons: (Array.isArray(e.persons) ? e.persons : []).filter(isObject).map((p) => ({
            code: str(p.code),
            id: str(p.id),
            guid: str(p.guid),
            name: str(p.name) ?? str(p.public_name) ?? '',
            biography: str(p.biography),
            avatar: str(p.avatar),
          })),
        });
      }
    }
  }
  return { version: str(schedule.version), timezone: str(conference.time_zone_name), events, rooms, tracks };
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
  const events: RawEvent[] = [];
  for (const day of schedule.children.filter((n) => n.name === 'day')) {
    for (const room of day.children.filter((n) => n.name === 'room')) {
      for (const e of room.children.filter((n) => n.name === 'event')) {
        const persons = child(e, 'persons')?.children.filter((p) => p.name === 'person') ?? [];
        events.push({
          guid: e.attrs.guid ?? null,
          code: e.attrs.code ?? codeFromUrl(value(e, 'url')),
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
          persons: persons.map((p) => ({ code: p.attrs.code ?? null, id: p.attrs.id ?? null, guid: p.attrs.guid ?? null, name: p.text.trim(), biography: null, avatar: null })),
        });
      }
    }
  }
  const conference = child(schedule, 'conference');
  return { version: value(schedule, 'version'), timezone: conference ? value(conference, 'time_zone_name') : null, events, rooms: [], tracks: [] };
}

function toSnapshot(version: string | null, timezone: string, { events, rooms: listed, tracks: listedTracks }: Parsed): Imported {
  const skipped: string[] = [];
  const guidCounts = new Map<string, Set<string>>();
  for (const r of [...events.map((e) => ({ guid: e.roomGuid, name: e.room })), ...listed]) if (r.guid) guidCounts.set(r.guid, (guidCounts.get(r.guid) ?? new Set()).add(r.name));
  const keyOf = (guid: string | null, name: string) => (guid && guidCounts.get(guid)!.size === 1 ? `guid:${guid}` : `name:${name}`);
  const roomKey = (e: RawEvent) => keyOf(e.roomGuid, e.room);
  const rooms = new Map<string, UpRoom>();
  // The rooms the conference lists, in its order, with what it says of them (used or not); then any other room an event names.
  for (const room of listed) {
    const key = keyOf(room.guid, room.name);
    if (!rooms.has(key)) rooms.set(key, { id: idFor('room', key), guid: key.startsWith('guid:') ? room.guid : null, name: { en: room.name }, description: room.description === null ? null : { en: room.description }, capacity: room.capacity, position: rooms.size });
  }
  const tracks = new Map<string, UpTrack>();
  // The conference's tracks in its order and colours (a colour that is none is black, as before).
  for (const t of listedTracks) if (!tracks.has(t.name)) tracks.set(t.name, { id: idFor('track', t.name), name: { en: t.name }, color: colour(t.color), position: tracks.size });
  const types = new Map<string, UpType>();
  const speakers = new Map<string, UpSpeaker>();
  const submissions = new Map<string, UpSubmission>();
  const slots: UpSlot[] = [];
  const ownCode = (e: RawEvent) => (e.code && /^[A-Za-z0-9]{1,16}$/.test(e.code) ? e.code : null);
  const ownPersonCode = (p: RawEvent['persons'][number]) => (p.code && /^[A-Za-z0-9]{1,16}$/.test(p.code) ? p.code : null);
  const byGuid = guidCodes(events.filter((e) => !ownCode(e) && e.guid).map((e) => e.guid!), 'G', 'H');
  // People without a code or id but with a guid are told apart by it, not merged by name.
  const personByGuid = guidCodes(events.flatMap((e) => e.persons.filter((p) => !ownPersonCode(p) && !p.id && p.guid).map((p) => p.guid!)), 'Q', 'R');
  for (const e of events) {
    const label = e.title || e.guid || e.id || '(untitled)';
    const code = ownCode(e) ?? (e.guid ? byGuid.get(e.guid)! : e.id ? `F${e.id}`.slice(0, 16) : null);
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
    if (!rooms.has(rk)) rooms.set(rk, { id: idFor('room', rk), guid: rk.startsWith('guid:') ? e.roomGuid : null, name: { en: e.room }, description: null, capacity: null, position: rooms.size });
    const track = e.track ? (tracks.get(e.track) ?? tracks.set(e.track, { id: idFor('track', e.track), name: { en: e.track }, color: '#000000', position: tracks.size }).get(e.track)!) : null;
    const typeName = e.type || 'Talk';
    const type = types.get(typeName) ?? types.set(typeName, { id: idFor('type', typeName), name: { en: typeName }, defaultDuration: length ?? 30 }).get(typeName)!;
    const people = e.persons
      .filter((p) => p.name || p.code || p.id || p.guid)
      .map((p) => {
        const personCode =
          ownPersonCode(p) ?? (p.id ? `P${p.id}`.slice(0, 16) : p.guid ? personByGuid.get(p.guid)! : `N${createHash('sha1').update(p.name).digest('hex').slice(0, 15).toUpperCase()}`);
        const known = speakers.get(personCode);
        speakers.set(personCode, { code: personCode, name: p.name || known?.name || personCode, biography: p.biography ?? known?.biography ?? null, avatarUrl: p.avatar ?? known?.avatarUrl ?? null, email: null });
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
    slots.push({ submission: code, room: rooms.get(rk)!.id, start, end, description: null });
  }
  return {
    snapshot: {
      api: 'v2',
      version,
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
  };
}
