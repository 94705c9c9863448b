import { join } from 'node:path';
import type { AppOptions } from '../../core/serve/app.ts';
import { workerRenderer } from '../../core/serve/render.ts';
import { localeDirs } from '../../core/i18n/catalogues.ts';
import type { Context } from './command.ts';

/** The parts of a command's Context that serving needs (any command's Context has them). */
type Serving = Pick<Context, 'database' | 'io' | 'settings' | 'logger' | 'clock' | 'all'> & { args: { 'skip-apps'?: boolean | undefined } };
import { version } from './version.ts';
import { appsOf, builtinNames } from './app-list.ts';
import { appSearch } from '../../core/apps/loader.ts';

/**
 * What runserver and runfcgi serve, opened from the settings: the database (a few connections on a
 * database server, where requests run side by side), and event pages built in a Worker with its own
 * connection, so that a large page rebuilt after a sync does not hold up other requests
 * (bench/serve-writers). `close` ends the Worker; the database closes with the command.
 */
export async function openServing(ctx: Serving, siteUrl: string, staticDir: string | undefined): Promise<{ options: Omit<AppOptions, 'address'>; close(): void }> {
  // The installed apps, loaded here first: a broken one stops the server at its start, in one line.
  const apps = await appsOf(ctx);
  const db = await ctx.database({ pool: 4 });
  const env = Object.fromEntries(Object.entries(ctx.io.env).filter(([name]) => name.startsWith('PG')));
  const locales = localeDirs(ctx.settings);
  const withSite = apps.some((app) => app.definition.site !== undefined);
  const search = appSearch(ctx.settings, ctx.io.cwd, ctx.all('pythonpath'));
  const renderer = workerRenderer(
    { databasePath: ctx.settings.databasePath, env, busyTimeout: ctx.settings.values['database.busy_timeout'], siteUrl, version, localeDirs: locales, ...(withSite ? { apps: { search, builtins: builtinNames() } } : {}) },
    { warn: (message) => ctx.logger.error(message) },
  );
  return {
    options: { db, renderer, siteUrl, version, localeDirs: locales, clock: ctx.clock, ...(staticDir === undefined ? {} : { staticDir }) },
    close: () => renderer.close(),
  };
}

/** The static folder (filesystem.static, else <data>/static), for --insecure-serve-static. */
export const staticFolder = (ctx: Pick<Context, 'settings'>) => ctx.settings.values['filesystem.static'] || join(ctx.settings.dataDir, 'static');
