// core/i18n/ — the interface in the audience's language: gettext catalogues (PO/MO, as Django and
// pretalx translators know them), the ones embedded in the binary and an operator's own, and the
// makemessages/compilemessages work on them.
import { CommandError } from '../common/errors.ts';

/**
 * Django's to_locale: a language code as events and browsers write it ("pt-br", "de") to the name of
 * its catalogue folder ("pt_BR", "de"); "sr-latn" → "sr_Latn", "de-formal" → "de_Formal".
 */
export function toLocale(language: string): string {
  const [lang = '', country = '', ...tail] = language.toLowerCase().split('-');
  if (!country) return language.slice(0, 3).toLowerCase() + language.slice(3);
  const region = country.length > 2 ? country[0]!.toUpperCase() + country.slice(1) : country.toUpperCase();
  return `${lang}_${[region, ...tail].join('-')}`;
}

/** Django's to_language: a catalogue's name ("pt_BR") to the language code ("pt-br"). */
export function toLanguage(locale: string): string {
  const at = locale.indexOf('_');
  return at < 0 ? locale.toLowerCase() : `${locale.slice(0, at).toLowerCase()}-${locale.slice(at + 1).toLowerCase()}`;
}

/** The BCP 47 tag browsers and Intl want ("pt-BR", "de"), from a language code or catalogue name. */
export function toTag(language: string): string {
  const [lang = '', ...rest] = language.replace(/_/g, '-').split('-');
  return [lang.toLowerCase(), ...rest.map((part) => (part.length === 2 ? part.toUpperCase() : part.length === 4 ? part[0]!.toUpperCase() + part.slice(1).toLowerCase() : part.toLowerCase()))].join('-');
}

/**
 * The catalogues to look in for a language, most specific first, as gettext falls back:
 * "pt-br" → pt_BR, pt; "de-formal" → de_Formal, de.
 */
export function catalogueChain(language: string): string[] {
  const locale = toLocale(language);
  const base = locale.split('_')[0]!;
  return base === locale ? [locale] : [locale, base];
}

/** The catalogues shipped with confctl, complete for every message of the interface. */
export const SHIPPED = ['de', 'es', 'fr', 'it', 'ja', 'nl', 'pl', 'pt_BR'] as const;

const ONE = 'nplurals=1; plural=0;';
const NOT_ONE = 'nplurals=2; plural=(n != 1);';
const ABOVE_ONE = 'nplurals=2; plural=(n > 1);';
const SLAVIC = 'nplurals=3; plural=(n%10==1 && n%100!=11 ? 0 : n%10>=2 && n%10<=4 && (n%100<10 || n%100>=20) ? 1 : 2);';

/**
 * Plural-Forms of each language, as its Django catalogue has it (GNU gettext's table for the rest of
 * those confctl knows). A language missing here gets English's rule in a new catalogue, which its
 * translator corrects in the header.
 */
const PLURAL_FORMS: Record<string, string> = {
  ar: 'nplurals=6; plural=(n==0 ? 0 : n==1 ? 1 : n==2 ? 2 : n%100>=3 && n%100<=10 ? 3 : n%100>=11 ? 4 : 5);',
  cs: 'nplurals=3; plural=((n==1) ? 0 : (n>=2 && n<=4) ? 1 : 2);',
  sk: 'nplurals=3; plural=((n==1) ? 0 : (n>=2 && n<=4) ? 1 : 2);',
  fa: ABOVE_ONE,
  fr: ABOVE_ONE,
  pt_BR: ABOVE_ONE,
  tr: ABOVE_ONE,
  ja: ONE,
  ko: ONE,
  zh: ONE,
  zh_Hans: ONE,
  zh_Hant: ONE,
  id: ONE,
  th: ONE,
  vi: ONE,
  ms: ONE,
  lt: 'nplurals=3; plural=(n%10==1 && n%100!=11 ? 0 : n%10>=2 && (n%100<10 || n%100>=20) ? 1 : 2);',
  lv: 'nplurals=3; plural=(n%10==1 && n%100!=11 ? 0 : n != 0 ? 1 : 2);',
  pl: 'nplurals=3; plural=(n==1 ? 0 : n%10>=2 && n%10<=4 && (n%100<10 || n%100>=20) ? 1 : 2);',
  ro: 'nplurals=3; plural=(n==1 ? 0 : (n==0 || (n%100 > 0 && n%100 < 20)) ? 1 : 2);',
  ru: SLAVIC,
  uk: SLAVIC,
  be: SLAVIC,
  sr: SLAVIC,
  hr: SLAVIC,
  bs: SLAVIC,
  sl: 'nplurals=4; plural=(n%100==1 ? 0 : n%100==2 ? 1 : n%100==3 || n%100==4 ? 2 : 3);',
  ga: 'nplurals=5; plural=(n==1 ? 0 : n==2 ? 1 : n<7 ? 2 : n<11 ? 3 : 4);',
  cy: 'nplurals=4; plural=(n==1 ? 0 : n==2 ? 1 : (n != 8 && n != 11) ? 2 : 3);',
  is: 'nplurals=2; plural=(n%10!=1 || n%100==11);',
  mk: 'nplurals=2; plural=(n % 10 == 1 && n % 100 != 11) ? 0 : 1;',
};

/** The Plural-Forms header a new catalogue of `locale` starts with. */
export function pluralFormsOf(locale: string): string {
  const [name = locale] = locale.split('@'); // sr@latin counts as sr does
  return PLURAL_FORMS[name] ?? PLURAL_FORMS[name.split('_')[0]!] ?? NOT_ONE;
}

const LOCALE_NAME = /^[a-z]{2,3}(?:_(?:[A-Z]{2}|\d{3}|[A-Z][a-z]{3,7}))?(?:@[a-z]+)?$/;
const names = new Intl.DisplayNames(['en'], { type: 'language', fallback: 'none' });

/** The English name of a catalogue's language ("Brazilian Portuguese"), or null when it names none. */
export function languageName(locale: string): string | null {
  try {
    return names.of(toTag(locale.split('@')[0]!)) ?? null;
  } catch {
    return null;
  }
}

/** Whether a folder's name is a catalogue's, as checkLocaleName would take it. */
export function isLocaleName(name: string): boolean {
  return LOCALE_NAME.test(name) && languageName(name.split(/[_@]/)[0]!) !== null;
}

/**
 * A catalogue's name as typed to makemessages or compilemessages, checked: "de", "pt_BR",
 * "sr_Latn", "de_Formal" (pretalx's); "pt-br" is a language code, not a locale name (Django warns
 * about it; here it is an error with the right spelling), and a language no one has is refused.
 */
export function checkLocaleName(locale: string): string {
  if (!LOCALE_NAME.test(locale)) {
    const fixed = toLocale(locale.replace(/_/g, '-'));
    const hint = LOCALE_NAME.test(fixed) && languageName(fixed) ? ` Did you mean "${fixed}"?` : '';
    throw new CommandError(`Invalid locale name "${locale}": a locale is written like de, pt_BR or sr_Latn.${hint}`);
  }
  if (languageName(locale.split(/[_@]/)[0]!) === null) throw new CommandError(`Unknown locale "${locale}": no language has that code.`);
  return locale;
}

/** A language code as events have them: "de", "pt-br", "de-formal"; safe as a folder name. */
export const LANGUAGE_CODE = /^[a-z]{2,3}(?:-[a-z0-9]{2,8})*$/;

/** A language code given on the command line, checked (lower-cased); `option` names it in the error. */
export function languageCode(value: string, option: string): string {
  const code = value.trim().toLowerCase().replace(/_/g, '-');
  if (!LANGUAGE_CODE.test(code) || languageName(toLocale(code).split('_')[0]!) === null) {
    throw new CommandError(`${option}: "${value}" is not a language code (such as en, de or pt-br).`);
  }
  return code;
}
