import { KINDS, timezoneNotice, totalChanges } from '../core/sync/apply.ts';
import { syncEvent } from '../core/sync/sync.ts';
import { defineConfctlCommand } from './_kit/command.ts';
import { warnSome } from './_kit/output.ts';

export default defineConfctlCommand({
  meta: { name: 'sync_pretalx', description: "Mirrors an event's rooms, speakers, talks and released schedule from its Pretalx instance." },
  args: {
    conference: { type: 'string', required: true, valueHint: 'SLUG', description: 'The local event (made with create_event --pretalx-url … --pretalx-event …).' },
    rooms: { type: 'boolean', description: 'Sync rooms.' },
    speakers: { type: 'boolean', description: 'Sync speakers.' },
    talks: { type: 'boolean', description: 'Sync talks (with their tracks, types and tags).' },
    schedule: { type: 'boolean', description: 'Sync the released schedule.' },
    all: { type: 'boolean', description: 'Sync everything (the default when no step is named).' },
    'allow-large-schedule-drop': { type: 'boolean', description: 'Let a sync remove 40 % or more of the existing slots, talks, speakers or rooms (an intended drop).' },
    'dry-run': { type: 'boolean', description: 'Fetch and compare, print what would change, write nothing.' },
    json: { type: 'boolean', description: 'Print the summary as JSON on stdout.' },
  },
  epilog: [
    'Everything is fetched first and written in ONE transaction: any failure leaves the database as it was.',
    'Rooms, then speakers, then talks, then the schedule; a reflow or a room rename is an update, not a',
    'deletion; what vanished upstream is removed for every kind, unless that would remove 40 % or more of',
    'a kind (the drop guard); a re-run against unchanged data writes nothing. The event takes the time zone',
    "of Pretalx's event. The token comes from CONFCTL_PRETALX_TOKEN or [pretalx.tokens] and is only ever",
    "sent to that instance. The command and its output lines are django-program's, so scripts keep working.",
  ].join('\n'),
  async run(ctx) {
    const { args } = ctx;
    const named = args.rooms || args.speakers || args.talks || args.schedule;
    const everything = args.all === true || !named;
    const steps = everything
      ? { rooms: true, speakers: true, talks: true, schedule: true }
      : { rooms: args.rooms === true, speakers: args.speakers === true, talks: args.talks === true, schedule: args.schedule === true };
    const db = await ctx.database();
    // Progress on a terminal only: a line that counts the requests, cleared at the end.
    const progress = ctx.io.stderr.isTTY && ctx.verbosity >= 1 && !args.json;
    let requests = 0;
    const onRequest = (url: string) => {
      ctx.logger.debug(`GET ${url}`);
      if (progress) ctx.io.stderr.write(`\rFetching from Pretalx: ${++requests} request${requests === 1 ? '' : 's'}`);
    };
    const onRetry = (message: string) => {
      if (progress && requests > 0) ctx.io.stderr.write('\r\x1b[K');
      ctx.logger.info(message);
    };
    let result;
    try {
      result = await syncEvent(
        db,
        { slug: args.conference, steps, allowLargeScheduleDrop: args['allow-large-schedule-drop'] === true, dryRun: args['dry-run'] === true },
        { settings: ctx.settings, env: ctx.io.env, clock: ctx.clock, onRequest, onRetry },
      );
    } finally {
      if (progress && requests > 0) ctx.io.stderr.write('\r\x1b[K');
    }
    warnSome(ctx.logger, result.notes, 'such notes');
    if (result.timezone) {
      const notice = timezoneNotice(result.timezone, args['dry-run'] === true, { owner: "Pretalx's", holder: "Pretalx's event" });
      if (notice.warn) ctx.logger.warn(notice.text);
      else ctx.logger.info(notice.text);
    }
    if (args.json) {
      ctx.out(JSON.stringify({ ...result, dry_run: args['dry-run'] === true }, null, 2));
      return;
    }
    if (ctx.verbosity < 1) return;
    const { counts, unscheduled } = result;
    const late = unscheduled > 0 ? ` (${unscheduled} unscheduled)` : '';
    // django-program's lines; a dry run writes nothing, so it never says it synced.
    const synced = args['dry-run'] ? 'Would sync' : 'Synced';
    if (everything) ctx.out(`${synced} ${counts.rooms} rooms, ${counts.speakers} speakers, ${counts.talks} talks, ${counts.slots} schedule slots`);
    else {
      if (steps.rooms) ctx.out(`${synced} ${counts.rooms} rooms`);
      if (steps.speakers) ctx.out(`${synced} ${counts.speakers} speakers`);
      if (steps.talks) ctx.out(`${synced} ${counts.talks} talks`);
      if (steps.schedule) ctx.out(`${synced} ${counts.slots} schedule slots${late}`);
    }
    const changed = KINDS.filter((k) => result.changes[k].created + result.changes[k].updated + result.changes[k].removed > 0);
    const verb = args['dry-run'] ? 'Would change' : 'Changed';
    if (totalChanges(result) === 0) ctx.out(args['dry-run'] ? 'Nothing would change.' : 'Nothing changed.');
    else ctx.out(`${verb}: ${changed.map((k) => `${k} +${result.changes[k].created} ~${result.changes[k].updated} -${result.changes[k].removed}`).join(', ')}${everything ? late : ''}`);
  },
});
