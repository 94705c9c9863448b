import { existsSync, readFileSync, rmSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { writeAtomically } from '../core/common/atomic.ts';
import { CommandError, errorMessage, UsageError } from '../core/common/errors.ts';
import { siteUrlIsDefault } from '../core/common/settings.ts';
import { daemonReporter, startDaemon } from '../core/serve/daemon.ts';
import { parseFcgiOptions } from '../core/serve/fcgi-options.ts';
import { listenFastcgi } from '../core/serve/listen.ts';
import { defineConfctlCommand } from './_kit/command.ts';
import { renderCommandHelp } from './_kit/help.ts';
import { openServing } from './_kit/serving.ts';

const runfcgi = defineConfctlCommand({
  meta: { name: 'runfcgi', description: 'Serves what runserver serves over FastCGI, for a web server that speaks only FastCGI (Django 1.0’s runfcgi).' },
  args: {
    setting: { type: 'positional', required: false, valueHint: 'KEY=VALUE', description: 'FastCGI settings, as Django 1.0’s runfcgi takes them (below); `help` shows this help.' },
  },
  variadic: true,
  epilog: [
    'Settings (KEY=VALUE):',
    '  host=HOSTNAME port=PORTNUM  listen on a TCP address (port=0 picks a free one)',
    '  socket=FILE                 listen on a unix socket (a stale one left by a killed server is replaced)',
    '                              neither: the listening socket a web server passes on stdin (mod_fcgid, spawn-fcgi)',
    '  daemonize=BOOL              run in the background (default false; Django’s default was true with a socket)',
    '  pidfile=FILE                write the server’s process id to FILE (removed when it stops)',
    '  maxrequests=NUMBER          stop after NUMBER requests, for a supervisor to start a fresh process (0 = no limit)',
    '  umask=UMASK                 umask, in octal, for the socket and the files written (default: inherited)',
    '  workdir=DIRECTORY           the working folder of the background process (default: the current one)',
    '  outlog=FILE errlog=FILE     where the background process writes its output and its log (default: nowhere)',
    '  protocol=fcgi               FastCGI only: for SCGI or AJP, put runserver behind the web server as a proxy',
    '  method=prefork|threaded, maxspare=, minspare=, maxchildren=, debug=  taken for Django’s sake; they change nothing:',
    '                              one process serves requests side by side and builds pages in a worker thread',
    '',
    'Unknown settings are refused (Django ignored them). Requests are answered by runserver’s own handler: the',
    'schedules, feeds, API and organiser login, with the same headers. The web server’s HTTPS parameter marks a',
    'request https; REQUEST_URI is the path (the site is served at the root). SIGINT or SIGTERM stops it cleanly.',
    'Set [site] url: the feeds’ absolute links use it.',
    '',
    'Examples:',
    '  confctl runfcgi host=127.0.0.1 port=8001',
    '  confctl runfcgi socket=/run/confctl/fcgi.sock umask=007',
    '  confctl runfcgi socket=/tmp/fcgi.sock daemonize=true pidfile=/run/confctl.pid errlog=/var/log/confctl.log',
  ].join('\n'),
  async run(ctx) {
    const options = parseFcgiOptions(ctx.args._);
    // Django's `runfcgi help`.
    if (options === 'help') return void ctx.io.stdout.write(renderCommandHelp(runfcgi, ctx.style));
    // The files and folders it will use are checked before anything starts (in the background too).
    const pidfile = options.pidfile === null ? null : resolve(ctx.io.cwd, options.pidfile);
    const workdir = options.workdir === null ? null : resolve(ctx.io.cwd, options.workdir);
    checkPlaces(pidfile, workdir);
    const report = daemonReporter(ctx.io.env);
    if (options.daemonize && report === null) {
      if (!ctx.io.again) throw new CommandError('daemonize=true needs the confctl program itself (it starts again in the background).');
      const pid = await startDaemon(ctx.io.again, ctx.io.env, ctx.io.cwd, options);
      ctx.out(`FastCGI server started in the background (process ${pid}).`);
      return;
    }
    try {
      if (options.umask !== null) process.umask(options.umask);
      const serving = await openServing(ctx, ctx.settings.values['site.url'], undefined);
      let server: Awaited<ReturnType<typeof listenFastcgi>> | null = null;
      try {
        let served = 0;
        let limit!: (why: string) => void;
        const limited = new Promise<string>((done) => (limit = done));
        server = await listenFastcgi(options.bind, serving.options, (message) => ctx.logger.error(message), () => {
          if (options.maxrequests > 0 && ++served === options.maxrequests) limit(`maxrequests=${options.maxrequests} served`);
        });
        if (pidfile) writeAtomically(pidfile, `${process.pid}\n`);
        if (workdir) process.chdir(workdir);
        // Listen for the stop signals before saying where we are: a client may send one at once.
        const stopped = ctx.io.waitForStop?.() ?? new Promise<string>(() => {});
        if (siteUrlIsDefault(ctx.settings)) ctx.logger.warn(`[site] url is not set: the feeds' absolute links say ${ctx.settings.values['site.url']}.`);
        ctx.out(`Starting FastCGI server at ${server.where}`);
        ctx.out('Quit the server with CONTROL-C.');
        report?.({ ready: true });
        const why = await Promise.race([stopped, limited]);
        ctx.logger.info(`${why}: stopping after the requests in flight…`);
      } finally {
        // Whatever ended it (a stop, or a failure after listening), nothing is left listening.
        await server?.stop();
        if (pidfile && server) rmSync(pidfile, { force: true });
        serving.close();
      }
    } catch (error) {
      report?.({ error: error instanceof UsageError ? error.message : `CommandError: ${errorMessage(error)}` });
      throw error;
    }
  },
});

export default runfcgi;

/** The pid file's folder must exist and the file must not name another running process; the workdir must be a folder. */
function checkPlaces(pidfile: string | null, workdir: string | null): void {
  if (workdir !== null && !(existsSync(workdir) && statSync(workdir).isDirectory())) throw new CommandError(`workdir=${workdir}: no such folder.`);
  if (pidfile === null) return;
  if (!existsSync(dirname(pidfile))) throw new CommandError(`pidfile=${pidfile}: the folder ${dirname(pidfile)} does not exist.`);
  if (existsSync(pidfile)) {
    const pid = Number(readFileSync(pidfile, 'utf8').trim());
    if (Number.isInteger(pid) && pid > 0 && pid !== process.pid && alive(pid)) throw new CommandError(`pidfile=${pidfile} names process ${pid}, which is running: another server's pid file.`);
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
