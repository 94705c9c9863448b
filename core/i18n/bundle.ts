import type { GetTextTranslations } from './gettext.ts';
import type { Message } from './messages.ts';
import { catalogueOf } from './po.ts';

/** A catalogue as the binary embeds it: its plural rule and its translations by key (context\x04msgid). */
export interface EmbeddedCatalogue {
  readonly pluralForms: string;
  readonly translations: Readonly<Record<string, readonly string[]>>;
}

/**
 * core/i18n/embedded.ts, made from the template and the shipped catalogues by compilemessages in a
 * source checkout: the messages (for makemessages in the binary, which has no sources) and each
 * language's compiled translations (fuzzy and empty ones left out, as msgfmt does). The same
 * catalogues give the same file, byte for byte.
 */
export function embeddedModule(messages: readonly Message[], catalogues: readonly { locale: string; table: GetTextTranslations }[]): string {
  const template = messages.map(({ references: _, ...message }) => message);
  const compiled: Record<string, EmbeddedCatalogue> = {};
  for (const { locale, table } of [...catalogues].sort((a, b) => (a.locale < b.locale ? -1 : 1))) {
    const catalogue = catalogueOf(locale, table);
    compiled[locale] = { pluralForms: catalogue.pluralForms, translations: Object.fromEntries(catalogue.translations) };
  }
  return `// Made by \`confctl compilemessages\` in a source checkout from locale/confctl.pot and
// locale/*/LC_MESSAGES/confctl.po: edit those and run it again, never this file.
import type { EmbeddedCatalogue } from './bundle.ts';
import type { Message } from './messages.ts';

export const MESSAGES: readonly Message[] = ${JSON.stringify(template, null, 2)};

export const CATALOGUES: Readonly<Record<string, EmbeddedCatalogue>> = ${JSON.stringify(compiled, null, 2)};
`;
}
