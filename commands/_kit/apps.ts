import type { ArgsDef } from 'citty';
import { CommandError } from '../../core/common/errors.ts';
import type { AppCommand, AppContext } from '../../core/apps/api.ts';
import { appDatabase } from '../../core/apps/statement.ts';
import { defineConfctlCommand, type ConfctlCommand, type Context } from './command.ts';

/** An app's command as a confctl command: the same base options, Context and CommandError handling. */
export function appCommand(name: string, command: AppCommand, label?: string): ConfctlCommand {
  const args: ArgsDef = {};
  for (const [key, def] of Object.entries(command.args ?? {})) {
    args[key] = { type: def.type, description: def.description, ...(def.default === undefined ? {} : { default: def.default }), ...(def.alias ? { alias: def.alias } : {}), ...(def.valueHint ? { valueHint: def.valueHint } : {}), ...(def.required === undefined ? {} : { required: def.required }) } as ArgsDef[string];
  }
  return defineConfctlCommand({
    meta: { name, description: command.description },
    args,
    variadic: true,
    async run(ctx) {
      try {
        await command.run(appContext(ctx as unknown as Context));
      } catch (error) {
        // An error the app did not mean names the app (a CommandError is the app's own line).
        if (error instanceof CommandError || !(error instanceof Error) || label === undefined) throw error;
        const named = new Error(`app ${label}: ${error.message}`, { cause: error });
        named.name = error.name;
        named.stack = error.stack;
        throw named;
      }
    },
  });
}

function appContext(ctx: Context): AppContext {
  return {
    args: ctx.args as AppContext['args'],
    out: ctx.out,
    logger: { info: (m) => ctx.logger.info(m), warn: (m) => ctx.logger.warn(m), error: (m) => ctx.logger.error(m), debug: (m) => ctx.logger.debug(m) },
    verbosity: ctx.verbosity,
    settings: ctx.settings.values,
    now: () => ctx.clock.now(),
    query: async (text, ...params) => appDatabase(await ctx.database()).query(text, ...params),
    execute: async (text, ...params) => appDatabase(await ctx.database()).execute(text, ...params),
    fail: (message) => {
      throw new CommandError(message);
    },
  };
}
