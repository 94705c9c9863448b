import { describe, expect, test } from 'bun:test';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const root = join(import.meta.dir, '..', '..');
const sources = (dir: string): string[] =>
  readdirSync(join(root, dir), { recursive: true, encoding: 'utf8' })
    .filter((f) => f.endsWith('.ts'))
    .map((f) => join(dir, f));
const offending = (files: string[], pattern: RegExp) =>
  files.filter((f) => pattern.test(readFileSync(join(root, f), 'utf8').replace(/^\s*(\/\/|\*).*$/gm, '')));

describe('house rules (DEVELOPERS.md)', () => {
  const app = [...sources('commands'), ...sources('core'), ...sources('db')];

  test('no console and no process.exit outside cli.ts', () => {
    expect(offending(app, /\bconsole\.|process\.exit/)).toEqual([]);
  });

  test('core/ never touches citty or process', () => {
    expect(offending(sources('core'), /from 'citty'|\bprocess\./)).toEqual([]);
  });

  test('the domain (core/) and db/ never import a command or the command kit (commands/_kit/)', () => {
    expect(offending([...sources('core'), ...sources('db')], /from '[^']*\/commands\/|import\('[^']*\/commands\//)).toEqual([]);
  });

  test('the command kit imports no command (the registry, commands/index.ts, is how help lists them)', () => {
    expect(offending(sources('commands/_kit'), /from '\.\.\/(?!index\.ts)[a-z_]+\.ts'|import\('\.\.\/(?!index\.ts)[a-z_]+\.ts'\)/)).toEqual([]);
  });

  test('core/ has no loose files: each of its modules lives in the folder that names its job', () => {
    const loose = readdirSync(join(root, 'core'), { withFileTypes: true }).filter((e) => e.isFile()).map((e) => e.name);
    expect(loose).toEqual([]);
  });

  test('only platform/ names a runtime or its modules (Bun, Deno, bun:*, node:sqlite, $bunfs); only db/connection.ts opens a database or loads a driver', () => {
    const everything = ['cli.ts', ...app];
    expect(offending(everything, /\bBun\b|\bDeno\b|['"]bun:|node:sqlite|kysely-bun-sqlite|\$bunfs|import\.meta\.(path|dir|dirname|filename)\b/)).toEqual([]);
    expect(offending(everything, /\bopenSqlite\(/)).toEqual(['db/connection.ts']);
    expect(offending(everything, /from 'pg'|import\('pg'\)|from 'postgres'|import\('postgres'\)/)).toEqual(['db/connection.ts']);
  });

  test('the repository root holds the project, no stray outputs (dump.json, x.json…)', () => {
    const tracked = Bun.spawnSync(['git', 'ls-files'], { cwd: root }).stdout.toString().split('\n').filter(Boolean);
    const top = [...new Set(tracked.map((f) => f.split('/')[0]!))].sort();
    expect(top).toEqual(['.ci', '.gitignore', 'AGENTS.md', 'README.md', 'bench', 'bunfig.toml', 'cli.ts', 'commands', 'core', 'db', 'deno.json', 'docs', 'locale', 'package-lock.json', 'package.json', 'platform', 'scripts', 'test', 'tsconfig.json']);
  });

  test('migrations import nothing from the app', () => {
    const migrations = sources('db/migrations').filter((f) => !f.endsWith('index.ts'));
    expect(offending(migrations, /from '\.\.?\//)).toEqual([]);
  });
});

describe('the test runner', () => {
  // A test that starts a server, a browser or a PostgreSQL cluster may pass bun's 5 s default on a busy
  // machine: npm test gives every test a minute (bun test --timeout 60000; bunfig.toml's key is ignored).
  test('a test may take longer than 5 seconds', async () => {
    await Bun.sleep(5_200);
  });
});
