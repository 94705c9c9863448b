// core/housekeeping/ — what runs by itself: runperiodic's tasks and their locks, Django's database
// cache table and the expiry of login sessions.
import { sql } from 'kysely';
import { backendOf } from '../../db/connection.ts';
import type { Clock } from '../common/clock.ts';
import { Cache, clearExpiredSessions } from './cache.ts';
import { errorMessage } from '../common/errors.ts';
import type { Db } from '../auth/users.ts';

/**
 * runperiodic's tasks. Each has a minimum interval after a success (recorded in the cache as
 * `confctl_periodic_<name>_result`, as pretalx names its keys) and a lock (`…_running`) that
 * expires after `timeoutMinutes`, so that two overlapping cron runs never run a task twice.
 */
export interface PeriodicTask {
  readonly name: string;
  readonly minutes: number;
  readonly timeoutMinutes: number;
  /** The task opens its own transaction (a sync): it is not wrapped in one. */
  readonly ownTransaction?: boolean;
  run(db: Db, clock: Clock): Promise<string>;
}

export type TaskOutcome =
  | { task: string; status: 'ran'; detail: string }
  | { task: string; status: 'skipped'; detail: string; held?: boolean }
  | { task: string; status: 'failed'; detail: string };

/** Who takes a task's lock: its process, its host, and how to tell whether a process still runs. */
export interface LockOwner {
  readonly pid: number;
  readonly host: string;
  alive(pid: number): boolean;
}

interface Holder {
  since: string;
  pid: number;
  host: string;
}

const holderOf = (value: unknown): Holder | null =>
  typeof value === 'object' && value !== null && typeof (value as Holder).pid === 'number' && typeof (value as Holder).host === 'string' ? (value as Holder) : null;

export const builtinTasks: readonly PeriodicTask[] = [
  {
    name: 'clear_expired',
    minutes: 15,
    timeoutMinutes: 30,
    async run(db, clock) {
      const sessions = await clearExpiredSessions(db, clock);
      const entries = await new Cache(db, clock).clearExpired();
      return `deleted ${sessions} expired session(s) and ${entries} expired cache entries`;
    },
  },
];

/**
 * A sync task for each event with a Pretalx source and a sync interval: `sync_pretalx:<slug>`,
 * run as `sync` would (everything, guard on), at most every `pretalx_sync_interval` minutes.
 */
export async function syncTasks(db: Db, run: (slug: string) => Promise<string>): Promise<PeriodicTask[]> {
  const events = await db
    .selectFrom('event_event')
    .select(['slug', 'pretalx_sync_interval'])
    .where('pretalx_sync_interval', 'is not', null)
    .where('pretalx_base_url', 'is not', null)
    .where('pretalx_event_slug', 'is not', null)
    .orderBy('slug')
    .execute();
  return events.map((e) => ({
    name: `sync_pretalx:${e.slug}`,
    minutes: e.pretalx_sync_interval!,
    timeoutMinutes: 30,
    ownTransaction: true,
    run: () => run(e.slug),
  }));
}

/**
 * Runs the tasks that are due, each under its lock (`…_running`, with the holder's pid and host). A lock
 * whose holder is a process of this host that is gone (kill -9, a crash) is taken over at once rather
 * than after its timeout; one held by a live process, or by another host, makes the task wait. On
 * PostgreSQL the lock is an advisory lock of the server (named after the same key), which no two
 * hosts hold at once and which ends with its holder's connection.
 */
export async function runPeriodic(db: Db, clock: Clock, tasks: readonly PeriodicTask[], force: boolean, owner?: LockOwner): Promise<TaskOutcome[]> {
  const cache = new Cache(db, clock);
  const outcomes: TaskOutcome[] = [];
  for (const task of tasks) {
    const key = `confctl_periodic_${task.name}`;
    const last = await cache.get<string>(`${key}_result`);
    if (!force && last !== undefined) {
      outcomes.push({ task: task.name, status: 'skipped', detail: `last run ${last}, runs every ${task.minutes} minutes` });
      continue;
    }
    const lock = `${key}_running`;
    const mine = owner ? { since: clock.now().toISOString(), pid: owner.pid, host: owner.host } : clock.now().toISOString();
    let takenOver = '';
    const advisory = backendOf(db) === 'postgres';
    if (advisory) {
      // On PostgreSQL the lock is the server's: held by this connection, for every host, and let go
      // by the server when the connection ends (a kill -9 too), so there is no lease to outwait.
      const taken = await sql<{ ok: number }>`SELECT pg_try_advisory_lock(hashtext(${lock})) AS ok`.execute(db);
      if (!taken.rows[0]?.ok) {
        outcomes.push({ task: task.name, status: 'skipped', detail: 'already running in another process (it holds the PostgreSQL advisory lock)', held: true });
        continue;
      }
    } else if (!(await cache.add(lock, mine, task.timeoutMinutes * 60))) {
      const holder = holderOf(await cache.get<unknown>(lock));
      const gone = owner && holder && holder.host === owner.host && holder.pid !== owner.pid && !owner.alive(holder.pid);
      if (!gone || !holder) {
        const who = holder ? `process ${holder.pid} on ${holder.host} since ${holder.since}` : 'another process';
        outcomes.push({ task: task.name, status: 'skipped', detail: `already running in ${who}`, held: true });
        continue;
      }
      // Of two runs that both find the holder gone, only the one that removes its lock goes on.
      if (!((await cache.deleteIf(lock, holder)) && (await cache.add(lock, mine, task.timeoutMinutes * 60)))) {
        outcomes.push({ task: task.name, status: 'skipped', detail: 'another run took over the lock first', held: true });
        continue;
      }
      takenOver = `took over the lock of process ${holder.pid}, which is gone; `;
    }
    try {
      // Another run may have finished the task between the first check and the lock.
      const meanwhile = force ? undefined : await cache.get<string>(`${key}_result`);
      if (meanwhile !== undefined) {
        outcomes.push({ task: task.name, status: 'skipped', detail: `last run ${meanwhile}, runs every ${task.minutes} minutes` });
        continue;
      }
      const detail = task.ownTransaction ? await task.run(db, clock) : await db.transaction().execute((trx) => task.run(trx, clock));
      await cache.set(`${key}_result`, clock.now().toISOString(), task.minutes * 60);
      outcomes.push({ task: task.name, status: 'ran', detail: takenOver + detail });
    } catch (error) {
      outcomes.push({ task: task.name, status: 'failed', detail: errorMessage(error) });
    } finally {
      if (advisory) await sql`SELECT pg_advisory_unlock(hashtext(${lock}))`.execute(db);
      else await cache.delete(lock);
    }
  }
  return outcomes;
}
