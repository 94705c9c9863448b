import type { Generated, Insertable, Selectable, Updateable } from 'kysely';

/**
 * The database as the SQL of db/migrations defines it: `T | null` for nullable columns,
 * `Generated<>` for columns with a default or a rowid key, `Bool` for SQLite booleans.
 * Datetimes are UTC text `YYYY-MM-DD HH:MM:SS[.ffffff]`, dates `YYYY-MM-DD`; `Json` columns hold
 * JSON text (localised text is a map of locale to text).
 */
export type Bool = 0 | 1;
export type DateTime = string;
export type DateOnly = string;
export type Json = string;

export interface PersonUser {
  id: Generated<number>;
  password: string;
  last_login: DateTime | null;
  is_superuser: Generated<Bool>;
  email: string;
  code: string;
  nick: string | null;
  name: string;
  email_verification_state: Generated<string>;
  pending_email: string | null;
  is_active: Generated<Bool>;
  is_staff: Generated<Bool>;
  is_administrator: Generated<Bool>;
  locale: Generated<string>;
  timezone: Generated<string>;
  profile_picture: string | null;
  pw_reset_token: string | null;
  pw_reset_time: DateTime | null;
}

export interface EventOrganiser {
  id: Generated<number>;
  name: Json;
  slug: string;
}

export interface EventEvent {
  id: Generated<number>;
  name: Json;
  slug: string;
  organiser_id: number | null;
  is_public: Generated<Bool>;
  date_from: DateOnly;
  date_to: DateOnly;
  timezone: Generated<string>;
  email: string | null;
  custom_domain: string | null;
  feature_flags: Generated<Json>;
  display_settings: Generated<Json>;
  review_settings: Generated<Json>;
  mail_settings: Generated<Json>;
  primary_color: string | null;
  custom_css: string | null;
  logo: string | null;
  header_image: string | null;
  og_image: string | null;
  locale: Generated<string>;
  locales: Generated<Json>;
  content_locales: Generated<Json>;
  landing_page_text: Json | null;
  featured_sessions_text: Json | null;
  plugins: Generated<string>;
  pretalx_base_url: string | null;
  pretalx_event_slug: string | null;
  /** Minutes between syncs by runperiodic; NULL = never. */
  pretalx_sync_interval: number | null;
  created: DateTime;
  updated: DateTime;
}

export interface EventTeam {
  id: Generated<number>;
  organiser_id: number;
  name: string;
  all_events: Generated<Bool>;
  can_create_events: Generated<Bool>;
  can_change_teams: Generated<Bool>;
  can_change_organiser_settings: Generated<Bool>;
  can_change_event_settings: Generated<Bool>;
  can_change_submissions: Generated<Bool>;
  is_reviewer: Generated<Bool>;
  force_hide_speaker_names: Generated<Bool>;
}

export interface EventTeamMembers {
  id: Generated<number>;
  team_id: number;
  user_id: number;
}

export interface EventTeamLimitEvents {
  id: Generated<number>;
  team_id: number;
  event_id: number;
}

export interface EventTeamLimitTracks {
  id: Generated<number>;
  team_id: number;
  track_id: number;
}

export interface SubmissionSubmissionType {
  id: Generated<number>;
  event_id: number;
  name: Json;
  default_duration: Generated<number>;
  deadline: DateTime | null;
  requires_access_code: Generated<Bool>;
  attendee_signup_required: Generated<Bool>;
  pretalx_id: number | null;
}

export interface SubmissionTrack {
  id: Generated<number>;
  event_id: number;
  name: Json;
  description: Json | null;
  color: Generated<string>;
  position: number | null;
  requires_access_code: Generated<Bool>;
  attendee_signup_required: Generated<Bool>;
  pretalx_id: number | null;
  /** What a schedule feed said of it beyond the model (0005); NULL when it came from no feed. */
  upstream: Json | null;
}

export interface SubmissionTag {
  id: Generated<number>;
  event_id: number;
  tag: string;
  description: Json | null;
  color: Generated<string>;
  is_public: Generated<Bool>;
  pretalx_id: number | null;
}

export interface SubmissionCfp {
  id: Generated<number>;
  event_id: number;
  headline: Json | null;
  text: Json | null;
  deadline: DateTime | null;
  default_type_id: number | null;
}

export interface PersonSpeakerProfile {
  id: Generated<number>;
  event_id: number;
  user_id: number | null;
  name: string;
  code: string;
  email: string | null;
  locale: string | null;
  biography: string | null;
  avatar_url: string | null;
  has_arrived: Generated<Bool>;
  internal_notes: string | null;
  profile_picture: string | null;
  created: DateTime;
  updated: DateTime;
  /** What a schedule feed said of it beyond the model (0004_upstream_fields); NULL when it came from no feed. */
  upstream: Json | null;
}

export interface SubmissionSubmission {
  id: Generated<number>;
  event_id: number;
  code: string;
  title: string;
  submission_type_id: number;
  track_id: number | null;
  state: Generated<string>;
  pending_state: string | null;
  abstract: string | null;
  description: string | null;
  notes: string | null;
  internal_notes: string | null;
  duration: number | null;
  slot_count: Generated<number>;
  content_locale: Generated<string>;
  is_featured: Generated<Bool>;
  do_not_record: Generated<Bool>;
  image: string | null;
  review_code: string | null;
  anonymised_data: Json | null;
  created: DateTime;
  updated: DateTime;
}

export interface SubmissionSubmissionTags {
  id: Generated<number>;
  submission_id: number;
  tag_id: number;
}

export interface SubmissionSpeakerRole {
  id: Generated<number>;
  submission_id: number;
  speaker_id: number;
  position: Generated<number>;
}

export interface SubmissionReview {
  id: Generated<number>;
  submission_id: number;
  user_id: number;
  /** decimal(10, 2); SQLite hands it back as a number. */
  score: number | null;
  text: string | null;
  created: DateTime;
  updated: DateTime;
}

export interface ScheduleRoom {
  id: Generated<number>;
  event_id: number;
  name: Json;
  guid: string | null;
  description: Json | null;
  speaker_info: Json | null;
  capacity: number | null;
  position: number | null;
  hidden: Generated<Bool>;
  pretalx_id: number | null;
  /** What a schedule feed said of it beyond the model (0004_upstream_fields); NULL when it came from no feed. */
  upstream: Json | null;
}

export interface ScheduleSchedule {
  id: Generated<number>;
  event_id: number;
  /** NULL = the work-in-progress schedule. */
  version: string | null;
  published: DateTime | null;
  comment: Json | null;
  /** What a schedule feed said of this version (its days) beyond the model (0005); NULL when it came from no feed. */
  upstream: Json | null;
}

export interface ScheduleTalkSlot {
  id: Generated<number>;
  submission_id: number | null;
  room_id: number | null;
  schedule_id: number;
  is_visible: Generated<Bool>;
  slot_type: Generated<string>;
  start: DateTime | null;
  end: DateTime | null;
  description: Json | null;
  /** What a schedule feed said of it beyond the model (0004_upstream_fields); NULL when it came from no feed. */
  upstream: Json | null;
}

export interface ScheduleAvailability {
  id: Generated<number>;
  event_id: number;
  person_id: number | null;
  room_id: number | null;
  start: DateTime;
  end: DateTime;
}

export interface CommonSession {
  session_key: string;
  session_data: string;
  expire_date: DateTime;
  user_id: number | null;
}

export interface CommonCacheEntry {
  cache_key: string;
  value: string;
  expires: DateTime;
}

/** A change counter per event, bumped by triggers on every table its pages show (0002_event_stamps). */
export interface ConfctlEventStamp {
  /** The event's id (the rowid: the triggers give every event its row). */
  event_id: Generated<number>;
  stamp: Generated<number>;
}

export interface Database {
  person_user: PersonUser;
  event_organiser: EventOrganiser;
  event_event: EventEvent;
  event_team: EventTeam;
  event_team_members: EventTeamMembers;
  event_team_limit_events: EventTeamLimitEvents;
  event_team_limit_tracks: EventTeamLimitTracks;
  submission_submissiontype: SubmissionSubmissionType;
  submission_track: SubmissionTrack;
  submission_tag: SubmissionTag;
  submission_cfp: SubmissionCfp;
  person_speakerprofile: PersonSpeakerProfile;
  submission_submission: SubmissionSubmission;
  submission_submission_tags: SubmissionSubmissionTags;
  submission_speakerrole: SubmissionSpeakerRole;
  submission_review: SubmissionReview;
  schedule_room: ScheduleRoom;
  schedule_schedule: ScheduleSchedule;
  schedule_talkslot: ScheduleTalkSlot;
  schedule_availability: ScheduleAvailability;
  common_session: CommonSession;
  common_cacheentry: CommonCacheEntry;
  confctl_eventstamp: ConfctlEventStamp;
}

export type TableName = keyof Database;
export type Row<T extends TableName> = Selectable<Database[T]>;
export type NewRow<T extends TableName> = Insertable<Database[T]>;
export type RowUpdate<T extends TableName> = Updateable<Database[T]>;
