import { PostgresAdapter, sql, type CreateTableBuilder, type Kysely } from 'kysely';

/** Whether the migration runs on PostgreSQL (else SQLite). */
const onPostgres = (db: Kysely<any>) => db.getExecutor().adapter instanceof PostgresAdapter;

/**
 * The whole domain schema, named as pretalx's apps and models are (`<app>_<model>`, foreign keys
 * `<field>_id`, many-to-many tables `<table>_<field>`) with Django's SQLite column types, so that a
 * Django project with unmanaged models reads the same database. Frozen history: never edit.
 *
 * Conventions: datetimes are UTC text `YYYY-MM-DD HH:MM:SS[.ffffff]` (Django's SQLite format), dates
 * `YYYY-MM-DD`, booleans 0/1, localised text a JSON map of locale to text (`{"en": "…"}`).
 *
 * On PostgreSQL the same statements run with Django's PostgreSQL types (db/postgres-schema.ts:
 * serial keys, timestamp with time zone, booleans, deferred foreign keys); what is written in
 * SQLite's own words here has a PostgreSQL branch: the JSON check (a json_valid function, which
 * SQLite has built in) and the case-insensitive unique indexes (on lower(column)).
 */
export const description = 'Create the domain schema: users, organisers, teams, events, submissions, speakers, reviews, rooms, schedules, slots, availabilities, sessions, cache';

type Table = CreateTableBuilder<string, any>;

const id = (t: Table) => t.addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement().notNull());
const flag = (t: Table, name: string, on = false) =>
  t.addColumn(name, 'boolean', (c) => c.notNull().defaultTo(on ? 1 : 0));
const flags = (t: Table, names: string[]) => names.reduce((acc, name) => flag(acc, name), t);
/** Localised text or other JSON; Django's JSONField check. */
const json = (t: Table, name: string, required: boolean, fallback?: string) =>
  t.addColumn(name, 'text', (c) => {
    let col = c.check(sql`(json_valid(${sql.ref(name)}) OR ${sql.ref(name)} IS NULL)`);
    if (required) col = col.notNull();
    if (fallback !== undefined) col = col.defaultTo(fallback);
    return col;
  });
const timestamps = (t: Table) =>
  t.addColumn('created', 'datetime', (c) => c.notNull()).addColumn('updated', 'datetime', (c) => c.notNull());
const eventFk = (t: Table) =>
  t.addColumn('event_id', 'integer', (c) => c.notNull().references('event_event.id').onDelete('cascade'));
/** The id an object has on the Pretalx instance it is synced from; NULL for local objects. */
const pretalxId = (t: Table) => t.addColumn('pretalx_id', 'integer');

export async function up(db: Kysely<any>): Promise<void> {
  const s = db.schema;
  const index = (name: string, table: string, columns: string[]) =>
    s.createIndex(name).on(table).columns(columns).execute();
  const unique = (name: string, table: string, columns: string[]) =>
    s.createIndex(name).on(table).columns(columns).unique().execute();
  const postgres = onPostgres(db);
  const uniqueNocase = (name: string, table: string, column: string) =>
    postgres
      ? sql`CREATE UNIQUE INDEX ${sql.id(name)} ON ${sql.id(table)} (lower(${sql.id(column)}))`.execute(db)
      : sql`CREATE UNIQUE INDEX ${sql.id(name)} ON ${sql.id(table)} (${sql.id(column)} COLLATE NOCASE)`.execute(db);
  // SQLite's json_valid, for the JSON checks: true for any JSON text, false for anything else.
  if (postgres) {
    await sql`CREATE FUNCTION json_valid(value text) RETURNS boolean LANGUAGE plpgsql IMMUTABLE STRICT AS $$ BEGIN PERFORM value::json; RETURN true; EXCEPTION WHEN others THEN RETURN false; END $$`.execute(db);
  }

  // person.User — login is the e-mail address, unique regardless of case.
  let user: Table = id(s.createTable('person_user'))
    .addColumn('password', 'varchar(128)', (c) => c.notNull())
    .addColumn('last_login', 'datetime');
  user = flags(user, ['is_superuser'])
    .addColumn('email', 'varchar(254)', (c) => c.notNull())
    .addColumn('code', 'varchar(16)', (c) => c.notNull().unique())
    .addColumn('nick', 'varchar(60)')
    .addColumn('name', 'varchar(120)', (c) => c.notNull())
    .addColumn('email_verification_state', 'varchar(16)', (c) => c.notNull().defaultTo('unverified'))
    .addColumn('pending_email', 'varchar(254)');
  user = flag(user, 'is_active', true);
  await flags(user, ['is_staff', 'is_administrator'])
    .addColumn('locale', 'varchar(32)', (c) => c.notNull().defaultTo('en'))
    .addColumn('timezone', 'varchar(32)', (c) => c.notNull().defaultTo('UTC'))
    .addColumn('profile_picture', 'varchar(255)')
    .addColumn('pw_reset_token', 'varchar(160)')
    .addColumn('pw_reset_time', 'datetime')
    .execute();
  await uniqueNocase('person_user_email_uniq', 'person_user', 'email');

  // event.Organiser
  await json(id(s.createTable('event_organiser')), 'name', true)
    .addColumn('slug', 'varchar(50)', (c) => c.notNull())
    .execute();
  await uniqueNocase('event_organiser_slug_uniq', 'event_organiser', 'slug');

  // event.Event (+ where sync_pretalx mirrors it from; API tokens never live in the database)
  let event: Table = json(id(s.createTable('event_event')), 'name', true)
    .addColumn('slug', 'varchar(50)', (c) => c.notNull())
    .addColumn('organiser_id', 'integer', (c) => c.references('event_organiser.id').onDelete('set null'));
  event = flags(event, ['is_public'])
    .addColumn('date_from', 'date', (c) => c.notNull())
    .addColumn('date_to', 'date', (c) => c.notNull())
    .addColumn('timezone', 'varchar(32)', (c) => c.notNull().defaultTo('UTC'))
    .addColumn('email', 'varchar(254)')
    .addColumn('custom_domain', 'varchar(200)');
  for (const name of ['feature_flags', 'display_settings', 'review_settings', 'mail_settings']) {
    event = json(event, name, true, '{}');
  }
  event = event
    .addColumn('primary_color', 'varchar(7)')
    .addColumn('custom_css', 'text')
    .addColumn('logo', 'varchar(255)')
    .addColumn('header_image', 'varchar(255)')
    .addColumn('og_image', 'varchar(255)')
    .addColumn('locale', 'varchar(32)', (c) => c.notNull().defaultTo('en'));
  event = json(json(event, 'locales', true, '["en"]'), 'content_locales', true, '["en"]');
  event = json(json(event, 'landing_page_text', false), 'featured_sessions_text', false)
    .addColumn('plugins', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('pretalx_base_url', 'varchar(200)')
    .addColumn('pretalx_event_slug', 'varchar(200)')
    .addColumn('pretalx_sync_interval', 'integer', (c) => c.check(sql`pretalx_sync_interval > 0`));
  await timestamps(event)
    .addCheckConstraint('event_event_dates', sql`date_from <= date_to`)
    .execute();
  await uniqueNocase('event_event_slug_uniq', 'event_event', 'slug');
  await index('event_event_organiser_id', 'event_event', ['organiser_id']);

  // event.Team (+ members, limit_events, limit_tracks below)
  const team = id(s.createTable('event_team'))
    .addColumn('organiser_id', 'integer', (c) => c.notNull().references('event_organiser.id').onDelete('cascade'))
    .addColumn('name', 'varchar(190)', (c) => c.notNull());
  await flags(team, [
    'all_events',
    'can_create_events',
    'can_change_teams',
    'can_change_organiser_settings',
    'can_change_event_settings',
    'can_change_submissions',
    'is_reviewer',
    'force_hide_speaker_names',
  ]).execute();
  await index('event_team_organiser_id', 'event_team', ['organiser_id']);
  const m2m = async (table: string, left: [string, string], right: [string, string]) => {
    await id(s.createTable(table))
      .addColumn(left[0], 'integer', (c) => c.notNull().references(`${left[1]}.id`).onDelete('cascade'))
      .addColumn(right[0], 'integer', (c) => c.notNull().references(`${right[1]}.id`).onDelete('cascade'))
      .execute();
    await unique(`${table}_uniq`, table, [left[0], right[0]]);
    await index(`${table}_${right[0]}`, table, [right[0]]);
  };
  await m2m('event_team_members', ['team_id', 'event_team'], ['user_id', 'person_user']);
  await m2m('event_team_limit_events', ['team_id', 'event_team'], ['event_id', 'event_event']);

  // submission.SubmissionType, submission.Track, submission.Tag, submission.CfP
  const type = json(eventFk(id(s.createTable('submission_submissiontype'))), 'name', true)
    .addColumn('default_duration', 'integer', (c) => c.notNull().defaultTo(30).check(sql`default_duration >= 0`))
    .addColumn('deadline', 'datetime');
  await pretalxId(flags(type, ['requires_access_code', 'attendee_signup_required'])).execute();
  await unique('submission_submissiontype_pretalx_uniq', 'submission_submissiontype', ['event_id', 'pretalx_id']);

  const track = json(json(eventFk(id(s.createTable('submission_track'))), 'name', true), 'description', false)
    .addColumn('color', 'varchar(7)', (c) => c.notNull().defaultTo('#000000'))
    .addColumn('position', 'integer');
  await pretalxId(flags(track, ['requires_access_code', 'attendee_signup_required'])).execute();
  await unique('submission_track_pretalx_uniq', 'submission_track', ['event_id', 'pretalx_id']);
  await m2m('event_team_limit_tracks', ['team_id', 'event_team'], ['track_id', 'submission_track']);

  let tag: Table = eventFk(id(s.createTable('submission_tag'))).addColumn('tag', 'varchar(50)', (c) => c.notNull());
  tag = json(tag, 'description', false).addColumn('color', 'varchar(7)', (c) => c.notNull().defaultTo('#000000'));
  await pretalxId(flags(tag, ['is_public'])).execute();
  await unique('submission_tag_pretalx_uniq', 'submission_tag', ['event_id', 'pretalx_id']);

  const cfp = id(s.createTable('submission_cfp')).addColumn('event_id', 'integer', (c) =>
    c.notNull().unique().references('event_event.id').onDelete('cascade'),
  );
  await json(json(cfp, 'headline', false), 'text', false)
    .addColumn('deadline', 'datetime')
    .addColumn('default_type_id', 'integer', (c) => c.references('submission_submissiontype.id').onDelete('set null'))
    .execute();

  // person.SpeakerProfile — per event; the code is unique within its event.
  let profile: Table = eventFk(id(s.createTable('person_speakerprofile')))
    .addColumn('user_id', 'integer', (c) => c.references('person_user.id').onDelete('set null'))
    .addColumn('name', 'varchar(120)', (c) => c.notNull())
    .addColumn('code', 'varchar(16)', (c) => c.notNull())
    .addColumn('email', 'varchar(254)')
    .addColumn('locale', 'varchar(32)')
    .addColumn('biography', 'text')
    .addColumn('avatar_url', 'varchar(500)');
  profile = flags(profile, ['has_arrived'])
    .addColumn('internal_notes', 'text')
    .addColumn('profile_picture', 'varchar(255)');
  await timestamps(profile).execute();
  await unique('person_speakerprofile_code_uniq', 'person_speakerprofile', ['event_id', 'code']);
  await index('person_speakerprofile_user_id', 'person_speakerprofile', ['user_id']);

  // submission.Submission (+ tags, speaker roles) — the code is unique within its event, because
  // events mirrored from different Pretalx instances may carry the same code.
  let submission: Table = eventFk(id(s.createTable('submission_submission')))
    .addColumn('code', 'varchar(16)', (c) => c.notNull())
    .addColumn('title', 'varchar(1000)', (c) => c.notNull())
    .addColumn('submission_type_id', 'integer', (c) =>
      c.notNull().references('submission_submissiontype.id').onDelete('restrict'),
    )
    .addColumn('track_id', 'integer', (c) => c.references('submission_track.id').onDelete('set null'))
    .addColumn('state', 'varchar(32)', (c) => c.notNull().defaultTo('submitted'))
    .addColumn('pending_state', 'varchar(32)')
    .addColumn('abstract', 'text')
    .addColumn('description', 'text')
    .addColumn('notes', 'text')
    .addColumn('internal_notes', 'text')
    .addColumn('duration', 'integer', (c) => c.check(sql`duration >= 0`))
    .addColumn('slot_count', 'integer', (c) => c.notNull().defaultTo(1).check(sql`slot_count >= 1`))
    .addColumn('content_locale', 'varchar(32)', (c) => c.notNull().defaultTo('en'));
  submission = flags(submission, ['is_featured', 'do_not_record'])
    .addColumn('image', 'varchar(255)')
    .addColumn('review_code', 'varchar(32)');
  await timestamps(json(submission, 'anonymised_data', false)).execute();
  await unique('submission_submission_code_uniq', 'submission_submission', ['event_id', 'code']);
  await index('submission_submission_submission_type_id', 'submission_submission', ['submission_type_id']);
  await index('submission_submission_track_id', 'submission_submission', ['track_id']);
  await index('submission_submission_state', 'submission_submission', ['event_id', 'state']);
  await m2m('submission_submission_tags', ['submission_id', 'submission_submission'], ['tag_id', 'submission_tag']);

  await id(s.createTable('submission_speakerrole'))
    .addColumn('submission_id', 'integer', (c) =>
      c.notNull().references('submission_submission.id').onDelete('cascade'),
    )
    .addColumn('speaker_id', 'integer', (c) => c.notNull().references('person_speakerprofile.id').onDelete('cascade'))
    .addColumn('position', 'integer', (c) => c.notNull().defaultTo(0))
    .execute();
  await unique('submission_speakerrole_uniq', 'submission_speakerrole', ['submission_id', 'speaker_id']);
  await index('submission_speakerrole_speaker_id', 'submission_speakerrole', ['speaker_id']);

  // submission.Review
  await timestamps(
    id(s.createTable('submission_review'))
      .addColumn('submission_id', 'integer', (c) =>
        c.notNull().references('submission_submission.id').onDelete('cascade'),
      )
      .addColumn('user_id', 'integer', (c) => c.notNull().references('person_user.id').onDelete('cascade'))
      .addColumn('score', 'decimal(10, 2)')
      .addColumn('text', 'text'),
  ).execute();
  await unique('submission_review_uniq', 'submission_review', ['submission_id', 'user_id']);
  await index('submission_review_user_id', 'submission_review', ['user_id']);

  // schedule.Room
  let room: Table = json(eventFk(id(s.createTable('schedule_room'))), 'name', true).addColumn('guid', 'char(36)');
  room = json(json(room, 'description', false), 'speaker_info', false)
    .addColumn('capacity', 'integer', (c) => c.check(sql`capacity >= 0`))
    .addColumn('position', 'integer');
  await pretalxId(flags(room, ['hidden'])).execute();
  await unique('schedule_room_pretalx_uniq', 'schedule_room', ['event_id', 'pretalx_id']);

  // schedule.Schedule — version NULL is the work-in-progress schedule, one per event.
  await json(
    eventFk(id(s.createTable('schedule_schedule')))
      .addColumn('version', 'varchar(190)')
      .addColumn('published', 'datetime'),
    'comment',
    false,
  ).execute();
  await unique('schedule_schedule_version_uniq', 'schedule_schedule', ['event_id', 'version']);
  await sql`CREATE UNIQUE INDEX schedule_schedule_wip_uniq ON schedule_schedule (event_id) WHERE version IS NULL`.execute(
    db,
  );

  // schedule.TalkSlot — submission NULL is a break or blocker; start NULL is unscheduled.
  let slot: Table = id(s.createTable('schedule_talkslot'))
    .addColumn('submission_id', 'integer', (c) => c.references('submission_submission.id').onDelete('cascade'))
    .addColumn('room_id', 'integer', (c) => c.references('schedule_room.id').onDelete('set null'))
    .addColumn('schedule_id', 'integer', (c) => c.notNull().references('schedule_schedule.id').onDelete('cascade'));
  slot = flags(slot, ['is_visible'])
    .addColumn('slot_type', 'varchar(32)', (c) => c.notNull().defaultTo('talk'))
    .addColumn('start', 'datetime')
    .addColumn('end', 'datetime');
  await json(slot, 'description', false)
    .addCheckConstraint('schedule_talkslot_times', sql`"end" IS NULL OR start IS NULL OR start <= "end"`)
    .execute();
  await index('schedule_talkslot_schedule_start', 'schedule_talkslot', ['schedule_id', 'start']);
  await index('schedule_talkslot_submission_id', 'schedule_talkslot', ['submission_id']);
  await index('schedule_talkslot_room_id', 'schedule_talkslot', ['room_id']);

  // schedule.Availability — of a speaker or of a room.
  await eventFk(id(s.createTable('schedule_availability')))
    .addColumn('person_id', 'integer', (c) => c.references('person_speakerprofile.id').onDelete('cascade'))
    .addColumn('room_id', 'integer', (c) => c.references('schedule_room.id').onDelete('cascade'))
    .addColumn('start', 'datetime', (c) => c.notNull())
    .addColumn('end', 'datetime', (c) => c.notNull())
    .addCheckConstraint('schedule_availability_times', sql`start <= "end"`)
    .execute();
  await index('schedule_availability_event_id', 'schedule_availability', ['event_id']);
  await index('schedule_availability_person_id', 'schedule_availability', ['person_id']);
  await index('schedule_availability_room_id', 'schedule_availability', ['room_id']);

  // common.Session (Django's django_session plus the user) and common.CacheEntry (Django's DB cache).
  await s
    .createTable('common_session')
    .addColumn('session_key', 'varchar(40)', (c) => c.primaryKey().notNull())
    .addColumn('session_data', 'text', (c) => c.notNull())
    .addColumn('expire_date', 'datetime', (c) => c.notNull())
    .addColumn('user_id', 'integer', (c) => c.references('person_user.id').onDelete('cascade'))
    .execute();
  await index('common_session_expire_date', 'common_session', ['expire_date']);
  await s
    .createTable('common_cacheentry')
    .addColumn('cache_key', 'varchar(255)', (c) => c.primaryKey().notNull())
    .addColumn('value', 'text', (c) => c.notNull())
    .addColumn('expires', 'datetime', (c) => c.notNull())
    .execute();
  await index('common_cacheentry_expires', 'common_cacheentry', ['expires']);
}

const tables = [
  'person_user',
  'event_organiser',
  'event_event',
  'event_team',
  'event_team_members',
  'event_team_limit_events',
  'submission_submissiontype',
  'submission_track',
  'event_team_limit_tracks',
  'submission_tag',
  'submission_cfp',
  'person_speakerprofile',
  'submission_submission',
  'submission_submission_tags',
  'submission_speakerrole',
  'submission_review',
  'schedule_room',
  'schedule_schedule',
  'schedule_talkslot',
  'schedule_availability',
  'common_session',
  'common_cacheentry',
];

export async function down(db: Kysely<any>): Promise<void> {
  for (const table of tables.toReversed()) await db.schema.dropTable(table).execute();
  if (onPostgres(db)) await sql`DROP FUNCTION json_valid(text)`.execute(db);
}
