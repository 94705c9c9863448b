import { CommandError, UsageError } from '../common/errors.ts';
import { runtime, type HttpServer } from '../../platform/index.ts';
import { databaseUnavailable } from '../../db/connection.ts';
import { createApp, SECURITY_HEADERS, type AppOptions } from './app.ts';
import { fstatSync, lstatSync, rmSync } from 'node:fs';
import { connect, createServer } from 'node:net';
import { dirname, resolve as resolvePath } from 'node:path';
import { attachResponder, LIMITS } from './fastcgi.ts';
import { describeBind, type FcgiOptions } from './fcgi-options.ts';

const DEFAULT_ADDRESS = '127.0.0.1';
export const DEFAULT_PORT = 8000;
/** What a 503 asks the client to wait: about the time a database server takes to restart. */
const RETRY_AFTER_SECONDS = 5;
/** The largest request body runserver and runfcgi take (a login form is a few hundred bytes). */
export const MAX_BODY = 64 * 1024;

const ipv4 = /^\d{1,3}(?:\.\d{1,3}){3}$/;
const hostname = /^[a-zA-Z0-9-]+(?:\.[a-zA-Z0-9-]+)*$/;
const ipv6 = /^\[([0-9a-fA-F:.]+)\]$/;

/** An address without its port: IPv4, a host name, or [IPv6]; null when it is none of them. */
function parseAddress(text: string): string | null {
  if (text === '0') return '0.0.0.0'; // Django's shorthand: `runserver 0:8000`
  if (ipv4.test(text)) return text.split('.').every((octet) => Number(octet) <= 255) ? text : null;
  const v6 = ipv6.exec(text);
  if (v6) return v6[1]!.includes(':') ? v6[1]! : null;
  // A host name is never all digits (that is a port) and never a dotted quad out of range.
  return hostname.test(text) && !/^[\d.]+$/.test(text) ? text : null;
}

/**
 * Django's addrport, and the forms its documentation shows: `PORT`, `ADDR:PORT`, `[IPv6]:PORT`,
 * a host name with or without a port, and `0:PORT` for 0.0.0.0; confctl also takes an address alone
 * (port 8000), which Django refuses. The default address is 127.0.0.1; port 0 picks a free port.
 */
export function parseAddrport(text: string): { hostname: string; port: number } {
  const invalid = () => new CommandError(`"${text}" is not a valid port number or address:port pair.`);
  const port = (digits: string) => {
    const value = Number(digits);
    if (!/^\d{1,5}$/.test(digits) || value > 65535) throw invalid();
    return value;
  };
  if (/^\d+$/.test(text)) return { hostname: DEFAULT_ADDRESS, port: port(text) };
  const address = parseAddress(text);
  if (address !== null) return { hostname: address, port: DEFAULT_PORT };
  const colon = text.lastIndexOf(':');
  if (colon <= 0) throw invalid();
  const host = parseAddress(text.slice(0, colon));
  if (host === null) throw invalid();
  return { hostname: host, port: port(text.slice(colon + 1)) };
}

/**
 * runserver's request handler, which runfcgi shares: an error in one request is one line on the log
 * and a plain 500 (never a stack trace to the client), or a 503 with Retry-After while the database
 * server cannot be reached.
 */
export function requestHandler(options: Omit<AppOptions, 'address'>, onError: (message: string) => void): { handle: (request: Request, address: string) => Promise<Response>; failed: (error: Error) => Response } {
  const addresses = new WeakMap<Request, string>();
  const app = createApp({ warn: onError, ...options, address: (request) => addresses.get(request) ?? 'unknown' });
  const failed = (error: Error): Response => {
    // The database server down, restarting or out of connections: the client may try again soon.
    if (databaseUnavailable(error)) {
      onError(`Service unavailable: ${error.message}`);
      return new Response('Service unavailable: the database cannot be reached; try again in a moment.\n', { status: 503, headers: { ...SECURITY_HEADERS, 'Cache-Control': 'no-store', 'Retry-After': String(RETRY_AFTER_SECONDS) } });
    }
    onError(`Internal error: ${error.message}`);
    return new Response('Internal server error\n', { status: 500, headers: SECURITY_HEADERS });
  };
  return {
    async handle(request, address) {
      addresses.set(request, address);
      try {
        return await app(request);
      } catch (error) {
        return failed(error as Error);
      }
    },
    failed,
  };
}

/**
 * The runtime's HTTP server around the app, as runserver and testserver both start it: request
 * bodies up to 64 KiB, errors answered as requestHandler says, and a taken port or bad address is a
 * CommandError.
 */
export function listen(hostname: string, port: number, options: Omit<AppOptions, 'address'>, onError: (message: string) => void): { server: HttpServer; url: string } {
  const { handle, failed } = requestHandler(options, onError);
  let server: HttpServer;
  try {
    server = runtime().serve({ hostname, port, fetch: handle, maxRequestBodySize: MAX_BODY, error: failed });
  } catch (error) {
    throw listenError(error, `${hostname}:${port}`);
  }
  return { server, url: `http://${hostname.includes(':') ? `[${hostname}]` : hostname}:${server.port}/` };
}

/** Why listening failed, said in words, the same under every runtime. */
export function listenError(error: unknown, where: string): Error {
  const code = (error as { code?: string }).code;
  if (code === 'EADDRINUSE') return new UsageError('Error: That port is already in use.');
  // A host name that resolves to nothing, or an address this machine does not have: said in words,
  // the same under every runtime (Bun said "ENOENT: no such file or directory, listen").
  if (code === 'ENOTFOUND' || code === 'ENOENT' || code === 'EAI_AGAIN') return new CommandError(`Cannot listen on ${where}: no such host ("${where.slice(0, where.lastIndexOf(':'))}" does not resolve to an address).`);
  if (code === 'EADDRNOTAVAIL') return new CommandError(`Cannot listen on ${where}: that address is not one of this machine's.`);
  if (code === 'EACCES') return new CommandError(`Cannot listen on ${where}: permission denied.`);
  // A unix socket in a folder on a read-only mount (the runtime said only "Failed to listen at …").
  if (code === 'EROFS') return new CommandError(`Cannot listen on ${where}: the folder is on a read-only file system.`);
  return new CommandError(`Cannot listen on ${where}: ${(error as Error).message}`);
}

/**
 * runfcgi's server: the same handler as runserver, over FastCGI on a TCP address, a unix socket
 * (a stale socket file left by a killed server is replaced; one a live server answers on is not), or
 * the listening socket a web server passes on standard input (mod_fcgid, spawn-fcgi).
 */
export async function listenFastcgi(bind: FcgiOptions['bind'], options: Omit<AppOptions, 'address'>, onError: (message: string) => void, onRequest: () => void = () => {}): Promise<{ stop(): Promise<void>; where: string }> {
  const { handle } = requestHandler(options, onError);
  const server = createServer({ allowHalfOpen: false });
  // runserver's body limit, the one number for both servers.
  const responder = attachResponder(server, (request, address) => {
    onRequest();
    return handle(request, address);
  }, onError, { ...LIMITS, maxBody: MAX_BODY });
  const where = describeBind(bind);
  if (bind.kind === 'unix') await clearStaleSocket(bind.path);
  if (bind.kind === 'stdin' && !isSocket(0)) throw new CommandError('Standard input is not a listening socket (a web server that spawns runfcgi passes one): to run it yourself give host= and port=, or socket=.');
  await new Promise<void>((resolve, reject) => {
    server.once('error', (error) => {
      const code = (error as { code?: string }).code;
      if (bind.kind === 'unix' && code === 'EADDRINUSE') return reject(new CommandError(`Cannot listen on ${where}: the socket file is in use.`));
      if (bind.kind === 'unix' && code === 'ENOENT') return reject(new CommandError(`Cannot listen on ${where}: the folder ${dirname(resolvePath(bind.path))} does not exist.`));
      reject(listenError(error, where));
    });
    const done = () => resolve();
    if (bind.kind === 'tcp') server.listen({ host: bind.host, port: bind.port }, done);
    else if (bind.kind === 'unix') server.listen({ path: bind.path }, done);
    else server.listen({ fd: 0 }, done);
  });
  const port = bind.kind === 'tcp' ? (server.address() as { port: number }).port : 0;
  return {
    where: bind.kind === 'tcp' ? describeBind({ ...bind, port }) : where,
    async stop() {
      await responder.stop();
      if (bind.kind === 'unix') rmSync(bind.path, { force: true });
    },
  };
}

function isSocket(fd: number): boolean {
  try {
    return fstatSync(fd).isSocket();
  } catch {
    return false;
  }
}

/** A socket file nobody answers on (its server was killed) is removed; anything else is left and said. */
async function clearStaleSocket(path: string): Promise<void> {
  let stat;
  try {
    stat = lstatSync(path);
  } catch {
    return;
  }
  if (!stat.isSocket()) throw new CommandError(`Cannot listen on unix:${path}: the file exists and is not a socket.`);
  const live = await new Promise<boolean>((resolve) => {
    const probe = connect({ path }, () => {
      probe.destroy();
      resolve(true);
    });
    probe.once('error', () => resolve(false));
  });
  if (live) throw new CommandError(`Cannot listen on unix:${path}: another server is listening on it.`);
  rmSync(path, { force: true });
}
