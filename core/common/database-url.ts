import { existsSync, readFileSync } from 'node:fs';
import { userInfo } from 'node:os';
import { CommandError } from './errors.ts';

/**
 * PostgreSQL connection URLs as libpq reads them (`postgresql://[user[:password]@][host][:port][/dbname][?param=value&…]`),
 * so that a URL that works with psql works here: a host that is a folder (percent-encoded in the
 * authority, or `?host=/var/run/postgresql`) is a Unix socket; missing parts come from PGHOST, PGPORT,
 * PGUSER, PGPASSWORD and PGDATABASE, then libpq's defaults (Debian's socket folder, port 5432, the
 * user's login name, a database named after the user).
 */

/** Whether a database setting is a server's URL (PostgreSQL: postgres:// or postgresql://) rather than an SQLite file. */
export function isDatabaseUrl(value: string): boolean {
  return /^postgres(ql)?:\/\//i.test(value);
}

/**
 * A database setting as it may be printed: a password replaced by ********, whatever the value looks like. A URL of
 * any scheme (mysql://, a mistyped postgress://) or a path that holds `name:secret@` (postgres//app:pw@host/db, taken
 * for a file) is masked from the first ":" after the scheme to the last "@", so that a password holding unencoded
 * "@", "/", "#" or "?" is hidden too; so is ?password=, and password=… of a libpq key=value string.
 */
export function maskDatabaseUrl(value: string): string {
  let masked = value;
  const at = value.lastIndexOf('@');
  if (at !== -1) {
    const afterScheme = /^[a-z][a-z0-9+.-]*:\/\//i.exec(value)?.[0].length ?? 0;
    const colon = value.indexOf(':', afterScheme);
    if (colon !== -1 && colon < at) masked = `${value.slice(0, colon + 1)}********${value.slice(at)}`;
  }
  return masked.replace(/([?&]password=)[^&#]*/gi, '$1********').replace(/(^|\s)(password\s*=\s*)('(?:[^'\\]|\\.)*'?|\S*)/gi, '$1$2********');
}

/** The scheme of a value written as a URL (`mysql` of mysql://…), or null for a path. */
export function urlScheme(value: string): string | null {
  return /^([a-z][a-z0-9+.-]*):\/\//i.exec(value)?.[1] ?? null;
}

export type SslMode = 'disable' | 'allow' | 'prefer' | 'require' | 'verify-ca' | 'verify-full';
const SSL_MODES: readonly SslMode[] = ['disable', 'allow', 'prefer', 'require', 'verify-ca', 'verify-full'];

export interface PostgresTarget {
  /** A host name or address; or, for a Unix socket, the folder that holds it. */
  readonly host: string;
  readonly socket: boolean;
  readonly port: number;
  readonly database: string;
  readonly user: string;
  /** Never printed. */
  readonly password: string;
  readonly sslmode: SslMode;
  /** Seconds to wait for the server to answer (connect_timeout; libpq's default is to wait forever, ours 10 s). */
  readonly connectTimeout: number;
}

/** Where a target is, as error messages name it: host and port (or socket folder) and database, never the password. */
export function describeTarget(t: PostgresTarget): string {
  return `${t.socket ? `socket ${t.host}/.s.PGSQL.${t.port}` : `${t.host.includes(':') ? `[${t.host}]` : t.host}:${t.port}`}, database "${t.database}"`;
}

const PARAMETERS = new Set(['host', 'port', 'dbname', 'user', 'password', 'sslmode', 'connect_timeout', 'application_name']);

const decode = (part: string, what: string, url: string) => {
  try {
    return decodeURIComponent(part);
  } catch {
    throw new CommandError(`The database URL ${maskDatabaseUrl(url)} has a malformed ${what} (a stray "%").`);
  }
};

/** Reads a postgres:// URL; `env` gives the PG* fallbacks. One CommandError for anything libpq would refuse. */
export function parsePostgresUrl(url: string, env: Record<string, string | undefined> = {}): PostgresTarget {
  const masked = maskDatabaseUrl(url);
  const match = /^postgres(?:ql)?:\/\/([^/?#]*)([^?#]*)(?:\?([^#]*))?(#.*)?$/i.exec(url);
  if (match === null) throw new CommandError(`The database URL ${masked} is not a postgres:// URL libpq would read.`);
  const [, authority = '', path = '', query = '', fragment] = match;
  // An "@" after the host: a password (or user name) with an unencoded "/", "?" or "#" cut the authority short (and
  // what came before it reads as host:port, a port that is no number).
  const cutShort = !authority.includes('@') && !/^\d*$/.exec(/^(?:\[[^\]]*\]|[^:]*)(?::(.*))?$/.exec(authority)?.[1] ?? '');
  if ((path + (fragment ?? '')).includes('@') || (cutShort && query.includes('@'))) {
    throw new CommandError(`The database URL ${masked} has an "@" after its host: in a user name or password, write "/" as %2F, "?" as %3F, "#" as %23 and "@" as %40.`);
  }
  if (fragment !== undefined) throw new CommandError(`The database URL ${masked} is not a postgres:// URL libpq would read.`);
  const at = authority.lastIndexOf('@');
  const userinfo = at === -1 ? '' : authority.slice(0, at);
  const hostport = at === -1 ? authority : authority.slice(at + 1);
  if (hostport.includes(',')) throw new CommandError(`The database URL ${masked} names several hosts; confctl connects to one.`);
  const colon = userinfo.indexOf(':');
  const fromUrl: Record<string, string> = {};
  if (userinfo !== '') {
    fromUrl.user = decode(colon === -1 ? userinfo : userinfo.slice(0, colon), 'user name', url);
    if (colon !== -1) fromUrl.password = decode(userinfo.slice(colon + 1), 'password', url);
  }
  const hostMatch = /^(\[[^\]]*\]|[^:]*)(?::(.*))?$/.exec(hostport)!;
  const rawHost = hostMatch[1]!.replace(/^\[(.*)\]$/, '$1');
  if (rawHost !== '') fromUrl.host = decode(rawHost, 'host', url);
  if (hostMatch[2] !== undefined && hostMatch[2] !== '') fromUrl.port = hostMatch[2];
  if (path.length > 1) fromUrl.dbname = decode(path.slice(1), 'database name', url);
  for (const pair of query.split('&').filter(Boolean)) {
    const eq = pair.indexOf('=');
    const key = decode(eq === -1 ? pair : pair.slice(0, eq), 'parameter', url);
    const value = decode((eq === -1 ? '' : pair.slice(eq + 1)).replaceAll('+', ' '), `value of ${key}`, url);
    if (!PARAMETERS.has(key)) throw new CommandError(`The database URL ${masked} has a parameter confctl does not know: ${key} (known: ${[...PARAMETERS].join(', ')}).`);
    fromUrl[key] = value;
  }
  const pick = (key: string, envName: string) => fromUrl[key] || env[envName] || undefined;
  const user = pick('user', 'PGUSER') ?? loginName();
  const host = pick('host', 'PGHOST') ?? (existsSync('/var/run/postgresql') ? '/var/run/postgresql' : 'localhost');
  const portText = pick('port', 'PGPORT') ?? '5432';
  const port = Number(portText);
  if (!/^\d+$/.test(portText) || port < 1 || port > 65535) throw new CommandError(`The database URL ${masked} has an invalid port: ${portText}.`);
  const sslmode = (pick('sslmode', 'PGSSLMODE') ?? 'prefer') as SslMode;
  if (!SSL_MODES.includes(sslmode)) throw new CommandError(`The database URL ${masked} has an invalid sslmode: ${sslmode} (one of ${SSL_MODES.join(', ')}).`);
  const timeoutText = pick('connect_timeout', 'PGCONNECT_TIMEOUT') ?? '10';
  const connectTimeout = Number(timeoutText);
  if (!/^\d+$/.test(timeoutText)) throw new CommandError(`The database URL ${masked} has an invalid connect_timeout: ${timeoutText}.`);
  return {
    host,
    socket: host.startsWith('/'),
    port,
    database: pick('dbname', 'PGDATABASE') ?? user,
    user,
    password: fromUrl.password ?? env.PGPASSWORD ?? '',
    sslmode,
    connectTimeout: connectTimeout === 0 ? 10 : connectTimeout,
  };
}

/** The same URL with another database name (testserver's test_<name>): in the path, any ?dbname= dropped. */
export function withDatabaseName(url: string, name: string): string {
  const match = /^(postgres(?:ql)?:\/\/[^/?#]*)([^?#]*)(?:\?([^#]*))?$/i.exec(url);
  if (match === null) throw new CommandError(`The database URL ${maskDatabaseUrl(url)} is not a postgres:// URL libpq would read.`);
  const query = (match[3] ?? '').split('&').filter((pair) => pair !== '' && !/^dbname(=|$)/.test(pair));
  return `${match[1]}/${encodeURIComponent(name)}${query.length > 0 ? `?${query.join('&')}` : ''}`;
}

/**
 * The login name libpq would use (from the user database, as getpwuid): Bun's userInfo() reads $USER and
 * says "unknown" without it (cron, systemd, `env -i`), so the uid is looked up in /etc/passwd then.
 */
function loginName(): string {
  try {
    const { username, uid } = userInfo();
    if (username !== '' && username !== 'unknown') return username;
    const entry = readFileSync('/etc/passwd', 'utf8')
      .split('\n')
      .map((line) => line.split(':'))
      .find((fields) => fields[2] === String(uid));
    if (entry?.[0]) return entry[0];
  } catch {
    // No user database: libpq's own fallback.
  }
  return 'postgres';
}
