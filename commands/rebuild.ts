import { join } from 'node:path';
import { writeStaticAssets } from '../core/export/static.ts';
import { defineConfctlCommand } from './_kit/command.ts';

export default defineConfctlCommand({
  meta: { name: 'rebuild', description: 'Writes the static assets (stylesheet and script, embedded in the binary) into the static folder.' },
  args: {
    clear: { type: 'boolean', alias: 'c', description: 'Empty the static folder first.' },
    silent: { type: 'boolean', alias: 's', description: 'Print nothing on success.' },
    'npm-install': { type: 'boolean', description: "Accepted for pretalx's sake: the assets are built into the binary." },
  },
  epilog: 'The static folder is the filesystem.static setting, else <data dir>/static; serve it as /static/.',
  run(ctx) {
    const dir = ctx.settings.values['filesystem.static'] || join(ctx.settings.dataDir, 'static');
    const written = writeStaticAssets(dir, ctx.args.clear === true);
    if (!ctx.args.silent && ctx.verbosity >= 1) ctx.out(`Wrote ${written.length} static files to ${dir}`);
  },
});
