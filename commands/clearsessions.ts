import { clearExpiredSessions } from '../core/housekeeping/cache.ts';
import { defineConfctlCommand } from './_kit/command.ts';

export default defineConfctlCommand({
  meta: { name: 'clearsessions', description: 'Deletes expired sessions (organiser logins).' },
  args: {},
  epilog: 'runperiodic does this too. Unlike Django it reports how many it deleted.',
  async run(ctx) {
    const db = await ctx.database();
    const deleted = await db.transaction().execute((trx) => clearExpiredSessions(trx, ctx.clock));
    if (ctx.verbosity >= 1) ctx.out(`Deleted ${deleted} expired session${deleted === 1 ? '' : 's'}.`);
  },
});
