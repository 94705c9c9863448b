import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * A fake Pretalx on 127.0.0.1 (port 0) speaking the v2 API (or v1: /api/ answers 404 and v2 is
 * refused) with the real shapes: paginated lists {count, next, previous, results} with absolute
 * next links, page/page_size (capped like pretalx.com), bare-array /api/events/. Faults can be
 * injected per path; every request is recorded.
 */
export type Item = Record<string, unknown>;

export interface Dataset {
  event: Item;
  rooms: Item[];
  tracks: Item[];
  types: Item[];
  tags: Item[];
  speakers: Item[];
  submissions: Item[];
  slots: Item[];
  schedule: { id: number; version: string; published: string } | null;
}

export interface Fault {
  /** Path below /api/events/<event>/ (e.g. "slots/"), or "*" for every path. */
  path: string;
  status: number;
  /** How many times to fail before answering normally; Infinity for always. */
  times: number;
  body?: string;
  headers?: Record<string, string>;
}

export interface RecordedRequest {
  url: string;
  authorization: string | null;
  version: string | null;
}

const shared = join(import.meta.dir, '..', '..', '..', 'shared', 'data');
const read = (path: string) => JSON.parse(readFileSync(join(shared, path), 'utf8'));
const strip = (o: Item) => {
  const { _note, ...rest } = o;
  void _note;
  return rest;
};

/** The synthesized v2 examples: one room, one track, two types, one talk, one speaker, one slot. */
export function synthesizedDataset(): Dataset {
  const d = (name: string) => strip(read(`pretalx-api/synthesized/${name}`));
  const latest = d('v2_GET_events_event_schedules_latest.json');
  return {
    event: d('v2_GET_events_event.json'),
    rooms: (d('v2_GET_events_event_rooms.json').results as Item[]),
    tracks: d('v2_GET_events_event_tracks.json').results as Item[],
    types: d('v2_GET_events_event_submission-types.json').results as Item[],
    tags: [],
    speakers: d('v2_GET_events_event_speakers.json').results as Item[],
    submissions: d('v2_GET_events_event_submissions.json').results as Item[],
    slots: d('v2_GET_events_event_slots.json').results as Item[],
    schedule: { id: latest.id as number, version: latest.version as string, published: latest.published as string },
  };
}

/**
 * PyCon FR 2025 (real data, Pretalx API v1 expanded) as a v2 server would list it: 13 rooms
 * (guid null), 84 talks, 93 slots (9 talks with several), 87 speakers, fr/en names.
 */
export function pyconfrDataset(): Dataset {
  const rooms = read('schedules/pyconfr-2025/rooms.json') as Item[];
  const expanded = read('schedules/pyconfr-2025/submissions.flattened.json') as Item[];
  const speakers = new Map<string, Item>();
  const types = new Map<number, Item>();
  const slots: Item[] = [];
  const submissions = expanded.map((s) => {
    const type = s.submission_type as Item;
    types.set(type.id as number, { id: type.id, name: type.name, default_duration: type.default_duration });
    for (const sp of s.speakers as Item[]) {
      speakers.set(sp.code as string, { code: sp.code, name: sp.name, biography: sp.biography, avatar_url: sp.avatar_url, submissions: [], answers: [] });
    }
    for (const slot of s.slots as Item[]) {
      slots.push({ id: slot.id, room: (slot.room as Item).id, start: slot.start, end: slot.end, submission: s.code, schedule: 1, description: {}, duration: slot.duration });
    }
    return {
      code: s.code, title: s.title, speakers: (s.speakers as Item[]).map((p) => p.code), submission_type: type.id, track: null, tags: [], state: s.state,
      abstract: s.abstract ?? null, description: s.description, duration: s.duration, slot_count: s.slot_count, content_locale: s.content_locale,
      do_not_record: false, image: null, resources: [], slots: (s.slots as Item[]).map((x) => x.id), answers: [],
    };
  });
  return {
    event: { name: { en: 'PyCon FR 2025', fr: 'PyCon FR 2025' }, slug: 'pyconfr-2025', date_from: '2025-10-30', date_to: '2025-11-02', timezone: 'Europe/Paris', locale: 'fr', locales: ['fr', 'en'] },
    rooms: rooms.map(({ in_conferences, availabilities, speaker_info, ...room }) => (void in_conferences, void availabilities, void speaker_info, room)),
    tracks: [],
    types: [...types.values()],
    tags: [],
    speakers: [...speakers.values()].sort((a, b) => String(a.code).localeCompare(String(b.code))),
    submissions,
    slots: slots.sort((a, b) => String(a.start).localeCompare(String(b.start)) || (a.room as number) - (b.room as number)),
    schedule: { id: 1, version: '1.0', published: '2025-10-28T12:00:00+01:00' },
  };
}

/** A large programme for benches and load tests: 20 rooms, 1,000 talks (100 twice), 1,200 speakers, 1,100 slots. */
export function bigDataset(): Dataset {
  const rooms: Item[] = Array.from({ length: 20 }, (_, i) => ({ id: i + 1, name: { en: `Room ${i + 1}` }, description: {}, uuid: null, guid: null, capacity: 100, position: i }));
  const speakers: Item[] = Array.from({ length: 1200 }, (_, i) => ({ code: `SP${String(i).padStart(4, '0')}`, name: `Speaker ${i}`, biography: `Speaker ${i} talks about things.`, submissions: [], avatar_url: null, answers: [] }));
  const submissions: Item[] = Array.from({ length: 1000 }, (_, i) => ({
    code: `TK${String(i).padStart(4, '0')}`, title: `Talk ${i}`, speakers: [`SP${String(i).padStart(4, '0')}`, ...(i < 200 ? [`SP${String(1000 + i).padStart(4, '0')}`] : [])],
    submission_type: 1 + (i % 2), track: 1 + (i % 5), tags: [], state: 'confirmed', abstract: `About talk ${i}.`, description: `More about talk ${i}.`, duration: 30,
    slot_count: i < 100 ? 2 : 1, content_locale: 'en', do_not_record: false, image: null, resources: [], slots: [], answers: [],
  }));
  const slots: Item[] = [];
  let id = 1;
  submissions.forEach((s, i) => {
    for (let n = 0; n < (s.slot_count as number); n++) {
      const minutes = ((i + n * 500) % 40) * 30;
      const day = Math.floor(((i + n * 500) % 800) / 40) % 4;
      const start = new Date(Date.UTC(2026, 5, 1 + day, 7, 0) + minutes * 60000);
      slots.push({ id: id++, room: 1 + (i % 20), start: start.toISOString(), end: new Date(start.getTime() + 30 * 60000).toISOString(), submission: s.code, schedule: 1, description: {}, duration: 30 });
    }
  });
  return {
    event: { name: { en: 'BigCon' }, slug: 'bigcon', date_from: '2026-06-01', date_to: '2026-06-04', timezone: 'UTC', locale: 'en', locales: ['en'] },
    rooms,
    tracks: Array.from({ length: 5 }, (_, i) => ({ id: i + 1, name: { en: `Track ${i + 1}` }, color: '#336699', position: i })),
    types: [{ id: 1, name: { en: 'Talk' }, default_duration: 30 }, { id: 2, name: { en: 'Workshop' }, default_duration: 90 }],
    tags: [],
    speakers,
    submissions,
    slots,
    schedule: { id: 1, version: 'v1', published: '2026-05-01T09:00:00Z' },
  };
}

export interface FakePretalx extends Disposable {
  readonly url: string;
  readonly requests: RecordedRequest[];
  data: Dataset;
  faults: Fault[];
  api: 'v2' | 'v1' | 'legacy';
  maxPageSize: number;
  /** Extra hooks: return a Response to answer a request differently. */
  override?: (url: URL) => Response | undefined;
  stop(): void;
}

/** A v2 submission as the legacy API showed it: names beside ids, speakers inline, ONE slot. */
function legacySubmission(data: Dataset, s: Item): Item {
  const type = data.types.find((t) => t.id === s.submission_type);
  const track = data.tracks.find((t) => t.id === s.track);
  const slot = data.slots.find((x) => x.submission === s.code);
  const room = slot ? data.rooms.find((r) => r.id === slot.room) : undefined;
  return {
    code: s.code,
    speakers: (s.speakers as string[]).map((code) => {
      const p = data.speakers.find((x) => x.code === code);
      return { code, name: p?.name ?? code, biography: p?.biography ?? '', avatar: p?.avatar_url ?? null };
    }),
    title: s.title,
    submission_type: type?.name ?? null,
    submission_type_id: s.submission_type,
    track: track?.name ?? null,
    track_id: s.track,
    state: s.state,
    abstract: s.abstract,
    description: s.description,
    duration: s.duration,
    slot_count: s.slot_count,
    do_not_record: s.do_not_record,
    is_featured: false,
    content_locale: s.content_locale,
    slot: slot ? { room_id: slot.room, room: room?.name ?? null, start: slot.start, end: slot.end } : null,
    image: null,
    resources: [],
    answers: [],
  };
}

export function fakePretalx(data: Dataset, options: { api?: 'v2' | 'v1' | 'legacy'; maxPageSize?: number; latency?: number } = {}): FakePretalx {
  const state = {
    data,
    faults: [] as Fault[],
    api: options.api ?? 'v2',
    maxPageSize: options.maxPageSize ?? 50,
    requests: [] as RecordedRequest[],
    override: undefined as ((url: URL) => Response | undefined) | undefined,
  };
  const json = (body: unknown, status = 200) => new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });
  const server = Bun.serve({
    hostname: '127.0.0.1',
    port: 0,
    async fetch(request) {
      if (options.latency) await Bun.sleep(options.latency);
      const url = new URL(request.url);
      state.requests.push({ url: url.href, authorization: request.headers.get('authorization'), version: request.headers.get('pretalx-version') });
      const custom = state.override?.(url);
      if (custom) return custom;
      const version = request.headers.get('pretalx-version');
      if (state.api === 'v1' && version === 'v2') return json({ detail: 'Unsupported version: v2' }, 400);
      if (url.pathname === '/api/') {
        if (state.api === 'legacy') return json({ events: `${url.origin}/api/events/` });
        return state.api === 'v2' ? json({ name: 'pretalx', version: '2026.2.1', api_version: 'v2', urls: { events: `${url.origin}/api/events/` } }) : json({ detail: 'Not found.' }, 404);
      }
      const slug = String(state.data.event.slug);
      const prefix = `/api/events/${slug}/`;
      if (url.pathname === '/api/events/') return json([{ name: state.data.event.name, slug, is_public: true, date_from: state.data.event.date_from, date_to: state.data.event.date_to, timezone: state.data.event.timezone }]);
      if (!url.pathname.startsWith(prefix)) return json({ detail: 'Not found.' }, 404);
      const path = url.pathname.slice(prefix.length);
      for (const fault of state.faults) {
        if ((fault.path === path || fault.path === '*') && fault.times > 0) {
          fault.times--;
          return new Response(fault.body ?? JSON.stringify({ detail: 'error' }), { status: fault.status, headers: { 'content-type': 'application/json', ...fault.headers } });
        }
      }
      if (path === '') return json(state.data.event);
      if (state.api === 'legacy') {
        const d = state.data;
        if (path === 'schedules/latest/') {
          if (!d.schedule) return json({ detail: 'Not found.' }, 404);
          return json({ slots: d.submissions.filter((x) => x.state === 'confirmed' && d.slots.some((y) => y.submission === x.code)).map((x) => legacySubmission(d, x)), version: d.schedule.version, breaks: [] });
        }
        const legacy: Record<string, Item[]> = {
          'rooms/': d.rooms,
          'speakers/': d.speakers.map((p) => ({ code: p.code, name: p.name, biography: p.biography, submissions: [], avatar: p.avatar_url })),
          'submissions/': d.submissions.map((x) => legacySubmission(d, x)),
        };
        const items = legacy[path];
        if (!items) return json({ detail: 'Not found.' }, 404);
        const limit = Number(url.searchParams.get('limit') ?? 25) || 25;
        const offset = Number(url.searchParams.get('offset') ?? 0) || 0;
        const link = (o: number) => {
          const u = new URL(url.href);
          u.searchParams.set('limit', String(limit));
          u.searchParams.set('offset', String(o));
          return u.href;
        };
        return json({ count: items.length, next: offset + limit < items.length ? link(offset + limit) : null, previous: offset > 0 ? link(Math.max(0, offset - limit)) : null, results: items.slice(offset, offset + limit) });
      }
      if (path === 'schedules/latest/') return state.data.schedule ? json({ ...state.data.schedule, comment: {}, slots: state.data.slots.map((s) => s.id) }) : json({ detail: 'Not found.' }, 404);
      const lists: Record<string, Item[]> = {
        'rooms/': state.data.rooms,
        'tracks/': state.data.tracks,
        'submission-types/': state.data.types,
        'tags/': state.data.tags,
        'speakers/': state.data.speakers,
        'submissions/': state.data.submissions,
        'slots/': state.data.schedule ? state.data.slots : [],
      };
      const items = lists[path];
      if (!items) return json({ detail: 'Not found.' }, 404);
      const size = Math.min(Number(url.searchParams.get('page_size') ?? 50) || 50, state.maxPageSize);
      const page = Math.max(1, Number(url.searchParams.get('page') ?? 1) || 1);
      const results = items.slice((page - 1) * size, page * size);
      const link = (n: number) => {
        const u = new URL(url.href);
        u.searchParams.set('page', String(n));
        return u.href;
      };
      return json({ count: items.length, next: page * size < items.length ? link(page + 1) : null, previous: page > 1 ? link(page - 1) : null, results });
    },
  });
  const fake = {
    url: `http://127.0.0.1:${server.port}`,
    requests: state.requests,
    get data() { return state.data; },
    set data(d: Dataset) { state.data = d; },
    get faults() { return state.faults; },
    set faults(f: Fault[]) { state.faults = f; },
    get api() { return state.api; },
    set api(a: 'v2' | 'v1' | 'legacy') { state.api = a; },
    get maxPageSize() { return state.maxPageSize; },
    set maxPageSize(n: number) { state.maxPageSize = n; },
    get override() { return state.override; },
    set override(o) { state.override = o; },
    stop: () => server.stop(true),
    [Symbol.dispose]: () => server.stop(true),
  };
  return fake as FakePretalx;
}
