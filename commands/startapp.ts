import { resolve } from 'node:path';
import { CommandError } from '../core/common/errors.ts';
import { isAppLabel } from '../core/apps/loader.ts';
import { appSkeleton } from '../core/apps/skeleton.ts';
import { writeNewFolder } from '../core/project/startproject.ts';
import { defineConfctlCommand } from './_kit/command.ts';
import { commands } from './index.ts';

export default defineConfctlCommand({
  meta: { name: 'startapp', description: 'Creates the folder of an app (a plugin): its definition, an example command, the plugin API’s types, a README.' },
  args: {
    name: { type: 'positional', required: true, valueHint: 'name', description: 'The app’s label: a lower-case identifier; it prefixes the example command.' },
    directory: { type: 'positional', required: false, valueHint: 'directory', description: 'Where to write it (new or empty). Default: ./<name>.' },
  },
  epilog: [
    'Writes index.ts (the app: apiVersion, label, commands), hello.ts (an example command, <name>_hello),',
    'confctl.d.ts (the plugin API this confctl speaks, to type the app against) and README.md. List the folder',
    'in the settings ([apps] installed = ["./<name>"]) and `confctl help` shows its commands under [<name>].',
    'Unlike Django the name is a lower-case label (it prefixes commands and, later, tables).',
  ].join('\n'),
  async run(ctx) {
    const name = ctx.args.name;
    if (!isAppLabel(name)) throw new CommandError(`'${name}' is not a valid app name. Please make sure the name is a lower-case identifier (letters, digits and _, starting with a letter).`);
    if (name in commands || name === 'confctl') throw new CommandError(`'${name}' conflicts with the name of an existing confctl command and cannot be used as an app name. Please try another name.`);
    const directory = resolve(ctx.io.cwd, ctx.args.directory ?? name);
    const files = appSkeleton(name);
    writeNewFolder(directory, files, 'app');
    if (ctx.verbosity >= 2) for (const path of files.keys()) ctx.out(`Creating ${resolve(directory, path)}`);
  },
});
