import { existsSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { CommandError } from '../core/common/errors.ts';
import { listen, parseAddrport } from '../core/serve/listen.ts';
import { defineConfctlCommand } from './_kit/command.ts';
import { siteUrlIsDefault } from '../core/common/settings.ts';
import { openServing, staticFolder } from './_kit/serving.ts';

export default defineConfctlCommand({
  meta: { name: 'runserver', description: 'Serves the public schedules, their feeds and a Pretalx-compatible API from the database.' },
  args: {
    addrport: { type: 'positional', required: false, valueHint: 'ADDR:PORT', description: 'Where to listen: PORT, ADDR (port 8000), ADDR:PORT, [IPv6]:PORT, a host name, or 0:PORT for every address (default 127.0.0.1:8000; port 0 picks a free one).' },
    noreload: { type: 'boolean', description: 'Do not restart when the source files change (from a source checkout only; the binary never reloads).' },
    'insecure-serve-static': { type: 'boolean', description: 'Also serve the static folder (filesystem.static) below /static/.' },
    adminmedia: { type: 'string', valueHint: 'DIR', description: "Django 1.0's flag: serve the files of DIR below /static/ (instead of the static folder)." },
  },
  epilog: [
    'Unlike Django’s development server this one is meant to face traffic behind a reverse proxy: pages are',
    'rendered from the database (the same code as export_schedule_html, in a worker thread) and cached until the event changes,',
    'with ETag, gzip and security headers. SIGINT or SIGTERM stops it cleanly: requests in flight finish.',
    'Without a [site] url setting, the absolute links of the feeds point at this server (http://ADDR:PORT).',
    'On PostgreSQL several servers may share the database: a page asked for after any process’s commit is never the old one.',
  ].join('\n'),
  async run(ctx) {
    const { hostname, port } = parseAddrport(ctx.args.addrport ?? '127.0.0.1:8000');
    const media = ctx.args.adminmedia;
    if (media !== undefined && !(existsSync(resolve(ctx.io.cwd, media)) && statSync(resolve(ctx.io.cwd, media)).isDirectory())) {
      throw new CommandError(`--adminmedia: ${resolve(ctx.io.cwd, media)} is not a folder.`);
    }
    if (ctx.io.env.CONFCTL_RUN_MAIN === 'true') ctx.logger.info('Watching for file changes with fs.watch');
    // Without a configured [site] url, the feeds' absolute links point at this server itself (not at port 8000).
    const siteUrl = siteUrlIsDefault(ctx.settings) && port !== 0 ? `http://${['0.0.0.0', '::'].includes(hostname) ? 'localhost' : hostname.includes(':') ? `[${hostname}]` : hostname}:${port}` : ctx.settings.values['site.url'];
    const staticDir = media !== undefined ? resolve(ctx.io.cwd, media) : ctx.args['insecure-serve-static'] ? staticFolder(ctx) : undefined;
    const serving = await openServing(ctx, siteUrl, staticDir);
    const { server, url } = listen(hostname, port, serving.options, (message) => ctx.logger.error(message));
    // Listen for the stop signals before saying where we are: a client may send one at once.
    const stopped = ctx.io.waitForStop?.() ?? new Promise<string>(() => {});
    ctx.out(`Starting server at ${url}`);
    ctx.out('Quit the server with CONTROL-C.');
    const signal = await stopped;
    ctx.logger.info(`${signal}: stopping after the requests in flight…`);
    await server.stop();
    serving.close();
  },
});
