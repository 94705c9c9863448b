import { existsSync, mkdirSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, isAbsolute, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { GetTextTranslations } from './gettext.ts';
import { runtime } from '../../platform/index.ts';
import { writeAtomically } from '../common/atomic.ts';
import { CommandError } from '../common/errors.ts';
import { embeddedModule } from './bundle.ts';
import { moPath, poPath } from './catalogues.ts';
import { CATALOGUES, MESSAGES } from './embedded.ts';
import { extractMessages } from './extract.ts';
import { checkLocaleName, isLocaleName } from './locales.ts';
import { keyOf, type Message } from './messages.ts';
import { compileMo, mergeCatalogue, readPo, templateTable, writePo } from './po.ts';

/**
 * makemessages and compilemessages, Django's translation workflow. In a source checkout they work on
 * the repository's catalogues (locale/), from the marked strings of the sources, and compilemessages
 * also embeds them (core/i18n/embedded.ts); in the compiled binary, which has no sources, on the
 * operator's locale folders, from the messages and translations the binary embeds.
 */

/**
 * The checkout these sources are in when the command runs inside it (as Django's makemessages works
 * on the tree it is run in); null in the compiled binary, and from any other folder.
 */
export function sourceCheckout(cwd: string): string | null {
  if (runtime().embedded(import.meta.url)) return null;
  const root = resolve(fileURLToPath(new URL('../../', import.meta.url)));
  const inside = relative(root, resolve(cwd));
  if (inside.startsWith('..') || isAbsolute(inside)) return null;
  return existsSync(join(root, 'core', 'i18n', 'embedded.ts')) && existsSync(join(root, 'locale')) ? root : null;
}

export const TEMPLATE = 'confctl.pot';
export const EMBEDDED_MODULE = join('core', 'i18n', 'embedded.ts');

/** The catalogue folders (<dir>/<locale>/LC_MESSAGES) that exist under a locale folder, by name. */
function localesIn(dir: string): string[] {
  try {
    return readdirSync(dir, { withFileTypes: true })
      .filter((e) => e.isDirectory() && existsSync(join(dir, e.name, 'LC_MESSAGES')))
      .map((e) => e.name)
      .sort();
  } catch {
    return [];
  }
}

export interface MakeRequest {
  locales: readonly string[];
  all: boolean;
  exclude: readonly string[];
  extensions: readonly string[];
  obsolete: boolean;
  location: boolean;
  /** Fold long strings at 79 columns (Django's default; --no-wrap: one line each). */
  wrap: boolean;
  now: Date;
}

/** Where makemessages works and what it merges into each catalogue. */
export interface MakePlan {
  /** The locale folder written to. */
  dir: string;
  locales: string[];
  messages: Message[];
  /** In a checkout: the template written beside the catalogues. */
  template: string | null;
  /** The translation a new catalogue starts from (the binary's own, for a language it embeds). */
  seed(locale: string): GetTextTranslations | null;
}

const embeddedTable = (locale: string): GetTextTranslations | null => {
  const found = Object.hasOwn(CATALOGUES, locale) ? CATALOGUES[locale] : undefined;
  if (!found) return null;
  const translations: GetTextTranslations['translations'] = { '': { '': { msgid: '', msgstr: [''] } } };
  for (const message of MESSAGES) {
    const msgstr = found.translations[keyOf(message)];
    if (msgstr) {
      (translations[message.context ?? ''] ??= {})[message.id] = {
        ...(message.context ? { msgctxt: message.context } : {}),
        msgid: message.id,
        ...(message.plural !== undefined ? { msgid_plural: message.plural } : {}),
        msgstr: [...msgstr],
      };
    }
  }
  return { charset: 'utf-8', headers: { 'Plural-Forms': found.pluralForms }, translations };
};

export async function planMakeMessages(request: MakeRequest, checkout: string | null, localeDirs: readonly string[]): Promise<MakePlan> {
  for (const locale of [...request.locales, ...request.exclude]) checkLocaleName(locale);
  if (request.locales.length === 0 && !request.all) throw new CommandError('Say which catalogues to make: --locale LANG (as often as needed), or --all.');
  const dir = checkout ? join(checkout, 'locale') : localeDirs[0]!;
  // --all: the catalogue folders there are (but one no locale could be named as, toString or .git), and in the binary every embedded one.
  const known = request.all ? [...new Set([...localesIn(dir).filter(isLocaleName), ...(checkout ? [] : Object.keys(CATALOGUES))])] : [];
  const locales = [...new Set([...request.locales, ...known])].filter((l) => !request.exclude.includes(l)).sort();
  const messages = checkout ? await extractMessages(checkout, request.extensions) : MESSAGES.map((m) => ({ ...m }));
  // A regional catalogue the binary lacks (ja_JP, de_AT) starts from its language's (ja, de).
  const seed = (locale: string) => embeddedTable(locale) ?? embeddedTable(locale.split(/[_@]/)[0]!);
  return { dir, locales, messages, template: checkout ? join(dir, TEMPLATE) : null, seed: checkout ? () => null : seed };
}

/** The template (.pot) of a checkout, written. */
export function writeTemplate(plan: MakePlan, request: MakeRequest): void {
  const template = plan.template;
  if (!template) return;
  onDisk(plan.dir, () => mkdirSync(plan.dir, { recursive: true }));
  onDisk(template, () => writeAtomically(template, writePo(templateTable(plan.messages, { location: request.location }), request.wrap)));
}

/** One catalogue brought up to date (or made), written through a temporary file; whether it is new. */
export function makeCatalogue(plan: MakePlan, locale: string, request: MakeRequest): { path: string; created: boolean } {
  const path = poPath(plan.dir, locale);
  const created = !existsSync(path);
  const existing = created ? plan.seed(locale) : readPo(path, onDisk(path, () => readFileSync(path))).table;
  const merged = mergeCatalogue(plan.messages, existing, locale, { obsolete: request.obsolete, location: request.location, now: request.now });
  if (created && existing) {
    // A seed has no header of its own: the new catalogue's, with the seed's plural rule.
    const fresh = mergeCatalogue([], null, locale, { obsolete: false, location: false, now: request.now }).headers;
    merged.headers = { ...fresh, 'Plural-Forms': existing.headers['Plural-Forms'] ?? fresh['Plural-Forms']! };
  }
  onDisk(dirname(path), () => mkdirSync(dirname(path), { recursive: true }));
  onDisk(path, () => writeAtomically(path, writePo(merged, request.wrap)));
  return { path, created };
}

export interface CompileRequest {
  locales: readonly string[];
  exclude: readonly string[];
  fuzzy: boolean;
}

/** Every catalogue compilemessages compiles: `<dir>/<locale>/LC_MESSAGES/*.po`, in a stable order. */
export function catalogueFiles(dirs: readonly string[], request: CompileRequest): { locale: string; folder: string; file: string }[] {
  for (const locale of [...request.locales, ...request.exclude]) checkLocaleName(locale);
  const found = [];
  for (const dir of [...new Set(dirs)]) {
    for (const locale of localesIn(dir)) {
      if ((request.locales.length > 0 && !request.locales.includes(locale)) || request.exclude.includes(locale)) continue;
      const folder = join(dir, locale, 'LC_MESSAGES');
      for (const file of readdirSync(folder).filter((f) => f.endsWith('.po') && statSync(join(folder, f)).isFile()).sort()) found.push({ locale, folder, file });
    }
  }
  return found;
}

/** A file operation whose failure (no such folder, not writable, a folder in the way) is one CommandError naming the path. */
function onDisk<T>(path: string, operation: () => T): T {
  try {
    return operation();
  } catch (error) {
    if (error instanceof CommandError) throw error;
    const { code, message } = error as NodeJS.ErrnoException;
    throw new CommandError(`${path}: ${code === 'EACCES' || code === 'EROFS' ? 'cannot write there' : code === 'EISDIR' ? 'a folder is in the way' : code === 'ENOENT' ? 'no such folder' : message}${code ? ` (${code})` : ''}`);
  }
}

/** One catalogue checked and compiled to the .mo beside it; a malformed one throws and writes nothing. */
export function compileCatalogue(folder: string, file: string, fuzzy: boolean): string {
  const path = join(folder, file);
  const { table } = readPo(path, onDisk(path, () => readFileSync(path)));
  if (fuzzy) for (const byId of Object.values(table.translations)) for (const entry of Object.values(byId)) if (entry.comments?.flag) entry.comments.flag = entry.comments.flag.replace(/\bfuzzy\b,?\s*/, '');
  const target = join(folder, file.replace(/\.po$/, '.mo'));
  const bytes = compileMo(table);
  onDisk(target, () => writeAtomically(target, bytes));
  return target;
}

/** In a checkout: core/i18n/embedded.ts made anew from the template and the repository's catalogues. */
export function embedCatalogues(checkout: string): string {
  const dir = join(checkout, 'locale');
  const template = join(dir, TEMPLATE);
  if (!existsSync(template)) throw new CommandError(`No template at ${template}: run makemessages --all first.`);
  const messages: Message[] = Object.values(readPo(template, readFileSync(template)).table.translations)
    .flatMap((byId) => Object.values(byId))
    .filter((e) => e.msgid !== '')
    .map((e) => ({
      ...(e.msgctxt ? { context: e.msgctxt } : {}),
      id: e.msgid,
      ...(e.msgid_plural !== undefined ? { plural: e.msgid_plural } : {}),
      ...(e.comments?.extracted ? { comments: e.comments.extracted.split('\n') } : {}),
      ...(e.comments?.flag ? { flags: e.comments.flag.split(',').map((f) => f.trim()) } : {}),
    }));
  const catalogues = localesIn(dir)
    .filter((locale) => existsSync(poPath(dir, locale)))
    .map((locale) => ({ locale, table: readPo(poPath(dir, locale), readFileSync(poPath(dir, locale))).table }));
  const target = join(checkout, EMBEDDED_MODULE);
  writeAtomically(target, embeddedModule(messages, catalogues));
  return target;
}

