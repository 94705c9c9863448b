import { base, en, Faker } from '@faker-js/faker';
import { slugProblem } from '../auth/validation.ts';
import type { Clock } from '../common/clock.ts';
import { toDbDateTime } from '../common/dbtime.ts';
import { CommandError } from '../common/errors.ts';
import { createEvent, eventSlugTaken, RESERVED_SLUGS } from './events.ts';
import { addDays, addMinutes, zonedInstant } from '../common/tz.ts';
import { createOrganiser, generateCode, organiserSlugTaken, type Db } from '../auth/users.ts';

/**
 * pretalx's create_test_event, reproducible: every random choice comes from one Faker seeded with
 * `seed`, and every time from the injected clock, so the same seed and the same "now" give the
 * same database. Stages build on each other: cfp → review → schedule ("over" = all, dated in the past).
 */
export const STAGES = ['cfp', 'review', 'schedule', 'over'] as const;
export type Stage = (typeof STAGES)[number];

export interface TestEventOptions {
  slug: string;
  /** The event's language (default en). */
  locale?: string;
  /** All its languages, the default first (default: just that one). */
  locales?: string[];
  stage: Stage;
  seed: number;
}

const TIMEZONE = 'Europe/Berlin';
const TALKS_ACCEPTED = 27;
const WORKSHOPS_ACCEPTED = 9;
const BLOCKS = ['09:00', '11:30', '14:00'];
/** Days from today to the first day, per stage (pretalx's numbers). */
const START_OFFSET: Record<Stage, number> = { cfp: 35, review: 25, schedule: -1, over: -10 };

export function parseStage(value: string): Stage {
  if ((STAGES as readonly string[]).includes(value)) return value as Stage;
  throw new CommandError(`Unknown stage "${value}". Valid stages: ${STAGES.join(', ')}.`);
}

interface Built {
  eventId: number;
  organiserId: number;
  talkType: number;
  workshopType: number;
  tracks: number[];
  rooms: number[];
  deadline: Date;
  submissions: { id: number; workshop: boolean }[];
}

export async function buildTestEvent(
  db: Db,
  options: TestEventOptions,
  clock: Clock,
  report: (stage: 'cfp' | 'review' | 'schedule') => void,
): Promise<void> {
  const { slug } = options;
  const admins = await db.selectFrom('person_user').select('id').where('is_administrator', '=', 1).orderBy('id').execute();
  if (admins.length === 0) throw new CommandError('Please run the "init" command to create an administrator user.');
  const slugIssue = slugProblem(slug) ?? (RESERVED_SLUGS.has(slug.toLowerCase()) ? `"${slug}" is reserved` : null);
  if (slugIssue) throw new CommandError(`--slug: ${slugIssue}`);
  if (await eventSlugTaken(db, slug)) {
    throw new CommandError(`An event with the slug "${slug}" already exists. Choose another --slug.`);
  }
  if (await organiserSlugTaken(db, `${slug}org`)) {
    throw new CommandError(`An organiser with the slug "${slug}org" already exists. Choose another --slug.`);
  }

  const faker = new Faker({ locale: [en, base] });
  faker.seed(options.seed);
  const random = () => faker.number.int({ min: 0, max: 2 ** 31 - 2 }) / (2 ** 31 - 1);
  const now = clock.now();
  const stamp = toDbDateTime(now);
  const today = now.toISOString().slice(0, 10);
  const dateFrom = addDays(today, START_OFFSET[options.stage]);
  const dateTo = addDays(dateFrom, 2);

  // Organiser, team of all administrators, the event (with CfP, "Talk" type and WIP schedule).
  const { organiserId, teamId } = await createOrganiser(db, {
    name: 'DemoCon Org',
    slug: `${slug}org`,
    members: admins.map((a) => a.id),
  });
  const eventId = await createEvent(
    db,
    { slug, name: 'DemoCon', dateFrom, dateTo, timezone: TIMEZONE, locale: options.locale ?? 'en', ...(options.locales ? { locales: options.locales } : {}), primaryColor: faker.color.rgb(), isPublic: true },
    organiserId,
    clock,
  );
  const intro = `We provide a ${faker.company.catchPhrase().toLowerCase()} to ${faker.company.buzzPhrase()}.`;
  const disclaimer =
    'This is a demo event made by `confctl create_test_event`: every talk, speaker and review here is invented.';
  await db
    .updateTable('event_event')
    .set({
      email: `${faker.internet.username().toLowerCase()}@example.org`,
      landing_page_text: JSON.stringify({ en: `# Welcome to DemoCon!\n\n${intro}\n\n${disclaimer}` }),
    })
    .where('id', '=', eventId)
    .execute();
  await db.insertInto('event_team_limit_events').values({ team_id: teamId, event_id: eventId }).execute();

  const talkType = (await db.selectFrom('submission_submissiontype').select('id').where('event_id', '=', eventId).executeTakeFirstOrThrow()).id;
  const workshopType = (
    await db
      .insertInto('submission_submissiontype')
      .values({ event_id: eventId, name: JSON.stringify({ en: 'Workshop' }), default_duration: 90 })
      .returning('id')
      .executeTakeFirstOrThrow()
  ).id;

  const tracks: number[] = [];
  const trackCount = faker.number.int({ min: 2, max: 5 });
  const trackNames = new Set<string>();
  while (trackNames.size < trackCount) trackNames.add(capitalise(faker.company.catchPhrase().split(' ')[0]!));
  for (const [position, name] of [...trackNames].entries()) {
    const row = await db
      .insertInto('submission_track')
      .values({ event_id: eventId, name: JSON.stringify({ en: name }), color: faker.color.rgb(), position })
      .returning('id')
      .executeTakeFirstOrThrow();
    tracks.push(row.id);
  }

  // pretalx puts the deadline 60 days before the event, which at stage cfp lies in the past while
  // the CfP claims to be open; here an open CfP closes 15 days before the event.
  const eventStart = zonedInstant(dateFrom, '00:00', TIMEZONE);
  const deadline = addMinutes(eventStart, -(options.stage === 'cfp' ? 15 : 60) * 24 * 60);
  const open = options.stage === 'cfp';
  await db
    .updateTable('submission_cfp')
    .set({
      headline: JSON.stringify({ en: `DemoCon submissions are ${open ? 'open' : 'closed'}!` }),
      deadline: toDbDateTime(deadline),
    })
    .where('event_id', '=', eventId)
    .execute();

  const rooms: number[] = [];
  const roomNames = new Set<string>();
  while (roomNames.size < 2) roomNames.add(`${faker.color.human().split(/\s+/).map(capitalise).join(' ')} Room`);
  for (const name of roomNames) {
    const row = await db
      .insertInto('schedule_room')
      .values({ event_id: eventId, name: JSON.stringify({ en: name }), position: faker.number.int({ min: 0, max: 9 }) })
      .returning('id')
      .executeTakeFirstOrThrow();
    rooms.push(row.id);
  }

  const built: Built = { eventId, organiserId, talkType, workshopType, tracks, rooms, deadline, submissions: [] };
  await buildCfp(db, faker, random, built, now, stamp);
  report('cfp');
  if (options.stage === 'cfp') return;
  await buildReview(db, faker, random, built, now, stamp);
  report('review');
  if (options.stage === 'review') return;
  await buildSchedule(db, built, dateFrom, stamp);
  report('schedule');
}

function capitalise(word: string): string {
  return word.charAt(0).toUpperCase() + word.slice(1);
}

/** Users with unique example.org addresses and unusable passwords (demo accounts cannot log in). */
/** The e-mail addresses (lower case) and codes the existing users hold, which new ones must not repeat. */
async function takenByUsers(db: Db): Promise<{ emails: Set<string>; userCodes: Set<string> }> {
  const rows = await db.selectFrom('person_user').select(['email', 'code']).execute();
  return { emails: new Set(rows.map((r) => r.email.toLowerCase())), userCodes: new Set(rows.map((r) => r.code)) };
}

async function createUsers(db: Db, faker: Faker, random: () => number, count: number, emails: Set<string>, userCodes: Set<string>) {
  const users: { id: number; name: string }[] = [];
  for (let i = 0; i < count; i++) {
    const name = faker.person.fullName();
    const user = faker.internet.username({ firstName: name.split(' ')[0] }).toLowerCase().replace(/[^a-z0-9._-]/g, '');
    let email = `${user}@example.org`;
    for (let n = 2; emails.has(email); n++) email = `${user}${n}@example.org`;
    emails.add(email);
    // The same seed gives the same codes: a second demo event of that seed must not reuse the first's.
    let code: string;
    do code = generateCode(random, 16);
    while (userCodes.has(code));
    userCodes.add(code);
    const row = await db
      .insertInto('person_user')
      .values({
        email,
        name,
        code,
        password: `!${faker.string.alphanumeric(40)}`,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    users.push({ id: row.id, name });
  }
  return users;
}

async function buildCfp(db: Db, faker: Faker, random: () => number, built: Built, now: Date, stamp: string) {
  const talks = faker.number.int({ min: 40, max: 65 });
  const workshops = faker.number.int({ min: 13, max: 20 });
  const total = talks + workshops;
  const speakerCount = faker.number.int({ min: Math.ceil(total / 1.8), max: Math.floor(total / 1.1) });
  const { emails, userCodes } = await takenByUsers(db);
  const users = await createUsers(db, faker, random, speakerCount, emails, userCodes);
  const codes = new Set<string>();
  const code = () => {
    let c: string;
    do c = generateCode(random);
    while (codes.has(c));
    codes.add(c);
    return c;
  };
  const speakers: number[] = [];
  for (const user of users) {
    const row = await db
      .insertInto('person_speakerprofile')
      .values({
        event_id: built.eventId,
        user_id: user.id,
        name: user.name,
        code: code(),
        locale: 'en',
        biography: `${faker.lorem.paragraph()}\n\n${faker.lorem.paragraph()}`,
        created: stamp,
        updated: stamp,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    speakers.push(row.id);
  }

  // Submissions arrive as at a real CfP: most on the last day.
  const end = Math.min(now.getTime(), built.deadline.getTime());
  const day = 24 * 60 * 60 * 1000;
  const arrival = () => {
    const r = random();
    const [from, to] = r < 0.1 ? [20, 7] : r < 0.15 ? [7, 3] : r < 0.2 ? [3, 1] : [1, 0];
    return new Date(end - from * day + random() * (from - to) * day);
  };
  for (let i = 0; i < total; i++) {
    const workshop = i >= talks;
    const created = toDbDateTime(arrival());
    const row = await db
      .insertInto('submission_submission')
      .values({
        event_id: built.eventId,
        code: code(),
        title: faker.company.catchPhrase(),
        submission_type_id: workshop ? built.workshopType : built.talkType,
        track_id: faker.helpers.arrayElement(built.tracks),
        state: 'submitted',
        abstract: `${capitalise(faker.company.buzzPhrase())}!`,
        description: faker.lorem.paragraphs(3),
        content_locale: 'en',
        do_not_record: random() < 1 / 11 ? 1 : 0,
        created,
        updated: created,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    await db
      .insertInto('submission_speakerrole')
      .values({ submission_id: row.id, speaker_id: faker.helpers.arrayElement(speakers), position: 0 })
      .execute();
    built.submissions.push({ id: row.id, workshop });
  }
  // Co-speakers.
  const coSpeakers = faker.number.int({ min: 5, max: 15 });
  for (let added = 0; added < coSpeakers; ) {
    const submission = faker.helpers.arrayElement(built.submissions).id;
    const speaker = faker.helpers.arrayElement(speakers);
    const roles = await db.selectFrom('submission_speakerrole').select('speaker_id').where('submission_id', '=', submission).execute();
    if (roles.some((r) => r.speaker_id === speaker)) continue;
    await db.insertInto('submission_speakerrole').values({ submission_id: submission, speaker_id: speaker, position: roles.length }).execute();
    added++;
  }
}

async function buildReview(db: Db, faker: Faker, random: () => number, built: Built, now: Date, stamp: string) {
  const { emails, userCodes } = await takenByUsers(db);
  const reviewers = await createUsers(db, faker, random, 3, emails, userCodes);
  // pretalx makes this team but never adds the reviewers to it; here they are in it.
  const team = await db
    .insertInto('event_team')
    .values({ organiser_id: built.organiserId, name: 'DemoCon Reviewers', is_reviewer: 1 })
    .returning('id')
    .executeTakeFirstOrThrow();
  await db.insertInto('event_team_limit_events').values({ team_id: team.id, event_id: built.eventId }).execute();
  await db.insertInto('event_team_members').values(reviewers.map((r) => ({ team_id: team.id, user_id: r.id }))).execute();

  // R1 reviews everything, R2 80 % and leans positive, R3 60 % and leans negative.
  const profiles = [
    { share: 1, lean: 0 },
    { share: 0.8, lean: 1 },
    { share: 0.6, lean: -1 },
  ];
  const scores = new Map<number, number[]>();
  const reviewedAt = () => toDbDateTime(new Date(Math.max(built.deadline.getTime(), now.getTime() - random() * 3 * 86400000)));
  for (const [i, reviewer] of reviewers.entries()) {
    const { share, lean } = profiles[i]!;
    for (const { id } of built.submissions) {
      if (random() >= share) continue;
      let score = faker.helpers.arrayElement([0, 1, 2]);
      if (lean > 0 && random() < 0.3) score = 2;
      if (lean < 0 && random() < 0.3) score = 0;
      const at = reviewedAt();
      await db
        .insertInto('submission_review')
        .values({ submission_id: id, user_id: reviewer.id, score, text: faker.lorem.sentence(), created: at, updated: at })
        .execute();
      scores.set(id, [...(scores.get(id) ?? []), score]);
    }
  }

  // By median score (ties by submission order): the top 27 talks and 9 workshops are accepted and
  // confirmed, the rest rejected.
  const median = (xs: number[]) => {
    const s = xs.toSorted((a, b) => a - b);
    const m = s.length >> 1;
    return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
  };
  for (const workshop of [false, true]) {
    const ranked = built.submissions
      .filter((s) => s.workshop === workshop)
      .map((s, order) => ({ ...s, order, median: median(scores.get(s.id) ?? [0]) }))
      .sort((a, b) => b.median - a.median || a.order - b.order);
    const take = workshop ? WORKSHOPS_ACCEPTED : TALKS_ACCEPTED;
    const confirmed = ranked.slice(0, take).map((s) => s.id);
    const rejected = ranked.slice(take).map((s) => s.id);
    if (confirmed.length > 0) {
      await db.updateTable('submission_submission').set({ state: 'confirmed', updated: stamp }).where('id', 'in', confirmed).execute();
    }
    if (rejected.length > 0) {
      await db.updateTable('submission_submission').set({ state: 'rejected', updated: stamp }).where('id', 'in', rejected).execute();
    }
  }
}

/**
 * Three days, blocks at 09:00, 11:30 and 14:00 (event time): a 90-minute workshop in the second
 * room beside three 30-minute talks in the first. Then release v1.0: the WIP becomes the version and
 * a new WIP gets copies of every slot.
 */
async function buildSchedule(db: Db, built: Built, dateFrom: string, stamp: string) {
  const confirmed = await db
    .selectFrom('submission_submission')
    .select(['id', 'submission_type_id'])
    .where('event_id', '=', built.eventId)
    .where('state', '=', 'confirmed')
    .orderBy('id')
    .execute();
  const talks = confirmed.filter((s) => s.submission_type_id === built.talkType).map((s) => s.id);
  const workshops = confirmed.filter((s) => s.submission_type_id === built.workshopType).map((s) => s.id);
  const wip = await db
    .selectFrom('schedule_schedule')
    .select('id')
    .where('event_id', '=', built.eventId)
    .where('version', 'is', null)
    .executeTakeFirstOrThrow();
  const [talkRoom, workshopRoom] = built.rooms as [number, number];
  const slots: { submission_id: number; room_id: number; start: string; end: string }[] = [];
  for (let day = 0; day < 3; day++) {
    for (const block of BLOCKS) {
      const start = zonedInstant(addDays(dateFrom, day), block, TIMEZONE);
      const workshop = workshops.shift();
      if (workshop !== undefined) {
        slots.push({ submission_id: workshop, room_id: workshopRoom, start: toDbDateTime(start), end: toDbDateTime(addMinutes(start, 90)) });
      }
      for (let i = 0; i < 3; i++) {
        const talk = talks.shift();
        if (talk === undefined) continue;
        const at = addMinutes(start, 30 * i);
        slots.push({ submission_id: talk, room_id: talkRoom, start: toDbDateTime(at), end: toDbDateTime(addMinutes(at, 30)) });
      }
    }
  }
  await db.insertInto('schedule_talkslot').values(slots.map((s) => ({ ...s, schedule_id: wip.id, is_visible: 1 }))).execute();
  await db
    .updateTable('schedule_schedule')
    .set({ version: 'v1.0', published: stamp, comment: JSON.stringify({ en: 'We released our first schedule!' }) })
    .where('id', '=', wip.id)
    .execute();
  const next = await db.insertInto('schedule_schedule').values({ event_id: built.eventId, version: null }).returning('id').executeTakeFirstOrThrow();
  await db.insertInto('schedule_talkslot').values(slots.map((s) => ({ ...s, schedule_id: next.id, is_visible: 1 }))).execute();
}
