// runfcgi's KEY=VALUE settings, as Django 1.0's `runfcgi` (django/core/servers/fastcgi.py) reads them.
import { CommandError } from '../common/errors.ts';

export interface FcgiOptions {
  /** Where to listen: a TCP address, a unix socket, or the socket the web server passes on stdin. */
  bind: { kind: 'tcp'; host: string; port: number } | { kind: 'unix'; path: string } | { kind: 'stdin' };
  daemonize: boolean;
  pidfile: string | null;
  /** Requests served before the process ends (for its supervisor to start a fresh one); 0: no limit. */
  maxrequests: number;
  umask: number | null;
  workdir: string | null;
  outlog: string | null;
  errlog: string | null;
}

/** Each key Django 1.0 knows, with what it takes. */
export const KEYS = ['protocol', 'host', 'port', 'socket', 'method', 'maxspare', 'minspare', 'maxchildren', 'maxrequests', 'daemonize', 'pidfile', 'workdir', 'debug', 'outlog', 'errlog', 'umask'] as const;
type Key = (typeof KEYS)[number];

const TRUE = ['true', 'yes', 't'];
const FALSE = ['false', 'no', 'f'];

function bool(key: string, value: string): boolean {
  if (TRUE.includes(value.toLowerCase())) return true;
  if (FALSE.includes(value.toLowerCase())) return false;
  throw new CommandError(`Invalid option for ${key} parameter: "${value}" (true or false).`);
}

function count(key: string, value: string): number {
  if (!/^\d{1,9}$/.test(value)) throw new CommandError(`Invalid option for ${key} parameter: "${value}" (a whole number).`);
  return Number(value);
}

/** `help` alone asks for the help; otherwise the settings, every one checked. */
export function parseFcgiOptions(words: readonly string[]): FcgiOptions | 'help' {
  const given = new Map<Key, string>();
  for (const word of words) {
    const eq = word.indexOf('=');
    const key = (eq < 0 ? word : word.slice(0, eq)).toLowerCase();
    if (key === 'help' && eq < 0) return 'help';
    if (!(KEYS as readonly string[]).includes(key)) throw new CommandError(`Unknown runfcgi setting "${key}": the settings are ${KEYS.join(', ')} (see runfcgi --help).`);
    if (eq < 0) throw new CommandError(`runfcgi setting "${key}" needs a value: ${key}=VALUE.`);
    given.set(key as Key, word.slice(eq + 1));
  }
  const get = (key: Key) => given.get(key);

  const protocol = get('protocol') ?? 'fcgi';
  if (protocol !== 'fcgi') throw new CommandError(`Protocol "${protocol}" is not served: confctl speaks FastCGI only (protocol=fcgi); for SCGI or AJP put runserver behind the web server as a proxy.`);
  const method = get('method') ?? 'prefork';
  if (!['prefork', 'fork', 'threaded', 'thread'].includes(method)) throw new CommandError('ERROR: Implementation must be one of prefork or thread.');
  for (const key of ['maxspare', 'minspare', 'maxchildren'] as const) if (given.has(key)) count(key, get(key)!);
  if (given.has('debug')) bool('debug', get('debug')!);

  const host = get('host');
  const port = get('port');
  const socket = get('socket');
  let bind: FcgiOptions['bind'];
  if (host !== undefined && port !== undefined && socket === undefined) {
    if (host === '' || /[\s/]/.test(host)) throw new CommandError(`Invalid host "${host}".`);
    if (!/^\d{1,5}$/.test(port) || Number(port) > 65535) throw new CommandError(`"${port}" is not a valid port number.`);
    bind = { kind: 'tcp', host: host.replace(/^\[(.*)\]$/, '$1'), port: Number(port) };
  } else if (socket !== undefined && host === undefined && port === undefined) {
    if (socket === '') throw new CommandError('socket= needs the path of the socket file.');
    bind = { kind: 'unix', path: socket };
  } else if (host === undefined && port === undefined && socket === undefined) {
    bind = { kind: 'stdin' };
  } else {
    throw new CommandError('Invalid combination of host, port, socket.');
  }

  const umask = get('umask');
  if (umask !== undefined && !/^[0-7]{1,4}$/.test(umask)) throw new CommandError(`Invalid option for umask parameter: "${umask}" (octal, such as 022).`);
  const path = (key: Key) => {
    const value = get(key);
    if (value === '') throw new CommandError(`${key}= needs a path.`);
    return value ?? null;
  };
  return {
    bind,
    daemonize: given.has('daemonize') ? bool('daemonize', get('daemonize')!) : false,
    pidfile: path('pidfile'),
    maxrequests: given.has('maxrequests') ? count('maxrequests', get('maxrequests')!) : 0,
    umask: umask === undefined ? null : parseInt(umask, 8),
    workdir: path('workdir'),
    outlog: path('outlog'),
    errlog: path('errlog'),
  };
}

/** Where the server listens, as its start line says it. */
export function describeBind(bind: FcgiOptions['bind']): string {
  if (bind.kind === 'tcp') return `${bind.host.includes(':') ? `[${bind.host}]` : bind.host}:${bind.port}`;
  return bind.kind === 'unix' ? `unix:${bind.path}` : 'the socket on standard input';
}
