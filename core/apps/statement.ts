import { sql, type Kysely } from 'kysely';
import { backendOf } from '../../db/connection.ts';
import type { MigrationContext } from './api.ts';
import { CommandError } from '../common/errors.ts';

/** An app's SQL with `?` for each parameter, bound by kysely as the database wants it (SQLite or PostgreSQL). */
export function statement(text: string, params: readonly unknown[]) {
  const parts = text.split('?');
  if (parts.length - 1 !== params.length) throw new CommandError(`The statement has ${parts.length - 1} ? placeholder(s) for ${params.length} parameter(s): ${text.slice(0, 80)}`);
  return sql<Record<string, unknown>>(Object.assign([...parts], { raw: [...parts] }) as unknown as TemplateStringsArray, ...params);
}

/** The database as an app sees it (a migration, a task, a test): which one, and statements with `?` parameters. */
export function appDatabase(db: Kysely<any>): MigrationContext {
  return {
    backend: backendOf(db) === 'postgres' ? 'postgresql' : 'sqlite',
    execute: async (text, ...params) => Number((await statement(text, params).execute(db)).numAffectedRows ?? 0),
    query: async (text, ...params) => (await statement(text, params).execute(db)).rows,
  };
}
