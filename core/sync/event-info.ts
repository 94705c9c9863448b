import { CommandError } from '../common/errors.ts';
import { isObject, PretalxClient } from './client.ts';
import { detectApi } from './snapshot.ts';

export interface PretalxEventInfo {
  baseUrl: string;
  slug: string;
  name: Record<string, string>;
  dateFrom: string;
  dateTo: string;
  timezone: string;
  locale: string;
  locales: string[];
  primaryColor: string | null;
}

/**
 * Splits an event URL as people paste it: the public page (https://host/democon/) or the API
 * (https://host/api/events/democon/), on an instance that may live below a path.
 */
export function parseEventUrl(text: string): { baseUrl: string; slug: string } {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new CommandError(`--from-pretalx must be the URL of a Pretalx event, not "${text}".`);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new CommandError(`--from-pretalx must be an http(s) URL, not "${text}".`);
  const parts = url.pathname.split('/').filter(Boolean);
  const api = parts.findIndex((p, i) => p === 'api' && parts[i + 1] === 'events');
  const [prefix, slug] = api >= 0 ? [parts.slice(0, api), parts[api + 2]] : [parts.slice(0, -1), parts.at(-1)];
  if (!slug) throw new CommandError(`--from-pretalx: "${text}" names no event (expected https://host/<event>/).`);
  return { baseUrl: `${url.origin}${prefix.length ? `/${prefix.join('/')}` : ''}`, slug: decodeURIComponent(slug) };
}

export async function fetchEventInfo(text: string, options: { token?: string | undefined; timeout: number }): Promise<PretalxEventInfo> {
  const { baseUrl, slug } = parseEventUrl(text);
  const client = new PretalxClient({ baseUrl, token: options.token, pace: 0, concurrency: 1, timeout: options.timeout, retries: 2 });
  await detectApi(client);
  const response = await client.get(`events/${encodeURIComponent(slug)}/`);
  if (response.status === 404) throw new CommandError(`Pretalx has no event "${slug}" at ${baseUrl}.`);
  const e = response.body;
  if (response.status !== 200 || !isObject(e) || typeof e.date_from !== 'string' || typeof e.date_to !== 'string') {
    throw new CommandError(`Pretalx sent an unexpected event for ${response.url}.`);
  }
  const name = isObject(e.name) ? (e.name as Record<string, string>) : { en: String(e.name ?? slug) };
  const locale = typeof e.locale === 'string' ? e.locale : 'en';
  return {
    baseUrl,
    slug: typeof e.slug === 'string' ? e.slug : slug,
    name,
    dateFrom: e.date_from.slice(0, 10),
    dateTo: e.date_to.slice(0, 10),
    timezone: typeof e.timezone === 'string' ? e.timezone : 'UTC',
    locale,
    locales: Array.isArray(e.locales) && e.locales.every((l) => typeof l === 'string') ? (e.locales as string[]) : [locale],
    primaryColor: typeof e.primary_color === 'string' ? e.primary_color : null,
  };
}
