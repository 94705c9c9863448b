import { join } from 'node:path';
import { CommandError } from '../core/errors.ts';
import { createApp } from '../core/serve/app.ts';
import { defineConfctlCommand } from './_command.ts';
import { version } from './_version.ts';

/** Django's addrport: "8000", "0.0.0.0:8000", "[::1]:8000". */
export function parseAddrport(text: string): { hostname: string; port: number } {
  const match = /^(?:\[([0-9a-fA-F:.]+)\]|([A-Za-z0-9.-]+))?:?(\d+)$/.exec(text) ?? (/^\d+$/.test(text) ? [text, undefined, undefined, text] : null);
  const port = match ? Number(match[3]) : NaN;
  if (!match || !Number.isInteger(port) || port < 0 || port > 65535 || (match[2] !== undefined && /^\d+$/.test(text))) {
    throw new CommandError(`"${text}" is not a valid port number or address:port pair.`);
  }
  return { hostname: match[1] ?? match[2] ?? '127.0.0.1', port };
}

export default defineConfctlCommand({
  meta: { name: 'runserver', description: 'Serves the public schedules, their feeds and a Pretalx-compatible API from the database.' },
  args: {
    addrport: { type: 'positional', required: false, valueHint: 'ADDR:PORT', description: 'Where to listen: PORT, ADDR:PORT or [IPv6]:PORT (default 127.0.0.1:8000; 0 picks a free port).' },
    noreload: { type: 'boolean', description: 'Accepted for Django’s sake: the binary never reloads.' },
    'insecure-serve-static': { type: 'boolean', description: 'Also serve the static folder (filesystem.static) below /static/.' },
  },
  epilog: [
    'Unlike Django’s development server this one is meant to face traffic behind a reverse proxy: pages are',
    'rendered from the database (the same code as export_schedule_html) and cached until the data changes,',
    'with ETag, gzip and security headers. SIGINT or SIGTERM stops it cleanly: requests in flight finish.',
  ].join('\n'),
  async run(ctx) {
    const { hostname, port } = parseAddrport(ctx.args.addrport ?? '127.0.0.1:8000');
    const db = ctx.database();
    let server: ReturnType<typeof Bun.serve>;
    const app = createApp({
      db,
      siteUrl: ctx.settings.values['site.url'],
      version,
      clock: ctx.clock,
      address: (request) => server.requestIP(request)?.address ?? 'unknown',
      ...(ctx.args['insecure-serve-static'] ? { staticDir: ctx.settings.values['filesystem.static'] || join(ctx.settings.dataDir, 'static') } : {}),
    });
    try {
      server = Bun.serve({ hostname, port, fetch: app, maxRequestBodySize: 64 * 1024, development: false });
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'EADDRINUSE') throw new CommandError('That port is already in use.');
      throw new CommandError(`Cannot listen on ${hostname}:${port}: ${(error as Error).message}`);
    }
    const shown = hostname.includes(':') ? `[${hostname}]` : hostname;
    ctx.out(`Starting server at http://${shown}:${server.port}/`);
    ctx.out('Quit the server with CONTROL-C.');
    const signal = await (ctx.io.waitForStop?.() ?? new Promise<string>(() => {}));
    ctx.logger.info(`${signal}: stopping after the requests in flight…`);
    await server.stop(false);
  },
});
