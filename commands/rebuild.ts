import { join } from 'node:path';
import { regenerateEventCss, writeStaticAssets } from '../core/export/static.ts';
import { migrationStatus } from '../db/migrator.ts';
import { defineConfctlCommand } from './_kit/command.ts';

export default defineConfctlCommand({
  meta: { name: 'rebuild', description: 'Writes the static assets (stylesheet and script, embedded in the binary) and every event stylesheet into the static folder.' },
  args: {
    clear: { type: 'boolean', alias: 'c', description: 'Empty the static folder first (the event stylesheets are written again).' },
    silent: { type: 'boolean', alias: 's', description: 'Print nothing on success.' },
    'npm-install': { type: 'boolean', description: "Accepted for pretalx's sake: the assets are built into the binary." },
  },
  epilog: [
    'The static folder is the filesystem.static setting, else <data dir>/static; serve it as /static/.',
    'As pretalx, it also runs regenerate_css for every event with a primary colour, when the database is',
    'migrated (a rebuild before the first migrate writes the shared assets only).',
  ].join('\n'),
  async run(ctx) {
    const dir = ctx.settings.values['filesystem.static'] || join(ctx.settings.dataDir, 'static');
    const written = writeStaticAssets(dir, ctx.args.clear === true);
    const db = await ctx.existingDatabase();
    const migrated = db !== null && (await migrationStatus(db)).every((m) => m.applied);
    const events = migrated ? await regenerateEventCss(db, dir) : [];
    if (ctx.args.silent || ctx.verbosity < 1) return;
    const stylesheets = events.length === 0 ? '' : ` and ${events.length} event stylesheet${events.length === 1 ? '' : 's'}`;
    ctx.out(`Wrote ${written.length} static files${stylesheets} to ${dir}`);
  },
});
