import { randomBytes } from 'node:crypto';
import { checkPassword } from '../auth/passwords.ts';
import { normalizeEmail } from '../auth/validation.ts';
import { Cache } from '../housekeeping/cache.ts';
import type { Clock } from '../common/clock.ts';
import { toDbDateTime } from '../common/dbtime.ts';
import type { Db } from '../auth/users.ts';

/** Organiser logins: sessions in common_session, failed attempts counted in the cache table. */
export const SESSION_COOKIE = 'confctl_session';
export const SESSION_DAYS = 14;
/**
 * pretalx's limit, 10 failed attempts in 5 minutes, per address and per account; but the account's
 * limit does not apply to an address that has logged into that account before (kept 90 days). So a
 * stranger cannot lock an organiser out of their usual browser by failing on purpose, while guessing
 * from new addresses stays throttled (and each guess costs 1.2 million PBKDF2 rounds).
 */
export const MAX_FAILURES = 10;
export const FAILURE_WINDOW = 300;
export const KNOWN_ADDRESS_DAYS = 90;

/** Who a session belongs to. */
export interface SessionUser {
  id: number;
  email: string;
  isAdministrator: boolean;
}

export type LoginResult =
  | { ok: true; sessionKey: string; expires: Date }
  | { ok: false; reason: 'invalid' }
  | { ok: false; reason: 'throttled'; retryAfter: number };

export async function login(db: Db, clock: Clock, input: { email: string; password: string; address: string }): Promise<LoginResult> {
  const cache = new Cache(db, clock);
  const email = normalizeEmail(input.email);
  const keys = [`login_failures:address:${input.address}`, `login_failures:account:${email}`];
  const known = `login_known:${email}|${input.address}`;
  const counts = await Promise.all(keys.map((k) => cache.get<number>(k)));
  const exempt = (await cache.get<boolean>(known)) === true;
  const blocking = keys.filter((key, i) => (counts[i] ?? 0) >= MAX_FAILURES && !(i === 1 && exempt));
  if (blocking.length > 0) return { ok: false, reason: 'throttled', retryAfter: Math.max(1, ...(await Promise.all(blocking.map((k) => cache.remaining(k))))) };
  const user = await db
    .selectFrom('person_user')
    .select(['id', 'password', 'is_active'])
    .where((eb) => eb(eb.fn('lower', ['email']), '=', email))
    .executeTakeFirst();
  // The hash is checked even for an unknown address, so timing does not tell which accounts exist.
  const valid = await checkPassword(input.password, user?.password ?? 'pbkdf2_sha256$1200000$unknownuser$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=');
  if (!user || !valid || user.is_active !== 1) {
    for (const [i, key] of keys.entries()) await cache.set(key, (counts[i] ?? 0) + 1, FAILURE_WINDOW);
    return { ok: false, reason: 'invalid' };
  }
  const sessionKey = randomBytes(30).toString('base64url');
  const expires = new Date(clock.now().getTime() + SESSION_DAYS * 86400_000);
  await db.insertInto('common_session').values({ session_key: sessionKey, session_data: '{}', expire_date: toDbDateTime(expires), user_id: user.id }).execute();
  await db.updateTable('person_user').set({ last_login: toDbDateTime(clock.now()) }).where('id', '=', user.id).execute();
  await cache.delete(keys[0]!);
  // The account's failures from elsewhere are kept (they are someone else's); this address is now known.
  if (!exempt) await cache.delete(keys[1]!);
  await cache.set(known, true, KNOWN_ADDRESS_DAYS * 86400);
  return { ok: true, sessionKey, expires };
}

export async function sessionUser(db: Db, clock: Clock, key: string | undefined): Promise<SessionUser | null> {
  if (!key || !/^[\w-]{20,64}$/.test(key)) return null;
  const row = await db
    .selectFrom('common_session as s')
    .innerJoin('person_user as u', 'u.id', 's.user_id')
    .select(['u.id', 'u.email', 'u.is_administrator', 'u.is_active'])
    .where('s.session_key', '=', key)
    .where('s.expire_date', '>', toDbDateTime(clock.now()))
    .executeTakeFirst();
  return row && row.is_active === 1 ? { id: row.id, email: row.email, isAdministrator: row.is_administrator === 1 } : null;
}

export async function logout(db: Db, key: string | undefined): Promise<void> {
  if (key) await db.deleteFrom('common_session').where('session_key', '=', key).execute();
}

/** The ids of the events a user organises (see organises()). */
export async function organisedEventIds(db: Db, user: Pick<SessionUser, 'id' | 'isAdministrator'>): Promise<Set<number>> {
  let query = db.selectFrom('event_event as e').select('e.id');
  if (!user.isAdministrator) {
    query = query.where((eb) =>
      eb.exists(
        eb
          .selectFrom('event_team as t')
          .innerJoin('event_team_members as m', 'm.team_id', 't.id')
          .select('t.id')
          .whereRef('t.organiser_id', '=', 'e.organiser_id')
          .where('m.user_id', '=', user.id)
          .where((inner) => inner.or([inner('t.all_events', '=', 1), inner.exists(inner.selectFrom('event_team_limit_events as l').select('l.id').whereRef('l.team_id', '=', 't.id').whereRef('l.event_id', '=', 'e.id'))])),
      ),
    );
  }
  return new Set((await query.execute()).map((r) => r.id));
}

/** Administrators see every event; others through a team of the event's organiser (all events, or this one). */
export async function organises(db: Db, user: Pick<SessionUser, 'id' | 'isAdministrator'>, eventId: number): Promise<boolean> {
  if (user.isAdministrator) return true;
  const row = await db
    .selectFrom('event_team as t')
    .innerJoin('event_team_members as m', 'm.team_id', 't.id')
    .innerJoin('event_event as e', 'e.organiser_id', 't.organiser_id')
    .select('t.id')
    .where('m.user_id', '=', user.id)
    .where('e.id', '=', eventId)
    .where((eb) => eb.or([eb('t.all_events', '=', 1), eb.exists(eb.selectFrom('event_team_limit_events as l').select('l.id').whereRef('l.team_id', '=', 't.id').where('l.event_id', '=', eventId))]))
    .executeTakeFirst();
  return row !== undefined;
}
