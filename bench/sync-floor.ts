/**
 * The floor under sync_pretalx, for bench/sync: the same requests as a v2 sync from a bare Bun
 * process (the API root beside the event and its lists, 4 at a time, next links followed), with
 * nothing parsed beyond the next links and nothing written.
 * Run by bench/sync.ts: bun bench/sync-floor.ts API_ROOT EVENT PAGE_SIZE CONCURRENCY
 */
export {};

const [apiRoot, event, pageSize, concurrencyArg] = process.argv.slice(2);
if (!apiRoot || !event || !pageSize || !concurrencyArg) throw new Error('usage: bun bench/sync-floor.ts API_ROOT EVENT PAGE_SIZE CONCURRENCY');
const concurrency = Number(concurrencyArg);
const headers = { Accept: 'application/json', 'Pretalx-Version': 'v2' };

let active = 0;
const waiting: (() => void)[] = [];
async function get(url: string): Promise<{ next?: string | null }> {
  if (active >= concurrency) await new Promise<void>((resolve) => waiting.push(resolve));
  active++;
  try {
    const response = await fetch(url, { headers });
    return (await response.json()) as { next?: string | null };
  } finally {
    active--;
    waiting.shift()?.();
  }
}
async function list(path: string): Promise<void> {
  let page = await get(`${apiRoot}events/${event}/${path}?page_size=${pageSize}`);
  while (page.next) page = await get(page.next);
}

await Promise.all([
  get(apiRoot),
  ...['speakers/', 'submissions/', 'slots/', 'rooms/', 'tracks/', 'submission-types/', 'tags/'].map(list),
  get(`${apiRoot}events/${event}/schedules/latest/`),
  get(`${apiRoot}events/${event}/`),
]);
