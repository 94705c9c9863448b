// core/event/ — the conference itself: creating, listing and finding events, moving an event in
// time, the demo event of create_test_event, and init's first administrator and organiser.
import { slugProblem } from '../auth/validation.ts';
import type { Clock } from '../common/clock.ts';
import { toDbDateTime } from '../common/dbtime.ts';
import { CommandError } from '../common/errors.ts';
import { closest } from '../common/suggest.ts';
import { LANGUAGE_CODE, languageName } from '../i18n/locales.ts';
import type { Db } from '../auth/users.ts';

/** Slugs pretalx reserves for its own URLs. */
export const RESERVED_SLUGS = new Set([
  '_global', '__debug__', 'api', 'csp_report', 'events', 'download', 'healthcheck', 'jsi18n', 'locale',
  'metrics', 'orga', 'redirect', 'relay', 'widget', '400', '403', '404', '500', 'p',
]);

/** The languages pretalx offers for events. */
export const LOCALES = [
  'ar', 'ca', 'cs', 'da', 'de', 'de-formal', 'el', 'en', 'es', 'fa-ir', 'fi', 'fr', 'he', 'id', 'it', 'ja-jp',
  'ko', 'lv', 'nb-no', 'nl', 'pl', 'pt-br', 'pt-pt', 'ru', 'sv', 'sw', 'tr', 'uk', 'zh-hans', 'zh-hant',
];

/**
 * An event's language as events store it: one of pretalx's ("de", "pt-br", "ja-jp"), or any other
 * language code (a translator may add Hungarian: "hu"); else one CommandError with the nearest of
 * pretalx's ("dee" gets "de", "jp" gets "ja-jp").
 */
export function checkLocale(locale: string): string {
  if (LOCALES.includes(locale)) return locale;
  const code = locale.trim().toLowerCase();
  if (LANGUAGE_CODE.test(code) && languageName(code.split('-')[0]!) !== null) return code;
  // "ja" → "ja-jp"; a country for its language ("jp" → "ja-jp"); else the nearest spelling.
  const hint = LOCALES.find((l) => l.startsWith(`${code}-`)) ?? LOCALES.find((l) => l.endsWith(`-${code}`)) ?? closest(code, LOCALES);
  throw new CommandError(`Unknown locale "${locale}".${hint ? ` Did you mean "${hint}"?` : ''} Known: ${LOCALES.join(', ')}, or any other language code.`);
}

export interface EventInput {
  slug: string;
  name: string;
  dateFrom: string;
  dateTo: string;
  timezone: string;
  organiser?: string | undefined;
  locale: string;
  primaryColor?: string | undefined;
  isPublic: boolean;
  pretalxUrl?: string | undefined;
  pretalxEvent?: string | undefined;
  /** Minutes between syncs by runperiodic. */
  syncInterval?: number | undefined;
  /** All the event's languages (default: just `locale`); the name may carry several. */
  locales?: string[] | undefined;
  names?: Record<string, string> | undefined;
}

const isoDate = /^(\d{4})-(\d{2})-(\d{2})$/;

/** A calendar date YYYY-MM-DD that exists (no 2026-02-30). */
export function parseDate(value: string, option: string): string {
  const match = isoDate.exec(value);
  const date = match ? new Date(Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3]))) : null;
  if (!match || !date || date.toISOString().slice(0, 10) !== value) {
    throw new CommandError(`${option} must be a date as YYYY-MM-DD, not "${value}".`);
  }
  return value;
}

/** A real IANA time zone, spelled exactly (Europe/Berlin, not europe/berlin). */
export function checkTimezone(value: string): string {
  let resolved: string | undefined;
  try {
    resolved = new Intl.DateTimeFormat('en', { timeZone: value }).resolvedOptions().timeZone;
  } catch {
    resolved = undefined;
  }
  if (resolved === value) return value;
  const hint = resolved ?? closest(value, Intl.supportedValuesOf('timeZone'));
  throw new CommandError(`Unknown time zone "${value}".${hint ? ` Did you mean "${hint}"?` : ' Use an IANA name such as Europe/Berlin.'}`);
}

export async function eventSlugTaken(db: Db, slug: string): Promise<boolean> {
  const row = await db
    .selectFrom('event_event')
    .select('id')
    .where((eb) => eb(eb.fn('lower', ['slug']), '=', slug.toLowerCase()))
    .executeTakeFirst();
  return row !== undefined;
}

/** Checks an event before it is written; every problem is one CommandError line. */
export async function validateEvent(db: Db, input: EventInput): Promise<{ organiserId: number | null }> {
  const slugIssue = slugProblem(input.slug);
  if (slugIssue) throw new CommandError(`--slug: ${slugIssue}`);
  if (RESERVED_SLUGS.has(input.slug.toLowerCase())) {
    throw new CommandError(`--slug: "${input.slug}" is reserved for pretalx's own pages; choose another slug.`);
  }
  if (await eventSlugTaken(db, input.slug)) throw new CommandError(`An event with the slug "${input.slug}" already exists.`);
  if (input.name.trim() === '') throw new CommandError('--name must not be empty.');
  parseDate(input.dateFrom, '--date-from');
  parseDate(input.dateTo, '--date-to');
  if (input.dateFrom > input.dateTo) {
    throw new CommandError(`The event cannot end (${input.dateTo}) before it starts (${input.dateFrom}).`);
  }
  checkTimezone(input.timezone);
  for (const locale of [input.locale, ...(input.locales ?? [])]) checkLocale(locale);
  if (input.primaryColor !== undefined && !/^#[0-9a-fA-F]{6}$/.test(input.primaryColor)) {
    throw new CommandError(`--primary-color must be a colour as #rrggbb, not "${input.primaryColor}".`);
  }
  if ((input.pretalxUrl === undefined) !== (input.pretalxEvent === undefined)) {
    throw new CommandError('--pretalx-url and --pretalx-event go together: give both or neither.');
  }
  if (input.pretalxUrl !== undefined) {
    let url: URL | undefined;
    try {
      url = new URL(input.pretalxUrl);
    } catch {
      url = undefined;
    }
    if (!url || (url.protocol !== 'https:' && url.protocol !== 'http:') || url.username || url.password) {
      throw new CommandError(`--pretalx-url must be an http(s) URL without credentials, not "${input.pretalxUrl}".`);
    }
    if (slugProblem(input.pretalxEvent!, 200)) throw new CommandError(`--pretalx-event: ${slugProblem(input.pretalxEvent!, 200)}`);
  }
  if (input.syncInterval !== undefined) {
    if (input.pretalxUrl === undefined) throw new CommandError('--sync-interval needs a Pretalx source (--pretalx-url and --pretalx-event).');
    if (!Number.isInteger(input.syncInterval) || input.syncInterval < 1) throw new CommandError('--sync-interval must be a whole number of minutes, at least 1.');
  }
  let organiserId: number | null = null;
  if (input.organiser !== undefined) {
    const organiser = await db
      .selectFrom('event_organiser')
      .select('id')
      .where((eb) => eb(eb.fn('lower', ['slug']), '=', input.organiser!.toLowerCase()))
      .executeTakeFirst();
    if (!organiser) throw new CommandError(`Organiser "${input.organiser}" not found.`);
    organiserId = organiser.id;
  }
  return { organiserId };
}

/** The Pretalx base URL as stored: no trailing slash, no trailing /api (django-program's rule). */
export function normalisePretalxUrl(url: string): string {
  return url.replace(/\/+$/, '').replace(/\/api$/, '');
}

/**
 * Creates an event as pretalx's initialise_event does: the event, its CfP with the default
 * submission type "Talk" (30 minutes) and its work-in-progress schedule. Validate first.
 */
export async function createEvent(db: Db, input: EventInput, organiserId: number | null, clock: Clock): Promise<number> {
  const now = toDbDateTime(clock.now());
  const event = await db
    .insertInto('event_event')
    .values({
      name: JSON.stringify(input.names ?? { [input.locale]: input.name }),
      slug: input.slug,
      organiser_id: organiserId,
      is_public: input.isPublic ? 1 : 0,
      date_from: input.dateFrom,
      date_to: input.dateTo,
      timezone: input.timezone,
      locale: input.locale,
      locales: JSON.stringify(input.locales ?? [input.locale]),
      content_locales: JSON.stringify(input.locales ?? [input.locale]),
      primary_color: input.primaryColor?.toLowerCase() ?? null,
      pretalx_base_url: input.pretalxUrl === undefined ? null : normalisePretalxUrl(input.pretalxUrl),
      pretalx_event_slug: input.pretalxEvent ?? null,
      pretalx_sync_interval: input.syncInterval ?? null,
      created: now,
      updated: now,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  const type = await db
    .insertInto('submission_submissiontype')
    .values({ event_id: event.id, name: JSON.stringify({ en: 'Talk' }), default_duration: 30 })
    .returning('id')
    .executeTakeFirstOrThrow();
  await db.insertInto('submission_cfp').values({ event_id: event.id, default_type_id: type.id }).execute();
  await db.insertInto('schedule_schedule').values({ event_id: event.id, version: null }).execute();
  return event.id;
}

export interface EventSummary {
  slug: string;
  name: Record<string, string>;
  date_from: string;
  date_to: string;
  timezone: string;
  is_public: boolean;
  organiser: string | null;
  pretalx: { url: string; event: string } | null;
  schedule_version: string | null;
  talks: number;
}

/** Every event with what an operator wants to see at a glance, ordered by start date then slug. */
export async function listEvents(db: Db): Promise<EventSummary[]> {
  const rows = await db
    .selectFrom('event_event as e')
    .leftJoin('event_organiser as o', 'o.id', 'e.organiser_id')
    .select((eb) => [
      'e.slug',
      'e.name',
      'e.date_from',
      'e.date_to',
      'e.timezone',
      'e.is_public',
      'o.slug as organiser',
      'e.pretalx_base_url',
      'e.pretalx_event_slug',
      eb
        .selectFrom('schedule_schedule as s')
        .select('s.version')
        .whereRef('s.event_id', '=', 'e.id')
        .where('s.version', 'is not', null)
        .orderBy('s.published', (ob) => ob.desc().nullsLast())
        .orderBy('s.id', 'desc')
        .limit(1)
        .as('schedule_version'),
      eb
        .selectFrom('submission_submission as t')
        .select((x) => x.fn.countAll<number>().as('n'))
        .whereRef('t.event_id', '=', 'e.id')
        .where('t.state', 'in', ['accepted', 'confirmed'])
        .as('talks'),
    ])
    .orderBy('e.date_from')
    .orderBy('e.slug')
    .execute();
  return rows.map((r) => ({
    slug: r.slug,
    name: JSON.parse(r.name) as Record<string, string>,
    date_from: r.date_from,
    date_to: r.date_to,
    timezone: r.timezone,
    is_public: r.is_public === 1,
    organiser: r.organiser,
    pretalx: r.pretalx_base_url && r.pretalx_event_slug ? { url: r.pretalx_base_url, event: r.pretalx_event_slug } : null,
    schedule_version: r.schedule_version ?? null,
    talks: Number(r.talks ?? 0),
  }));
}

/** The name in the event's language, else English, else any. */
export function localised(map: Record<string, string>, locale = 'en'): string {
  return map[locale] ?? map.en ?? Object.values(map)[0] ?? '';
}
