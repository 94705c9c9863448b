// core/sync/ — the schedule coming in: sync_pretalx's client, snapshot and one-transaction apply,
// and import_schedule's c3voc/frab reader that feeds the same apply.
import type { Clock } from '../common/clock.ts';
import { CommandError } from '../common/errors.ts';
import type { Settings } from '../common/settings.ts';
import type { Env } from '../common/io.ts';
import type { Db } from '../auth/users.ts';
import { applySnapshot, type SyncResult } from './apply.ts';
import { PretalxClient } from './client.ts';
import { fetchSnapshot, withinColumns, withSafeCodes, type Steps } from './snapshot.ts';

/** The token for an instance: CONFCTL_PRETALX_TOKEN, else [pretalx.tokens] for that URL. Never stored, never printed. */
export function tokenFor(baseUrl: string, settings: Settings, env: Env): string | undefined {
  if (env.CONFCTL_PRETALX_TOKEN) return env.CONFCTL_PRETALX_TOKEN;
  const tokens = settings.values['pretalx.tokens'];
  const wanted = baseUrl.replace(/\/+$/, '');
  const found = Object.entries(tokens).find(([url]) => url.replace(/\/+$/, '').replace(/\/api$/, '') === wanted);
  return found?.[1];
}

export interface SyncRequest {
  slug: string;
  steps: Steps;
  allowLargeScheduleDrop: boolean;
  dryRun: boolean;
}

/** django-program's sync_pretalx, done right: fetch everything, then apply it in one transaction. */
export async function syncEvent(
  db: Db,
  request: SyncRequest,
  context: { settings: Settings; env: Env; clock: Clock; onRequest?: (url: string) => void; onRetry?: (message: string) => void },
): Promise<SyncResult & { requests: number; notes: string[] }> {
  const event = await db
    .selectFrom('event_event')
    .select(['id', 'slug', 'locale', 'pretalx_base_url', 'pretalx_event_slug'])
    .where((eb) => eb(eb.fn('lower', ['slug']), '=', request.slug.toLowerCase()))
    .executeTakeFirst();
  if (!event) throw new CommandError(`Conference with slug '${request.slug}' not found`);
  if (!event.pretalx_event_slug || !event.pretalx_base_url) throw new CommandError(`Conference '${event.slug}' has no pretalx_event_slug configured`);
  const { values } = context.settings;
  const client = new PretalxClient({
    baseUrl: event.pretalx_base_url,
    token: tokenFor(event.pretalx_base_url, context.settings, context.env),
    pace: values['sync.pace'],
    concurrency: values['sync.concurrency'],
    timeout: values['sync.timeout'],
    retries: values['sync.retries'],
    connectRetries: values['sync.connect_retries'],
    budget: values['sync.budget'],
    backoff: values['sync.backoff'],
    ...(context.onRequest ? { onRequest: context.onRequest } : {}),
    ...(context.onRetry ? { onRetry: context.onRetry } : {}),
  });
  const { snapshot, notes } = withinColumns(withSafeCodes(await fetchSnapshot(client, event.pretalx_event_slug, event.locale, request.steps, values['sync.page_size'])));
  const result = await applySnapshot(db, snapshot, {
    eventId: event.id,
    steps: request.steps,
    allowLargeScheduleDrop: request.allowLargeScheduleDrop,
    guard: { minExisting: values['sync.guard_min_existing'], maxFraction: values['sync.guard_max_fraction'] },
    dryRun: request.dryRun,
    clock: context.clock,
  });
  return { ...result, requests: client.stats.requests, notes };
}
