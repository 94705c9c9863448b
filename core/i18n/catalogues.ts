import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { CATALOGUES } from './embedded.ts';
import { catalogueChain, toLanguage } from './locales.ts';
import { errorMessage } from '../common/errors.ts';
import { Translator, type Catalogue } from './translator.ts';

/** Where a compiled catalogue of `locale` lies in a locale folder, as Django's LOCALE_PATHS have them. */
export const moPath = (dir: string, locale: string): string => join(dir, locale, 'LC_MESSAGES', 'confctl.mo');
export const poPath = (dir: string, locale: string): string => join(dir, locale, 'LC_MESSAGES', 'confctl.po');

/** An operator's compiled catalogues (or why one cannot be used), read once and again only when the file changes (runserver). */
const read = new Map<string, { stamp: string; catalogue: Catalogue | null; problem?: string }>();
/** What each listener has been told, so that a server's log says a broken catalogue once, not at every request. */
const told = new WeakMap<CatalogueWarning, Set<string>>();

/** Told once per file (and again when it changes) that a catalogue cannot be used and is skipped. */
export type CatalogueWarning = (message: string) => void;

async function operatorCatalogue(dir: string, locale: string, warn: CatalogueWarning): Promise<Catalogue | null> {
  const path = moPath(dir, locale);
  let stamp: string;
  try {
    const stat = statSync(path);
    if (!stat.isFile()) return null;
    stamp = `${stat.mtimeMs}:${stat.size}`;
  } catch {
    return null;
  }
  let known = read.get(path);
  if (known?.stamp !== stamp) {
    // The MO reader (gettext-parser) loads only when an operator has a catalogue.
    const { readMo } = await import('./po.ts');
    try {
      known = { stamp, catalogue: readMo(path, locale, readFileSync(path)) };
    } catch (error) {
      // A broken catalogue never breaks a page: it is skipped (the embedded one, else English, stands in), and said.
      known = { stamp, catalogue: null, problem: `${errorMessage(error)}; skipped, run compilemessages again` };
    }
    read.set(path, known);
  }
  if (known.problem !== undefined) {
    const said = told.get(warn) ?? new Set<string>();
    told.set(warn, said);
    if (!said.has(`${path}|${stamp}`)) {
      said.add(`${path}|${stamp}`);
      warn(known.problem);
    }
  }
  return known.catalogue;
}

const embedded = new Map<string, Catalogue>();

function embeddedCatalogue(locale: string): Catalogue | null {
  const found = Object.hasOwn(CATALOGUES, locale) ? CATALOGUES[locale] : undefined;
  if (!found) return null;
  let catalogue = embedded.get(locale);
  if (!catalogue) embedded.set(locale, (catalogue = { locale, pluralForms: found.pluralForms, translations: new Map(Object.entries(found.translations)) }));
  return catalogue;
}

/** The languages confctl can show without an operator's catalogue: English and the embedded ones. */
export const embeddedLocales = (): string[] => Object.keys(CATALOGUES);

/**
 * The interface in `language` (an event's, "pt-br"): for each catalogue gettext would look in
 * (pt_BR, then pt), an operator's compiled one in the locale folders first, then the embedded one.
 * English needs none; a language with none at all is English.
 */
export async function translatorFor(language: string, localeDirs: readonly string[] = [], warn: CatalogueWarning = () => {}): Promise<Translator> {
  const catalogues: Catalogue[] = [];
  for (const locale of catalogueChain(language)) {
    for (const dir of localeDirs) {
      const found = await operatorCatalogue(dir, locale, warn);
      if (found) catalogues.push(found);
    }
    const own = embeddedCatalogue(locale);
    if (own) catalogues.push(own);
  }
  return new Translator(language, catalogues);
}

/** The operator's locale folders: the i18n.locale_dirs setting, else <data dir>/locale. */
export function localeDirs(settings: { values: { 'i18n.locale_dirs': readonly string[] }; dataDir: string }): string[] {
  const dirs = settings.values['i18n.locale_dirs'];
  return dirs.length > 0 ? [...dirs] : [join(settings.dataDir, 'locale')];
}

/** The languages with a catalogue, embedded or the operator's (compiled), as language codes ("pt-br"). */
export function availableLanguages(dirs: readonly string[]): string[] {
  const locales = new Set(embeddedLocales());
  for (const dir of dirs) {
    let entries: string[] = [];
    try {
      entries = readdirSync(dir);
    } catch {
      continue;
    }
    for (const locale of entries) if (existsSync(moPath(dir, locale))) locales.add(locale);
  }
  return [...locales].map(toLanguage).filter((l) => l !== 'en').sort();
}
