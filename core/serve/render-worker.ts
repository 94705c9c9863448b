/**
 * The Worker that builds event pages for runserver off the request thread (see render.ts): its own
 * read-only connection to the database, a SiteBuilder, and one message per page asked for.
 * An entry point of the compiled binary (package.json's build), never imported.
 */
import { errorMessage } from '../common/errors.ts';
import { databaseUnavailable, openDatabase, openPostgres } from '../../db/connection.ts';
import { isDatabaseUrl } from '../common/database-url.ts';
import { loadDatabaseDriver } from '../../platform/index.ts';
import { SiteBuilder, type PageRequest } from './sites.ts';
import { loadApps } from '../apps/loader.ts';
import { siteFragments } from '../apps/site.ts';
import type { RenderInit } from './render.ts';

// The Worker's own global scope (the web standard's DedicatedWorkerGlobalScope, in every runtime).
declare const self: { onmessage: ((event: MessageEvent) => void) | null; postMessage(message: unknown): void };

/** The builder, or why there is none (a database that cannot be opened fails every page with its reason). */
let builder: Promise<SiteBuilder | Error> = Promise.resolve(new Error('the page renderer was not started'));
let start: () => Promise<SiteBuilder | Error> = () => builder;

self.onmessage = async (event: MessageEvent) => {
  const message = event.data as RenderInit | { id: number; request: PageRequest };
  if ('databasePath' in message) {
    // A Worker is a new isolate: it loads the runtime's module as cli.ts does. Pages asked for meanwhile wait.
    const open = async () =>
      isDatabaseUrl(message.databasePath)
        ? openPostgres(message.databasePath, { readonly: true, env: message.env, lockTimeout: message.busyTimeout })
        : (await loadDatabaseDriver(), openDatabase(message.databasePath, { readonly: true, busyTimeout: message.busyTimeout }));
    // The installed apps' page fragments: the apps imported again here (a Worker shares no modules).
    const fragments = async () => (message.apps ? siteFragments(await loadApps(message.apps.search, message.apps.builtins)) : undefined);
    start = () =>
      Promise.all([open(), fragments()]).then(
        ([db, own]) => new SiteBuilder(db, { siteUrl: message.siteUrl, version: message.version, localeDirs: message.localeDirs, warn: (warning) => self.postMessage({ warning }), fragments: own }),
        (error: unknown) => (error instanceof Error ? error : new Error(errorMessage(error))),
      );
    builder = start();
    return;
  }
  try {
    let ready = await builder;
    // A database server that could not be reached when this Worker started may be back: try again.
    if (ready instanceof Error && databaseUnavailable(ready)) ready = await (builder = start());
    if (ready instanceof Error) throw ready;
    self.postMessage({ id: message.id, result: await ready.page(message.request) });
  } catch (error) {
    // Whether trying again later may work crosses to the server's thread (a 503 rather than a 500).
    self.postMessage({ id: message.id, error: errorMessage(error), unavailable: databaseUnavailable(error) });
  }
};
