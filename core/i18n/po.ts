import { mo, po, type GetTextTranslation, type GetTextTranslations } from './gettext.ts';
import { CommandError } from '../common/errors.ts';
import { keyOf, placeholders, type Message } from './messages.ts';
import { languageName, pluralFormsOf, toTag } from './locales.ts';
import { parsePluralForms, type Catalogue } from './translator.ts';

/**
 * PO and MO files as gettext's tools write and read them (gettext-parser does the format), and the
 * checks msgfmt makes before a catalogue is compiled, each failure naming the file and line.
 */
export interface PoFile {
  readonly path: string;
  readonly text: string;
  readonly table: GetTextTranslations;
}

const fail = (path: string, line: number | null, reason: string): never => {
  throw new CommandError(`${path}${line ? `:${line}` : ''}: ${reason}`);
};

/** The escapes a PO string may hold (those of C, as msgfmt accepts them). */
const ESCAPE = /\\(?:[ntrabfv\\"'?]|[0-7]{1,3}|x[0-9a-fA-F]+)/y;

/** Where each entry's msgid is (its line), by key, for errors that name a line; and bad escapes. */
function scan(path: string, text: string): Map<string, number> {
  const lines = new Map<string, number>();
  let context: string | undefined;
  let id: string | null = null;
  let idLine = 0;
  let field: 'msgctxt' | 'msgid' | 'other' = 'other';
  const unquote = (quoted: string) => JSON.parse(quoted.replace(/\\([^"\\nrtbfu])/g, '$1').replace(/\t/g, '\\t')) as string;
  const done = () => {
    if (id !== null) {
      const key = keyOf({ id, ...(context !== undefined ? { context } : {}) });
      if (lines.has(key)) fail(path, idLine, `"${id}" is in the catalogue twice (also at line ${lines.get(key)})`);
      lines.set(key, idLine);
    }
    context = undefined;
    id = null;
  };
  text.split('\n').forEach((raw, index) => {
    // Obsolete entries (#~) are comments to gettext: not checked, not counted.
    const line = raw.trim();
    const string = /^(?:(msgctxt|msgid_plural|msgid|msgstr(?:\[\d+\])?)\s+)?(".*")$/.exec(line);
    if (!string) return;
    const quoted = string[2]!;
    for (let at = 1; at < quoted.length - 1; at++) {
      if (quoted[at] !== '\\') continue;
      ESCAPE.lastIndex = at;
      if (!ESCAPE.test(quoted)) fail(path, index + 1, `invalid escape "\\${quoted[at + 1] ?? ''}" in a string`);
      at = ESCAPE.lastIndex - 1;
    }
    let value: string;
    try {
      value = unquote(quoted);
    } catch {
      return;
    }
    const keyword = string[1];
    if (keyword === 'msgctxt') {
      done();
      context = value;
      field = 'msgctxt';
    } else if (keyword === 'msgid') {
      if (field !== 'msgctxt') done();
      id = value;
      idLine = index + 1;
      field = 'msgid';
    } else if (keyword !== undefined) {
      field = 'other';
    } else if (field === 'msgctxt') {
      context = (context ?? '') + value;
    } else if (field === 'msgid') {
      id = (id ?? '') + value;
    }
  });
  done();
  return lines;
}

/**
 * A catalogue read and checked as `msgfmt --check --check-format` would: its syntax and escapes,
 * a Plural-Forms header gettext can use, as many msgstr[n] as it says, and no placeholder a
 * translation invents or (but for a plural's count) leaves out.
 */
export function readPo(path: string, bytes: Uint8Array): PoFile {
  let table: GetTextTranslations;
  const text = Buffer.from(bytes).toString('utf8');
  try {
    table = po.parse(Buffer.from(bytes), { validation: true });
  } catch (error) {
    const { message, lineNumber } = error as Error & { lineNumber?: number };
    // Counting errors are said below with the entry's line; the rest here, with the parser's.
    if (!(error instanceof RangeError) && !/^Duplicate msgid/.test(message)) {
      // The parser counts a string's line break before it says the string did not end on its line.
      const line = lineNumber === undefined ? null : /End-of-line within string/.test(message) ? lineNumber - 1 : lineNumber;
      return fail(path, line, message.replace(/^Error parsing PO data: /, '').replace(/ at line \d+\.?/, '.'));
    }
    table = po.parse(Buffer.from(bytes));
  }
  const lines = scan(path, text);
  const file = { path, text, table };
  checkPo(file, lines);
  return file;
}

/** nplurals and a safe expression (numbers, n, and C's operators only), or the reason there is none. */
export function checkPluralForms(header: string | undefined): { nplurals: number; expression: string } | string {
  if (header === undefined) return 'no Plural-Forms header';
  const forms = parsePluralForms(header);
  if (!forms) return `Plural-Forms "${header}" is not "nplurals=N; plural=EXPRESSION;"`;
  const { expression, nplurals } = forms;
  if (!/^[\sn\d()?:!=<>&|%+\-*/]+$/.test(expression)) return `the plural expression "${expression}" uses something other than n, numbers and C operators`;
  let depth = 0;
  for (const c of expression) {
    depth += c === '(' ? 1 : c === ')' ? -1 : 0;
    if (depth < 0) break;
  }
  if (depth !== 0) return `the plural expression "${expression}" has unbalanced parentheses`;
  return { nplurals, expression };
}

/**
 * The named placeholders of a python-format text and the conversion of each (`%(date)s` → date: s),
 * or what is wrong with a % in it, as msgfmt --check-format finds it: Python's % takes a name, flags,
 * width, precision and a conversion, and `%%` is a percent sign.
 */
function pythonFormat(text: string): Map<string, string> | string {
  const specs = new Map<string, string>();
  const spec = /%(?:%|\((\w+)\)[-#0 +]*\d*(?:\.\d+)?([diouxXeEfFgGcrsa]))/y;
  for (let at = text.indexOf('%'); at !== -1; at = text.indexOf('%', at)) {
    spec.lastIndex = at;
    const match = spec.exec(text);
    if (!match) return `"%${text.slice(at + 1, at + 2)}" is not a placeholder (write %% for a percent sign)`;
    if (match[1] !== undefined) specs.set(match[1], match[2]!);
    at = spec.lastIndex;
  }
  return specs;
}

function checkPo(file: PoFile, lines: Map<string, number>): void {
  const { path, table } = file;
  const headerLine = lines.get('') ?? 1;
  const forms = checkPluralForms(table.headers['Plural-Forms']);
  const entries = Object.values(table.translations).flatMap((byId) => Object.values(byId)).filter((e) => e.msgid !== '');
  const hasPlurals = entries.some((e) => e.msgid_plural !== undefined);
  if (typeof forms === 'string' && hasPlurals) fail(path, headerLine, forms);
  const charset = /charset=([\w-]+)/i.exec(table.headers['Content-Type'] ?? '')?.[1];
  if (charset && !/^utf-?8$/i.test(charset) && charset !== 'CHARSET') fail(path, headerLine, `the catalogue is in ${charset}; confctl's catalogues are UTF-8`);
  for (const entry of entries) {
    const line = lines.get(keyOf({ id: entry.msgid, ...(entry.msgctxt ? { context: entry.msgctxt } : {}) })) ?? null;
    if (entry.msgid_plural !== undefined && typeof forms !== 'string' && entry.msgstr.length !== forms.nplurals) {
      fail(path, line, `"${entry.msgid}" has ${entry.msgstr.length} plural forms (msgstr[n]), Plural-Forms says nplurals=${forms.nplurals}`);
    }
    if (entry.msgid_plural === undefined && entry.msgstr.length !== 1) fail(path, line, `"${entry.msgid}" has plural forms (msgstr[n]) but no msgid_plural`);
    if (isFuzzy(entry)) continue;
    const pythonFlag = (entry.comments?.flag ?? '').split(',').some((f) => f.trim() === 'python-format');
    if (pythonFlag || placeholders(entry.msgid).length > 0) {
      const original = pythonFormat(`${entry.msgid} ${entry.msgid_plural ?? ''}`);
      entry.msgstr.forEach((translation) => {
        if (translation === '' || typeof original === 'string') return;
        const found = pythonFormat(translation);
        if (typeof found === 'string') fail(path, line, `the translation of "${entry.msgid}": ${found}`);
        for (const [name, conversion] of found as Map<string, string>) {
          const wanted = original.get(name);
          if (wanted !== undefined && wanted !== conversion) fail(path, line, `the translation of "${entry.msgid}" has %(${name})${conversion}, the original %(${name})${wanted}`);
        }
      });
    }
    const given = new Set([...placeholders(entry.msgid), ...placeholders(entry.msgid_plural ?? '')]);
    entry.msgstr.forEach((translation, i) => {
      if (translation === '') return;
      const used = placeholders(translation);
      const invented = used.filter((name) => !given.has(name));
      if (invented.length > 0) fail(path, line, `the translation of "${entry.msgid}" uses %(${invented[0]})s, which the original does not have`);
      const optional = entry.msgid_plural !== undefined ? new Set(['count']) : new Set<string>();
      const missing = [...given].filter((name) => !used.includes(name) && !optional.has(name));
      if (missing.length > 0) fail(path, line, `the translation${entry.msgid_plural !== undefined ? ` (form ${i})` : ''} of "${entry.msgid}" leaves out %(${missing[0]})s`);
    });
  }
}

export const isFuzzy = (entry: GetTextTranslation): boolean => (entry.comments?.flag ?? '').split(',').some((f) => f.trim() === 'fuzzy');

/** The translated, not fuzzy, entries: what msgfmt puts in an MO file (without --use-fuzzy). */
function compiledEntries(table: GetTextTranslations): GetTextTranslations['translations'] {
  const out: GetTextTranslations['translations'] = {};
  for (const [context, byId] of Object.entries(table.translations)) {
    for (const [id, entry] of Object.entries(byId)) {
      if (id !== '' && (isFuzzy(entry) || entry.msgstr.every((s) => s === ''))) continue;
      (out[context] ??= {})[id] = { msgid: entry.msgid, ...(entry.msgctxt ? { msgctxt: entry.msgctxt } : {}), ...(entry.msgid_plural !== undefined ? { msgid_plural: entry.msgid_plural } : {}), msgstr: entry.msgstr };
    }
  }
  return out;
}

/** The MO file of a catalogue: byte for byte the same for the same catalogue. */
export function compileMo(table: GetTextTranslations): Uint8Array {
  return new Uint8Array(mo.compile({ charset: 'utf-8', headers: table.headers, translations: compiledEntries(table) }));
}

/** A compiled catalogue (an operator's .mo), ready to look up; its file is named in any error. */
export function readMo(path: string, locale: string, bytes: Uint8Array): Catalogue {
  try {
    const table = mo.parse(Buffer.from(bytes));
    // Bytes without the MO magic number parse to a table without translations.
    if (typeof table?.translations !== 'object' || table.translations === null) throw new Error('no MO header');
    return catalogueOf(locale, table);
  } catch (error) {
    return fail(path, null, `not a compiled catalogue (${(error as Error).message})`);
  }
}

/** A parsed catalogue (PO or MO) as the Translator looks things up in it. */
export function catalogueOf(locale: string, table: GetTextTranslations): Catalogue {
  const translations = new Map<string, string[]>();
  for (const byId of Object.values(compiledEntries(table))) {
    for (const entry of Object.values(byId)) if (entry.msgid !== '') translations.set(keyOf({ id: entry.msgid, ...(entry.msgctxt ? { context: entry.msgctxt } : {}) }), entry.msgstr);
  }
  const forms = checkPluralForms(table.headers['Plural-Forms']);
  return { locale, pluralForms: typeof forms === 'string' ? pluralFormsOf(locale) : `nplurals=${forms.nplurals}; plural=${forms.expression};`, translations };
}

/** A catalogue as text, folded at 79 columns as msgcat and Django's makemessages write them (or not: `wrap` false). */
export function writePo(table: GetTextTranslations, wrap = true): string {
  return Buffer.from(po.compile(table, { foldLength: wrap ? 79 : 0 })).toString('utf8').replace(/\n*$/, '\n');
}

const entryOf = (message: Message, msgstr: string[], extra: { flags?: string[]; previous?: string; translator?: string; location: boolean }): GetTextTranslation => {
  const flags = [...new Set([...(extra.flags ?? []), ...(message.flags ?? [])])];
  const comments = {
    ...(extra.translator ? { translator: extra.translator } : {}),
    ...(message.comments?.length ? { extracted: message.comments.join('\n') } : {}),
    ...(extra.location && message.references?.length ? { reference: message.references.join('\n') } : {}),
    ...(flags.length > 0 ? { flag: flags.join(', ') } : {}),
    ...(extra.previous ? { previous: extra.previous } : {}),
  };
  return {
    ...(message.context ? { msgctxt: message.context } : {}),
    msgid: message.id,
    ...(message.plural !== undefined ? { msgid_plural: message.plural } : {}),
    msgstr,
    ...(Object.keys(comments).length > 0 ? { comments } : {}),
  };
};

const put = (section: GetTextTranslations['translations'], entry: GetTextTranslation) => ((section[entry.msgctxt ?? ''] ??= {})[entry.msgid] = entry);

/** The header of a template (.pot): what gettext's xgettext writes, for confctl. */
export function templateTable(messages: readonly Message[], options: { location: boolean } = { location: true }): GetTextTranslations {
  const translations: GetTextTranslations['translations'] = { '': { '': { msgid: '', msgstr: [''] } } };
  for (const message of messages) put(translations, entryOf(message, message.plural !== undefined ? ['', ''] : [''], { location: options.location }));
  return {
    charset: 'utf-8',
    headers: {
      'Project-Id-Version': 'confctl',
      'Report-Msgid-Bugs-To': '',
      'MIME-Version': '1.0',
      'Content-Type': 'text/plain; charset=UTF-8',
      'Content-Transfer-Encoding': '8bit',
      // The messages are English: a template's plurals are English's two.
      'Plural-Forms': pluralFormsOf('en'),
    },
    translations,
  };
}

/** The start of a new catalogue of `locale`: its language and plural rule named, as msginit writes it. */
function newHeaders(locale: string, now: Date): Record<string, string> {
  const stamp = `${now.toISOString().slice(0, 16).replace('T', ' ')}+0000`;
  return {
    'Project-Id-Version': 'confctl',
    'Report-Msgid-Bugs-To': '',
    'PO-Revision-Date': stamp,
    'Last-Translator': '',
    'Language-Team': `${languageName(locale) ?? locale} (${toTag(locale)})`,
    Language: locale,
    'MIME-Version': '1.0',
    'Content-Type': 'text/plain; charset=UTF-8',
    'Content-Transfer-Encoding': '8bit',
    'Plural-Forms': pluralFormsOf(locale),
  };
}

/** How alike two texts are, 0 to 1 (1 − edit distance / longer length), for msgmerge's fuzzy matches. */
function likeness(a: string, b: string): number {
  if (a === b) return 1;
  const longer = Math.max(a.length, b.length);
  if (longer === 0 || Math.min(a.length, b.length) / longer < 0.5) return 0;
  let row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const next = [i];
    for (let j = 1; j <= b.length; j++) next[j] = Math.min(row[j]! + 1, next[j - 1]! + 1, row[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    row = next;
  }
  return 1 - row[b.length]! / longer;
}

const FUZZY_LIKENESS = 0.6;

/**
 * A catalogue brought up to date with the messages, as Django's makemessages does with msgmerge:
 * translations kept; a message not in it yet gets the translation of a vanished, similar one
 * marked fuzzy (with its old msgid as `#|`), else an empty one; messages no longer used become
 * obsolete (`#~`) unless `obsolete` is false; the header and translators' comments stay.
 */
export function mergeCatalogue(
  messages: readonly Message[],
  existing: GetTextTranslations | null,
  locale: string,
  options: { obsolete: boolean; location: boolean; now: Date },
): GetTextTranslations {
  const nplurals = (() => {
    const forms = checkPluralForms(existing?.headers['Plural-Forms'] ?? pluralFormsOf(locale));
    return typeof forms === 'string' ? 2 : forms.nplurals;
  })();
  const all = (section: GetTextTranslations['translations'] | undefined) => Object.values(section ?? {}).flatMap((byId) => Object.values(byId)).filter((e) => e.msgid !== '');
  const keyOfEntry = (e: GetTextTranslation) => keyOf({ id: e.msgid, ...(e.msgctxt ? { context: e.msgctxt } : {}) });
  const active = new Map(all(existing?.translations).map((e) => [keyOfEntry(e), e]));
  const obsolete = new Map(all(existing?.obsolete).map((e) => [keyOfEntry(e), e]));
  const wanted = new Set(messages.map(keyOf));
  // Translations a fuzzy match may take: those of messages no longer used.
  const spare = [...active.values(), ...obsolete.values()].filter((e) => !wanted.has(keyOfEntry(e)) && e.msgstr.some((s) => s !== ''));
  const used = new Set<GetTextTranslation>();
  const shaped = (msgstr: readonly string[], plural: boolean) => (plural ? Array.from({ length: nplurals }, (_, i) => msgstr[i] ?? '') : [msgstr[0] ?? '']);

  const translations: GetTextTranslations['translations'] = {};
  put(translations, { msgid: '', msgstr: [''], ...(existing?.translations['']?.['']?.comments ? { comments: existing.translations['']['']!.comments } : {}) });
  for (const message of messages) {
    const plural = message.plural !== undefined;
    const old = active.get(keyOf(message)) ?? obsolete.get(keyOf(message));
    if (old) {
      const flags = (old.comments?.flag ?? '').split(',').map((f) => f.trim()).filter((f) => f !== '' && f !== 'python-format');
      const pluralChanged = (old.msgid_plural !== undefined) !== plural || (plural && old.msgid_plural !== message.plural && old.msgstr.some((s) => s !== ''));
      const fuzzy = flags.includes('fuzzy') || pluralChanged;
      put(translations, entryOf(message, shaped(old.msgstr, plural), {
        flags: fuzzy ? ['fuzzy', ...flags.filter((f) => f !== 'fuzzy')] : flags,
        ...(fuzzy && old.comments?.previous ? { previous: old.comments.previous } : pluralChanged ? { previous: `msgid ${JSON.stringify(old.msgid)}` } : {}),
        ...(old.comments?.translator ? { translator: old.comments.translator } : {}),
        location: options.location,
      }));
      continue;
    }
    let best: GetTextTranslation | undefined;
    let score = FUZZY_LIKENESS;
    for (const candidate of spare) {
      const s = likeness(candidate.msgid, message.id) + (candidate.msgctxt === message.context ? 0.001 : 0);
      if (s >= score) [best, score] = [candidate, s];
    }
    if (best) used.add(best);
    put(translations, best
      ? entryOf(message, shaped(best.msgstr, plural), { flags: ['fuzzy'], previous: `${best.msgctxt ? `msgctxt ${JSON.stringify(best.msgctxt)}\n` : ''}msgid ${JSON.stringify(best.msgid)}`, location: options.location })
      : entryOf(message, shaped([], plural), { location: options.location }));
  }
  const gone: GetTextTranslations['translations'] = {};
  if (options.obsolete) {
    for (const entry of [...active.values(), ...obsolete.values()]) {
      if (wanted.has(keyOfEntry(entry)) || used.has(entry) || !entry.msgstr.some((s) => s !== '')) continue;
      const { reference: _, ...comments } = entry.comments ?? {};
      put(gone, { ...entry, comments, obsolete: true });
    }
  }
  const headers = existing ? { ...existing.headers } : newHeaders(locale, options.now);
  headers['Language'] ??= locale;
  headers['Plural-Forms'] ??= pluralFormsOf(locale);
  headers['Content-Type'] = 'text/plain; charset=UTF-8';
  return { charset: 'utf-8', headers, translations, ...(Object.keys(gone).length > 0 ? { obsolete: gone } : {}) };
}
