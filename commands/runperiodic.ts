import { CommandError } from '../core/common/errors.ts';
import { builtinTasks, runPeriodic, syncTasks } from '../core/housekeeping/periodic.ts';
import { syncEvent } from '../core/sync/sync.ts';
import { appTasks } from '../core/apps/periodic.ts';
import { appsOf } from './_kit/app-list.ts';
import { defineConfctlCommand } from './_kit/command.ts';
import { thisProcess } from './_kit/owner.ts';

export default defineConfctlCommand({
  meta: { name: 'runperiodic', description: 'Runs the periodic housekeeping tasks that are due; call it from cron every 5-10 minutes.' },
  args: {
    force: { type: 'boolean', description: 'Run every task now, whenever it last ran (a running task is still never run twice).' },
  },
  epilog: [
    `Tasks: ${builtinTasks.map((t) => `${t.name} (every ${t.minutes} min)`).join(', ')}, and sync_pretalx:<slug> for`,
    'each event with a Pretalx source and a sync interval (create_event --sync-interval MINUTES), then the',
    'installed apps\' tasks (<label>:<name>).',
    'Each task runs in its own transaction under a lock in the cache table (on PostgreSQL an advisory lock',
    'of the server, so that two hosts never run the same task at once). Unlike pretalx, a failing',
    'task is reported on stderr and makes the exit status 1, after the other tasks have run.',
  ].join('\n'),
  async run(ctx) {
    const db = await ctx.database();
    const all = { rooms: true, speakers: true, talks: true, schedule: true };
    const syncs = await syncTasks(db, async (slug) => {
      const r = await syncEvent(db, { slug, steps: all, allowLargeScheduleDrop: false, dryRun: false }, { settings: ctx.settings, env: ctx.io.env, clock: ctx.clock, onRetry: (message) => ctx.logger.info(`sync_pretalx:${slug}: ${message}`) });
      return `synced ${r.counts.rooms} rooms, ${r.counts.speakers} speakers, ${r.counts.talks} talks, ${r.counts.slots} schedule slots`;
    });
    // The installed apps' tasks, after confctl's own.
    const apps = appTasks(await appsOf(ctx), ctx.settings);
    const outcomes = await runPeriodic(db, ctx.clock, [...builtinTasks, ...syncs, ...apps], ctx.args.force === true, thisProcess);
    for (const outcome of outcomes) {
      const line = `${outcome.task}: ${outcome.status}: ${outcome.detail}`;
      if (outcome.status === 'failed') ctx.logger.error(`${outcome.task}: failed: ${outcome.detail}`);
      // A task held by another run, or a lock taken over from a dead one, is news; a task not yet due is not.
      else if ((outcome.status === 'skipped' && outcome.held) || (outcome.status === 'ran' && outcome.detail.startsWith('took over'))) ctx.logger.info(line);
      else ctx.logger.debug(line);
    }
    const failed = outcomes.filter((o) => o.status === 'failed');
    if (failed.length > 0) {
      throw new CommandError(`${failed.length} of ${outcomes.length} periodic tasks failed: ${failed.map((f) => f.task).join(', ')}.`);
    }
  },
});
