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

  test('only db/connection.ts knows the SQLite driver', () => {
    expect(offending(app, /bun:sqlite|kysely-bun-sqlite/)).toEqual(['db/connection.ts']);
  });

  test('migrations import nothing from the app', () => {
    const migrations = sources('db/migrations').filter((f) => !f.endsWith('index.ts'));
    expect(offending(migrations, /from '\.\.?\//)).toEqual([]);
  });
});
