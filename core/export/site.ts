// core/export/ — the schedule going out: the static site (pages, assets, Markdown), the feeds
// (c3voc JSON, frab XML, iCal), written atomically and as a deterministic zip.
import { SLUG_PATTERN } from '../auth/validation.ts';
import { CommandError } from '../common/errors.ts';
import { eventStylesheet, SCRIPT, STYLESHEET } from './assets.ts';
import type { ExportData, ExportSlot } from './data.ts';
import { c3vocJson, frabXml, icalendar, namespaceOf, widgetJson, type FeedContext } from './feeds.ts';
import { pick } from './format.ts';
import { renderPages, type Fragments, type Names, type Placement } from './pages.ts';
import { translatorFor, type CatalogueWarning } from '../i18n/catalogues.ts';
import { Translator } from '../i18n/translator.ts';

/**
 * File names from codes and version strings, which come from Pretalx and are untrusted: anything
 * but letters, digits, dot, dash and underscore becomes "_", "." and ".." are never names, and two
 * values that clean up the same get "-2", "-3"…
 */
function nameMaker(): (raw: string) => string {
  const given = new Map<string, string>();
  const used = new Set<string>();
  return (raw) => {
    const known = given.get(raw);
    if (known) return known;
    let name = raw.replace(/[^A-Za-z0-9._-]/g, '_').replace(/^\.+/, '_') || '_';
    for (let n = 2; used.has(name); n++) name = `${name.replace(/-\d+$/, '')}-${n}`;
    given.set(raw, name);
    used.add(name);
    return name;
  };
}

/** One language of a site: its code (the event's), and the interface text in it (translatorFor). */
export interface SiteLanguage {
  code: string;
  translator: Translator;
}

export interface SiteOptions {
  siteUrl: string;
  version: string;
  /**
   * The site's languages, the default first (its pages at the root, each other's under <code>/, with
   * a language switch and hreflang alternates on every page). Default: the event's language, in English.
   */
  languages?: readonly SiteLanguage[];
  /** What installed apps add to every page (core/apps/site.ts). */
  fragments?: Fragments | undefined;
}

/**
 * The languages of an event's site, the default first, each with its interface text (an operator's
 * catalogue before the embedded one); `only`: that language alone, at the root.
 */
export async function siteLanguages(event: { locale: string; locales: readonly string[] }, localeDirs: readonly string[], only?: string, warn?: CatalogueWarning): Promise<SiteLanguage[]> {
  const codes = only === undefined ? event.locales : [only];
  return Promise.all(codes.map(async (code) => ({ code, translator: await translatorFor(code, localeDirs, warn) })));
}

/**
 * Every file of an event's static site, by path below the site's folder, each rendered when asked
 * for. File names are given out up front, in one order (talks, speakers, versions), so that a page
 * links to the same names whichever pages were rendered before it, in every language.
 */
export function lazySite(data: ExportData, options: SiteOptions): Map<string, () => string> {
  if (!SLUG_PATTERN.test(data.event.slug)) throw new CommandError(`The event slug "${data.event.slug}" is not safe as a folder name.`);
  const names: Names = { talk: nameMaker(), speaker: nameMaker(), version: nameMaker() };
  for (const talk of data.talks) names.talk(talk.code);
  for (const version of data.versions) for (const slot of version.slots) names.talk(slot.talk.code);
  for (const speaker of data.speakers) names.speaker(speaker.code);
  for (const version of data.versions) names.version(version.version);
  const languages = options.languages ?? [{ code: data.event.locale, translator: new Translator('en') }];
  const site = (languages.length > 1 ? languages : []).map((l, i) => ({ code: l.code, prefix: i === 0 ? '' : `${l.code}/` }));
  const files = new Map<string, () => string>();
  for (const [i, language] of languages.entries()) {
    const prefix = i === 0 ? '' : `${language.code}/`;
    const inLanguage = { ...data, event: { ...data.event, locale: language.code } };
    for (const [path, render] of oneLanguage(inLanguage, names, options, language.translator, { prefix, languages: site })) files.set(`${prefix}${path}`, render);
  }
  return files;
}

/** The site in one language, by path below that language's folder. */
function oneLanguage(data: ExportData, names: Names, options: SiteOptions, translator: Translator, where: Placement): Map<string, () => string> {
  const speakerCodes = new Set(data.speakers.map((s) => s.code));
  // The event's site, and this language's folder of it (the feeds' links point there).
  const siteBase = `${options.siteUrl.replace(/\/+$/, '')}/${data.event.slug}/`;
  const context: FeedContext = {
    baseUrl: `${siteBase}${where.prefix}`,
    generator: { name: 'confctl', version: options.version },
    talkPath: (code) => names.talk(code),
    speakerPath: (code) => (speakerCodes.has(code) ? names.speaker(code) : null),
  };
  const namespace = namespaceOf(options.siteUrl);
  const files = renderPages(data, names, translator, { ...where, baseUrl: siteBase }, options.fragments);
  files.set('static/confctl.css', () => STYLESHEET);
  files.set('static/confctl.js', () => SCRIPT);
  files.set('static/event.css', () => eventStylesheet(data.event.primaryColor));
  files.set('schedule.json', () => c3vocJson(data, context, namespace));
  files.set('schedule.xml', () => frabXml(data, context, namespace));
  const name = pick(data.event.name, data.event.locale);
  files.set('schedule.ics', () => icalendar(data, context, data.current?.slots ?? [], name));
  files.set('schedule/widgets/schedule.json', () => widgetJson(data));
  for (const version of data.versions) if (version.loaded) files.set(`schedule/v/${names.version(version.version)}/widgets/schedule.json`, () => widgetJson(data, version));
  const byTalk = new Map<number, ExportSlot[]>();
  const bySpeaker = new Map<number, ExportSlot[]>();
  const add = <K>(map: Map<K, ExportSlot[]>, key: K, slot: ExportSlot) => map.get(key)?.push(slot) ?? map.set(key, [slot]);
  for (const slot of data.current?.slots ?? []) {
    add(byTalk, slot.talk.id, slot);
    for (const speaker of new Set(slot.talk.speakers.map((p) => p.id))) add(bySpeaker, speaker, slot);
  }
  for (const talk of data.talks) {
    files.set(`talk/${names.talk(talk.code)}.ics`, () => icalendar(data, context, byTalk.get(talk.id) ?? [], talk.title));
  }
  for (const speaker of data.speakers) {
    files.set(`speaker/${names.speaker(speaker.code)}/talks.ics`, () => icalendar(data, context, bySpeaker.get(speaker.id) ?? [], `${speaker.name} · ${name}`));
  }
  return files;
}

/**
 * The versions whose pages (schedule/v/<folder>/) a site of `data` links to but cannot render, its
 * slots not being loaded: folder name → version name (the names lazySite gives out).
 */
export function unloadedVersions(data: ExportData): Map<string, string> {
  const name = nameMaker();
  const folders = new Map<string, string>();
  for (const version of data.versions) {
    const folder = name(version.version);
    if (!version.loaded) folders.set(folder, version.version);
  }
  return folders;
}

/** Every file of an event's static site, rendered, by path in a stable order. */
export function buildSite(data: ExportData, options: SiteOptions): Map<string, string> {
  const files = [...lazySite(data, options)].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return new Map(files.map(([path, render]) => [path, render()]));
}
