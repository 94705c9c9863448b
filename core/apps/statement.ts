import { sql } from 'kysely';
import { CommandError } from '../common/errors.ts';

/** An app's SQL with `?` for each parameter, bound by kysely as the database wants it (SQLite or PostgreSQL). */
export function statement(text: string, params: readonly unknown[]) {
  const parts = text.split('?');
  if (parts.length - 1 !== params.length) throw new CommandError(`The statement has ${parts.length - 1} ? placeholder(s) for ${params.length} parameter(s): ${text.slice(0, 80)}`);
  return sql<Record<string, unknown>>(Object.assign([...parts], { raw: [...parts] }) as unknown as TemplateStringsArray, ...params);
}
