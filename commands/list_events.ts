import { listEvents, localised } from '../core/event/events.ts';
import { renderTable } from '../core/common/table.ts';
import { defineConfctlCommand } from './_kit/command.ts';

export default defineConfctlCommand({
  meta: { name: 'list_events', description: 'Lists the events: dates, time zone, visibility, schedule and Pretalx source.' },
  args: {
    json: { type: 'boolean', description: 'Print JSON instead of a table.' },
  },
  async run(ctx) {
    const events = await listEvents(await ctx.database({ readonly: true }));
    if (ctx.args.json) {
      ctx.out(JSON.stringify(events, null, 2));
      return;
    }
    if (events.length === 0) {
      ctx.logger.info('No events. Create one with "confctl create_event" or "confctl create_test_event".');
      return;
    }
    ctx.io.stdout.write(
      renderTable(
        ['slug', 'name', 'from', 'to', 'timezone', 'public', 'schedule', 'talks', 'source'],
        events.map((e) => [
          e.slug,
          localised(e.name),
          e.date_from,
          e.date_to,
          e.timezone,
          e.is_public ? 'yes' : 'no',
          e.schedule_version ?? '-',
          e.talks,
          e.pretalx ? `${e.pretalx.url} ${e.pretalx.event}` : '-',
        ]),
      ),
    );
  },
});
