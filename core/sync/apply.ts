import { rowWriter } from '../../db/rows.ts';
import type { Clock } from '../common/clock.ts';
import { toDbDateTime } from '../common/dbtime.ts';
import { CommandError } from '../common/errors.ts';
import { wallClock } from '../common/tz.ts';
import { dayOf } from '../export/days.ts';
import type { Db } from '../auth/users.ts';
import { parseUpstream } from '../export/upstream.ts';
import type { Snapshot, Steps, UpSlot } from './snapshot.ts';

/**
 * Mirrors a fetched snapshot into one event, in ONE transaction (a dry run rolls it back at the
 * end). Keys are stable: rooms, tracks, types and tags by Pretalx id, speakers and talks by code,
 * talk slots by (talk code, occurrence by start), breaks as a set. Moves and renames update rows in
 * place; what vanished upstream is removed (talks are marked canceled). Before removing anything of
 * a kind, the drop guard compares the removals with what exists. Nothing is written when nothing
 * differs.
 */
export const KINDS = ['rooms', 'tracks', 'types', 'tags', 'speakers', 'talks', 'slots'] as const;
export type Kind = (typeof KINDS)[number];

export interface Changes {
  created: number;
  updated: number;
  removed: number;
}

export interface SyncResult {
  counts: { rooms: number; speakers: number; talks: number; slots: number };
  unscheduled: number;
  changes: Record<Kind, Changes>;
  version: string | null;
  /** The event's time zone, changed to the source's (null: unchanged). */
  timezone: { from: string; to: string } | null;
  /** The event's dates, widened to cover the source's slots (with `coverDates`; null: unchanged). */
  dates: { from: [string, string]; to: [string, string] } | null;
}

/** What to say about a changed time zone: news when it replaced the default UTC, a warning when it replaced one set by hand. */
export function timezoneNotice(
  change: { from: string; to: string },
  dryRun: boolean,
  source: { owner: string; holder: string },
): { warn: boolean; text: string } {
  const now = dryRun ? 'would now use' : 'now uses';
  return change.from === 'UTC'
    ? { warn: false, text: `The event ${now} ${source.owner} time zone, ${change.to}.` }
    : { warn: true, text: `The event's time zone was ${change.from}; ${source.holder} is in ${change.to}, which the mirror ${now}.` };
}

export interface ApplyOptions {
  eventId: number;
  steps: Steps;
  allowLargeScheduleDrop: boolean;
  guard: { minExisting: number; maxFraction: number };
  dryRun: boolean;
  clock: Clock;
  /** What is running, for the refusals: a sync (the default) or an import. */
  what?: 'sync' | 'import';
  /**
   * Widen the event's dates to cover every slot of the source (import_schedule: a feed is the whole
   * programme; slots outside the event's days would be in no feed's day, silently).
   */
  coverDates?: boolean;
}

class DryRun extends Error {}

const kindNames: Record<Kind, string> = {
  rooms: 'rooms',
  tracks: 'tracks',
  types: 'submission types',
  tags: 'tags',
  speakers: 'speakers',
  talks: 'talks',
  slots: 'slots',
};

/**
 * The drop guard: a sync or import that would remove a large part of any kind stops, nothing
 * written. --allow-large-schedule-drop lets an intended drop through for every kind (a schedule that
 * shrinks takes its talks, speakers and rooms with it); every refusal names that flag.
 */
function guard(kind: Kind, existing: number, stale: number, options: ApplyOptions): void {
  if (options.allowLargeScheduleDrop) return;
  const { minExisting, maxFraction } = options.guard;
  if (existing < minExisting || existing <= 0 || stale <= 0 || stale / existing < maxFraction) return;
  const percent = `${((stale / existing) * 100).toFixed(1)}%`;
  if (kind === 'slots') {
    throw new CommandError(
      `Aborting schedule sync: would remove ${stale}/${existing} existing slots (${percent}), which exceeds the configured safety threshold. ` +
        'Retry with --allow-large-schedule-drop only if this is intentional.',
    );
  }
  throw new CommandError(
    `Aborting ${options.what ?? 'sync'}: would remove ${stale}/${existing} existing ${kindNames[kind]} (${percent}), which exceeds the configured safety threshold ` +
      '(sync.guard_max_fraction, sync.guard_min_existing). Nothing was written. Retry with --allow-large-schedule-drop only if this is intentional.',
  );
}

const json = (value: unknown) => (value === null || value === undefined ? null : JSON.stringify(value));
const same = (a: Record<string, unknown>, b: Record<string, unknown>) => Object.keys(b).every((k) => a[k] === b[k]);

/** The slot identity of the export guid rule: talk code and occurrence by start (breaks by start and room). */
function slotKeys(slots: readonly { submission: string | null; start: string | null; room: number | null }[]): string[] {
  const seen = new Map<string, number>();
  const order = slots.map((s, i) => ({ s, i })).sort((a, b) => (a.s.start ?? '').localeCompare(b.s.start ?? '') || a.i - b.i);
  const keys: string[] = new Array(slots.length);
  for (const { s, i } of order) {
    if (s.submission === null) keys[i] = `break|${s.start}|${s.room}`;
    else {
      const n = seen.get(s.submission) ?? 0;
      seen.set(s.submission, n + 1);
      keys[i] = `${s.submission}|${n}`;
    }
  }
  return keys;
}

/**
 * People a feed names by guid or id but with a code of confctl's making (frab XML carries no person
 * codes) are the local speakers with that guid (else id), as an earlier import of the same
 * conference's schedule.json stored them: the same rows, not new ones beside them.
 */
async function samePeople(trx: Db, eventId: number, snapshot: Snapshot): Promise<Snapshot> {
  const identified = snapshot.speakers.filter((s) => s.upstream);
  if (identified.length === 0) return snapshot;
  const local = await trx.selectFrom('person_speakerprofile').select(['code', 'upstream']).where('event_id', '=', eventId).execute();
  const localCodes = new Set(local.map((r) => r.code));
  const identity = (fields: Record<string, unknown> | undefined, key: string) => {
    const value = fields?.[key];
    return (typeof value === 'string' && value !== '') || typeof value === 'number' ? `${key}:${value}` : null;
  };
  const byIdentity = new Map<string, string>();
  for (const row of local) {
    const fields = parseUpstream(row.upstream)?.fields;
    for (const key of ['guid', 'id']) {
      const id = identity(fields, key);
      if (id !== null && !byIdentity.has(id)) byIdentity.set(id, row.code);
    }
  }
  const taken = new Set(snapshot.speakers.map((s) => s.code));
  const rename = new Map<string, string>();
  for (const s of identified) {
    if (localCodes.has(s.code)) continue;
    for (const key of ['guid', 'id']) {
      const code = byIdentity.get(identity(s.upstream!.fields, key) ?? '');
      if (code !== undefined && !taken.has(code)) {
        rename.set(s.code, code);
        taken.add(code);
        break;
      }
    }
  }
  if (rename.size === 0) return snapshot;
  const to = (code: string) => rename.get(code) ?? code;
  return {
    ...snapshot,
    speakers: snapshot.speakers.map((s) => ({ ...s, code: to(s.code) })),
    submissions: snapshot.submissions.map((s) => ({ ...s, speakers: s.speakers.map(to) })),
  };
}

/**
 * Events whose talk code was made by the import (from a guid or a frab id: frab XML gives a repeat no
 * code of its own) are the talks whose stored slots have that guid, as an earlier import of the same
 * conference's schedule.json stored them: the same talk, not a new one beside it. A made-up code
 * that turns out to be another talk of the snapshot merges into it (a repeat's second slot).
 */
async function sameTalks(trx: Db, eventId: number, snapshot: Snapshot): Promise<Snapshot> {
  const made = (code: string) => /^[GH][0-9A-F]{15}$|^F\d+$/.test(code);
  const guidOf = (slot: UpSlot) => {
    const guid = slot.upstream?.fields.guid;
    return typeof guid === 'string' && guid !== '' ? guid : null;
  };
  if (!snapshot.slots.some((s) => s.submission !== null && made(s.submission) && guidOf(s) !== null)) return snapshot;
  const rows = await trx
    .selectFrom('schedule_talkslot as t')
    .innerJoin('submission_submission as s', 's.id', 't.submission_id')
    .select(['s.code', 't.upstream'])
    .where('s.event_id', '=', eventId)
    .where('t.upstream', 'is not', null)
    .execute();
  const codesOf = new Map<string, Set<string>>();
  for (const row of rows) {
    const guid = parseUpstream(row.upstream)?.fields.guid;
    if (typeof guid === 'string' && guid !== '') codesOf.set(guid, (codesOf.get(guid) ?? new Set()).add(row.code));
  }
  const local = new Set(rows.map((r) => r.code));
  const rename = new Map<string, string>();
  for (const slot of snapshot.slots) {
    const code = slot.submission;
    const guid = guidOf(slot);
    if (code === null || guid === null || !made(code) || local.has(code) || rename.has(code)) continue;
    const codes = codesOf.get(guid);
    if (codes?.size === 1) rename.set(code, [...codes][0]!);
  }
  if (rename.size === 0) return snapshot;
  const to = (code: string) => rename.get(code) ?? code;
  const submissions = new Map<string, Snapshot['submissions'][number]>();
  for (const s of snapshot.submissions) {
    const code = to(s.code);
    const known = submissions.get(code);
    submissions.set(code, known ? { ...known, slotCount: known.slotCount + s.slotCount, speakers: [...new Set([...known.speakers, ...s.speakers])] } : { ...s, code });
  }
  return { ...snapshot, submissions: [...submissions.values()], slots: snapshot.slots.map((s) => (s.submission === null ? s : { ...s, submission: to(s.submission) })) };
}

export async function applySnapshot(db: Db, given: Snapshot, options: ApplyOptions): Promise<SyncResult> {
  let snapshot = given;
  const changes = Object.fromEntries(KINDS.map((k) => [k, { created: 0, updated: 0, removed: 0 }])) as Record<Kind, Changes>;
  const result: SyncResult = {
    counts: { rooms: snapshot.rooms.length, speakers: snapshot.speakers.length, talks: snapshot.submissions.length, slots: snapshot.slots.length },
    unscheduled: 0,
    changes,
    version: snapshot.version,
    timezone: null,
    dates: null,
  };
  const { eventId, steps } = options;
  const stamp = toDbDateTime(options.clock.now());
  try {
    await db.transaction().execute(async (trx) => {
      snapshot = await samePeople(trx, options.eventId, snapshot);
      snapshot = await sameTalks(trx, options.eventId, snapshot);
      result.counts.talks = snapshot.submissions.length;
      // The mirror shows times in the source's zone: a 09:00 Berlin talk reads 09:00.
      if (snapshot.timezone) {
        const { timezone } = await trx.selectFrom('event_event').select('timezone').where('id', '=', eventId).executeTakeFirstOrThrow();
        if (timezone !== snapshot.timezone) {
          result.timezone = { from: timezone, to: snapshot.timezone };
          await trx.updateTable('event_event').set({ timezone: snapshot.timezone }).where('id', '=', eventId).execute();
        }
      }
      if (options.coverDates) {
        const event = await trx.selectFrom('event_event').select(['timezone', 'date_from', 'date_to']).where('id', '=', eventId).executeTakeFirstOrThrow();
        const starts = snapshot.slots.flatMap((s) => (s.start === null ? [] : [s.start]));
        // The first day is the earliest slot's date; the last counts days as the feeds do (a slot before 03:00 is the night before).
        // The source's own first and last day count too (a last day without talks is still a day of the programme).
        const first = [...starts.map((d) => wallClock(d, event.timezone).date), ...(snapshot.dates ? [snapshot.dates.from] : [])].sort()[0];
        const last = [...starts.map((d) => dayOf(d, event.timezone, snapshot.days)), ...(snapshot.dates ? [snapshot.dates.to] : [])].sort().at(-1)!;
        if (first !== undefined) {
          // Days that share none with the source's take the source's (a placeholder event made for an
          // import would otherwise span every day in between); days that overlap widen to cover it.
          const apart = last < event.date_from || first > event.date_to;
          const from = apart || first < event.date_from ? first : event.date_from;
          const to = apart || last > event.date_to ? last : event.date_to;
          if (from !== event.date_from || to !== event.date_to) {
            result.dates = { from: [event.date_from, from], to: [event.date_to, to] };
            await trx.updateTable('event_event').set({ date_from: from, date_to: to }).where('id', '=', eventId).execute();
          }
        }
      }
      // Reads go through kysely; the per-row writes through statements prepared once (same transaction).
      const rows = rowWriter(trx);
      // Rooms, tracks, types, tags: keyed by Pretalx id.
      const keyed = async <T extends 'schedule_room' | 'submission_track' | 'submission_submissiontype' | 'submission_tag'>(
        kind: Kind,
        table: T,
        wanted: Map<number, Record<string, unknown>>,
        removeNow: boolean,
      ) => {
        const local = new Map((await trx.selectFrom(table as 'schedule_room').selectAll().where('event_id', '=', eventId).where('pretalx_id', 'is not', null).execute()).map((r) => [r.pretalx_id!, r as Record<string, unknown>]));
        const stale = [...local.keys()].filter((id) => !wanted.has(id));
        guard(kind, local.size, stale.length, options);
        for (const [id, values] of wanted) {
          const row = local.get(id);
          if (!row) {
            await rows.insert(table as 'schedule_room', { ...(values as object), event_id: eventId, pretalx_id: id } as never);
            changes[kind].created++;
          } else if (!same(row, values)) {
            await rows.update(table as 'schedule_room', row.id as number, values as never);
            changes[kind].updated++;
          }
        }
        const removeStale = async () => {
          for (const id of stale) {
            const row = local.get(id)!;
            // Still used by a local submission (types are protected): keep it.
            if (await rows.deleteUnlessProtected(table as 'schedule_room', row.id as number)) changes[kind].removed++;
          }
        };
        if (removeNow) await removeStale();
        const ids = new Map(
          (await trx.selectFrom(table as 'schedule_room').select(['id', 'pretalx_id']).where('event_id', '=', eventId).where('pretalx_id', 'is not', null).execute()).map((r) => [r.pretalx_id!, r.id]),
        );
        return { ids, removeStale };
      };

      const roomIds =
        steps.rooms || steps.schedule
          ? await keyed(
              'rooms',
              'schedule_room',
              new Map(snapshot.rooms.map((r) => [r.id, { name: json(r.name), guid: r.guid, description: json(r.description), capacity: r.capacity, position: r.position, upstream: json(r.upstream) }])),
              steps.rooms,
            )
          : null;
      const talkLookups = steps.talks;
      const tracks = talkLookups ? await keyed('tracks', 'submission_track', new Map(snapshot.tracks.map((t) => [t.id, { name: json(t.name), color: t.color, position: t.position, upstream: json(t.upstream) }])), false) : null;
      const types = talkLookups ? await keyed('types', 'submission_submissiontype', new Map(snapshot.types.map((t) => [t.id, { name: json(t.name), default_duration: t.defaultDuration }])), false) : null;
      const tags = talkLookups ? await keyed('tags', 'submission_tag', new Map(snapshot.tags.map((t) => [t.id, { tag: t.tag, color: t.color }])), false) : null;

      // Speakers, by code.
      if (steps.speakers) {
        const local = new Map((await trx.selectFrom('person_speakerprofile').selectAll().where('event_id', '=', eventId).execute()).map((r) => [r.code, r]));
        const wanted = new Map(snapshot.speakers.map((s) => [s.code, s]));
        const stale = [...local.keys()].filter((code) => !wanted.has(code));
        guard('speakers', local.size, stale.length, options);
        // Local accounts by e-mail (case-insensitive), read once when a new speaker has an address.
        let users: Map<string, number> | null = null;
        const userFor = async (email: string) => {
          users ??= new Map((await trx.selectFrom('person_user').select(['id', 'email']).orderBy('id', 'desc').execute()).map((u) => [u.email.toLowerCase(), u.id]));
          return users.get(email.toLowerCase());
        };
        for (const s of snapshot.speakers) {
          const values = { name: s.name, biography: s.biography, avatar_url: s.avatarUrl, upstream: json(s.upstream), ...(s.email !== null ? { email: s.email } : {}) };
          const row = local.get(s.code);
          if (!row) {
            const user = s.email ? await userFor(s.email) : undefined;
            await rows.insert('person_speakerprofile', { ...values, event_id: eventId, code: s.code, user_id: user ?? null, created: stamp, updated: stamp });
            changes.speakers.created++;
          } else if (!same(row as never, values)) {
            await rows.update('person_speakerprofile', row.id, { ...values, updated: stamp });
            changes.speakers.updated++;
          }
        }
        for (const code of stale) {
          await rows.delete('person_speakerprofile', 'id', local.get(code)!.id);
          changes.speakers.removed++;
        }
      }

      // Talks, by code; talks that vanish upstream are marked canceled.
      if (steps.talks) {
        const local = new Map((await trx.selectFrom('submission_submission').selectAll().where('event_id', '=', eventId).execute()).map((r) => [r.code, r]));
        const wanted = new Map(snapshot.submissions.map((s) => [s.code, s]));
        const stale = [...local.values()].filter((r) => !wanted.has(r.code) && r.state !== 'canceled');
        guard('talks', [...local.values()].filter((r) => r.state !== 'canceled').length, stale.length, options);
        const speakers = new Map((await trx.selectFrom('person_speakerprofile').select(['id', 'code']).where('event_id', '=', eventId).execute()).map((r) => [r.code, r.id]));
        // Every talk's speakers and tags, read once (not per talk).
        const rolesOf = new Map<number, number[]>();
        for (const r of await trx
          .selectFrom('submission_speakerrole as r')
          .innerJoin('submission_submission as s', 's.id', 'r.submission_id')
          .select(['r.submission_id', 'r.speaker_id'])
          .where('s.event_id', '=', eventId)
          .orderBy('r.submission_id')
          .orderBy('r.position')
          .execute()) {
          rolesOf.set(r.submission_id, [...(rolesOf.get(r.submission_id) ?? []), r.speaker_id]);
        }
        const tagsOf = new Map<number, number[]>();
        for (const r of await trx
          .selectFrom('submission_submission_tags as t')
          .innerJoin('submission_submission as s', 's.id', 't.submission_id')
          .select(['t.submission_id', 't.tag_id'])
          .where('s.event_id', '=', eventId)
          .orderBy('t.submission_id')
          .orderBy('t.tag_id')
          .execute()) {
          tagsOf.set(r.submission_id, [...(tagsOf.get(r.submission_id) ?? []), r.tag_id]);
        }
        let fallbackType: number | null = null;
        const typeFor = async (pretalxId: number | null) => {
          const id = pretalxId === null ? undefined : types!.ids.get(pretalxId);
          if (id !== undefined) return id;
          fallbackType ??=
            (await trx.selectFrom('submission_submissiontype').select('id').where('event_id', '=', eventId).orderBy('pretalx_id', (ob) => ob.asc().nullsFirst()).orderBy('id').executeTakeFirst())?.id ??
            Number((await trx.insertInto('submission_submissiontype').values({ event_id: eventId, name: JSON.stringify({ en: 'Talk' }) }).returning('id').executeTakeFirstOrThrow()).id);
          return fallbackType;
        };
        for (const s of snapshot.submissions) {
          const values = {
            title: s.title,
            state: s.state,
            abstract: s.abstract,
            description: s.description,
            duration: s.duration,
            slot_count: Math.max(1, s.slotCount),
            content_locale: s.contentLocale,
            do_not_record: (s.doNotRecord ? 1 : 0) as 0 | 1,
            is_featured: (s.isFeatured ? 1 : 0) as 0 | 1,
            submission_type_id: await typeFor(s.type),
            track_id: s.track === null ? null : tracks!.ids.get(s.track) ?? null,
          };
          const row = local.get(s.code);
          let id: number;
          let changed = false;
          if (!row) {
            id = await rows.insert('submission_submission', { ...values, event_id: eventId, code: s.code, created: stamp, updated: stamp });
            changes.talks.created++;
          } else {
            id = row.id;
            if (!same(row as never, values)) {
              await rows.update('submission_submission', id, { ...values, updated: stamp });
              changed = true;
            }
          }
          // Speaker roles and tags: rewritten only when they differ.
          const roles = rolesOf.get(id) ?? [];
          const wantRoles = s.speakers.map((code) => speakers.get(code)).filter((x): x is number => x !== undefined);
          if (roles.join() !== wantRoles.join()) {
            await rows.delete('submission_speakerrole', 'submission_id', id);
            for (const [position, speaker_id] of wantRoles.entries()) await rows.insert('submission_speakerrole', { submission_id: id, speaker_id, position });
            changed = true;
          }
          const tagRows = tagsOf.get(id) ?? [];
          const wantTags = s.tags.map((t) => tags!.ids.get(t)).filter((x): x is number => x !== undefined).sort((a, b) => a - b);
          if (tagRows.join() !== wantTags.join()) {
            await rows.delete('submission_submission_tags', 'submission_id', id);
            for (const tag_id of wantTags) await rows.insert('submission_submission_tags', { submission_id: id, tag_id });
            changed = true;
          }
          if (row && changed) changes.talks.updated++;
        }
        for (const r of stale) {
          await rows.update('submission_submission', r.id, { state: 'canceled', updated: stamp });
          changes.talks.removed++;
        }
        await tracks!.removeStale();
        await types!.removeStale();
        await tags!.removeStale();
      }

      // The released schedule: one local version per Pretalx release; slots keyed by (code, occurrence).
      if (steps.schedule) {
        const talkIds = new Map((await trx.selectFrom('submission_submission').select(['id', 'code']).where('event_id', '=', eventId).execute()).map((r) => [r.code, r.id]));
        const codes = new Map([...talkIds].map(([code, id]) => [id, code]));
        const current = await trx
          .selectFrom('schedule_schedule')
          .selectAll()
          .where('event_id', '=', eventId)
          .where('version', 'is not', null)
          .orderBy('published', (ob) => ob.desc().nullsLast())
          .orderBy('id', 'desc')
          .executeTakeFirst();
        const existingSlots = current
          ? await trx.selectFrom('schedule_talkslot').selectAll().where('schedule_id', '=', current.id).orderBy('id').execute()
          : [];
        const localView = existingSlots.map((s) => ({ row: s, submission: s.submission_id === null ? null : codes.get(s.submission_id) ?? `#${s.submission_id}`, start: s.start, room: s.room_id }));
        const localKeys = slotKeys(localView);
        const upstream = snapshot.slots
          .filter((s): s is UpSlot & { start: Date } => s.start !== null && (s.submission === null || talkIds.has(s.submission)))
          .map((s) => ({
            up: s,
            submission: s.submission,
            start: toDbDateTime(s.start),
            room: s.room === null ? null : roomIds!.ids.get(s.room) ?? null,
          }));
        const upstreamKeys = slotKeys(upstream);
        const wantedKeys = new Set(upstreamKeys);
        const stale = localKeys.filter((k) => !wantedKeys.has(k));
        guard('slots', localView.length, stale.length, options);

        // A server that reports no version keeps mirroring into the newest local one (idempotent).
        const sameVersion = current !== undefined && (snapshot.version === null || current.version === snapshot.version);
        let scheduleId: number;
        if (sameVersion) scheduleId = current!.id;
        else if (snapshot.version === null && upstream.length === 0) scheduleId = -1;
        else {
          const version = snapshot.version ?? 'unversioned';
          const taken = await trx.selectFrom('schedule_schedule').select('id').where('event_id', '=', eventId).where('version', '=', version).executeTakeFirst();
          if (taken) throw new CommandError(`A local schedule version "${version}" exists that is not the newest: rename it before mirroring Pretalx's.`);
          scheduleId = Number(
            (await trx.insertInto('schedule_schedule').values({ event_id: eventId, version, published: toDbDateTime(snapshot.published ?? options.clock.now()) }).returning('id').executeTakeFirstOrThrow()).id,
          );
        }
        // The source's days (a feed's day_start and day_end) belong to its version.
        if (scheduleId !== -1 && snapshot.days !== undefined) {
          const upstream = json(snapshot.days === null ? null : { days: snapshot.days });
          const { upstream: stored } = await trx.selectFrom('schedule_schedule').select('upstream').where('id', '=', scheduleId).executeTakeFirstOrThrow();
          if (stored !== upstream) await trx.updateTable('schedule_schedule').set({ upstream }).where('id', '=', scheduleId).execute();
        }
        const byKey = new Map(localKeys.map((k, i) => [k, localView[i]!.row]));
        for (const [i, u] of upstream.entries()) {
          const key = upstreamKeys[i]!;
          const values = {
            submission_id: u.submission === null ? null : talkIds.get(u.submission)!,
            room_id: u.room,
            start: u.start,
            end: u.up.end === null ? null : toDbDateTime(u.up.end),
            description: json(u.up.description),
            upstream: json(u.up.upstream),
            is_visible: u.up.visible === false ? (0 as const) : (1 as const),
            slot_type: u.submission === null ? 'break' : 'talk',
          };
          const row = sameVersion ? byKey.get(key) : undefined;
          if (!row) {
            await rows.insert('schedule_talkslot', { ...values, schedule_id: scheduleId });
            if (!byKey.has(key)) changes.slots.created++;
            else if (!same(byKey.get(key) as never, values)) changes.slots.updated++;
          } else if (!same(row as never, values)) {
            await rows.update('schedule_talkslot', row.id, values);
            changes.slots.updated++;
          }
        }
        if (sameVersion) {
          for (const key of stale) await rows.delete('schedule_talkslot', 'id', byKey.get(key)!.id);
        }
        changes.slots.removed += stale.length;
        result.version = sameVersion ? current!.version : snapshot.version;
      }

      // Unscheduled: accepted or confirmed talks with no slot in the newest mirrored version.
      const newest = await trx.selectFrom('schedule_schedule').select('id').where('event_id', '=', eventId).where('version', 'is not', null).orderBy('published', 'desc').orderBy('id', 'desc').executeTakeFirst();
      const row = await trx
        .selectFrom('submission_submission as s')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where('s.event_id', '=', eventId)
        .where('s.state', 'in', ['accepted', 'confirmed'])
        // NOT IN a set built once: as a correlated NOT EXISTS, SQLite picked the (schedule, start) index and read every slot per talk.
        .where('s.id', 'not in', (eb) =>
          eb.selectFrom('schedule_talkslot as t').select('t.submission_id').where('t.schedule_id', '=', newest?.id ?? -1).where('t.start', 'is not', null).where('t.submission_id', 'is not', null),
        )
        .executeTakeFirstOrThrow();
      result.unscheduled = Number(row.n);
      if (options.dryRun) throw new DryRun();
    });
  } catch (error) {
    if (!(error instanceof DryRun)) throw error;
  }
  return result;
}

export function totalChanges(result: SyncResult): number {
  return KINDS.reduce((n, k) => n + result.changes[k].created + result.changes[k].updated + result.changes[k].removed, 0);
}
