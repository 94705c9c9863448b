import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { CommandError, errorMessage } from '../core/common/errors.ts';
import { findEvent } from '../core/event/move.ts';
import { applySnapshot, KINDS, timezoneNotice, totalChanges } from '../core/sync/apply.ts';
import { readScheduleFile } from '../core/sync/import.ts';
import { defineConfctlCommand } from './_kit/command.ts';
import { warnSome } from './_kit/output.ts';

export default defineConfctlCommand({
  meta: { name: 'import_schedule', description: 'Mirrors a schedule file (c3voc schedule.json or frab schedule.xml, gzipped or not) into an event.' },
  args: {
    file: { type: 'positional', required: true, valueHint: 'FILE', description: 'The schedule file; its kind is told from its content.' },
    event: { type: 'string', required: true, valueHint: 'SLUG', description: 'The local event to mirror it into.' },
    'allow-large-schedule-drop': { type: 'boolean', description: 'Let the import remove 40 % or more of the existing slots, talks, speakers or rooms (an intended drop).' },
    'dry-run': { type: 'boolean', description: 'Read and compare, print what would change, write nothing.' },
  },
  epilog: [
    'For air-gapped servers: the same keys, drop guard and single transaction as sync_pretalx. Real files',
    'often break the schema: what is usable is imported, and every skipped event is reported with its reason.',
    "The event takes the file's time zone; its dates take the file's days when they share none, else widen to",
    "cover them (each change said on stderr): a slot outside the event's days would be in no feed.",
    "What the file says beyond the pretalx model (guids, ids, slugs, URLs, links, attachments, a room's stream id,",
    'any other field) is kept and written back by the feeds unchanged; docs/formats.md lists what is normalised.',
  ].join('\n'),
  async run(ctx) {
    const path = resolve(ctx.io.cwd, ctx.args.file);
    let bytes: Uint8Array;
    try {
      bytes = readFileSync(path);
    } catch (error) {
      throw new CommandError(`Cannot read ${path}: ${errorMessage(error)}`);
    }
    const db = await ctx.database();
    const event = await findEvent(db, ctx.args.event);
    const { snapshot, skipped, notes } = await readScheduleFile(bytes, event.timezone);
    warnSome(ctx.logger, skipped.map((reason) => `Skipped ${reason}`), 'skipped events');
    warnSome(ctx.logger, notes, 'such notes');
    const result = await applySnapshot(db, snapshot, {
      eventId: event.id,
      steps: { rooms: true, speakers: true, talks: true, schedule: true },
      allowLargeScheduleDrop: ctx.args['allow-large-schedule-drop'] === true,
      guard: { minExisting: ctx.settings.values['sync.guard_min_existing'], maxFraction: ctx.settings.values['sync.guard_max_fraction'] },
      dryRun: ctx.args['dry-run'] === true,
      clock: ctx.clock,
      coverDates: true,
      what: 'import',
    });
    if (result.timezone) {
      const notice = timezoneNotice(result.timezone, ctx.args['dry-run'] === true, { owner: "the schedule file's", holder: 'the schedule file' });
      if (notice.warn) ctx.logger.warn(notice.text);
      else ctx.logger.info(notice.text);
    }
    if (result.dates) {
      const [[wasFrom, from], [wasTo, to]] = [result.dates.from, result.dates.to];
      ctx.logger.warn(`The event ${ctx.args['dry-run'] ? 'would now run' : 'now runs'} from ${from} to ${to} (it ran from ${wasFrom} to ${wasTo}), so that every slot of the schedule file is on one of its days.`);
    }
    if (ctx.verbosity < 1) return;
    const { counts } = result;
    ctx.out(`${ctx.args['dry-run'] ? 'Would import' : 'Imported'} ${counts.rooms} rooms, ${counts.speakers} speakers, ${counts.talks} talks, ${counts.slots} schedule slots${skipped.length ? ` (${skipped.length} events skipped)` : ''}`);
    const changed = KINDS.filter((k) => result.changes[k].created + result.changes[k].updated + result.changes[k].removed > 0);
    if (totalChanges(result) === 0) ctx.out(ctx.args['dry-run'] ? 'Nothing would change.' : 'Nothing changed.');
    else ctx.out(`${ctx.args['dry-run'] ? 'Would change' : 'Changed'}: ${changed.map((k) => `${k} +${result.changes[k].created} ~${result.changes[k].updated} -${result.changes[k].removed}`).join(', ')}`);
  },
});
