import { createEvent, normalisePretalxUrl, validateEvent, type EventInput } from '../core/events.ts';
import { defineConfctlCommand } from './_command.ts';

export default defineConfctlCommand({
  meta: {
    name: 'create_event',
    description: 'Creates an event, optionally with the Pretalx event that sync_pretalx mirrors into it.',
  },
  args: {
    slug: { type: 'string', required: true, valueHint: 'SLUG', description: 'URL name: letters, digits, dots and dashes; unique regardless of case.' },
    name: { type: 'string', required: true, valueHint: 'NAME', description: 'The event name.' },
    'date-from': { type: 'string', required: true, valueHint: 'YYYY-MM-DD', description: 'First day.' },
    'date-to': { type: 'string', required: true, valueHint: 'YYYY-MM-DD', description: 'Last day (on or after the first).' },
    timezone: { type: 'string', default: 'UTC', valueHint: 'TZ', description: 'IANA time zone, e.g. Europe/Berlin.' },
    organiser: { type: 'string', valueHint: 'SLUG', description: 'The organiser the event belongs to.' },
    locale: { type: 'string', default: 'en', valueHint: 'LANG', description: 'The event language.' },
    'primary-color': { type: 'string', valueHint: '#RRGGBB', description: 'Colour of the schedule pages.' },
    public: { type: 'boolean', description: 'Show the event publicly (pretalx events start hidden).' },
    'pretalx-url': { type: 'string', valueHint: 'URL', description: 'Base URL of the Pretalx instance to mirror from.' },
    'pretalx-event': { type: 'string', valueHint: 'SLUG', description: 'The event slug on that instance.' },
    'sync-interval': { type: 'string', valueHint: 'MINUTES', description: 'Let runperiodic sync from Pretalx every MINUTES minutes.' },
  },
  epilog: [
    'Like pretalx, a new event gets a CfP with the submission type "Talk" (30 minutes) and an empty',
    'work-in-progress schedule. API tokens are never stored with the event: see [pretalx.tokens] in the settings.',
  ].join('\n'),
  async run(ctx) {
    const { args } = ctx;
    const input: EventInput = {
      slug: args.slug,
      name: args.name,
      dateFrom: args['date-from'],
      dateTo: args['date-to'],
      timezone: args.timezone,
      organiser: args.organiser,
      locale: args.locale,
      primaryColor: args['primary-color'],
      isPublic: args.public === true,
      pretalxUrl: args['pretalx-url'],
      pretalxEvent: args['pretalx-event'],
      syncInterval: args['sync-interval'] === undefined ? undefined : Number(args['sync-interval']),
    };
    const db = ctx.database();
    await db.transaction().execute(async (trx) => {
      const { organiserId } = await validateEvent(trx, input);
      await createEvent(trx, input, organiserId, ctx.clock);
    });
    if (ctx.verbosity >= 1) {
      const source = input.pretalxUrl ? `, mirrors ${input.pretalxEvent} from ${normalisePretalxUrl(input.pretalxUrl)}` : '';
      ctx.out(`Created event "${input.name}" (${input.slug}): ${input.dateFrom} to ${input.dateTo}, ${input.timezone}${source}.`);
    }
  },
});
