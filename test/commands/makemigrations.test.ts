import { describe, expect, test } from 'bun:test';
import { cpSync, existsSync, readdirSync, readFileSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { call } from '../support/cli.ts';
import { tempDir } from '../support/tmp.ts';

const source = join(import.meta.dir, '..', '..', 'db', 'migrations');

describe('makemigrations', () => {
  test('writes the next numbered migration and lists it in the static index', async () => {
    using dir = tempDir();
    cpSync(source, dir.join('db', 'migrations'), { recursive: true });
    const result = await call(['makemigrations', 'add_room_colour'], { cwd: dir.path });
    expect(result).toEqual({
      stdout: [
        "Migrations for 'confctl':",
        '  db/migrations/0008_add_room_colour.ts',
        '    - db/migrations/index.ts: lists 0008_add_room_colour',
        '',
      ].join('\n'),
      stderr: '',
      exitCode: 0,
    });
    const migration = readFileSync(dir.join('db', 'migrations', '0008_add_room_colour.ts'), 'utf8');
    expect(migration).toContain('export async function up(db: Kysely<any>)');
    expect(migration).toContain('export async function down(db: Kysely<any>)');
    const index = readFileSync(dir.join('db', 'migrations', 'index.ts'), 'utf8');
    expect(index).toContain("import * as m0005 from './0005_feed_days_and_tracks.ts';\nimport * as m0006 from './0006_one_stamp_per_transaction.ts';\nimport * as m0007 from './0007_text_in_byte_order.ts';\nimport * as m0008 from './0008_add_room_colour.ts';\n");
    expect(index).toContain("  '0005_feed_days_and_tracks': m0005,\n  '0006_one_stamp_per_transaction': m0006,\n  '0007_text_in_byte_order': m0007,\n  '0008_add_room_colour': m0008,\n  // makemigrations:");
    // The new index still imports and lists both.
    symlinkSync(join(source, '..', '..', 'node_modules'), dir.join('node_modules'));
    const loaded = await import(dir.join('db', 'migrations', 'index.ts'));
    expect(Object.keys(loaded.migrations)).toEqual(['0001_initial', '0002_event_stamps', '0003_event_stamps_by_time', '0004_upstream_fields', '0005_feed_days_and_tracks', '0006_one_stamp_per_transaction', '0007_text_in_byte_order', '0008_add_room_colour']);
    expect(readdirSync(dir.join('db', 'migrations')).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });

  test('--dry-run writes nothing', async () => {
    using dir = tempDir();
    cpSync(source, dir.join('db', 'migrations'), { recursive: true });
    const result = await call(['makemigrations', 'later', '--dry-run'], { cwd: dir.path });
    expect(result.exitCode).toBe(0);
    expect(existsSync(dir.join('db', 'migrations', '0002_later.ts'))).toBe(false);
    expect(readFileSync(dir.join('db', 'migrations', 'index.ts'), 'utf8')).toBe(readFileSync(join(source, 'index.ts'), 'utf8'));
  });

  test('outside a source checkout, or with a bad name, it refuses', async () => {
    using dir = tempDir();
    expect(await call(['makemigrations', 'x'], { cwd: dir.path })).toEqual({
      stdout: '',
      stderr: `CommandError: No migrations index at ${dir.join('db', 'migrations', 'index.ts')}: makemigrations is for development, run it in a confctl source checkout.\n`,
      exitCode: 1,
    });
    cpSync(source, dir.join('db', 'migrations'), { recursive: true });
    expect((await call(['makemigrations', 'Bad-Name'], { cwd: dir.path })).stderr).toBe(
      'CommandError: The migration name "Bad-Name" must be lower-case letters, digits and underscores.\n',
    );
    expect((await call(['makemigrations'], { cwd: dir.path })).stderr).toBe(
      'CommandError: Give the migration a name: confctl makemigrations NAME\n',
    );
  });
});
