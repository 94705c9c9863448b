import { daysBetween, wallClock } from '../common/tz.ts';
import { scheduleDays } from './days.ts';
import { filedDay, roomId } from './feeds.ts';
import type { ExportData, ExportSlot, ExportSpeaker, ExportTalk, ExportVersion } from './data.ts';
import { pick } from './format.ts';
import { html, isColour, relative, SafeHtml } from './html.ts';
import { markdown } from './markdown.ts';
import type { Translator } from '../i18n/translator.ts';
import { toTag } from '../i18n/locales.ts';

/**
 * The schedule site's pages. Every link is relative, so the site works from file:// and from any
 * sub-path; every text from speakers and organisers is escaped, and Markdown is sanitised.
 */
export interface Names {
  /** Safe file-name part for a talk code, speaker code or version. */
  talk(code: string): string;
  speaker(code: string): string;
  version(version: string): string;
}

/** Where a site's pages are among its languages. */
export interface Placement {
  /** This language's folder below the site: '' for the default language, 'de/' for another. */
  prefix: string;
  /** Every language of the site and its folder, the default first; none for a site in one language. */
  languages: readonly { code: string; prefix: string }[];
  /** The site's public URL (…/<slug>/), for the hreflang alternates. */
  baseUrl?: string;
}

/** Where a page fragment of an app goes: the page it is asked for. */
export interface FragmentPage {
  event: { slug: string; name: string };
  /** The page's language (en, pt-br…). */
  language: string;
  /** The page's path below the event's site (index.html, de/talk/ABC/index.html…). */
  path: string;
}

/** HTML the installed apps add to every page (trusted: the operator installed them); none without apps. */
export interface Fragments {
  head(page: FragmentPage): string;
  header(page: FragmentPage): string;
  footer(page: FragmentPage): string;
}

interface PageContext {
  fragments?: Fragments | undefined;
  data: ExportData;
  where: Placement;
  names: Names;
  /** The interface text in the event's language. */
  t: Translator;
  locale: string;
  /** The talks that have a page: the current version's (and the WIP's, for organisers). */
  withPages: ReadonlySet<number>;
}

/** How many folders deep a page is below its language's root: `talk/X/index.html` is 2. */
const depthOf = (path: string) => path.split('/').length - 1;

function layout(ctx: PageContext, path: string, title: string, body: SafeHtml, options: { script?: boolean } = {}): string {
  const depth = depthOf(path);
  const up = (target: string) => relative(depth, target);
  const eventName = pick(ctx.data.event.name, ctx.locale);
  const page: FragmentPage = { event: { slug: ctx.data.event.slug, name: eventName }, language: ctx.locale, path: `${ctx.where.prefix}${path}` };
  const fragment = (part: keyof Fragments) => (ctx.fragments ? new SafeHtml(ctx.fragments[part](page)) : '');
  return `<!DOCTYPE html>\n${html`<html lang="${ctx.locale}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="color-scheme" content="light dark">
<title>${title === eventName ? eventName : `${title} · ${eventName}`}</title>
<link rel="stylesheet" href="${up('static/confctl.css')}">
<link rel="stylesheet" href="${up('static/event.css')}">
${alternates(ctx, path)}${fragment('head')}</head>
<body>
<a class="skip" href="#main">${ctx.t.gettext('Skip to content')}</a>
<header class="site"><a class="brand" href="${up('')}">${eventName}</a>
<nav aria-label="${ctx.t.gettext('Schedule')}"><a href="${up('schedule/')}">${ctx.t.gettext('Schedule')}</a><a href="${up('talk/')}">${ctx.t.gettext('Talks')}</a><a href="${up('speaker/')}">${ctx.t.gettext('Speakers')}</a><a href="${up('featured/')}">${ctx.t.gettext('Featured')}</a><a href="${up('schedule/changelog/')}">${ctx.t.gettext('Changelog')}</a></nav>${languageSwitch(ctx, path)}${fragment('header')}</header>
<main id="main">
${body}
</main>
<footer class="site">${ctx.t.gettext('Feeds')}: <a href="${up('schedule.json')}">schedule.json</a> · <a href="${up('schedule.xml')}">schedule.xml</a> · <a href="${up('schedule.ics')}">schedule.ics</a> · ${ctx.t.gettext('Made with confctl')}${fragment('footer')}</footer>
${options.script ? html`<script src="${up('static/confctl.js')}" defer></script>` : ''}
</body>
</html>`}\n`;
}

const ownNames = new Map<string, string>();

/** A language's name in itself, as a language switch shows it ("Deutsch", "日本語"). */
function ownName(code: string): string {
  const known = ownNames.get(code);
  if (known !== undefined) return known;
  const tag = toTag(code);
  let name = code;
  try {
    name = new Intl.DisplayNames([tag], { type: 'language' }).of(tag) ?? code;
  } catch {
    // Not a tag Intl knows: the code itself.
  }
  name = name.charAt(0).toLocaleUpperCase(tag) + name.slice(1);
  ownNames.set(code, name);
  return name;
}

/** The same page in every language of the site, for search engines: hreflang alternates (and x-default, the default language). */
function alternates(ctx: PageContext, path: string): SafeHtml {
  const { languages, baseUrl } = ctx.where;
  if (languages.length < 2 || !baseUrl) return html``;
  const url = (prefix: string) => `${baseUrl}${prefix}${path.replace(/(^|\/)index\.html$/, '$1')}`;
  return html`${languages.map((l) => html`<link rel="alternate" hreflang="${toTag(l.code)}" href="${url(l.prefix)}">
`)}<link rel="alternate" hreflang="x-default" href="${url('')}">
`;
}

/** Links to this page in the site's other languages, each named in its own language. */
function languageSwitch(ctx: PageContext, path: string): SafeHtml {
  const { languages, prefix } = ctx.where;
  if (languages.length < 2) return html``;
  const depth = depthOf(path) + (prefix === '' ? 0 : 1);
  // "日本語", not "日本語 (日本)": the region only where two languages of the site need it (pt-br, pt-pt).
  const base = (code: string) => code.split('-')[0]!;
  const name = (code: string) => ownName(languages.filter((l) => base(l.code) === base(code)).length > 1 ? code : base(code));
  return html`<nav class="languages" aria-label="${ctx.t.gettext('Language')}">${languages.map((l) =>
    l.prefix === prefix
      ? html`<a href="${relative(depth, `${l.prefix}${path}`)}" lang="${toTag(l.code)}" aria-current="true">${name(l.code)}</a>`
      : html`<a href="${relative(depth, `${l.prefix}${path}`)}" lang="${toTag(l.code)}" hreflang="${toTag(l.code)}">${name(l.code)}</a>`,
  )}</nav>`;
}

/** Intl formats are costly to make: one per locale, zone and options. */
const formats = new Map<string, Intl.DateTimeFormat>();
const dateFormat = (locale: string, timeZone: string, options: Intl.DateTimeFormatOptions) => {
  const key = `${locale}|${timeZone}|${JSON.stringify(options)}`;
  let format = formats.get(key);
  if (!format) formats.set(key, (format = new Intl.DateTimeFormat(locale, { timeZone, ...options })));
  return format;
};

function when(ctx: PageContext, slot: ExportSlot): string {
  const { timezone } = ctx.data.event;
  const day = dateFormat(ctx.locale, timezone, { weekday: 'long', day: 'numeric', month: 'long' }).format(slot.start);
  // Translators: when a talk takes place: its day (written as the language writes dates) and its start and end times.
  return ctx.t.gettext('%(day)s, %(start)s–%(end)s', { day, start: wallClock(slot.start, timezone).time, end: wallClock(slot.end, timezone).time });
}

const speakerNames = (talk: ExportTalk) => talk.speakers.map((s) => s.name).join(', ');

/** The days as the feeds have them (scheduleDays: the source's days, else the night after a day is that day's), labelled. */
function slotsByDay(ctx: PageContext, version: ExportVersion) {
  return scheduleDays(ctx.data.event, version.slots, version.days, filedDay).map(({ date, slots }) => ({
    date,
    label: dateFormat(ctx.locale, 'UTC', { weekday: 'long', day: 'numeric', month: 'long', year: 'numeric' }).format(new Date(`${date}T12:00:00Z`)),
    slots,
  }));
}

/**
 * Slots of one room on one day, side by side where they overlap (a double booking is two boxes, not
 * one over the other): each slot's lane, and how many lanes its overlapping group uses.
 */
function lanes(slots: readonly ExportSlot[]): { of: Map<ExportSlot, { lane: number; of: number }>; count: number } {
  const of = new Map<ExportSlot, { lane: number; of: number }>();
  const sorted = [...slots].sort((a, b) => a.start.getTime() - b.start.getTime() || a.end.getTime() - b.end.getTime());
  let group: ExportSlot[] = [];
  let groupEnd = -Infinity;
  let ends: number[] = [];
  let count = 1;
  const close = () => {
    const used = Math.max(1, ...group.map((s) => of.get(s)!.lane + 1));
    for (const s of group) of.get(s)!.of = used;
    count = Math.max(count, used);
  };
  for (const slot of sorted) {
    if (slot.start.getTime() >= groupEnd && group.length > 0) {
      close();
      group = [];
      ends = [];
    }
    let lane = ends.findIndex((end) => end <= slot.start.getTime());
    if (lane === -1) lane = ends.length;
    ends[lane] = slot.end.getTime();
    of.set(slot, { lane, of: 1 });
    group.push(slot);
    groupEnd = Math.max(groupEnd, slot.end.getTime());
  }
  if (group.length > 0) close();
  return { of, count };
}

/** Each room's class in the pages (its place in the event's rooms), which the room filter hides. */
const roomClass = (ctx: PageContext, roomId: number) => `r${ctx.data.rooms.findIndex((r) => r.id === roomId)}`;

/**
 * The room filter: a checkbox per room, working without JavaScript (CSS :has()): an unchecked room's
 * column collapses and its talks are hidden, in the grid and in the list.
 */
function roomFilter(ctx: PageContext, version: ExportVersion): SafeHtml {
  const used = ctx.data.rooms.filter((room) => version.slots.some((s) => s.room.id === room.id));
  if (used.length < 2) return html``;
  const rules = used.map((room) => {
    const c = roomClass(ctx, room.id);
    return `main:has(#f-${c}:not(:checked)) .grid{--${c}:0px}main:has(#f-${c}:not(:checked)) .${c}{display:none}`;
  });
  return html`<details class="filter"><summary>${ctx.t.ngettext('Room (%(count)s)', 'Rooms (%(count)s)', used.length)}</summary><p>${used.map((room) => {
    const c = roomClass(ctx, room.id);
    return html`<label><input type="checkbox" id="f-${c}" checked> ${pick(room.name, ctx.locale)}</label>`;
  })}</p></details><style>${rules.join('\n')}</style>`;
}

/** Links to each day (and, once the script knows the time, to what runs now). */
function dayLinks(ctx: PageContext, days: readonly { date: string; label: string }[]): SafeHtml {
  if (days.length < 2) return html`<nav class="days" aria-label="${ctx.t.gettext('Days')}"><a class="jump-now" href="#now" hidden>${ctx.t.pgettext('link to what runs now', 'Now')}</a></nav>`;
  const short = (date: string) => dateFormat(ctx.locale, 'UTC', { weekday: 'short', day: 'numeric', month: 'short' }).format(new Date(`${date}T12:00:00Z`));
  return html`<nav class="days" aria-label="${ctx.t.gettext('Days')}">${days.map((d) => html`<a href="#day-${d.date}">${short(d.date)}</a>`)}<a class="jump-now" href="#now" hidden>${ctx.t.pgettext('link to what runs now', 'Now')}</a></nav>`;
}

/**
 * The grid: rooms as columns (only those used that day), 5-minute rows, each slot spanning its
 * duration; parallel slots in one room side by side; room names and times stay in view while it
 * scrolls; a box too small for its text shows all of it on hover and focus.
 */
function grid(ctx: PageContext, depth: number, version: ExportVersion): SafeHtml {
  const { timezone } = ctx.data.event;
  const days = slotsByDay(ctx, version).filter((d) => d.slots.length > 0);
  return html`${roomFilter(ctx, version)}${dayLinks(ctx, days)}${days.map((day) => {
    // Minutes since the day's midnight: a slot in the night after it counts on from 24:00.
    const minutesOf = (d: Date) => {
      const local = wallClock(d, timezone);
      const [h, m] = local.time.split(':').map(Number) as [number, number];
      return daysBetween(day.date, local.date) * 1440 + h * 60 + m;
    };
    // The rooms used that day, in the event's order: a day in 7 of 58 rooms is 7 columns, not 58.
    const rooms = ctx.data.rooms
      .filter((room) => day.slots.some((s) => s.room.id === room.id))
      .map((room) => ({ room, lanes: lanes(day.slots.filter((s) => s.room.id === room.id)) }));
    const columns = new Map<number, number>();
    let next = 2;
    for (const { room, lanes: l } of rooms) {
      columns.set(room.id, next);
      next += l.count;
    }
    const tracks = rooms.flatMap(({ room, lanes: l }) => Array.from({ length: l.count }, () => `var(--${roomClass(ctx, room.id)},minmax(${l.count === 1 ? 8 : 6}rem,1fr))`));
    const first = Math.floor(Math.min(...day.slots.map((s) => minutesOf(s.start))) / 30) * 30;
    const last = Math.max(...day.slots.map((s) => minutesOf(s.start) + Math.round((s.end.getTime() - s.start.getTime()) / 60000)));
    const row = (minute: number) => Math.floor((minute - first) / 5) + 2;
    const marks = [];
    for (let m = first; m < last; m += 30) marks.push(m);
    return html`<section class="day" id="day-${day.date}" aria-labelledby="h-${day.date}">
<h2 id="h-${day.date}">${day.label}</h2>
<div class="grid" style="grid-template-columns:4rem ${tracks.join(' ')};grid-template-rows:auto">
${rooms.map(({ room, lanes: l }) => html`<div class="room-head ${roomClass(ctx, room.id)}" style="grid-column:${columns.get(room.id)!} / span ${l.count}">${pick(room.name, ctx.locale)}</div>`)}
${marks.map((m) => html`<div class="time" style="grid-column:1;grid-row:${row(m)} / span 6">${String(Math.floor(m / 60) % 24).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}</div>`)}
${day.slots.map((slot) => {
  const start = minutesOf(slot.start);
  const span = Math.max(1, Math.round((slot.end.getTime() - slot.start.getTime()) / 300000));
  const { lanes: l } = rooms.find((r) => r.room.id === slot.room.id)!;
  const place = l.of.get(slot)!;
  // A slot alone in its time takes the room's whole width; parallel ones share it.
  const width = Math.floor(l.count / place.of);
  const column = columns.get(slot.room.id)! + place.lane * width;
  const columnSpan = place.lane === place.of - 1 ? l.count - place.lane * width : width;
  // Only a colour reaches the style attribute, whatever the database holds (a fixture, an older sync).
  const track = slot.talk.track && isColour(slot.talk.track.color) ? `;--track:${slot.talk.track.color}` : '';
  const style = `grid-column:${column} / span ${columnSpan};grid-row:${row(start)} / span ${span}${track}`;
  const who = speakerNames(slot.talk);
  const inner = html`<span class="badge now">${ctx.t.pgettext('talk', 'now')}</span><span class="badge next">${ctx.t.pgettext('talk', 'next')}</span><span class="title">${slot.talk.title}</span><span class="who">${wallClock(slot.start, timezone).time}<span class="where"> · ${pick(slot.room.name, ctx.locale)}</span> · ${who}</span>`;
  const cls = `slot ${roomClass(ctx, slot.room.id)}`;
  // A talk of an older version that is no longer scheduled has no page: no link to nowhere.
  return ctx.withPages.has(slot.talk.id)
    ? html`<a class="${cls}" href="${relative(depth, `talk/${ctx.names.talk(slot.talk.code)}/`)}" style="${style}" data-start="${slot.start.toISOString()}" data-end="${slot.end.toISOString()}" data-room="${roomId(slot.room)}">${inner}</a>`
    : html`<div class="${cls}" tabindex="0" style="${style}" data-start="${slot.start.toISOString()}" data-end="${slot.end.toISOString()}" data-room="${roomId(slot.room)}">${inner}</div>`;
})}
</div>
</section>`;
  })}`;
}

/** The no-JavaScript list: the same slots, one per line, in time order. */
function list(ctx: PageContext, depth: number, version: ExportVersion): SafeHtml {
  const { timezone } = ctx.data.event;
  const days = slotsByDay(ctx, version).filter((d) => d.slots.length > 0);
  return html`${roomFilter(ctx, version)}${dayLinks(ctx, days)}${days.map(
    (day) => html`<section class="day" id="day-${day.date}"><h2>${day.label}</h2><ol class="list">${day.slots.map(
      (slot) =>
        html`<li class="${roomClass(ctx, slot.room.id)}"><span>${wallClock(slot.start, timezone).time}–${wallClock(slot.end, timezone).time}<br><span class="muted">${pick(slot.room.name, ctx.locale)}</span></span><span>${ctx.withPages.has(slot.talk.id) ? html`<a href="${relative(depth, `talk/${ctx.names.talk(slot.talk.code)}/`)}">${slot.talk.title}</a>` : slot.talk.title}<br><span class="muted">${speakerNames(slot.talk)}</span></span></li>`,
    )}</ol></section>`,
  )}`;
}

/** Talks as people look them up: by title in the event's language (then by code, for a stable order). */
function byTitle(talks: readonly ExportTalk[], locale: string): ExportTalk[] {
  const collator = new Intl.Collator(locale, { sensitivity: 'base', numeric: true });
  return [...talks].sort((a, b) => collator.compare(a.title, b.title) || (a.code < b.code ? -1 : a.code > b.code ? 1 : 0));
}

/** Grid and list of one schedule; the one shown is marked (aria-current, and styled so). */
function scheduleTabs(ctx: PageContext, grid: string, list: string, showing: 'grid' | 'list'): SafeHtml {
  const tab = (href: string, label: string, current: boolean) =>
    current ? html`<a href="${relative(0, href)}" aria-current="page">${label}</a>` : html`<a href="${relative(0, href)}">${label}</a>`;
  return html`<p class="tabs">${tab(grid, ctx.t.gettext('Grid view'), showing === 'grid')}${tab(list, ctx.t.gettext('List view'), showing === 'list')}</p>`;
}

/**
 * Every page of the site by path, each rendered only when asked for: the export asks for all of
 * them, the server for the one a request wants.
 */
export function renderPages(data: ExportData, names: Names, t: Translator, where: Placement = { prefix: '', languages: [] }, fragments?: Fragments): Map<string, () => string> {
  const locale = data.event.locale;
  const ctx: PageContext = { data, where, names, t, locale, withPages: new Set(data.talks.map((t) => t.id)), fragments };
  const pages = new Map<string, () => string>();
  const current = data.current;
  const notOut = html`<p class="notice">${t.gettext('The schedule has not been released yet.')}</p>`;
  const eventName = pick(data.event.name, locale);

  const landing = pick(data.event.landingPageText, locale);
  pages.set('index.html', () =>
    layout(ctx, 'index.html', eventName, html`<h1>${eventName}</h1>
<p class="muted">${dateFormat(locale, 'UTC', { day: 'numeric', month: 'long', year: 'numeric' }).format(new Date(`${data.event.dateFrom}T12:00:00Z`))} – ${dateFormat(locale, 'UTC', { day: 'numeric', month: 'long', year: 'numeric' }).format(new Date(`${data.event.dateTo}T12:00:00Z`))}</p>
<div class="prose">${markdown(landing)}</div>
<p><a href="${relative(0, 'schedule/')}">${t.gettext('Schedule')}</a></p>`),
  );

  const schedulePage = (path: string, version: ExportVersion | null, nojs: boolean, heading: string) => {
    const depth = depthOf(path);
    return layout(
      ctx,
      path,
      heading,
      html`<h1>${heading}</h1>${version ? html`<p class="muted">${t.gettext('Version %(version)s', { version: version.version })}</p>${scheduleTabs(ctx, nojs ? '../' : './', nojs ? './' : 'nojs/', nojs ? 'list' : 'grid')}${nojs ? list(ctx, depth, version) : grid(ctx, depth, version)}` : notOut}`,
      { script: !nojs && version !== null },
    );
  };
  pages.set('schedule/index.html', () => schedulePage('schedule/index.html', current, false, t.gettext('Schedule')));
  pages.set('schedule/nojs/index.html', () => schedulePage('schedule/nojs/index.html', current, true, t.gettext('Schedule')));
  for (const version of data.versions) {
    if (!version.loaded) continue;
    const dir = `schedule/v/${names.version(version.version)}`;
    pages.set(`${dir}/index.html`, () => schedulePage(`${dir}/index.html`, version, false, t.gettext('Schedule version %(version)s', { version: version.version })));
    pages.set(`${dir}/nojs/index.html`, () => schedulePage(`${dir}/nojs/index.html`, version, true, t.gettext('Schedule version %(version)s', { version: version.version })));
  }
  pages.set('schedule/changelog/index.html', () =>
    layout(
      ctx,
      'schedule/changelog/index.html',
      t.gettext('Changelog'),
      html`<h1>${t.gettext('Changelog')}</h1>${data.current === null ? notOut : ''}${data.versions.filter((v) => !v.wip).map(
        (v) => html`<section><h2><a href="${relative(1, `v/${names.version(v.version)}/`)}">${v.version}</a></h2><p class="muted">${t.gettext('Released: %(date)s', { date: dateFormat(locale, data.event.timezone, { dateStyle: 'long', timeStyle: 'short' }).format(v.published) })}</p><div class="prose">${markdown(pick(v.comment, locale))}</div></section>`,
      )}`,
    ),
  );

  const talkItem = (depth: number) => (talk: ExportTalk) =>
    html`<li><a href="${relative(depth, `talk/${names.talk(talk.code)}/`)}">${talk.title}</a> <span class="muted">${speakerNames(talk)}</span></li>`;
  pages.set('talk/index.html', () => layout(ctx, 'talk/index.html', t.gettext('Talks'), html`<h1>${t.gettext('Talks')}</h1>${data.talks.length === 0 ? (current ? html`<p>${t.gettext('No talks yet.')}</p>` : notOut) : html`<ul>${byTitle(data.talks, locale).map(talkItem(1))}</ul>`}`));
  const featured = data.talks.filter((talk) => talk.isFeatured);
  pages.set('featured/index.html', () =>
    layout(ctx, 'featured/index.html', t.gettext('Featured'), html`<h1>${t.gettext('Featured')}</h1><div class="prose">${markdown(pick(data.event.featuredText, locale))}</div>${featured.length === 0 ? html`<p>${t.gettext('No talks are featured yet.')}</p>` : html`<ul>${featured.map(talkItem(1))}</ul>`}`),
  );

  const slotsOf = (slots: readonly ExportSlot[]) => {
    const byTalk = new Map<number, ExportSlot[]>();
    for (const slot of slots) byTalk.get(slot.talk.id)?.push(slot) ?? byTalk.set(slot.talk.id, [slot]);
    return byTalk;
  };
  const inCurrent = slotsOf(current?.slots ?? []);
  const inWip = slotsOf(data.versions.find((v) => v.wip)?.slots ?? []);
  for (const talk of data.talks) {
    const slots = inCurrent.get(talk.id) ?? inWip.get(talk.id) ?? [];
    const path = `talk/${names.talk(talk.code)}/index.html`;
    pages.set(path, () =>
      layout(
        ctx,
        path,
        talk.title,
        html`<article class="prose"><h1>${talk.title}</h1>
<p>${talk.speakers.map((s, i) => html`${i > 0 ? ', ' : ''}<a href="${relative(2, `speaker/${names.speaker(s.code)}/`)}">${s.name}</a>`)}</p>
<dl class="facts">${slots.map((slot) => html`<dt>${t.gettext('Time')}</dt><dd>${when(ctx, slot)}</dd><dt>${t.gettext('Room')}</dt><dd>${pick(slot.room.name, locale)}</dd>`)}
${talk.track ? html`<dt>${t.gettext('Track')}</dt><dd>${pick(talk.track.name, locale)}</dd>` : ''}<dt>${t.pgettext('talk', 'Type')}</dt><dd>${pick(talk.type, locale)}</dd></dl>
${talk.doNotRecord ? html`<p class="notice">${t.gettext('This talk will not be recorded.')}</p>` : ''}
${talk.abstract ? html`<h2>${t.gettext('Abstract')}</h2>${markdown(talk.abstract)}` : ''}
${talk.description ? html`<h2>${t.gettext('Description')}</h2>${markdown(talk.description)}` : ''}
<p><a href="../${names.talk(talk.code)}.ics">${t.gettext('Add to calendar (.ics)')}</a></p></article>`,
      ),
    );
  }

  pages.set('speaker/index.html', () =>
    layout(
      ctx,
      'speaker/index.html',
      t.gettext('Speakers'),
      html`<h1>${t.gettext('Speakers')}</h1>${data.speakers.length === 0 ? (current ? '' : notOut) : ''}<ul class="speakers">${data.speakers.map(
        (s: ExportSpeaker) => html`<li><a href="${relative(0, `${names.speaker(s.code)}/`)}">${s.name}</a></li>`,
      )}</ul>`,
    ),
  );
  const talksBySpeaker = new Map<number, ExportTalk[]>();
  for (const talk of data.talks) {
    for (const id of new Set(talk.speakers.map((s) => s.id))) talksBySpeaker.get(id)?.push(talk) ?? talksBySpeaker.set(id, [talk]);
  }
  for (const speaker of data.speakers) {
    const theirs = talksBySpeaker.get(speaker.id) ?? [];
    const avatar = speaker.avatarUrl && /^https?:\/\//i.test(speaker.avatarUrl) ? speaker.avatarUrl : null;
    const path = `speaker/${names.speaker(speaker.code)}/index.html`;
    pages.set(path, () =>
      layout(
        ctx,
        path,
        speaker.name,
        html`<article class="prose"><h1>${speaker.name}</h1>
${avatar ? html`<img class="avatar" src="${avatar}" alt="" loading="lazy" referrerpolicy="no-referrer">` : ''}
${speaker.biography ? html`<h2>${t.gettext('Biography')}</h2>${markdown(speaker.biography)}` : ''}
<h2>${t.pgettext('of a speaker', 'Talks')}</h2><ul>${theirs.map(talkItem(2))}</ul>
<p><a href="talks.ics">${t.gettext('Add to calendar (.ics)')}</a></p></article>`,
      ),
    );
  }
  return pages;
}
