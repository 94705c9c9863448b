import { CommandError } from '../core/common/errors.ts';
import { checkLocale, createEvent, LOCALES, normalisePretalxUrl, validateEvent, type EventInput } from '../core/event/events.ts';
import { fetchEventInfo, parseEventUrl, type PretalxEventInfo } from '../core/sync/event-info.ts';
import { tokenFor } from '../core/sync/sync.ts';
import { defineConfctlCommand } from './_kit/command.ts';

export default defineConfctlCommand({
  meta: {
    name: 'create_event',
    description: 'Creates an event, optionally with the Pretalx event that sync_pretalx mirrors into it.',
  },
  args: {
    slug: { type: 'string', valueHint: 'SLUG', description: 'URL name: letters, digits, dots and dashes; unique regardless of case.' },
    name: { type: 'string', valueHint: 'NAME', description: 'The event name.' },
    'date-from': { type: 'string', valueHint: 'YYYY-MM-DD', description: 'First day.' },
    'date-to': { type: 'string', valueHint: 'YYYY-MM-DD', description: 'Last day (on or after the first).' },
    timezone: { type: 'string', valueHint: 'TZ', description: 'IANA time zone, e.g. Europe/Berlin (default UTC).' },
    organiser: { type: 'string', valueHint: 'SLUG', description: 'The organiser the event belongs to.' },
    locale: { type: 'string', valueHint: 'LANG', description: 'The event language (default en): its pages are at the site\'s root.' },
    locales: { type: 'string', valueHint: 'LANG,LANG', description: 'All the event\'s languages (with --locale\'s), as pretalx\'s: each other one\'s pages are under <lang>/, with a language switch.' },
    'primary-color': { type: 'string', valueHint: '#RRGGBB', description: 'Colour of the schedule pages.' },
    public: { type: 'boolean', description: 'Show the event publicly (pretalx events start hidden).' },
    'pretalx-url': { type: 'string', valueHint: 'URL', description: 'Base URL of the Pretalx instance to mirror from.' },
    'pretalx-event': { type: 'string', valueHint: 'SLUG', description: 'The event slug on that instance.' },
    'from-pretalx': { type: 'string', valueHint: 'URL', description: 'Take name, dates, time zone and languages from this Pretalx event, and mirror it.' },
    'sync-interval': { type: 'string', valueHint: 'MINUTES', description: 'Let runperiodic sync from Pretalx every MINUTES minutes.' },
  },
  epilog: [
    'Like pretalx, a new event gets a CfP with the submission type "Talk" (30 minutes) and an empty',
    'work-in-progress schedule. API tokens are never stored with the event: see [pretalx.tokens] in the settings.',
  ].join('\n'),
  async run(ctx) {
    const { args } = ctx;
    let from: PretalxEventInfo | undefined;
    if (args['from-pretalx'] !== undefined) {
      if (args['pretalx-url'] !== undefined || args['pretalx-event'] !== undefined) {
        throw new CommandError('--from-pretalx already names the Pretalx event: leave out --pretalx-url and --pretalx-event.');
      }
      const url = args['from-pretalx'];
      from = await fetchEventInfo(url, { token: tokenFor(parseEventUrl(url).baseUrl, ctx.settings, ctx.io.env), timeout: ctx.settings.values['sync.timeout'] });
    }
    for (const [option, value] of [['slug', args.slug ?? from?.slug], ['name', args.name ?? from?.name], ['date-from', args['date-from'] ?? from?.dateFrom], ['date-to', args['date-to'] ?? from?.dateTo]] as const) {
      if (value === undefined) throw new CommandError(`Missing required argument: --${option} (or give --from-pretalx URL)`);
    }
    const locale = args.locale !== undefined ? checkLocale(args.locale) : from && LOCALES.includes(from.locale.toLowerCase()) ? from.locale.toLowerCase() : 'en';
    const input: EventInput = {
      slug: args.slug ?? from!.slug,
      name: args.name ?? (from!.name[locale] ?? from!.name.en ?? Object.values(from!.name)[0] ?? from!.slug),
      dateFrom: args['date-from'] ?? from!.dateFrom,
      dateTo: args['date-to'] ?? from!.dateTo,
      timezone: args.timezone ?? from?.timezone ?? 'UTC',
      organiser: args.organiser,
      locale,
      primaryColor: args['primary-color'] ?? from?.primaryColor ?? undefined,
      isPublic: args.public === true,
      pretalxUrl: args['pretalx-url'] ?? from?.baseUrl,
      pretalxEvent: args['pretalx-event'] ?? from?.slug,
      ...(from && args.name === undefined ? { names: from.name } : {}),
      ...(args.locales !== undefined
        ? { locales: [...new Set([locale, ...args.locales.split(',').map((l) => l.trim()).filter((l) => l !== '').map(checkLocale)])] }
        : from
          ? { locales: [...new Set([locale, ...from.locales.map((l) => l.toLowerCase()).filter((l) => LOCALES.includes(l))])] }
          : {}),
      syncInterval: args['sync-interval'] === undefined ? undefined : Number(args['sync-interval']),
    };
    const db = await ctx.database();
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
