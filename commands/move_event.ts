import { parseDate } from '../core/event/events.ts';
import { moveEvent } from '../core/event/move.ts';
import { defineConfctlCommand } from './_kit/command.ts';

export default defineConfctlCommand({
  meta: {
    name: 'move_event',
    description: 'Moves an event, with its whole schedule, deadlines and availabilities, to start on a given date.',
  },
  args: {
    event: { type: 'string', required: true, valueHint: 'SLUG', description: 'The event to move (any case).' },
    date: { type: 'string', valueHint: 'YYYY-MM-DD', description: 'The new first day. Default: today (UTC, or CONFCTL_NOW).' },
  },
  epilog: [
    'Meant for demo and test events. Every schedule version moves, so release a new version afterwards',
    'if others read your feeds. Unlike pretalx: the CfP and submission-type deadlines move too, times keep',
    'their local time across daylight-saving changes, the command says what it moved, and errors are one line.',
  ].join('\n'),
  async run(ctx) {
    const date = parseDate(ctx.args.date ?? ctx.clock.now().toISOString().slice(0, 10), '--date');
    const db = await ctx.database();
    const moved = await db.transaction().execute((trx) => moveEvent(trx, ctx.args.event, date, ctx.clock));
    if (ctx.verbosity < 1) return;
    if (moved.days === 0) {
      ctx.out(`"${moved.name}" already starts on ${date}: nothing to move.`);
      return;
    }
    const by = `${moved.days > 0 ? '+' : ''}${moved.days} day${Math.abs(moved.days) === 1 ? '' : 's'}`;
    const versions = `${moved.schedules} schedule version${moved.schedules === 1 ? '' : 's'}`;
    ctx.out(`Moved "${moved.name}" by ${by}: ${moved.slots} slots in ${versions}.`);
    ctx.logger.debug(`Also moved ${moved.availabilities} availabilities and ${moved.deadlines} deadlines.`);
  },
});
