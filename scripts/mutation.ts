/**
 * scripts/mutation.ts (`npm run mutation`): mutation testing of the modules that guard safety and
 * data. Each mutant is one small, realistic bug (a flipped comparison, a lost `!`, a condition
 * forced true or false, an emptied string, a removed statement); the module's own tests run against
 * it, scoped to the files (and test names) that cover the module. A mutant is killed when those
 * tests fail or hang. Writes the kill rate per module and every survivor to docs/testing.md.
 *
 *   npm run mutation                         every module below
 *   npm run mutation -- core/export/feeds.ts only these modules (paths as listed below)
 *   npm run mutation -- --max 40             at most 40 mutants a module (a fixed, seeded sample)
 *   npm run mutation -- --dry-run            list the mutants, run nothing
 *   npm run mutation -- FILE --only 137      only the mutants of line 137 (or whose description has the text)
 *
 * StrykerJS was the first choice: its command runner can run scoped tests per mutant, but only one
 * command for the whole run (not a test scope per module), and its TypeScript checker and per-test
 * coverage do not know bun test. This harness does the same in ~250 lines: the TypeScript compiler's
 * AST finds the mutants, and they are written into a sandbox copy of the tree, one at a time.
 * Known-equivalent mutants are listed in EQUIVALENT with the reason, and excluded from the rate.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import ts from 'typescript';

const repo = join(import.meta.dir, '..');

/**
 * A copy of the work tree (tracked and new files, node_modules linked) with ../shared beside it as
 * the tests expect: mutants are written there, never into the tree you are working in.
 */
function sandbox(): { root: string; remove(): void } {
  const parent = mkdtempSync(join(tmpdir(), 'confctl-mutation-'));
  const root = join(parent, 'tree');
  const files = execFileSync('git', ['ls-files', '-co', '--exclude-standard', '-z'], { cwd: repo, encoding: 'utf8' }).split('\0').filter(Boolean);
  for (const file of files) {
    if (!existsSync(join(repo, file))) continue;
    mkdirSync(dirname(join(root, file)), { recursive: true });
    copyFileSync(join(repo, file), join(root, file));
  }
  symlinkSync(join(repo, 'node_modules'), join(root, 'node_modules'));
  if (existsSync(join(repo, '..', 'shared'))) symlinkSync(join(repo, '..', 'shared'), join(parent, 'shared'));
  return { root, remove: () => rmSync(parent, { recursive: true, force: true }) };
}

interface Scope {
  /** Test files that cover the module. */
  tests: string[];
  /** Only the tests whose names match (bun test -t), e.g. to leave out the binary tier. */
  names?: string;
  /** Only mutate inside these top-level functions (the part of the module this scope guards). */
  functions?: string[];
}

/** The modules that guard safety and data, each with the tests that cover it. */
export const MODULES: Record<string, Scope> = {
  'core/export/feeds.ts': { tests: ['test/commands/feeds.test.ts', 'test/commands/feeds-exact.test.ts', 'test/commands/ical.test.ts', 'test/commands/export.test.ts', 'test/commands/import.test.ts', 'test/e2e/timezones.test.ts'], names: '^(?!.*(binary|never missing))' },
  'core/export/markdown.ts': { tests: ['test/core/markdown.test.ts', 'test/commands/export-hostile.test.ts', 'test/commands/export.test.ts'] },
  'core/export/html.ts': { tests: ['test/core/html.test.ts', 'test/core/markdown.test.ts', 'test/commands/export-hostile.test.ts', 'test/commands/export.test.ts'] },
  'core/serve/auth.ts': { tests: ['test/commands/serve.test.ts', 'test/commands/serve-security.test.ts'], names: '^(?!.*(runserver|syncs from confctl))' },
  'core/auth/passwords.ts': { tests: ['test/core/passwords.test.ts', 'test/commands/users.test.ts'] },
  'core/sync/apply.ts': { tests: ['test/commands/sync.test.ts', 'test/commands/import.test.ts'] },
  'core/sync/client.ts': { tests: ['test/core/client.test.ts', 'test/commands/sync.test.ts'] },
  'core/data/load.ts': { tests: ['test/commands/loaddata.test.ts'] },
  'core/data/dump.ts': { tests: ['test/commands/dumpdata.test.ts', 'test/commands/loaddata.test.ts'] },
  'core/common/settings.ts': { tests: ['test/commands/diffsettings.test.ts', 'test/commands/check.test.ts', 'test/e2e/cli.test.ts'] },
  // The CLI boundary: dispatch and error reporting (the stream wiring below it is the binary's, tested there).
  'cli.ts': { tests: ['test/e2e/cli.test.ts', 'test/e2e/commands.test.ts'], functions: ['main', 'dispatch', 'findCommand', 'colorFor', 'report'] },
};

/**
 * `module:line:description` of mutants that cannot change behaviour, with the reason. The line is
 * part of the key: when a module changes, check its entries (`--only LINE` shows a line's mutants).
 */
export const EQUIVALENT: Record<string, string> = {
  // markdown(): the memo of rendered texts changes speed and memory, never the HTML.
  'core/export/markdown.ts:45:condition -> true': 'the memo is skipped: the same HTML is rendered again',
  'core/export/markdown.ts:47:condition -> true': 'the memo is emptied on every miss: rendered again later',
  'core/export/markdown.ts:47:condition -> false': 'the memo is never emptied: only memory grows',
  'core/export/markdown.ts:47:> -> >=': 'the memo is emptied one character earlier',
  'core/export/markdown.ts:48:remove call rendered.clear()': 'the memo is never emptied: only memory grows',
  'core/export/markdown.ts:51:remove call rendered.set()': 'nothing is memorised: rendered again',
  'core/export/markdown.ts:52:+ -> -': 'the memo is emptied later or never: only memory changes',
  'core/export/markdown.ts:21:"h1" -> ""': 'marked h1 is turned into h2 before the allowlist applies: h1 never reaches it',
  'core/export/feeds.ts:59:condition -> false': 'talk.id + 1,000,000 × 0 is talk.id: the first slot gets the same id either way',
  // Sessions and teams: a check that spares a query, and EXISTS subqueries whose select list is never read.
  'core/serve/auth.ts:66:condition -> false': 'a malformed or missing key finds no session in the table either: the check spares the query',
  'core/serve/auth.ts:66:|| -> &&': 'a malformed or missing key finds no session in the table either: the check spares the query',
  'core/serve/auth.ts:90:"t.id" -> ""': 'the select list of an EXISTS subquery is never read',
  'core/serve/auth.ts:110:"l.id" -> ""': 'the select list of an EXISTS subquery is never read',
  'core/serve/auth.ts:107:"t.id" -> ""': 'only whether a row is found is read, not its id',
  // Settings: generality no setting reaches today (a test must come with the first that does).
  'core/common/settings.ts:138:regex /token|password|secret/i -> never matches': 'no setting but pretalx.tokens (masked by its kind) has such a name yet; database.password (PostgreSQL) will, with its test',
  'core/common/settings.ts:172:condition -> false': 'resolving an absolute path against any folder gives the path itself',
  'core/common/settings.ts:254:"-∞" -> ""': 'every setting with a maximum has a minimum',
  'core/common/settings.ts:284:"\"\"" -> ""': 'no secret setting is a single string yet (pretalx.tokens is a table)',
  'cli.ts:72:&& -> ||': 'every Error that reaches here has a stack; a thrown non-Error has none either way (tested)',
  // PretalxClient: checks that slot() repeats, and shapes no answer has.
  'core/sync/client.ts:101:- -> +': 'the pacing loop reads the clock again after every sleep: a wrong sleep length only changes how often it wakes (a delay past 2^31 ms fires at once)',
  'core/sync/client.ts:113:remove call signal?.throwIfAborted()': 'slot() throws the same abort before anything is sent',
  'core/sync/client.ts:253:&& -> ||': 'an array has no numeric count either: the count is read from list objects alone',
  'core/sync/client.ts:222:>= -> >': 'a 400 is excluded by the next comparison either way',
  'core/sync/client.ts:296:"TimeoutError" -> ""': "every timeout here also says it timed out, which the regex beside it reads",
  'core/sync/client.ts:296:|| -> &&': "every timeout here (the deadline's, the runtime's) is a TimeoutError whose message says it timed out",
  // sync apply: lookups whose result is not read by name.
  'core/sync/apply.ts:188:"pretalx_id" -> "" (2nd)': "the where becomes '' IS NOT NULL: local rows without a Pretalx id join the map under null, which no lookup asks for (a missing type is handled before)",
  'core/sync/apply.ts:366:"id" -> ""': 'only whether a row exists is read, not its id',
  'core/sync/apply.ts:83:<= -> <': 'with no existing rows, no row is stale either: the next test returns the same way',
  'core/sync/apply.ts:269:condition -> false': 'the ids map holds Pretalx ids only (never null): asking it for null gives undefined as well',
  'core/sync/apply.ts:272:"pretalx_id" -> ""': "the event's own CfP type (no Pretalx id) is made with the event, before any sync: it has the lowest id as well as first place by Pretalx id",
  'core/sync/apply.ts:288:condition -> false': 'the track map holds Pretalx ids only: asking it for null gives undefined, so null as well',
  'core/sync/apply.ts:352:condition -> false': 'the room map holds Pretalx ids only: asking it for null gives undefined, so null as well',
  'core/sync/apply.ts:402:"id" -> "" (2nd)': 'two released versions of one event are not published at the same instant: the order by publication decides alone',
  'core/export/feeds.ts:141:"en" -> ""': "pick(name, '') falls back to English as pick(name, 'en') does (no name has an empty language key)",
  'core/export/feeds.ts:146:"en" -> ""': "pick(name, '') falls back to English as pick(name, 'en') does (no name has an empty language key)",
  // FixtureLoader: fast paths and batching change speed, never what is stored (the general path does the same).
  'core/data/load.ts:54:condition -> true': "a bare name's folder is '.': joined to each search folder, the same folders",
  'core/data/load.ts:209:", " -> ""': 'a batch statement that fails is written again row by row: a broken one changes speed, not what is stored',
  'core/data/load.ts:484:condition -> true': 'slicing the last MiB of a shorter text keeps all of it',
  'core/data/load.ts:176:condition -> false': 'the insert plan is looked up in the plan map instead of reused from the last object',
  'core/data/load.ts:177:"," -> ""': 'plan keys without separators still differ for these field lists (the model label and names are unique)',
  'core/data/load.ts:233:false -> true': 'false falls to the general path, which stores 0 too',
  'core/data/load.ts:238:"string" -> ""': 'a datetime falls to the general path, which stores the same',
  'core/data/load.ts:239:=== -> !==': 'a datetime falls to the general path, which stores the same',
  'core/data/load.ts:307:condition -> true': 'the pending batch is written earlier: the same rows',
  'core/data/load.ts:311:=== -> !==': 'batches are written at other sizes: the same rows',
  // dumpdata: converters chosen per field are a fast path; without them the general one writes the same.
  'core/data/dump.ts:105:"date" -> ""': 'a date goes through the general converter, which writes it unchanged too',
  'core/data/dump.ts:106:condition -> false': 'a datetime goes through the general converter, which writes the same ISO text',
  'core/data/dump.ts:107:condition -> false': 'a null reaches the general converter, which returns null too',
  'core/data/dump.ts:107:condition -> false (2nd)': 'a datetime goes through the general converter, which writes the same ISO text',
  'core/data/dump.ts:107:=== -> !== (2nd)': 'no stored datetime is other than a string: all go through the general converter, which writes the same text',
  'core/data/dump.ts:115:< -> <=': 'one more field named "undefined" with the value undefined, which JSON leaves out',
  'core/data/dump.ts:118:condition -> false (2nd)': "bun:sqlite reads integers as numbers (no safeIntegers): no bigint arrives here (the branch is for drivers that return them)",
  'core/data/dump.ts:61:> -> >=': 'an empty page of --pks rows writes nothing',
  'core/data/dump.ts:125:condition -> true': 'SQLite compares the integer key with a numeric string by affinity: the same rows',
  'core/data/dump.ts:125:condition -> false': 'SQLite compares the integer key with a numeric string by affinity: the same rows',
  'core/data/dump.ts:145:&& -> ||': '--indent 0 gives no indentation either way',
  // checkPassword(): without the early return a hash of no bytes is computed as '' and compared with the stored (non-empty) text.
  'core/auth/passwords.ts:54:condition -> false': 'a zero-byte hash never equals the non-empty text stored',
};

/** Survivors that stay, with the reason (they count as survivors in the rate). */
export const ACCEPTED: Record<string, string> = {
  'core/auth/passwords.ts:51:> -> >=': 'differs only at exactly 100,000,000 iterations, which takes ~11 s of PBKDF2 to check; 100,000,001 is tested',
};

export interface Mutant {
  module: string;
  start: number;
  end: number;
  replacement: string;
  line: number;
  description: string;
  /** The source line, for the report. */
  code: string;
}

const swaps: Partial<Record<ts.SyntaxKind, string>> = {
  [ts.SyntaxKind.EqualsEqualsEqualsToken]: '!==',
  [ts.SyntaxKind.ExclamationEqualsEqualsToken]: '===',
  [ts.SyntaxKind.EqualsEqualsToken]: '!=',
  [ts.SyntaxKind.ExclamationEqualsToken]: '==',
  [ts.SyntaxKind.LessThanToken]: '<=',
  [ts.SyntaxKind.LessThanEqualsToken]: '<',
  [ts.SyntaxKind.GreaterThanToken]: '>=',
  [ts.SyntaxKind.GreaterThanEqualsToken]: '>',
  [ts.SyntaxKind.AmpersandAmpersandToken]: '||',
  [ts.SyntaxKind.BarBarToken]: '&&',
  [ts.SyntaxKind.PlusToken]: '-',
  [ts.SyntaxKind.MinusToken]: '+',
  [ts.SyntaxKind.AsteriskToken]: '/',
  [ts.SyntaxKind.SlashToken]: '*',
};

function inTypeOrImport(node: ts.Node): boolean {
  for (let n: ts.Node | undefined = node; n; n = n.parent) {
    if (ts.isTypeNode(n) || ts.isImportDeclaration(n) || ts.isExportDeclaration(n) || ts.isInterfaceDeclaration(n) || ts.isTypeAliasDeclaration(n)) return true;
  }
  return false;
}

/** Every mutant of one module, in source order. */
export function mutants(module: string, text = readFileSync(join(repo, module), 'utf8'), functions?: readonly string[]): Mutant[] {
  const source = ts.createSourceFile(module, text, ts.ScriptTarget.Latest, true, ts.ScriptKind.TS);
  const out: Mutant[] = [];
  const ranges = functions?.map((name) => {
    const fn = source.statements.find((st): st is ts.FunctionDeclaration => ts.isFunctionDeclaration(st) && st.name?.text === name);
    if (!fn) throw new Error(`${module} has no function ${name}`);
    return [fn.getStart(source), fn.getEnd()] as const;
  });
  const add = (node: ts.Node | { getStart(): number; getEnd(): number }, replacement: string, description: string, start = node.getStart(source), end = node.getEnd()) => {
    const line = source.getLineAndCharacterOfPosition(start).line;
    out.push({ module, start, end, replacement, line: line + 1, description, code: text.split('\n')[line]!.trim().slice(0, 100) });
  };
  const visit = (node: ts.Node) => {
    if (inTypeOrImport(node)) return;
    if (ranges && !ranges.some(([a, b]) => node.getEnd() > a && node.getStart(source) < b)) return;
    if (ts.isBinaryExpression(node)) {
      const to = swaps[node.operatorToken.kind];
      if (to) add(node.operatorToken, to, `${node.operatorToken.getText(source)} -> ${to}`);
    }
    if (ts.isPrefixUnaryExpression(node) && node.operator === ts.SyntaxKind.ExclamationToken) {
      add(node, node.operand.getText(source), `!x -> x`);
    }
    if (node.kind === ts.SyntaxKind.TrueKeyword) add(node, 'false', 'true -> false');
    if (node.kind === ts.SyntaxKind.FalseKeyword) add(node, 'true', 'false -> true');
    if ((ts.isIfStatement(node) || ts.isConditionalExpression(node)) && !ts.isLiteralExpression(ts.isIfStatement(node) ? node.expression : node.condition)) {
      const condition = ts.isIfStatement(node) ? node.expression : node.condition;
      add(condition, 'true', 'condition -> true');
      add(condition, 'false', 'condition -> false');
    }
    if ((ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node)) && node.text !== '' && !ts.isPropertyAssignment(node.parent) && !ts.isElementAccessExpression(node.parent)) {
      add(node, "''", `"${node.text.slice(0, 30)}" -> ""`);
    }
    if (ts.isRegularExpressionLiteral(node)) {
      // A character class that stops matching what it guarded: the regex no longer matches anything.
      add(node, '/(?!)/', `regex ${node.text.slice(0, 30)} -> never matches`);
    }
    if (ts.isExpressionStatement(node) && ts.isBlock(node.parent) && ts.isCallExpression(node.expression)) {
      add(node, ';', `remove call ${node.expression.expression.getText(source).slice(0, 40)}()`);
    }
    if (ts.isReturnStatement(node) && node.expression && ts.isBlock(node.parent) && node.parent.statements.length > 1 && ts.isIfStatement(node.parent.parent)) {
      add(node, ';', 'remove early return');
    }
    if (ts.isThrowStatement(node)) add(node, ';', 'remove throw');
    ts.forEachChild(node, visit);
  };
  visit(source);
  // Two mutants of one line with one description (a column name used twice) are told apart: "(2nd)".
  const seen = new Map<string, number>();
  for (const m of out) {
    const key = `${m.line}:${m.description}`;
    const n = (seen.get(key) ?? 0) + 1;
    seen.set(key, n);
    if (n > 1) m.description += ` (${n === 2 ? '2nd' : n === 3 ? '3rd' : `${n}th`})`;
  }
  return out;
}

const apply = (text: string, m: Mutant) => text.slice(0, m.start) + m.replacement + text.slice(m.end);

/** A deterministic sample (mulberry32), so that a rerun picks the same mutants. */
function sample<T>(items: T[], max: number, seed = 19): T[] {
  if (items.length <= max) return items;
  let a = seed;
  const random = () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const copy = [...items];
  for (let i = copy.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [copy[i], copy[j]] = [copy[j]!, copy[i]!];
  }
  return copy.slice(0, max).sort((x, y) => (x as Mutant).start - (y as Mutant).start);
}

function runTests(root: string, scope: Scope, timeoutMs: number): { passed: boolean; ms: number; timedOut: boolean } {
  const started = performance.now();
  const args = ['test', ...scope.tests.filter((t) => existsSync(join(root, t))).map((t) => `./${t}`), ...(scope.names ? ['-t', scope.names] : []), '--bail'];
  const result = spawnSync(process.execPath, args, { cwd: root, stdio: 'pipe', timeout: timeoutMs, env: { ...process.env, TZ: 'UTC' } });
  return { passed: result.status === 0, ms: performance.now() - started, timedOut: result.error !== undefined || result.signal !== null };
}

interface ModuleResult {
  module: string;
  total: number;
  tried: number;
  killed: number;
  equivalent: number;
  survivors: Mutant[];
  seconds: number;
}

async function main(argv: string[]) {
  const dryRun = argv.includes('--dry-run');
  const maxAt = argv.indexOf('--max');
  const max = maxAt >= 0 ? Number(argv[maxAt + 1]) : Infinity;
  const onlyAt = argv.indexOf('--only');
  const only = onlyAt >= 0 ? argv[onlyAt + 1]! : null;
  const chosen = argv.filter((a, i) => !a.startsWith('--') && argv[i - 1] !== '--max' && argv[i - 1] !== '--only');
  const modules = chosen.length > 0 ? chosen : Object.keys(MODULES);
  for (const m of modules) if (!MODULES[m]) throw new Error(`No test scope for ${m}; add it to MODULES in scripts/mutation.ts.`);

  const results: ModuleResult[] = [];
  const box = dryRun ? null : sandbox();
  process.once('SIGINT', () => {
    box?.remove();
    process.exit(130);
  });
  try {
    for (const module of modules) {
      const scope = MODULES[module]!;
      // The module as the sandbox holds it, so that code and tests come from the same moment.
      const original = readFileSync(join(box?.root ?? repo, module), 'utf8');
      const all = mutants(module, original, scope.functions);
      const picked = sample(only === null ? all : all.filter((m) => m.description.includes(only) || `${m.line}` === only), max);
      if (dryRun) {
        for (const m of picked) process.stdout.write(`${module}:${m.line} ${m.description}\n`);
        continue;
      }
      const root = box!.root;
      const path = join(root, module);
      const baseline = runTests(root, scope, 600_000);
      if (!baseline.passed) throw new Error(`The tests of ${module} fail without any mutant: fix them first (${scope.tests.join(' ')}).`);
      const timeout = Math.round(Math.max(10_000, baseline.ms * 3));
      const restore = () => writeFileSync(path, original);
      const started = performance.now();
      const result: ModuleResult = { module, total: all.length, tried: picked.length, killed: 0, equivalent: 0, survivors: [], seconds: 0 };
      try {
        for (const [i, m] of picked.entries()) {
          if (EQUIVALENT[`${module}:${m.line}:${m.description}`]) {
            result.equivalent++;
            continue;
          }
          writeFileSync(path, apply(original, m));
          const run = runTests(root, scope, timeout);
          restore();
          if (run.passed) result.survivors.push(m);
          else result.killed++;
          process.stderr.write(`\r${module}: ${i + 1}/${picked.length}, ${result.killed} killed, ${result.survivors.length} survived`);
        }
      } finally {
        restore();
      }
      result.seconds = (performance.now() - started) / 1000;
      process.stderr.write('\n');
      for (const s of result.survivors) process.stdout.write(`survived ${module}:${s.line} ${s.description}\n`);
      results.push(result);
      writeReport([result], argv);
    }
  } finally {
    box?.remove();
  }
  if (!dryRun) printSummary(results);
}

function printSummary(results: ModuleResult[]) {
  for (const r of results) {
    const counted = r.tried - r.equivalent;
    process.stdout.write(`${r.module}: ${r.killed}/${counted} killed (${counted ? ((100 * r.killed) / counted).toFixed(0) : '–'} %)\n`);
  }
}

function writeReport(results: ModuleResult[], argv: string[]) {
  const docs = join(repo, 'docs', 'testing.md');
  let text: string;
  try {
    text = readFileSync(docs, 'utf8');
  } catch {
    text = '# Testing\n';
  }
  for (const r of results) {
    const counted = r.tried - r.equivalent;
    const rate = counted === 0 ? '–' : `${((100 * r.killed) / counted).toFixed(0)} %`;
    const survivors = r.survivors
      .map((s) => {
        const why = ACCEPTED[`${s.module}:${s.line}:${s.description}`];
        return `- line ${s.line}, ${s.description}: \`${s.code.replace(/`/g, "'")}\`${why ? ` (accepted: ${why})` : ''}`;
      })
      .join('\n');
    const section = [
      `<!-- mutation:${r.module} -->`,
      `### ${r.module}`,
      '',
      `${r.killed} of ${counted} mutants killed (**${rate}**; ${r.tried} of ${r.total} mutants tried, ${r.equivalent} known equivalent; ${r.seconds.toFixed(0)} s; \`npm run mutation -- ${r.module}${argv.includes('--max') ? ` --max ${argv[argv.indexOf('--max') + 1]}` : ''}\`, ${new Date().toISOString().slice(0, 10)}).`,
      ...(survivors ? ['', 'Survivors:', survivors] : []),
      `<!-- /mutation:${r.module} -->`,
    ].join('\n');
    const pattern = new RegExp(`<!-- mutation:${r.module.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')} -->[\\s\\S]*?<!-- /mutation:[^>]+ -->`);
    text = pattern.test(text) ? text.replace(pattern, section) : `${text.trimEnd()}\n\n${section}\n`;
  }
  writeFileSync(docs, text.endsWith('\n') ? text : `${text}\n`);
}

if (import.meta.main) await main(process.argv.slice(2));
