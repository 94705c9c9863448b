import { CommandError, UsageError } from '../common/errors.ts';
import { runtime, type HttpServer } from '../../platform/index.ts';
import { databaseUnavailable } from '../../db/connection.ts';
import { createApp, SECURITY_HEADERS, type AppOptions } from './app.ts';

const DEFAULT_ADDRESS = '127.0.0.1';
export const DEFAULT_PORT = 8000;
/** What a 503 asks the client to wait: about the time a database server takes to restart. */
const RETRY_AFTER_SECONDS = 5;

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
 * The runtime's HTTP server around the app, as runserver and testserver both start it: request
 * bodies up to 64 KiB, an error in one request is one line on the log and a plain 500 (never a
 * stack trace to the client), or a 503 with Retry-After while the database server cannot be reached,
 * and a taken port or bad address is a CommandError.
 */
export function listen(hostname: string, port: number, options: Omit<AppOptions, 'address'>, onError: (message: string) => void): { server: HttpServer; url: string } {
  const addresses = new WeakMap<Request, string>();
  const app = createApp({ warn: onError, ...options, address: (request) => addresses.get(request) ?? 'unknown' });
  let server: HttpServer;
  try {
    server = runtime().serve({
      hostname,
      port,
      fetch: (request, address) => {
        addresses.set(request, address);
        return app(request);
      },
      maxRequestBodySize: 64 * 1024,
      error(error) {
        // The database server down, restarting or out of connections: the client may try again soon.
        if (databaseUnavailable(error)) {
          onError(`Service unavailable: ${error.message}`);
          return new Response('Service unavailable: the database cannot be reached; try again in a moment.\n', { status: 503, headers: { ...SECURITY_HEADERS, 'Cache-Control': 'no-store', 'Retry-After': String(RETRY_AFTER_SECONDS) } });
        }
        onError(`Internal error: ${error.message}`);
        return new Response('Internal server error\n', { status: 500, headers: SECURITY_HEADERS });
      },
    });
  } catch (error) {
    const code = (error as { code?: string }).code;
    if (code === 'EADDRINUSE') throw new UsageError('Error: That port is already in use.');
    // A host name that resolves to nothing, or an address this machine does not have: said in words,
    // the same under every runtime (Bun said "ENOENT: no such file or directory, listen").
    if (code === 'ENOTFOUND' || code === 'ENOENT' || code === 'EAI_AGAIN') throw new CommandError(`Cannot listen on ${hostname}:${port}: no such host ("${hostname}" does not resolve to an address).`);
    if (code === 'EADDRNOTAVAIL') throw new CommandError(`Cannot listen on ${hostname}:${port}: that address is not one of this machine's.`);
    throw new CommandError(`Cannot listen on ${hostname}:${port}: ${(error as Error).message}`);
  }
  return { server, url: `http://${hostname.includes(':') ? `[${hostname}]` : hostname}:${server.port}/` };
}
