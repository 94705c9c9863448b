// core/auth/ — people who log in: users and teams, Django-compatible password hashes, the rules
// for emails, slugs and passwords, and createsuperuser's questions.
import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema.ts';

/** pretalx's code alphabet: no 0/O, 1/I, 2/Z-lookalikes… */
export const CODE_ALPHABET = 'ABCDEFGHJKLMNPQRSTUVWXYZ3789';

export function generateCode(random: () => number, length = 6): string {
  let code = '';
  for (let i = 0; i < length; i++) code += CODE_ALPHABET[Math.floor(random() * CODE_ALPHABET.length)];
  return code;
}

export type Db = Kysely<Database>;

export async function findUserByEmail(db: Db, email: string) {
  return db
    .selectFrom('person_user')
    .selectAll()
    .where((eb) => eb(eb.fn('lower', ['email']), '=', email.toLowerCase()))
    .executeTakeFirst();
}

export interface NewUser {
  email: string;
  name: string;
  /** Already encoded (makePassword / makeUnusablePassword). */
  password: string;
  administrator: boolean;
  /** Verified when an operator creates the account on the command line. */
  verified: boolean;
}

/** Inserts a user with a fresh unique code; pretalx's create_superuser sets is_staff and is_administrator, never is_superuser. */
export async function insertUser(db: Db, user: NewUser, random: () => number): Promise<number> {
  for (;;) {
    const code = generateCode(random, 16);
    const clash = await db.selectFrom('person_user').select('id').where('code', '=', code).executeTakeFirst();
    if (clash) continue;
    const row = await db
      .insertInto('person_user')
      .values({
        email: user.email,
        name: user.name,
        password: user.password,
        code,
        is_staff: user.administrator ? 1 : 0,
        is_administrator: user.administrator ? 1 : 0,
        is_superuser: 0,
        email_verification_state: user.verified ? 'verified' : 'unverified',
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    return row.id;
  }
}

export async function setPassword(db: Db, userId: number, encoded: string): Promise<void> {
  await db.updateTable('person_user').set({ password: encoded }).where('id', '=', userId).execute();
}

export async function organiserSlugTaken(db: Db, slug: string): Promise<boolean> {
  const row = await db
    .selectFrom('event_organiser')
    .select('id')
    .where((eb) => eb(eb.fn('lower', ['slug']), '=', slug.toLowerCase()))
    .executeTakeFirst();
  return row !== undefined;
}

/**
 * An organiser and its team "Team <name>" with the rights pretalx's init gives it (create events,
 * change teams, change organiser settings), with `members` in it.
 */
export async function createOrganiser(
  db: Db,
  input: { name: string; slug: string; members: number[]; teamName?: string; allEvents?: boolean },
): Promise<{ organiserId: number; teamId: number }> {
  const organiser = await db
    .insertInto('event_organiser')
    .values({ name: JSON.stringify({ en: input.name }), slug: input.slug })
    .returning('id')
    .executeTakeFirstOrThrow();
  const team = await db
    .insertInto('event_team')
    .values({
      organiser_id: organiser.id,
      name: input.teamName ?? `Team ${input.name}`,
      can_create_events: 1,
      can_change_teams: 1,
      can_change_organiser_settings: 1,
      all_events: input.allEvents ? 1 : 0,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  if (input.members.length > 0) {
    await db
      .insertInto('event_team_members')
      .values(input.members.map((user_id) => ({ team_id: team.id, user_id })))
      .execute();
  }
  return { organiserId: organiser.id, teamId: team.id };
}

export async function countAdministrators(db: Db): Promise<number> {
  const row = await db
    .selectFrom('person_user')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('is_administrator', '=', 1)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

