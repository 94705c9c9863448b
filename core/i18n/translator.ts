import * as tannin from '@tannin/plural-forms';
import { toTag } from './locales.ts';

/**
 * A Plural-Forms expression as a function of n, evaluated without eval (a catalogue is untrusted):
 * WordPress's @tannin/plural-forms. Its default export is a function in every runtime, but Deno
 * types the CommonJS build it loads as the module itself, hence the cast.
 */
const pluralForms = tannin.default as unknown as (expression: string) => (n: number) => number;

/** gettext keys a message with a context as `context\x04msgid`. */
export const messageKey = (id: string, context?: string | null): string => (context ? `${context}\u0004${id}` : id);

/** One catalogue, ready to look up: its translations by key, and how it picks a plural form. */
export interface Catalogue {
  /** The catalogue's locale name ("pt_BR"). */
  readonly locale: string;
  /** The Plural-Forms header, "nplurals=2; plural=(n > 1);". */
  readonly pluralForms: string;
  readonly translations: ReadonlyMap<string, readonly string[]>;
}

/** nplurals and the plural expression of a Plural-Forms header, or null when it has no such form. */
export function parsePluralForms(header: string): { nplurals: number; expression: string } | null {
  const match = /^\s*nplurals\s*=\s*(\d+)\s*;\s*plural\s*=\s*([^;]+?)\s*;?\s*$/.exec(header);
  if (!match) return null;
  const nplurals = Number(match[1]);
  return nplurals >= 1 ? { nplurals, expression: match[2]! } : null;
}

type Vars = Readonly<Record<string, string | number>>;

/**
 * Python's %-formatting with named placeholders, as Django's translated strings use it:
 * `%(name)s` and `%(count)d` take the value, `%%` is a percent sign. Without values the text is
 * left as it is (`gettext('100%')`), as in Python.
 */
export function interpolate(text: string, vars: Vars | undefined): string {
  if (vars === undefined) return text;
  return text.replace(/%(?:\((\w+)\)[sd]|%)/g, (whole, name: string | undefined) => {
    if (name === undefined) return '%';
    const value = vars[name];
    return value === undefined ? whole : String(value);
  });
}

const englishPlural = (n: number) => (n === 1 ? 0 : 1);

interface Ready {
  readonly translations: ReadonlyMap<string, readonly string[]>;
  /** The plural form for n; a result outside the catalogue's nplurals is none. */
  readonly form: (n: number) => number | null;
}

function ready(catalogue: Catalogue): Ready {
  const forms = parsePluralForms(catalogue.pluralForms);
  const rule = forms ? pluralForms(forms.expression) : englishPlural;
  const nplurals = forms?.nplurals ?? 2;
  return {
    translations: catalogue.translations,
    form: (n) => {
      const index = Number(rule(n));
      return Number.isInteger(index) && index >= 0 && index < nplurals ? index : null;
    },
  };
}

/**
 * The interface text in one language: gettext, ngettext, pgettext and npgettext as Django has them,
 * with named placeholders. Catalogues are looked in in order (pt_BR, then pt). A message none has,
 * or has empty, is English (the msgid), never an empty string; so is a plural form the catalogue's
 * rule does not give.
 */
export class Translator {
  private readonly catalogues: readonly Ready[];

  constructor(
    /** The language code the pages say they are in (the `lang` of `<html>`). */
    readonly language: string,
    catalogues: readonly Catalogue[] = [],
  ) {
    this.catalogues = catalogues.map(ready);
  }

  private numbers: Intl.NumberFormat | undefined;

  /** A number as this language writes it (1,234 in English, 1.234 in German). */
  number(n: number): string {
    if (!this.numbers) {
      try {
        this.numbers = new Intl.NumberFormat(toTag(this.language));
      } catch {
        this.numbers = new Intl.NumberFormat('en');
      }
    }
    return this.numbers.format(n);
  }

  private lookup(key: string): { forms: readonly string[]; catalogue: Ready } | undefined {
    for (const catalogue of this.catalogues) {
      const forms = catalogue.translations.get(key);
      if (forms && forms.some((s) => s !== '')) return { forms, catalogue };
    }
    return undefined;
  }

  gettext(id: string, vars?: Vars): string {
    return this.pgettext('', id, vars);
  }

  pgettext(context: string, id: string, vars?: Vars): string {
    const found = this.lookup(messageKey(id, context))?.forms[0];
    return interpolate(found || id, vars);
  }

  /** `count` is a placeholder too, so `%(count)s talks` needs no second mention of it. */
  ngettext(singular: string, plural: string, n: number, vars?: Vars): string {
    return this.npgettext('', singular, plural, n, vars);
  }

  npgettext(context: string, singular: string, plural: string, n: number, vars?: Vars): string {
    const values = { count: this.number(n), ...vars };
    const found = this.lookup(messageKey(singular, context));
    const index = found?.catalogue.form(n);
    const text = found && index !== null && index !== undefined ? found.forms[index] : undefined;
    return interpolate(text || (englishPlural(n) === 0 ? singular : plural), values);
  }
}
