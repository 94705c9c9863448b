import { chownSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from './port.ts';

/**
 * A private PostgreSQL cluster for the tests (Debian's postgresql, as .ci/run installs it): created
 * in a temporary folder on first use, once per test process, and removed when the process exits.
 * It listens on its own socket folder and on 127.0.0.1 at a free port; over the socket every role
 * is trusted, over TCP a password is checked (scram-sha-256), so both ways of connecting are tested.
 * There is no fallback: without PostgreSQL the tests that need it fail, saying what to install.
 */
export interface PostgresServer {
  /** The socket folder. */
  readonly socketDir: string;
  readonly port: number;
  /** A URL over the socket, as the superuser `confctl` (no password). */
  url(database: string): string;
  /** A URL over TCP as `user` with `password` (createRole makes them). */
  tcpUrl(database: string, user: string, password: string): string;
  /** A new database, empty or a copy of `template`; its URL over the socket. */
  createDatabase(prefix?: string, template?: string): string;
  createRole(user: string, password: string): void;
  /** Runs SQL with psql (-At: unaligned rows, no headers) and returns what it printed. */
  psql(database: string, sql: string): string;
  /** psql's command line for `database`, to run as a session of its own (its SQL on stdin). */
  psqlCommand(database: string): string[];
}

const ROOT = '/usr/lib/postgresql';
let server: PostgresServer | null = null;
let stop: (() => void) | null = null;
let count = 0;

/** Stops the cluster and removes its folder (test/setup.ts, after all tests). */
export function stopPostgresServer(): void {
  stop?.();
}

function binaries(): string {
  const versions = existsSync(ROOT) ? readdirSync(ROOT).filter((v) => existsSync(join(ROOT, v, 'bin', 'initdb'))).sort((a, b) => Number(b) - Number(a)) : [];
  if (versions.length === 0) throw new Error("Debian's postgresql is needed for this test: apt-get install postgresql (.ci/run installs it).");
  return join(ROOT, versions[0]!, 'bin');
}

function run(argv: string[], asUser: boolean): string {
  // initdb and postgres refuse to run as root: the cluster belongs to nobody.
  const full = asUser && process.getuid?.() === 0 ? ['setpriv', '--reuid=nobody', '--regid=nogroup', '--clear-groups', ...argv] : argv;
  const result = Bun.spawnSync(full, { stdout: 'pipe', stderr: 'pipe', env: { PATH: process.env.PATH ?? '', LANG: 'C.UTF-8' } });
  if (result.exitCode !== 0) throw new Error(`${argv.join(' ')} failed (${result.exitCode}):\n${result.stderr.toString()}${result.stdout.toString()}`);
  return result.stdout.toString();
}

export async function postgresServer(): Promise<PostgresServer> {
  if (server !== null) return server;
  const bin = binaries();
  const dir = mkdtempSync(join(tmpdir(), 'confctl-pg-'));
  if (process.getuid?.() === 0) chownSync(dir, 65534, 65534);
  const port = await freePort();
  const data = join(dir, 'data');
  run([join(bin, 'initdb'), '-D', data, '-U', 'confctl', '--auth-local=trust', '--auth-host=scram-sha-256', '-E', 'UTF8', '--locale=C.UTF-8', '--no-sync'], true);
  const options = `-k ${dir} -p ${port} -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200`;
  run([join(bin, 'pg_ctl'), '-D', data, '-l', join(dir, 'log'), '-o', options, '-w', '-t', '30', 'start'], true);
  stop = () => {
    stop = null;
    server = null;
    Bun.spawnSync([...(process.getuid?.() === 0 ? ['setpriv', '--reuid=nobody', '--regid=nogroup', '--clear-groups'] : []), join(bin, 'pg_ctl'), '-D', data, '-m', 'immediate', '-w', 'stop'], { stdout: 'ignore', stderr: 'ignore' });
    rmSync(dir, { recursive: true, force: true });
  };
  process.once('exit', stopPostgresServer);
  const psqlCommand = (database: string) => [join(bin, 'psql'), '-X', '-q', '-At', '-v', 'ON_ERROR_STOP=1', '-h', dir, '-p', String(port), '-U', 'confctl', '-d', database];
  const psql = (database: string, sql: string) => run([...psqlCommand(database), '-c', sql], false);
  server = {
    socketDir: dir,
    port,
    url: (database) => `postgres:///${database}?host=${encodeURIComponent(dir)}&port=${port}&user=confctl`,
    tcpUrl: (database, user, password) => `postgres://${encodeURIComponent(user)}:${encodeURIComponent(password)}@127.0.0.1:${port}/${database}`,
    createDatabase(prefix = 'confctl_test', template?: string) {
      const name = `${prefix}_${process.pid}_${++count}`;
      psql('postgres', `CREATE DATABASE ${name}${template ? ` TEMPLATE ${template}` : ''}`);
      return this.url(name);
    },
    createRole(user, password) {
      psql('postgres', `CREATE ROLE "${user}" LOGIN PASSWORD '${password.replaceAll("'", "''")}'`);
    },
    psql,
    psqlCommand,
  };
  return server;
}
