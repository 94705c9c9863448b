import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { extname, join, relative, sep } from 'node:path';
import type * as TS from 'typescript';
import { CommandError } from '../common/errors.ts';
import { hasPlaceholders, keyOf, type Message } from './messages.ts';

/**
 * The marked strings of a source checkout, as xgettext finds them for Django: every call of
 * gettext, ngettext, pgettext, npgettext (as a function or a method, `t.gettext(…)`) and
 * gettext_noop whose text arguments are literal strings. A comment starting with "Translators:"
 * on the lines just above a call goes to the translators (`#.`). The TypeScript compiler parses
 * the sources (a checkout has it as a dev dependency; the compiled binary never extracts).
 */
const CALLS: ReadonlyMap<string, { context: boolean; plural: boolean }> = new Map(Object.entries({
  gettext: { context: false, plural: false },
  gettext_noop: { context: false, plural: false },
  ngettext: { context: false, plural: true },
  pgettext: { context: true, plural: false },
  npgettext: { context: true, plural: true },
}));

/** The folders and files of a checkout that hold the interface (tests, benchmarks and scripts do not). */
export const SOURCE_ROOTS = ['cli.ts', 'commands', 'core', 'db', 'platform'];

const SCRIPT_EXTENSIONS = new Set(['ts', 'mts', 'cts', 'tsx', 'js', 'mjs', 'cjs', 'jsx']);
const HTML_EXTENSIONS = new Set(['html', 'htm']);

/** The extensions makemessages may be asked for; anything else is refused by name. */
export function checkExtensions(extensions: readonly string[]): string[] {
  const cleaned = extensions.map((e) => e.trim().replace(/^\./, '').toLowerCase()).filter((e) => e !== '');
  const unknown = cleaned.filter((e) => !SCRIPT_EXTENSIONS.has(e) && !HTML_EXTENSIONS.has(e));
  if (unknown.length > 0) {
    throw new CommandError(`Cannot extract messages from .${unknown.join(', .')} files: confctl's sources are TypeScript and JavaScript (${[...SCRIPT_EXTENSIONS].join(', ')}) and HTML with scripts (html, htm).`);
  }
  return [...new Set(cleaned)];
}

function filesUnder(path: string, extensions: ReadonlySet<string>, found: string[]): void {
  if (!existsSync(path)) return;
  if (!statSync(path).isDirectory()) {
    if (extensions.has(extname(path).slice(1))) found.push(path);
    return;
  }
  const entries = readdirSync(path, { withFileTypes: true });
  for (const entry of entries.sort((a, b) => (a.name < b.name ? -1 : 1))) {
    if (entry.name === 'node_modules' || entry.name.startsWith('.')) continue;
    const full = join(path, entry.name);
    if (entry.isDirectory()) filesUnder(full, extensions, found);
    else if (entry.isFile() && extensions.has(extname(entry.name).slice(1)) && !entry.name.endsWith('.d.ts')) found.push(full);
  }
}

interface Found {
  message: { context?: string; id: string; plural?: string };
  line: number;
  comments: string[];
}

/** The marked calls of one script, its lines counted from `firstLine`. */
function callsIn(ts: typeof TS, file: string, text: string, firstLine = 1): Found[] {
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true, file.endsWith('x') ? ts.ScriptKind.TSX : ts.ScriptKind.TS);
  const found: Found[] = [];
  const literal = (node: TS.Node | undefined): string | undefined =>
    node && (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node)) ? node.text : undefined;
  const translatorComments = (node: TS.Node): string[] => {
    // The comment before the statement (or argument, or property) the call is part of.
    for (let at: TS.Node | undefined = node; at && at !== source; at = at.parent) {
      const ranges = ts.getLeadingCommentRanges(text, at.pos) ?? [];
      const comments = ranges
        .map((r) => text.slice(r.pos, r.end).replace(/^\/\/\s?|^\/\*+\s?|\s*\*+\/$/g, '').replace(/\n\s*\*?\s?/g, ' ').trim())
        .filter((c) => /^Translators:/i.test(c));
      if (comments.length > 0) return comments;
      if (ts.isStatement(at) || ts.isPropertyAssignment(at)) break;
    }
    return [];
  };
  const visit = (node: TS.Node): void => {
    if (ts.isCallExpression(node)) {
      const callee = node.expression;
      const name = ts.isIdentifier(callee) ? callee.text : ts.isPropertyAccessExpression(callee) ? callee.name.text : undefined;
      const shape = name === undefined ? undefined : CALLS.get(name);
      if (shape) {
        const args = node.arguments;
        const context = shape.context ? literal(args[0]) : undefined;
        const id = literal(args[shape.context ? 1 : 0]);
        const plural = shape.plural ? literal(args[shape.context ? 2 : 1]) : undefined;
        // A call with a variable for its text is a translation at run time of a message marked elsewhere.
        if (id !== undefined && (!shape.context || context !== undefined) && (!shape.plural || plural !== undefined) && id !== '') {
          const line = source.getLineAndCharacterOfPosition(node.getStart(source)).line + firstLine;
          found.push({ message: { ...(context ? { context } : {}), id, ...(plural !== undefined ? { plural } : {}) }, line, comments: translatorComments(node) });
        }
      }
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
}

/** The scripts of an HTML file, each with the line it starts on. */
function scriptsOf(text: string): { text: string; line: number }[] {
  return [...text.matchAll(/<script\b[^>]*>([\s\S]*?)<\/script\s*>/gi)].map((m) => {
    const start = m.index! + m[0].indexOf('>') + 1;
    return { text: m[1]!, line: text.slice(0, start).split('\n').length };
  });
}

/**
 * Every marked message of the checkout at `root`, in the order of first use (file by file, as
 * xgettext lists them), each with where it is used.
 */
export async function extractMessages(root: string, extensions: readonly string[] = ['ts']): Promise<Message[]> {
  const ts = await loadTypeScript(root);
  const files: string[] = [];
  const wanted = new Set(checkExtensions(extensions));
  for (const part of SOURCE_ROOTS) filesUnder(join(root, part), wanted, files);
  const messages = new Map<string, { message: Found['message']; references: string[]; comments: string[]; where: string }>();
  for (const file of files) {
    const text = readFileSync(file, 'utf8');
    const name = relative(root, file).split(sep).join('/');
    const calls = HTML_EXTENSIONS.has(extname(file).slice(1)) ? scriptsOf(text).flatMap((s) => callsIn(ts, `${file}.ts`, s.text, s.line)) : callsIn(ts, file, text);
    for (const call of calls) {
      const key = keyOf(call.message);
      const where = `${name}:${call.line}`;
      const known = messages.get(key);
      if (!known) {
        messages.set(key, { message: call.message, references: [where], comments: [...call.comments], where });
        continue;
      }
      if ((known.message.plural ?? null) !== (call.message.plural ?? null)) {
        throw new CommandError(`${where}: "${call.message.id}" has a different plural here than at ${known.where}; one message, one plural.`);
      }
      if (!known.references.includes(where)) known.references.push(where);
      for (const comment of call.comments) if (!known.comments.includes(comment)) known.comments.push(comment);
    }
  }
  return [...messages.values()].map(({ message, references, comments }) => ({
    ...message,
    ...(comments.length > 0 ? { comments } : {}),
    references,
    ...(hasPlaceholders(message.id) || hasPlaceholders(message.plural ?? '') ? { flags: ['python-format'] } : {}),
  }));
}

/** The TypeScript compiler of the checkout (a dev dependency), by a name the binary's bundler leaves alone. */
async function loadTypeScript(root: string): Promise<typeof TS> {
  const name = 'typescript';
  try {
    const module = (await import(name)) as { default?: typeof TS } & typeof TS;
    return module.default ?? module;
  } catch {
    throw new CommandError(`makemessages needs the TypeScript compiler to read the sources: run npm install in ${root}.`);
  }
}
