import { describe, expect, test } from 'bun:test';
import { Database as Sqlite } from 'bun:sqlite';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Database, TableName } from '../../db/schema.ts';
import { call } from '../support/cli.ts';
import { migratedDatabase, query, schemaDump } from '../support/db.ts';
import { queries } from '../../db/connection.ts';
import { BACKENDS, newSite, type Site } from '../support/site.ts';
import { tempDir } from '../support/tmp.ts';

/**
 * Every column of every table, typed against the Database interface: a column missing here or in
 * the interface is a type error, and the test compares the list with what SQLite has.
 */
const columns: { [T in TableName]: Record<keyof Database[T], true> } = {
  common_cacheentry: { cache_key: true, value: true, expires: true },
  common_session: { session_key: true, session_data: true, expire_date: true, user_id: true },
  event_event: { id: true, name: true, slug: true, organiser_id: true, is_public: true, date_from: true, date_to: true, timezone: true, email: true, custom_domain: true, feature_flags: true, display_settings: true, review_settings: true, mail_settings: true, primary_color: true, custom_css: true, logo: true, header_image: true, og_image: true, locale: true, locales: true, content_locales: true, landing_page_text: true, featured_sessions_text: true, plugins: true, pretalx_base_url: true, pretalx_event_slug: true, pretalx_sync_interval: true, created: true, updated: true },
  event_organiser: { id: true, name: true, slug: true },
  event_team: { id: true, organiser_id: true, name: true, all_events: true, can_create_events: true, can_change_teams: true, can_change_organiser_settings: true, can_change_event_settings: true, can_change_submissions: true, is_reviewer: true, force_hide_speaker_names: true },
  event_team_limit_events: { id: true, team_id: true, event_id: true },
  event_team_limit_tracks: { id: true, team_id: true, track_id: true },
  event_team_members: { id: true, team_id: true, user_id: true },
  person_speakerprofile: { id: true, event_id: true, user_id: true, name: true, code: true, email: true, locale: true, biography: true, avatar_url: true, has_arrived: true, internal_notes: true, profile_picture: true, created: true, updated: true, upstream: true },
  person_user: { id: true, password: true, last_login: true, is_superuser: true, email: true, code: true, nick: true, name: true, email_verification_state: true, pending_email: true, is_active: true, is_staff: true, is_administrator: true, locale: true, timezone: true, profile_picture: true, pw_reset_token: true, pw_reset_time: true },
  schedule_availability: { id: true, event_id: true, person_id: true, room_id: true, start: true, end: true },
  schedule_room: { id: true, event_id: true, name: true, guid: true, description: true, speaker_info: true, capacity: true, position: true, hidden: true, pretalx_id: true, upstream: true },
  schedule_schedule: { id: true, event_id: true, version: true, published: true, comment: true, upstream: true },
  schedule_talkslot: { id: true, submission_id: true, room_id: true, schedule_id: true, is_visible: true, slot_type: true, start: true, end: true, description: true, upstream: true },
  submission_cfp: { id: true, event_id: true, headline: true, text: true, deadline: true, default_type_id: true },
  submission_review: { id: true, submission_id: true, user_id: true, score: true, text: true, created: true, updated: true },
  submission_speakerrole: { id: true, submission_id: true, speaker_id: true, position: true },
  submission_submission: { id: true, event_id: true, code: true, title: true, submission_type_id: true, track_id: true, state: true, pending_state: true, abstract: true, description: true, notes: true, internal_notes: true, duration: true, slot_count: true, content_locale: true, is_featured: true, do_not_record: true, image: true, review_code: true, anonymised_data: true, created: true, updated: true },
  submission_submission_tags: { id: true, submission_id: true, tag_id: true },
  submission_submissiontype: { id: true, event_id: true, name: true, default_duration: true, deadline: true, requires_access_code: true, attendee_signup_required: true, pretalx_id: true },
  submission_tag: { id: true, event_id: true, tag: true, description: true, color: true, is_public: true, pretalx_id: true },
  submission_track: { id: true, event_id: true, name: true, description: true, color: true, position: true, requires_access_code: true, attendee_signup_required: true, pretalx_id: true, upstream: true },
  confctl_eventstamp: { event_id: true, stamp: true },
};

const expectedSchema = readFileSync(join(import.meta.dir, 'schema.sql'), 'utf8');

describe('migrations', () => {
  test('the migrations create exactly the recorded schema (migrations are frozen history)', async () => {
    using dir = tempDir();
    const path = await migratedDatabase(dir.path);
    expect(schemaDump(path)).toBe(expectedSchema);
  });

  test('the Database interface names every table and column the SQL has, and no others', async () => {
    using dir = tempDir();
    const path = await migratedDatabase(dir.path);
    const tables = query<{ name: string }>(
      path,
      "SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name NOT LIKE 'confctl_migration%' ORDER BY name",
    ).map((r) => r.name);
    expect(tables).toEqual(Object.keys(columns).sort());
    for (const table of tables) {
      const actual = query<{ name: string }>(path, `PRAGMA table_info(${table})`).map((c) => c.name);
      expect({ table, columns: actual }).toEqual({ table, columns: Object.keys(columns[table as TableName]) });
    }
  });

  test('down to zero leaves only the history tables; up again gives the same schema', async () => {
    using dir = tempDir();
    const path = await migratedDatabase(dir.path);
    expect((await call(['migrate', 'zero', '-v', '0'], { cwd: dir.path })).exitCode).toBe(0);
    const left = query<{ name: string }>(path, "SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name");
    expect(left.map((r) => r.name)).toEqual(['confctl_migration', 'confctl_migration_lock']);
    expect((await call(['migrate', '-v', '0'], { cwd: dir.path })).exitCode).toBe(0);
    expect(schemaDump(path)).toBe(expectedSchema);
  });

  test('the real sqlite3 CLI reads the database: WAL journal, integrity ok, no broken keys', async () => {
    using dir = tempDir();
    const path = await migratedDatabase(dir.path);
    const result = Bun.spawnSync(['sqlite3', path, 'PRAGMA journal_mode; PRAGMA integrity_check; PRAGMA foreign_key_check;']);
    expect(result.exitCode).toBe(0);
    expect(result.stdout.toString()).toBe('wal\nok\n');
  });
});

for (const backend of BACKENDS) describe(`constraints users rely on (${backend})`, () => {
  const now = '2026-05-01 09:00:00';
  const withDb = async (fn: (site: Site) => Promise<void>) => {
    await using site = await newSite(backend);
    await site.migrated();
    await fn(site);
  };
  const event = async (site: Site, slug: string) => {
    await site.run('INSERT INTO event_event (name, slug, date_from, date_to, created, updated) VALUES (?, ?, ?, ?, ?, ?)', '{"en": "DemoCon"}', slug, '2026-03-10', '2026-03-12', now, now);
    return (await site.query<{ id: number }>('SELECT id FROM event_event WHERE slug = ?', slug))[0]!;
  };

  test('event slugs are unique regardless of case', () =>
    withDb(async (site) => {
      await event(site, 'democon');
      await expect(event(site, 'DemoCon')).rejects.toThrow(/UNIQUE constraint failed: event_event.slug/);
    }));

  test('an event ends on or after its first day', () =>
    withDb(async (site) => {
      await expect(site.run('INSERT INTO event_event (name, slug, date_from, date_to, created, updated) VALUES (?, ?, ?, ?, ?, ?)', '{"en": "X"}', 'x', '2026-03-12', '2026-03-10', now, now)).rejects.toThrow(
        /CHECK constraint failed: event_event_dates/,
      );
    }));

  test('localised text must be JSON', () =>
    withDb(async (site) => {
      await event(site, 'ok');
      await expect(site.run('INSERT INTO event_event (name, slug, date_from, date_to, created, updated) VALUES (?, ?, ?, ?, ?, ?)', 'DemoCon', 'bad', '2026-03-10', '2026-03-12', now, now)).rejects.toThrow(/CHECK constraint failed/);
    }));

  test('one work-in-progress schedule per event, versions unique per event', () =>
    withDb(async (site) => {
      const { id } = await event(site, 'democon');
      await site.run('INSERT INTO schedule_schedule (event_id, version) VALUES (?, NULL)', id);
      await expect(site.run('INSERT INTO schedule_schedule (event_id, version) VALUES (?, NULL)', id)).rejects.toThrow(/UNIQUE/);
      await site.run("INSERT INTO schedule_schedule (event_id, version) VALUES (?, 'v1.0')", id);
      await expect(site.run("INSERT INTO schedule_schedule (event_id, version) VALUES (?, 'v1.0')", id)).rejects.toThrow(/UNIQUE/);
    }));

  test('speaker codes are unique per event, not across events', () =>
    withDb(async (site) => {
      const a = (await event(site, 'a')).id;
      const b = (await event(site, 'b')).id;
      const speaker = 'INSERT INTO person_speakerprofile (event_id, name, code, created, updated) VALUES (?, ?, ?, ?, ?)';
      await site.run(speaker, a, 'Ada', 'MNMGGN', now, now);
      await site.run(speaker, b, 'Ada', 'MNMGGN', now, now);
      await expect(site.run(speaker, a, 'Other', 'MNMGGN', now, now)).rejects.toThrow(/UNIQUE constraint failed/);
    }));

  test('foreign keys are enforced, and deleting an event removes what belongs to it', () =>
    withDb(async (site) => {
      // Through confctl's own connection (SQLite enforces foreign keys only where a connection asks).
      const db = await site.open();
      try {
        const q = queries(db);
        // Each database's words: SQLite's "FOREIGN KEY constraint failed", PostgreSQL's "violates foreign key constraint".
        await expect(q.run('INSERT INTO schedule_room (event_id, name) VALUES (999, \'{"en":"R"}\')')).rejects.toThrow(/FOREIGN KEY constraint failed|violates foreign key constraint "schedule_room_event_id_fkey"/);
        const { id } = await event(site, 'democon');
        await q.run('INSERT INTO schedule_room (event_id, name) VALUES (?, \'{"en":"R"}\')', id);
        await q.run('DELETE FROM event_event WHERE id = ?', id);
        expect(await q.all('SELECT count(*) AS n FROM schedule_room')).toEqual([{ n: 0 }]);
      } finally {
        await db.destroy();
      }
    }));
});

describe('event stamps (0002_event_stamps, 0003_event_stamps_by_time)', () => {
  test("every insert, update and delete of a row an event's pages show bumps that event's stamp, and no other's", async () => {
    using dir = tempDir();
    const path = await migratedDatabase(dir.path);
    const db = new Sqlite(path);
    try {
      db.run("INSERT INTO event_organiser (name, slug) VALUES ('{\"en\": \"O\"}', 'o')");
      const event = (slug: string) =>
        Number(db.run("INSERT INTO event_event (name, slug, organiser_id, date_from, date_to, created, updated) VALUES ('{\"en\": \"E\"}', ?, 1, '2026-06-01', '2026-06-02', '2026-05-01 09:00:00', '2026-05-01 09:00:00')", [slug]).lastInsertRowid);
      const a = event('a');
      const b = event('b');
      const stamps = () => Object.fromEntries(db.query('SELECT event_id, stamp FROM confctl_eventstamp').values().map(([id, stamp]) => [String(id), Number(stamp)]));
      // Which events' stamps a write changed (a stamp only grows).
      const bumps = (write: () => void) => {
        const before = stamps();
        write();
        const after = stamps();
        return { a: after[a]! > before[a]!, b: after[b]! > before[b]! };
      };
      const one = { a: true, b: false };
      const atLeastOne = (change: { a: boolean; b: boolean }) => change;
      // Each table, written for event a.
      const id = (sql: string, ...params: (string | number)[]) => Number(db.run(sql, params).lastInsertRowid);
      let n = 0;
      const tables: Record<string, { insert: () => number; update: (row: number) => void; table: string }> = {};
      const add = (table: string, insert: () => number, column: string, value: string | number) =>
        (tables[table] = { table, insert, update: (row) => void db.run(`UPDATE ${table} SET ${column} = ? WHERE rowid = ?`, [value, row]) });
      add('schedule_room', () => id(`INSERT INTO schedule_room (event_id, name) VALUES (?, '{"en": "R"}')`, a), 'name', '{"en": "R2"}');
      add('submission_track', () => id(`INSERT INTO submission_track (event_id, name, color) VALUES (?, '{"en": "T"}', '#000000')`, a), 'color', '#111111');
      add('submission_submissiontype', () => id(`INSERT INTO submission_submissiontype (event_id, name) VALUES (?, '{"en": "Talk"}')`, a), 'default_duration', 45);
      add('submission_tag', () => id(`INSERT INTO submission_tag (event_id, tag, color) VALUES (?, ?, '#000000')`, a, `t${n++}`), 'tag', 'u');
      add('schedule_schedule', () => id(`INSERT INTO schedule_schedule (event_id, version, published) VALUES (?, ?, '2026-05-01 09:00:00')`, a, `v${n++}`), 'comment', '{"en": "c"}');
      add('person_speakerprofile', () => id(`INSERT INTO person_speakerprofile (event_id, code, name, created, updated) VALUES (?, ?, 'S', '2026-05-01', '2026-05-01')`, a, `SPK${n++}`), 'name', 'S2');
      const type = tables.submission_submissiontype!.insert();
      add('submission_submission', () => id(`INSERT INTO submission_submission (event_id, code, title, submission_type_id, state, created, updated) VALUES (?, ?, 'T', ?, 'confirmed', '2026-05-01', '2026-05-01')`, a, `TALK${n++}`, type), 'title', 'T2');
      const schedule = tables.schedule_schedule!.insert();
      const talk = tables.submission_submission!.insert();
      const speaker = tables.person_speakerprofile!.insert();
      const tag = tables.submission_tag!.insert();
      add('schedule_talkslot', () => id('INSERT INTO schedule_talkslot (submission_id, schedule_id, is_visible) VALUES (?, ?, 1)', talk, schedule), 'start', '2026-06-01 10:00:00');
      add('submission_speakerrole', () => id('INSERT INTO submission_speakerrole (submission_id, speaker_id, position) VALUES (?, ?, 0)', talk, speaker), 'position', 1);
      add('submission_submission_tags', () => id('INSERT INTO submission_submission_tags (submission_id, tag_id) VALUES (?, ?)', talk, tag), 'tag_id', tag);
      for (const { table, insert, update } of Object.values(tables)) {
        let row = 0;
        expect({ table, insert: bumps(() => (row = insert())) }).toEqual({ table, insert: one });
        expect({ table, update: bumps(() => update(row)) }).toEqual({ table, update: one });
        expect({ table, delete: atLeastOne(bumps(() => db.run(`DELETE FROM ${table} WHERE rowid = ?`, [row]))) }).toEqual({ table, delete: one });
      }
      // The event's own row, and a row moved from one event to the other (both change).
      expect(bumps(() => db.run("UPDATE event_event SET is_public = 1 WHERE id = ?", [a]))).toEqual(one);
      const room = tables.schedule_room!.insert();
      expect(bumps(() => db.run('UPDATE schedule_room SET event_id = ? WHERE id = ?', [b, room]))).toEqual({ a: true, b: true });
      // A stamp is never given twice (0003): after an older copy is restored (its stamps go back),
      // the next change gives a stamp above every one seen before; a missing stamp row comes back.
      // (Stamps come from the clock: the change comes a few milliseconds after the one seen.)
      const seen = stamps()[a]!;
      db.run('UPDATE confctl_eventstamp SET stamp = 5 WHERE event_id = ?', [a]);
      Bun.sleepSync(2);
      db.run("UPDATE event_event SET is_public = 0 WHERE id = ?", [a]);
      expect(stamps()[a]).toBeGreaterThan(seen);
      const again = stamps()[a]!;
      db.run('DELETE FROM confctl_eventstamp WHERE event_id = ?', [a]);
      Bun.sleepSync(2);
      db.run("UPDATE event_event SET is_public = 1 WHERE id = ?", [a]);
      expect(stamps()[a]).toBeGreaterThan(again);
      // Deleting an event keeps its stamp, bumped: a later event with the same id starts above it.
      const before = stamps()[b]!;
      db.run('DELETE FROM event_event WHERE id = ?', [b]);
      expect(stamps()[b]).toBeGreaterThan(before);
    } finally {
      db.close();
    }
  });

  test("the triggers cover every table that an event's pages (core/export) and its API answers (core/serve/api) read", async () => {
    using dir = tempDir();
    const path = await migratedDatabase(dir.path);
    const read = new Set(
      ['core/export/data.ts', 'core/serve/api.ts'].flatMap((file) => [...readFileSync(join(import.meta.dir, '..', '..', file), 'utf8').matchAll(/selectFrom\('([a-z_]+)/g)].map((m) => m[1]!)),
    );
    const covered = new Set(query<{ tbl_name: string }>(path, "SELECT DISTINCT tbl_name FROM sqlite_schema WHERE type = 'trigger' AND name LIKE 'confctl_stamp_%'").map((r) => r.tbl_name));
    expect([...read].filter((table) => !covered.has(table)).sort()).toEqual([]);
    expect(read.size).toBeGreaterThan(8);
  });
});
