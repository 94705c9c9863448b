import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Kysely } from 'kysely';
import { openDatabase, openPostgres, postgresDatabases } from '../../db/connection.ts';
import type { Database } from '../../db/schema.ts';
import { isDatabaseUrl, parsePostgresUrl, withDatabaseName } from '../common/database-url.ts';
import { CommandError } from '../common/errors.ts';
import type { Settings } from '../common/settings.ts';

/**
 * testserver's fresh database: a temporary SQLite file (the configured one is never opened), or,
 * on PostgreSQL, test_<name> on the configured server, as Django's test runner makes it. `remove`
 * deletes it (the file's folder, or DROP DATABASE).
 */
export async function throwAwayDatabase(
  settings: Settings,
  env: Record<string, string | undefined>,
  options: { say: (line: string) => void; mayDrop: (name: string) => Promise<boolean> },
): Promise<{ db: Kysely<Database>; remove: () => Promise<void> }> {
  const configured = settings.databasePath;
  if (!isDatabaseUrl(configured)) {
    const folder = mkdtempSync(join(tmpdir(), 'confctl-testserver-'));
    const db = openDatabase(join(folder, 'db.sqlite3'), { busyTimeout: settings.values['database.busy_timeout'] });
    return { db, remove: async () => rmSync(folder, { recursive: true, force: true }) };
  }
  const name = `test_${parsePostgresUrl(configured, env).database}`;
  const onServer = async <T>(work: (server: Awaited<ReturnType<typeof postgresDatabases>>) => Promise<T>): Promise<T> => {
    const server = await postgresDatabases(configured, env);
    try {
      return await work(server);
    } finally {
      await server.close();
    }
  };
  await onServer(async (server) => {
    options.say(`Creating test database for alias 'default' ('${name}')...`);
    if (await server.exists(name)) {
      if (!(await options.mayDrop(name))) throw new CommandError('Tests cancelled.');
      options.say(`Destroying old test database for alias 'default' ('${name}')...`);
      await server.drop(name);
    }
    await server.create(name);
  });
  const db = await openPostgres(withDatabaseName(configured, name), { env, poolSize: 4 });
  return {
    db,
    remove: () =>
      onServer(async (server) => {
        options.say(`Destroying test database for alias 'default' ('${name}')...`);
        await server.drop(name);
      }),
  };
}
