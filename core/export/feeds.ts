import ical from 'ical-generator';
import { addDays, wallClock } from '../common/tz.ts';
import type { ExportData, ExportRoom, ExportSlot, ExportSpeaker, ExportTalk, ExportTrack, ExportVersion } from './data.ts';
import { type FeedDay, scheduleDays } from './days.ts';
import { hoursMinutes, localIso, NAMESPACE_URL, numericId, pick, slugify, uuid5 } from './format.ts';
import { type Upstream, upstreamField, withUpstream } from './upstream.ts';

/**
 * The standard feeds, as pretalx names them: schedule.json (c3voc), schedule.xml (frab/c3voc),
 * iCalendar files and the widget JSON. URLs are absolute (the site.url setting), times are in the
 * event's time zone. Identity: what the source feed of an imported event said (guid, id, slug, url
 * of every event; guid and id of every person; a room's guid) is written back unchanged, with every
 * field the model does not hold; where there is none, guids are uuid5 of the talk code (plus "-n" for a
 * talk's n-th repeat) and ids a number made from the same name, so they stay the same when a talk
 * moves and in any database (never a row id).
 */
export interface FeedContext {
  /** Absolute URL of the event's pages, ending in "/": `<site.url>/<slug>/`. */
  baseUrl: string;
  generator: { name: string; version: string };
  /** A talk's folder name (the site's, so that feed links find the pages); the code itself by default. */
  talkPath?: (code: string) => string;
  /** A speaker's folder name, or null for a speaker without a page; the code itself by default. */
  speakerPath?: (code: string) => string | null;
}

const talkUrl = (context: FeedContext, code: string) => `${context.baseUrl}talk/${(context.talkPath ?? ((c: string) => c))(code)}/`;

export function namespaceOf(siteUrl: string): string {
  return uuid5(siteUrl, NAMESPACE_URL);
}

/**
 * Room names as the feeds write them: c3voc's schedule.json keys a day's rooms by name, so two
 * rooms of one name would lose one room's talks; the second and later get " (2)", " (3)"….
 */
function roomLabels(data: ExportData, locale: string): Map<number, string> {
  const labels = new Map<number, string>();
  const used = new Map<string, number>();
  for (const room of data.rooms) {
    const name = pick(room.name, locale);
    const n = (used.get(name) ?? 0) + 1;
    used.set(name, n);
    labels.set(room.id, n === 1 ? name : `${name} (${n})`);
  }
  return labels;
}

/** The name a slot's derived identifiers come from: the talk code, and "-n" for its n-th repeat. */
const slotName = (slot: ExportSlot) => (slot.occurrence === 0 ? slot.talk.code : `${slot.talk.code}-${slot.occurrence}`);
/** A source's identifier when it is a usable one. */
const sourceText = (upstream: Upstream | null, key: string) => {
  const value = upstreamField(upstream, key)?.value;
  return typeof value === 'string' && value !== '' ? value : null;
};
const sourceNumber = (upstream: Upstream | null, key: string) => {
  const value = upstreamField(upstream, key)?.value;
  return typeof value === 'number' && Number.isInteger(value) && value > 0 ? value : null;
};

/**
 * Links and attachments as a feed writes them back: an entry whose URL would run code or carry a
 * document of its own in a consumer (javascript:, data:, vbscript:…) is left out; http(s), mailto and
 * relative ones stay. In frab XML, only http(s).
 */
const SAFE_URL = /^(https?:|mailto:|[^:]*$)/i;
function safeLinks(list: unknown, onlyHttp = false): unknown {
  if (!Array.isArray(list)) return list;
  return list.filter((l) => {
    const url = typeof l === 'object' && l !== null ? (l as Record<string, unknown>).url : undefined;
    return typeof url !== 'string' || (onlyHttp ? /^https?:\/\//i.test(url.trim()) : SAFE_URL.test(url.trim()));
  });
}

/** A time as the source wrote it (its own offset), when it still names this instant; null when it moved since. */
const sourceInstant = (upstream: Upstream | null, key: string, instant: Date) => {
  const value = sourceText(upstream, key);
  return value !== null && Date.parse(value) === instant.getTime() ? value : null;
};

export function talkGuid(slot: ExportSlot, namespace: string): string {
  return sourceText(slot.upstream, 'guid') ?? uuid5(slotName(slot), namespace);
}

/** A room's guid: its own, else uuid5 of its Pretalx id (pretalx's rule, "room:<id>"), else of its name. */
export function roomGuid(room: ExportRoom, namespace: string): string {
  return room.guid ?? uuid5(room.pretalxId !== null ? `room:${room.pretalxId}` : `room:${pick(room.name, 'en')}`, namespace);
}

const personGuid = (speaker: ExportSpeaker, namespace: string) => sourceText(speaker.upstream, 'guid') ?? uuid5(`person:${speaker.code}`, namespace);
const personId = (speaker: ExportSpeaker) => sourceNumber(speaker.upstream, 'id') ?? numericId(`person:${speaker.code}`);

const CODE = /^[A-Z0-9]+$/;

/** A track's slug: its name's, else a number made from it (a name of no Latin letters). */
const trackSlug = (t: ExportTrack) => slugify(pick(t.name, 'en')) || `track-${numericId(`track:${pick(t.name, 'en')}`)}`;

/**
 * A slot's id in schedule.json and schedule.xml alike: the source's, else a number made from the talk
 * code (and "-n" for a repeat), unique in a file but for a one-in-a-million chance of two names
 * sharing 31 bits. A repeat has no code of its own (the source's, when it gave one).
 */
function slotId(slot: ExportSlot): number {
  return sourceNumber(slot.upstream, 'id') ?? numericId(slotName(slot));
}
const minutes = (slot: ExportSlot) => Math.round((slot.end.getTime() - slot.start.getTime()) / 60000);

/** The c3voc acronym and slug patterns allow only lower-case letters, digits and underscores. */
function acronym(slug: string): string {
  const cleaned = slug.toLowerCase().replace(/[^a-z0-9_-]/g, '_');
  return (cleaned.charAt(0) + cleaned.slice(1).replace(/-/g, '_')).padEnd(4, '_');
}

/** frab's slug: `<event>-<id>-<title>`, in the c3voc pattern (the source's, when it gave one). */
function frabSlug(data: ExportData, slot: ExportSlot): string {
  const title = slugify(slot.talk.title) || 'talk';
  return sourceText(slot.upstream, 'slug') ?? `${acronym(data.event.slug)}-${slotId(slot)}-${title}`;
}

/**
 * Days of the event with their slots: the source's days (its day_start and day_end) where it gave
 * them; else a day runs 04:00–03:59 local time, and talks before 03:00 belong to the day before.
 */
function days(data: ExportData, version: ExportVersion | null) {
  return scheduleDays(data.event, version?.slots ?? [], version?.days, filedDay);
}

/** The day the source filed a slot under, while the slot is where the source put it. */
export function filedDay(slot: ExportSlot): string | null {
  return slot.upstream?.day !== undefined && sourceInstant(slot.upstream, 'date', slot.start) !== null ? slot.upstream.day : null;
}

/** A day's start and end: the source's, as written, else pretalx's 04:00–03:59. */
function dayBounds(day: { date: string; feed: FeedDay | null }, timezone: string) {
  const probe = new Date(`${day.date}T12:00:00Z`);
  const offset = localIso(probe, timezone).slice(19);
  const valid = (v: string | null | undefined) => (v && /^\d{4}-\d\d-\d\dT\d\d:\d\d(:\d\d(\.\d+)?)?(Z|[+-]\d\d:\d\d)$/.test(v) && !Number.isNaN(Date.parse(v)) ? v : null);
  return { start: valid(day.feed?.start) ?? `${day.date}T04:00:00${offset}`, end: valid(day.feed?.end) ?? `${addDays(day.date, 1)}T03:59:00${offset}` };
}

/**
 * The rooms a day lists: the ones its source listed that day, in its order (with any room that has
 * a slot that day all the same); without a source, every room, as pretalx writes them.
 */
function dayRooms(data: ExportData, labels: Map<number, string>, day: { slots: readonly ExportSlot[]; feed: FeedDay | null }): ExportRoom[] {
  if (!day.feed?.rooms) return data.rooms;
  // By the rooms' ids where the import recorded them (a renamed room is still listed), else by name.
  const byId = new Map(data.rooms.flatMap((r) => (r.pretalxId === null ? [] : [[r.pretalxId, r] as const])));
  const byLabel = new Map(data.rooms.map((r) => [labels.get(r.id)!, r]));
  const listed = [...new Set(day.feed.roomIds ? day.feed.roomIds.flatMap((id) => (byId.has(id) ? [byId.get(id)!] : [])) : day.feed.rooms.flatMap((name) => (byLabel.has(name) ? [byLabel.get(name)!] : [])))];
  const used = new Set([...listed, ...day.slots.map((s) => s.room)]);
  return [...listed, ...data.rooms.filter((r) => used.has(r) && !listed.includes(r))];
}

export function c3vocJson(data: ExportData, context: FeedContext, namespace: string, version: ExportVersion | null = data.current): string {
  const { event } = data;
  const locale = event.locale;
  const labels = roomLabels(data, locale);
  const url = (path: string) => `${context.baseUrl}${path}`;
  const person = (s: ExportSpeaker) => {
    const page = (context.speakerPath ?? ((c: string) => c))(s.code);
    return withUpstream(
      {
        ...(CODE.test(s.code) ? { code: s.code } : {}),
        name: s.name,
        avatar: s.avatarUrl,
        biography: s.biography,
        public_name: s.name,
        guid: personGuid(s, namespace),
        ...(page === null ? {} : { url: `${context.baseUrl}speaker/${page}/` }),
      },
      s.upstream,
    );
  };
  const talkEvent = (slot: ExportSlot) => {
    // The source's own writing of the slot's times (its offset, its start), while they are still the slot's.
    const date = sourceInstant(slot.upstream, 'date', slot.start);
    const start = date !== null ? sourceText(slot.upstream, 'start') : null;
    const built = withUpstream(
      {
        guid: talkGuid(slot, namespace),
        ...(slot.occurrence === 0 && CODE.test(slot.talk.code) ? { code: slot.talk.code } : {}),
        id: slotId(slot),
        logo: null,
        date: date ?? localIso(slot.start, event.timezone),
        start: start ?? wallClock(slot.start, event.timezone).time,
        end: sourceInstant(slot.upstream, 'end', slot.end) ?? localIso(slot.end, event.timezone),
        duration: hoursMinutes(minutes(slot)),
        room: labels.get(slot.room.id)!,
        slug: frabSlug(data, slot),
        url: talkUrl(context, slot.talk.code),
        title: slot.talk.title,
        subtitle: '',
        track: slot.talk.track ? pick(slot.talk.track.name, locale) : null,
        type: pick(slot.talk.type, locale),
        language: slot.talk.locale,
        abstract: slot.talk.abstract ?? '',
        description: slot.talk.description ?? '',
        recording_license: '',
        do_not_record: slot.talk.doNotRecord,
        persons: slot.talk.speakers.map(person),
        links: [],
        attachments: [],
      },
      slot.upstream,
      ['date', 'start', 'end'],
    );
    if ('links' in built) built.links = safeLinks(built.links);
    if ('attachments' in built) built.attachments = safeLinks(built.attachments);
    return built;
  };
  // The conference's days are the event's, widened to any slot outside them (it is in the feed all the same).
  const scheduled = days(data, version);
  const schedule = {
    $schema: 'https://c3voc.de/schedule/schema.json',
    generator: { name: context.generator.name, version: context.generator.version },
    schedule: {
      url: url('schedule.json'),
      version: version?.version ?? '',
      base_url: context.baseUrl,
      conference: {
        acronym: acronym(event.slug),
        title: pick(event.name, locale),
        start: scheduled.at(0)!.date,
        end: scheduled.at(-1)!.date,
        daysCount: scheduled.length,
        timeslot_duration: '00:05',
        time_zone_name: event.timezone,
        ...(event.primaryColor ? { colors: { primary: event.primaryColor } } : {}),
        rooms: data.rooms.map((r) =>
          withUpstream(
            {
              name: labels.get(r.id)!,
              slug: slugify(pick(r.name, 'en')) || `room-${numericId(roomGuid(r, namespace))}`,
              guid: roomGuid(r, namespace),
              description: r.description ? pick(r.description, locale) : null,
              capacity: r.capacity,
            },
            r.upstream,
          ),
        ),
        tracks: data.tracks.map((t) => withUpstream({ name: pick(t.name, locale), slug: trackSlug(t), color: t.color }, t.upstream)),
        days: scheduled.map((day) => ({
          index: day.index,
          date: day.date,
          day_start: dayBounds(day, event.timezone).start,
          day_end: dayBounds(day, event.timezone).end,
          rooms: Object.fromEntries(dayRooms(data, labels, day).map((room) => [labels.get(room.id)!, day.slots.filter((s) => s.room.id === room.id).map(talkEvent)])),
        })),
      },
    },
  };
  return `${JSON.stringify(schedule, null, 2)}\n`;
}

const xml = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
/**
 * Element text. XML 1.0 forbids most control characters even escaped (untrusted text may contain
 * them): they are dropped. A carriage return is written as a reference, or parsers turn CRLF into LF.
 */
const xmlText = (s: string) => xml(s.replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/g, '')).replace(/\r/g, '&#13;');
/** An attribute value: parsers turn a literal tab or newline there into a space, references survive. */
const xmlAttr = (s: string) => xmlText(s).replace(/\t/g, '&#9;').replace(/\n/g, '&#10;');

export function frabXml(data: ExportData, context: FeedContext, namespace: string, version: ExportVersion | null = data.current): string {
  const { event } = data;
  const locale = event.locale;
  const labels = roomLabels(data, locale);
  const scheduled = days(data, version);
  const lines = [
    '<?xml version="1.0" encoding="utf-8"?>',
    '<schedule>',
    `  <generator name="${xmlAttr(context.generator.name)}" version="${xmlAttr(context.generator.version)}"/>`,
    `  <url>${xml(`${context.baseUrl}schedule.xml`)}</url>`,
    `  <version>${xmlText(version?.version ?? '')}</version>`,
    '  <conference>',
    `    <title>${xmlText(pick(event.name, locale))}</title>`,
    `    <acronym>${acronym(event.slug)}</acronym>`,
    `    <start>${scheduled.at(0)!.date}</start>`,
    `    <end>${scheduled.at(-1)!.date}</end>`,
    `    <days>${scheduled.length}</days>`,
    '    <timeslot_duration>00:05</timeslot_duration>',
    `    <base_url>${xml(context.baseUrl)}</base_url>`,
    `    <time_zone_name>${xml(event.timezone)}</time_zone_name>`,
    // frab's conference tracks, with their colours (and a slug the schema's pattern allows).
    ...data.tracks.map((t) => {
      const slug = sourceText(t.upstream, 'slug') ?? trackSlug(t);
      return `    <track name="${xmlAttr(pick(t.name, locale))}"${/^#[0-9a-fA-F]{6}$/.test(t.color) ? ` color="${t.color}"` : ''}${/^[a-z][a-z0-9-]+$/.test(slug) ? ` slug="${slug}"` : ''}/>`;
    }),
    '  </conference>',
  ];
  const codes = new Set<string>();
  const ids = new Set<number>();
  const guids = new Set<string>();
  for (const day of scheduled) {
    const bounds = dayBounds(day, event.timezone);
    lines.push(`  <day index="${day.index}" date="${day.date}" start="${xmlAttr(bounds.start)}" end="${xmlAttr(bounds.end)}">`);
    for (const room of dayRooms(data, labels, day)) {
      lines.push(`    <room name="${xmlAttr(labels.get(room.id)!)}" guid="${roomGuid(room, namespace)}">`);
      for (const slot of day.slots.filter((s) => s.room.id === room.id)) {
        const talk: ExportTalk = slot.talk;
        const up = slot.upstream;
        const sourceCode = upstreamField(up, 'code');
        const codeValue = sourceCode ? sourceCode.value : slot.occurrence === 0 ? talk.code : null;
        // Codes, ids and guids are unique in a frab file (its schema says so): a repeat (or a broken
        // feed's event) that shares another's gets no code, or the id and guid made from its own name.
        const code = typeof codeValue === 'string' && /^[0-9A-Z]{6}$/.test(codeValue) && !codes.has(codeValue) ? ` code="${codeValue}"` : '';
        if (code) codes.add(codeValue as string);
        let id = slotId(slot);
        if (ids.has(id)) id = numericId(slotName(slot));
        ids.add(id);
        let guid = talkGuid(slot, namespace);
        if (guids.has(guid)) guid = uuid5(slotName(slot), namespace);
        guids.add(guid);
        const date = sourceInstant(up, 'date', slot.start);
        const start = date !== null ? sourceText(up, 'start') : null;
        const slug = frabSlug(data, slot);
        const nullable = (key: string, value: string) => (upstreamField(up, key)?.value === null ? '' : value);
        const linkLines = (tag: string, list: unknown, item: string) => {
          const entries = Array.isArray(list) ? list.filter((l): l is Record<string, unknown> => typeof l === 'object' && l !== null) : [];
          const text = (v: unknown) => (typeof v === 'string' ? v : '');
          return entries.length === 0
            ? [`        <${tag}></${tag}>`]
            : [
                `        <${tag}>`,
                ...entries.map((l) => `          <${item} href="${xmlAttr(text(l.url))}"${typeof l.type === 'string' ? ` type="${xmlAttr(l.type)}"` : ''}>${xmlText(text(l.title))}</${item}>`),
                `        </${tag}>`,
              ];
        };
        /** A URL element from the source, when it is one the schema allows (http or https). */
        const sourceUrl = (key: string) => {
          const value = sourceText(up, key);
          return value !== null && /^https?:\/\//.test(value) ? [`        <${key}>${xmlText(value)}</${key}>`] : [];
        };
        const license = upstreamField(up, 'recording_license')?.value;
        const logo = upstreamField(up, 'logo')?.value;
        lines.push(
          `      <event guid="${xmlAttr(guid)}" id="${id}"${code}>`,
          `        <room>${xmlText(labels.get(room.id)!)}</room>`,
          `        <title>${xmlText(talk.title)}</title>`,
          `        <subtitle>${xmlText(sourceText(up, 'subtitle') ?? '')}</subtitle>`,
          `        <type>${xmlText(nullable('type', pick(talk.type, locale)))}</type>`,
          `        <date>${xmlText(date ?? localIso(slot.start, event.timezone))}</date>`,
          `        <start>${xmlText(start ?? wallClock(slot.start, event.timezone).time)}</start>`,
          `        <duration>${hoursMinutes(minutes(slot))}</duration>`,
          `        <abstract>${xmlText(talk.abstract ?? '')}</abstract>`,
          // Only a slug the schema's pattern allows (a source's may not be one): it is in schedule.json all the same.
          ...(/^[a-z0-9_]{4,}-[a-z0-9\-_]{4,}$/.test(slug) ? [`        <slug>${slug}</slug>`] : []),
          `        <track>${xmlText(talk.track ? pick(talk.track.name, locale) : '')}</track>`,
          ...(typeof logo === 'string' && /^(https?:\/\/.*|\s*)$/.test(logo) ? [`        <logo>${xmlText(logo)}</logo>`] : []),
          '        <persons>',
          ...talk.speakers.map((s) => `          <person id="${personId(s)}" guid="${xmlAttr(personGuid(s, namespace))}">${xmlText(s.name)}</person>`),
          '        </persons>',
          `        <language>${xmlText(nullable('language', talk.locale))}</language>`,
          `        <description>${xmlText(talk.description ?? '')}</description>`,
          `        <recording><license>${xmlText(typeof license === 'string' ? license : '')}</license><optout>${talk.doNotRecord}</optout></recording>`,
          ...linkLines('links', safeLinks(upstreamField(up, 'links')?.value, true), 'link'),
          ...(upstreamField(up, 'attachments') ? linkLines('attachments', safeLinks(upstreamField(up, 'attachments')!.value, true), 'attachment') : []),
          ...(sourceUrl('url').length > 0 ? sourceUrl('url') : [`        <url>${xml(talkUrl(context, talk.code))}</url>`]),
          ...sourceUrl('feedback_url'),
          ...sourceUrl('origin_url'),
          '      </event>',
        );
      }
      lines.push('    </room>');
    }
    lines.push('  </day>');
  }
  lines.push('</schedule>', '');
  return lines.join('\n');
}

/**
 * Text for iCalendar: control characters other than tab and line breaks are dropped (they have no
 * place in a calendar and some clients choke on them). ical-generator escapes most properties itself.
 */
const icalClean = (s: string) => s.replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/g, '');
/**
 * RFC 5545 TEXT escaping, for the properties ical-generator writes raw (NAME, X-WR-CALNAME): without
 * it a line break in a talk title would start new lines, such as an injected BEGIN:VALARM.
 */
const icalText = (s: string) => icalClean(s).replace(/[\\;,]/g, (c) => `\\${c}`).replace(/\r\n|\r|\n/g, '\\n');

/**
 * An iCalendar file of these slots, in UTC (unambiguous; every client shows local time). Every
 * line ends with CRLF, the last too (RFC 5545 3.1; ical-generator leaves it off).
 */
export function icalendar(data: ExportData, context: FeedContext, slots: readonly ExportSlot[], name: string, version: ExportVersion | null = data.current): string {
  const host = new URL(context.baseUrl).host;
  const calendar = ical({ prodId: { company: 'confctl', product: `${host}//${icalClean(data.event.slug)}`, language: 'EN' }, name: icalText(name) });
  const stamp = version?.published ?? data.event.updated;
  for (const slot of slots) {
    const speakers = slot.talk.speakers.map((s) => s.name).join(', ');
    calendar.createEvent({
      id: icalClean(`confctl-${data.event.slug}-${slot.talk.code}${slot.occurrence > 0 ? `-${slot.occurrence}` : ''}@${host}`),
      start: slot.start,
      end: slot.end,
      stamp,
      summary: icalClean(speakers ? `${slot.talk.title} - ${speakers}` : slot.talk.title),
      location: icalClean(pick(slot.room.name, data.event.locale)),
      description: icalClean(slot.talk.abstract ?? ''),
      url: talkUrl(context, slot.talk.code),
    });
  }
  return `${calendar.toString()}\r\n`;
}

/** A room's and a track's id in the widget data: its Pretalx (or feed) id, else a number made from its name; never a row id. */
export const roomId = (room: ExportRoom) => room.pretalxId ?? numericId(`room:${pick(room.name, 'en')}`);
const trackId = (track: ExportTrack) => track.pretalxId ?? numericId(`track:${pick(track.name, 'en')}`);

/** pretalx's widget data (unstable upstream): talks with room and track ids, and the lookups. */
export function widgetJson(data: ExportData, version: ExportVersion | null = data.current): string {
  const { event } = data;
  const slots = version?.slots ?? [];
  return `${JSON.stringify({
    talks: slots.map((s) => ({
      code: s.talk.code,
      id: slotId(s),
      title: s.talk.title,
      abstract: s.talk.abstract,
      speakers: s.talk.speakers.map((p) => p.code),
      track: s.talk.track ? trackId(s.talk.track) : null,
      room: roomId(s.room),
      start: localIso(s.start, event.timezone),
      end: localIso(s.end, event.timezone),
      duration: minutes(s),
      do_not_record: s.talk.doNotRecord,
    })),
    version: version?.version ?? null,
    timezone: event.timezone,
    event_start: event.dateFrom,
    event_end: event.dateTo,
    tracks: data.tracks.map((t) => ({ id: trackId(t), name: t.name, color: t.color })),
    rooms: data.rooms.map((r) => ({ id: roomId(r), name: r.name, description: r.description })),
    speakers: [...new Map(slots.flatMap((s) => s.talk.speakers).map((p) => [p.code, p])).values()].map((p) => ({ code: p.code, name: p.name, avatar: p.avatarUrl })),
  })}\n`;
}
