/**
 * The Worker that builds event pages for runserver off the request thread (see render.ts): its own
 * read-only connection to the database, a SiteBuilder, and one message per page asked for.
 * An entry point of the compiled binary (package.json's build), never imported.
 */
import { errorMessage } from '../common/errors.ts';
import { openDatabase } from '../../db/connection.ts';
import { SiteBuilder, type PageRequest } from './sites.ts';
import type { RenderInit } from './render.ts';

/** The Worker's own global scope (the web standard's DedicatedWorkerGlobalScope, in Bun and Deno alike). */
declare const self: { onmessage: ((event: MessageEvent) => void) | null; postMessage(message: unknown): void };

/** The builder, or why there is none (a database that cannot be opened fails every page with its reason). */
let builder: SiteBuilder | Error = new Error('the page renderer was not started');

self.onmessage = async (event: MessageEvent) => {
  const message = event.data as RenderInit | { id: number; request: PageRequest };
  if ('databasePath' in message) {
    try {
      builder = new SiteBuilder(openDatabase(message.databasePath, { readonly: true, busyTimeout: message.busyTimeout }), { siteUrl: message.siteUrl, version: message.version });
    } catch (error) {
      builder = new Error(errorMessage(error));
    }
    return;
  }
  try {
    if (builder instanceof Error) throw builder;
    self.postMessage({ id: message.id, result: await builder.page(message.request) });
  } catch (error) {
    self.postMessage({ id: message.id, error: errorMessage(error) });
  }
};
