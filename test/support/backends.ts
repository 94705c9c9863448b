import { postgresServer } from './postgres.ts';

/**
 * The two databases a command runs on (issue 16): SQLite, the default file below the working
 * folder, and PostgreSQL, a fresh database of the private test cluster. `args` are what a command
 * line needs to use it.
 */
export type BackendName = 'sqlite' | 'postgres';
export const BACKENDS: readonly BackendName[] = ['sqlite', 'postgres'];

export interface Backend {
  readonly name: BackendName;
  readonly args: string[];
  /** The database as the -v 2 header and error lines name it. */
  readonly label: string;
}

export async function backend(name: BackendName, cwd: string): Promise<Backend> {
  if (name === 'sqlite') return { name, args: [], label: `${cwd}/data/db.sqlite3` };
  const url = (await postgresServer()).createDatabase();
  return { name, args: ['--database', url], label: url };
}
