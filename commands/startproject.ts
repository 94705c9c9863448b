import { resolve } from 'node:path';
import { startProject, checkProjectName } from '../core/project/startproject.ts';
import { defineConfctlCommand } from './_kit/command.ts';
import { commands, type CommandEntry } from './index.ts';

export default defineConfctlCommand({
  meta: {
    name: 'startproject',
    description: 'Sets up an instance folder ready to deploy: settings, data and static folders, systemd units and nginx sites.',
  },
  args: {
    name: { type: 'positional', required: true, valueHint: 'name', description: 'Name of the instance: an identifier; it names the service user and the units.' },
    directory: { type: 'positional', required: false, valueHint: 'directory', description: 'Where to write it (new or empty). Default: ./<name>.' },
    template: { type: 'string', valueHint: 'DIR|ZIP', description: 'Make it from this template (a folder or a .zip) instead of confctl\'s.' },
  },
  epilog: [
    'Writes confctl.toml (every setting, with its default and meaning), data/, static/, README.md (five steps',
    'to go live) and deploy/: systemd units for runserver (hardened: its own user, ProtectSystem=strict, only',
    'data/ and static/ writable, restarted on failure), for runfcgi, and for runperiodic every 5 minutes (a',
    'timer), and nginx sites (TLS, static files, proxy_pass to runserver or fastcgi_pass to runfcgi).',
    'As Django: a template\'s files get {{ project_name }} and {{ project_directory }} filled in, and paths named',
    'project_name are renamed. Unlike Django: the files rendered are the UTF-8 text files by extension (.toml .md',
    '.txt .conf .service .timer .socket .ini .json .yml .ts .js .sh .env .html .css), not .py; an existing folder',
    'must be empty (it is filled in place, keeping its owner and mode); a path with a space, %, quotes or other',
    'characters the units and sites cannot name unquoted is refused; the name must also be a system user\'s',
    '(at most 32 characters; the user is the name in lower case); a failure writes nothing.',
  ].join('\n'),
  async run(ctx) {
    const names = (Object.entries(commands) as [string, CommandEntry][]).flatMap(([name, entry]) => [name, ...(entry.aliases ?? [])]);
    const name = checkProjectName(ctx.args.name, names);
    const directory = resolve(ctx.io.cwd, ctx.args.directory ?? name);
    const written = await startProject({ name, directory, template: ctx.args.template === undefined ? undefined : resolve(ctx.io.cwd, ctx.args.template) });
    if (ctx.verbosity >= 2) for (const path of written) ctx.out(`Creating ${resolve(directory, path)}`);
  },
});
