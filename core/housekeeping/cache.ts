import { sql } from 'kysely';
import { backendOf } from '../../db/connection.ts';
import type { Clock } from '../common/clock.ts';
import { toDbDateTime } from '../common/dbtime.ts';
import type { Db } from '../auth/users.ts';

/** Django's database cache, in common_cacheentry: JSON values with an expiry. */
export class Cache {
  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
  ) {}

  private expiry(seconds: number): string {
    return toDbDateTime(new Date(this.clock.now().getTime() + seconds * 1000));
  }

  /** Whole seconds until the entry expires (0 when there is none). */
  async remaining(key: string): Promise<number> {
    const row = await this.db.selectFrom('common_cacheentry').select('expires').where('cache_key', '=', key).executeTakeFirst();
    if (!row) return 0;
    const left = new Date(`${row.expires.replace(' ', 'T')}Z`).getTime() - this.clock.now().getTime();
    return Math.max(0, Math.ceil(left / 1000));
  }

  async get<T>(key: string): Promise<T | undefined> {
    const row = await this.db
      .selectFrom('common_cacheentry')
      .select('value')
      .where('cache_key', '=', key)
      .where('expires', '>', toDbDateTime(this.clock.now()))
      .executeTakeFirst();
    return row === undefined ? undefined : (JSON.parse(row.value) as T);
  }

  async set(key: string, value: unknown, seconds: number): Promise<void> {
    await this.db
      .insertInto('common_cacheentry')
      .values({ cache_key: key, value: JSON.stringify(value), expires: this.expiry(seconds) })
      .onConflict((oc) => oc.column('cache_key').doUpdateSet((eb) => ({ value: eb.ref('excluded.value'), expires: eb.ref('excluded.expires') })))
      .execute();
  }

  /** Stores the value only if the key is absent or expired; true if it did (Django's cache.add). Atomic: one statement. */
  async add(key: string, value: unknown, seconds: number): Promise<boolean> {
    const now = toDbDateTime(this.clock.now());
    const result = await sql`
      INSERT INTO common_cacheentry (cache_key, value, expires) VALUES (${key}, ${JSON.stringify(value)}, ${this.expiry(seconds)})
      ON CONFLICT (cache_key) DO UPDATE SET value = excluded.value, expires = excluded.expires
      WHERE common_cacheentry.expires <= ${now}`.execute(this.db);
    return (result.numAffectedRows ?? 0n) > 0n;
  }

  async delete(key: string): Promise<void> {
    await this.db.deleteFrom('common_cacheentry').where('cache_key', '=', key).execute();
  }

  /** Deletes the entry only if it still holds `value`: of two processes doing this, one wins. */
  async deleteIf(key: string, value: unknown): Promise<boolean> {
    const result = await this.db.deleteFrom('common_cacheentry').where('cache_key', '=', key).where('value', '=', JSON.stringify(value)).executeTakeFirst();
    return Number(result.numDeletedRows) === 1;
  }

  /** Deletes expired entries; returns how many. */
  async clearExpired(): Promise<number> {
    const result = await this.db.deleteFrom('common_cacheentry').where('expires', '<=', toDbDateTime(this.clock.now())).executeTakeFirst();
    return Number(result.numDeletedRows);
  }
}

export async function clearExpiredSessions(db: Db, clock: Clock): Promise<number> {
  const result = await db.deleteFrom('common_session').where('expire_date', '<', toDbDateTime(clock.now())).executeTakeFirst();
  return Number(result.numDeletedRows);
}

/** The cache table as 0001_initial makes it, for a database that lost it. */
export async function createCacheTable(db: Db): Promise<void> {
  const datetime = backendOf(db) === 'postgres' ? sql`timestamptz` : sql`datetime`;
  await sql`CREATE TABLE IF NOT EXISTS "common_cacheentry" ("cache_key" varchar(255) not null primary key, "value" text not null, "expires" ${datetime} not null)`.execute(db);
  await sql`CREATE INDEX IF NOT EXISTS "common_cacheentry_expires" on "common_cacheentry" ("expires")`.execute(db);
}
