import { join } from 'node:path';
import { regenerateEventCss } from '../core/export/static.ts';
import { defineConfctlCommand } from './_kit/command.ts';

export default defineConfctlCommand({
  meta: { name: 'regenerate_css', description: "Writes the event stylesheet made from an event's primary colour (<static>/<slug>/event.css)." },
  args: {
    event: { type: 'string', valueHint: 'SLUG', description: 'Only this event (any case). Default: every event with a colour.' },
    silent: { type: 'boolean', alias: 's', description: 'Print nothing on success.' },
  },
  epilog: 'Events without a colour use the default theme. The static folder is the filesystem.static setting, else <data dir>/static.',
  async run(ctx) {
    const db = await ctx.database();
    const dir = ctx.settings.values['filesystem.static'] || join(ctx.settings.dataDir, 'static');
    const done = await regenerateEventCss(db, dir, ctx.args.event);
    if (ctx.args.silent || ctx.verbosity < 1) return;
    for (const slug of done) ctx.out(ctx.style.SUCCESS(`[${slug}] Event style was successfully regenerated.`));
  },
});
