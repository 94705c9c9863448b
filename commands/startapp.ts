import { resolve } from 'node:path';
import { CommandError } from '../core/common/errors.ts';
import { isAppLabel, RESERVED_LABELS } from '../core/apps/loader.ts';
import { appSkeleton } from '../core/apps/skeleton.ts';
import { writeNewFolder } from '../core/project/startproject.ts';
import { defineConfctlCommand } from './_kit/command.ts';
import { commands } from './index.ts';

export default defineConfctlCommand({
  meta: { name: 'startapp', description: 'Creates the folder of an app (a plugin): its definition, a command, a migration, a periodic task, page fragments, a test.' },
  args: {
    name: { type: 'positional', required: true, valueHint: 'name', description: 'The app’s label: a lower-case identifier; it prefixes the example command.' },
    directory: { type: 'positional', required: false, valueHint: 'directory', description: 'Where to write it (new or empty). Default: ./<name>.' },
  },
  epilog: [
    'Writes index.ts (the app: apiVersion, label, its parts), hello.ts (an example command, <name>_hello),',
    'migrations.ts (its table <name>_greeting), tasks.ts (a periodic task), site.ts (a footer and CSS for the',
    'event pages), tests.ts (for confctl test <name>), confctl.d.ts (the plugin API this confctl speaks, to',
    'type the app against) and README.md. List the folder in the settings ([apps] installed = ["./<name>"]):',
    '`confctl help` shows its commands under [<name>]; docs/plugins.md is the guide. Unlike Django the name is',
    'a lower-case label (it prefixes its commands and tables), not one of confctl\'s own apps\' labels.',
  ].join('\n'),
  async run(ctx) {
    const name = ctx.args.name;
    if (!isAppLabel(name)) throw new CommandError(`'${name}' is not a valid app name. Please make sure the name is a lower-case identifier (letters, digits and _, starting with a letter).`);
    if (name in commands || name === 'confctl') throw new CommandError(`'${name}' conflicts with the name of an existing confctl command and cannot be used as an app name. Please try another name.`);
    if (RESERVED_LABELS.includes(name)) throw new CommandError(`'${name}' is the label of one of confctl's own apps (${RESERVED_LABELS.join(', ')}) and cannot be used as an app name. Please try another name.`);
    const directory = resolve(ctx.io.cwd, ctx.args.directory ?? name);
    const files = appSkeleton(name);
    writeNewFolder(directory, files, 'app');
    if (ctx.verbosity >= 2) for (const path of files.keys()) ctx.out(`Creating ${resolve(directory, path)}`);
  },
});
