import { CommandError } from '../common/errors.ts';
import { createApp, SECURITY_HEADERS, type AppOptions } from './app.ts';

/** Django's addrport: "8000", "0.0.0.0:8000", "[::1]:8000". */
export function parseAddrport(text: string): { hostname: string; port: number } {
  const match = /^(?:\[([0-9a-fA-F:.]+)\]|([A-Za-z0-9.-]+))?:?(\d+)$/.exec(text) ?? (/^\d+$/.test(text) ? [text, undefined, undefined, text] : null);
  const port = match ? Number(match[3]) : NaN;
  if (!match || !Number.isInteger(port) || port < 0 || port > 65535 || (match[2] !== undefined && /^\d+$/.test(text))) {
    throw new CommandError(`"${text}" is not a valid port number or address:port pair.`);
  }
  return { hostname: match[1] ?? match[2] ?? '127.0.0.1', port };
}

/**
 * Bun.serve around the app, as runserver and testserver both start it: request bodies up to 64 KiB,
 * an error in one request is one line on the log and a plain 500 (never a stack trace to the client),
 * and a taken port or bad address is a CommandError.
 */
export function listen(hostname: string, port: number, options: Omit<AppOptions, 'address'>, onError: (message: string) => void): { server: ReturnType<typeof Bun.serve>; url: string } {
  let server: ReturnType<typeof Bun.serve>;
  const app = createApp({ ...options, address: (request) => server.requestIP(request)?.address ?? 'unknown' });
  try {
    server = Bun.serve({
      hostname,
      port,
      fetch: app,
      maxRequestBodySize: 64 * 1024,
      development: false,
      error(error) {
        onError(`Internal error: ${error.message}`);
        return new Response('Internal server error\n', { status: 500, headers: SECURITY_HEADERS });
      },
    });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EADDRINUSE') throw new CommandError('That port is already in use.');
    throw new CommandError(`Cannot listen on ${hostname}:${port}: ${(error as Error).message}`);
  }
  return { server, url: `http://${hostname.includes(':') ? `[${hostname}]` : hostname}:${server.port}/` };
}
