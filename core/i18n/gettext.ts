import * as parser from 'gettext-parser';

/**
 * gettext-parser 10, typed: PO and MO parsed into one table shape (headers, and translations by
 * context and msgid) and compiled back. It ships no typings, and Deno reads types from its JavaScript
 * where tsc reads none (gettext-parser.d.ts), so its exports are described here once, for both.
 */
export interface GetTextComments {
  translator?: string;
  reference?: string;
  extracted?: string;
  flag?: string;
  previous?: string;
}
export interface GetTextTranslation {
  msgctxt?: string;
  msgid: string;
  msgid_plural?: string;
  msgstr: string[];
  comments?: GetTextComments;
  obsolete?: boolean;
}
export interface GetTextTranslations {
  charset: string;
  headers: Record<string, string>;
  translations: Record<string, Record<string, GetTextTranslation>>;
  obsolete?: Record<string, Record<string, GetTextTranslation>>;
}
export interface PoParseOptions {
  defaultCharset?: string;
  validation?: boolean;
}
export interface PoCompileOptions {
  foldLength?: number | false;
  sort?: boolean | ((a: GetTextTranslation, b: GetTextTranslation) => number);
  escapeCharacters?: boolean;
}
export interface GettextParser {
  readonly po: {
    parse(input: string | Uint8Array, options?: PoParseOptions): GetTextTranslations;
    compile(table: GetTextTranslations, options?: PoCompileOptions): Uint8Array;
  };
  readonly mo: {
    parse(input: Uint8Array, defaultCharset?: string): GetTextTranslations;
    compile(table: GetTextTranslations): Uint8Array;
  };
}

export const { po, mo } = parser as unknown as GettextParser;
