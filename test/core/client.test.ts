import { afterAll, beforeAll, describe, expect, test } from 'bun:test';
import { createServer } from 'node:net';
import { PretalxClient, retryAfter } from '../../core/sync/client.ts';

/** A server that answers each request with the next scripted answer, then 200 `[]`. */
function scripted() {
  const answers: { status: number; headers?: Record<string, string> }[] = [];
  const server = Bun.serve({
    hostname: '127.0.0.1',
    port: 0,
    fetch() {
      const next = answers.shift() ?? { status: 200 };
      return new Response(next.status === 200 ? '[]' : '{"detail": "slow down"}', { status: next.status, headers: next.headers ?? {} });
    },
  });
  return { server, answers, url: `http://127.0.0.1:${server.port}` };
}

describe('PretalxClient retries', () => {
  let fake: ReturnType<typeof scripted>;
  beforeAll(() => {
    fake = scripted();
  });
  afterAll(() => fake.server.stop(true));

  const client = (waits: number[]) =>
    new PretalxClient({
      baseUrl: fake.url,
      pace: 0,
      concurrency: 1,
      timeout: 5,
      retries: 3,
      backoff: 100,
      sleep: async (ms) => void waits.push(ms),
    });

  test("a 429's Retry-After (seconds) is the wait before the retry, not the backoff", async () => {
    const waits: number[] = [];
    fake.answers.push({ status: 429, headers: { 'retry-after': '7' } }, { status: 429, headers: { 'retry-after': '2' } });
    expect((await client(waits).get('events/')).status).toBe(200);
    expect(waits).toEqual([7000, 2000]);
  });

  test('a Retry-After beyond a minute waits a minute; a 429 without one backs off with jitter', async () => {
    const waits: number[] = [];
    fake.answers.push({ status: 429, headers: { 'retry-after': '3600' } }, { status: 429 }, { status: 503, headers: { 'retry-after': '9' } });
    expect((await client(waits).get('events/')).status).toBe(200);
    expect(waits[0]).toBe(60_000);
    // Backoff 100 ms, doubling per attempt, times a jitter in [0.5, 1.5).
    expect(waits[1]).toBeGreaterThanOrEqual(100);
    expect(waits[1]).toBeLessThan(300);
    // Retry-After is honoured on 429 only; a 503 backs off.
    expect(waits[2]).toBeGreaterThanOrEqual(200);
    expect(waits[2]).toBeLessThan(600);
    expect(waits).toHaveLength(3);
  });
});

describe('retryAfter', () => {
  const now = Date.parse('2026-05-01T09:00:00Z');
  test('reads delay-seconds and HTTP dates; nothing usable is undefined (back off instead)', () => {
    expect(retryAfter('120', now)).toBe(120_000);
    expect(retryAfter(' 0 ', now)).toBe(0);
    expect(retryAfter('Fri, 01 May 2026 09:00:30 GMT', now)).toBe(30_000);
    expect(retryAfter('Fri, 01 May 2026 08:00:00 GMT', now)).toBe(0);
    expect(retryAfter(null, now)).toBeUndefined();
    expect(retryAfter('', now)).toBeUndefined();
    expect(retryAfter('-5', now)).toBeUndefined();
    expect(retryAfter('soon', now)).toBeUndefined();
  });
});

describe('PretalxClient when Pretalx does not answer', () => {
  test('the requests in flight give up together after connectRetries, each retry announced; every waiting request fails the same way', async () => {
    const probe = Bun.serve({ hostname: '127.0.0.1', port: 0, fetch: () => new Response('') });
    const origin = `http://127.0.0.1:${probe.port}`;
    probe.stop(true);
    const announced: string[] = [];
    const waits: number[] = [];
    const client = new PretalxClient({
      baseUrl: origin,
      pace: 0,
      concurrency: 4,
      timeout: 5,
      retries: 5,
      connectRetries: 2,
      backoff: 100,
      sleep: async (ms) => void waits.push(ms),
      onRetry: (message) => announced.push(message),
    });
    const results = await Promise.allSettled(['events/', 'events/x/rooms/', 'events/x/talks/', 'events/x/speakers/', 'events/x/slots/', 'events/x/tags/'].map((p) => client.get(p)));
    const message = `Pretalx at ${origin} did not answer (ECONNREFUSED: Unable to connect) after 3 attempts; check the event's Pretalx URL and this server's network, or raise sync.connect_retries.`;
    expect(results.map((r) => (r.status === 'rejected' ? (r.reason as Error).message : 'answered'))).toEqual(Array(6).fill(message));
    expect(announced).toHaveLength(2);
    expect(announced[0]).toMatch(new RegExp(`^Pretalx did not answer ${origin}/api/events/\\S* \\(ECONNREFUSED: Unable to connect\\); retrying in 0\\.\\d s \\(attempt 2 of 3\\)$`));
    expect(announced[1]).toMatch(/; retrying in 0\.\d s \(attempt 3 of 3\)$/);
    // The waits double from the backoff, with jitter in [0.5, 1.5).
    expect(waits[0]).toBeGreaterThanOrEqual(50);
    expect(waits[0]).toBeLessThan(150);
    expect(waits[1]).toBeGreaterThanOrEqual(100);
    expect(waits[1]).toBeLessThan(300);
    expect(client.stats.requests).toBeLessThanOrEqual(6);
  });
});

describe('PretalxClient headers', () => {
  test('a token is sent as "Token <token>"; without one, no Authorization header at all', async () => {
    const seen: (string | null)[] = [];
    const server = Bun.serve({ hostname: '127.0.0.1', port: 0, fetch: (request) => (seen.push(request.headers.get('authorization')), Response.json([])) });
    try {
      for (const token of ['s3cret', undefined]) await new PretalxClient({ baseUrl: `http://127.0.0.1:${server.port}`, pace: 0, concurrency: 1, timeout: 5, retries: 0, token }).get('events/');
      expect(seen).toEqual(['Token s3cret', null]);
    } finally {
      server.stop(true);
    }
  });
});

describe('PretalxClient backoff', () => {
  test('each wait is sync.backoff doubled per attempt, times 0.5 plus the jitter; capped at a minute', async () => {
    const probe = Bun.serve({ hostname: '127.0.0.1', port: 0, fetch: () => new Response('') });
    const origin = `http://127.0.0.1:${probe.port}`;
    probe.stop(true);
    for (const [jitter, expected] of [
      [0, [50, 100, 200, 400, 800, 1600, 3200]],
      [0.75, [125, 250, 500, 1000, 2000, 4000, 8000]],
    ] as const) {
      const waits: number[] = [];
      const client = new PretalxClient({ baseUrl: origin, pace: 0, concurrency: 1, timeout: 5, retries: 7, backoff: 100, random: () => jitter, sleep: async (ms) => void waits.push(ms) });
      await client.get('events/').catch(() => undefined);
      expect(waits).toEqual([...expected]);
    }
    // 5xx answers back off the same way; a long backoff stops at a minute.
    const fake = scripted();
    try {
      const waits: number[] = [];
      fake.answers.push({ status: 502 }, { status: 503 }, { status: 500 });
      const client = new PretalxClient({ baseUrl: fake.url, pace: 0, concurrency: 1, timeout: 5, retries: 3, backoff: 20_000, random: () => 0.5, sleep: async (ms) => void waits.push(ms) });
      expect((await client.get('events/')).status).toBe(200);
      expect(waits).toEqual([20_000, 40_000, 60_000]);
    } finally {
      fake.server.stop(true);
    }
  });
});

describe('PretalxClient when a connection drops', () => {
  test("the error line says what happened, without the runtime's advice", async () => {
    const server = createServer((socket) => socket.destroy());
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const origin = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
    try {
      const client = new PretalxClient({ baseUrl: origin, pace: 0, concurrency: 1, timeout: 5, retries: 0, connectRetries: 0 });
      const error = await client.get('events/').then(() => null, (e: Error) => e.message);
      expect(error).toBe(`Pretalx at ${origin} did not answer (ECONNRESET: The socket connection was closed unexpectedly) after 1 attempt; check the event's Pretalx URL and this server's network, or raise sync.connect_retries.`);
    } finally {
      server.close();
    }
  });

  test('a request aborted while it waits for its turn gives its turn back once: the others still go one at a time', async () => {
    let inFlight = 0;
    let most = 0;
    const server = Bun.serve({
      hostname: '127.0.0.1',
      port: 0,
      async fetch() {
        most = Math.max(most, ++inFlight);
        await Bun.sleep(100);
        inFlight--;
        return Response.json([]);
      },
    });
    try {
      const client = new PretalxClient({ baseUrl: `http://127.0.0.1:${server.port}`, pace: 0, concurrency: 1, timeout: 5, retries: 0 });
      const first = client.get('a/');
      const controller = new AbortController();
      const aborted = client.get('b/', {}, { signal: controller.signal }).then(() => 'answered', (e: Error) => e.name);
      controller.abort();
      const rest = [client.get('c/'), client.get('d/')];
      await Promise.all([first, ...rest]);
      expect(await aborted).toBe('AbortError');
      expect({ most, requests: client.stats.requests }).toEqual({ most: 1, requests: 3 });
    } finally {
      server.stop(true);
    }
  });
});

describe('PretalxClient against a server that trickles', () => {
  /** Headers at once, then a byte every 300 ms for six seconds: no timeout of headers alone stops it. */
  const trickling = () =>
    Bun.serve({
      hostname: '127.0.0.1',
      port: 0,
      fetch: () =>
        new Response(
          new ReadableStream({
            async start(controller) {
              controller.enqueue(new TextEncoder().encode('['));
              for (let i = 0; i < 20; i++) {
                await Bun.sleep(300);
                try {
                  controller.enqueue(new TextEncoder().encode(' '));
                } catch {
                  return; // the client went away
                }
              }
              controller.enqueue(new TextEncoder().encode(']'));
              controller.close();
            },
          }),
          { headers: { 'content-type': 'application/json' } },
        ),
    });

  test('sync.timeout covers the whole answer, body included', async () => {
    const server = trickling();
    try {
      const client = new PretalxClient({ baseUrl: `http://127.0.0.1:${server.port}`, pace: 0, concurrency: 1, timeout: 1, retries: 0, connectRetries: 0 });
      const started = performance.now();
      const error = await client.get('events/').then(() => null, (e: Error) => e.message);
      expect(error).toBe(`Pretalx at http://127.0.0.1:${server.port} did not answer (no answer within the timeout, sync.timeout) after 1 attempt; check the event's Pretalx URL and this server's network, or raise sync.timeout.`);
      expect(performance.now() - started).toBeLessThan(4000); // the server would take 6 s
    } finally {
      server.stop(true);
    }
  });

  test('sync.budget caps the whole sync: every request then fails with one line', async () => {
    const server = trickling();
    try {
      const client = new PretalxClient({ baseUrl: `http://127.0.0.1:${server.port}`, pace: 0, concurrency: 2, timeout: 30, retries: 0, connectRetries: 0, budget: 0.5 });
      const results = await Promise.allSettled([client.get('a/'), client.get('b/'), client.get('c/')]);
      expect(results.map((r) => (r.status === 'rejected' ? (r.reason as Error).message : 'answered'))).toEqual(
        Array(3).fill('The sync took longer than sync.budget (0.5 s) and was given up; nothing was written.'),
      );
      // A request made after the budget is spent is refused the same way, unsent.
      const sent = client.stats.requests;
      expect(await client.get('d/').then(() => 'answered', (e: Error) => e.message)).toBe('The sync took longer than sync.budget (0.5 s) and was given up; nothing was written.');
      expect(client.stats.requests).toBe(sent);
    } finally {
      server.stop(true);
    }
  });
});

describe('PretalxClient answers that are not a good list', () => {
  /** A server answering each path with a scripted status and body; `hits` counts the requests. */
  function routed(routes: Record<string, (url: URL) => Response>) {
    const hits: string[] = [];
    const server = Bun.serve({
      hostname: '127.0.0.1',
      port: 0,
      fetch(request) {
        const url = new URL(request.url);
        hits.push(`${url.pathname}${url.search}`);
        return (routes[url.pathname] ?? (() => Response.json({ detail: 'Not found.' }, { status: 404 })))(url);
      },
    });
    const client = new PretalxClient({ baseUrl: `http://127.0.0.1:${server.port}`, pace: 0, concurrency: 2, timeout: 5, retries: 0, connectRetries: 0 });
    return { server, hits, client, origin: `http://127.0.0.1:${server.port}` };
  }
  const failure = (promise: Promise<unknown>) => promise.then(() => 'answered', (e: Error) => e.message);
  const byId = (item: Record<string, unknown>) => String(item.id);

  test('redirects, 403, 404, 400, a shape that is no list, a list item that is no object, and paging that loops: one line each', async () => {
    const { server, client, origin } = routed({
      '/api/elsewhere/': () => new Response(null, { status: 302, headers: { location: 'https://evil.example/api/x/' } }),
      '/api/moved/': () => new Response(null, { status: 301, headers: { location: '/api/new/' } }),
      '/api/secret/': () => Response.json({ detail: 'no' }, { status: 403 }),
      '/api/bad/': () => Response.json({ page_size: ['too big'] }, { status: 400 }),
      '/api/bad-html/': () => new Response('<html><h1>Bad Request (400)</h1></html>', { status: 400, headers: { 'content-type': 'text/html' } }),
      '/api/shape/': () => Response.json({ items: [] }),
      '/api/scalar/': () => Response.json([{ id: 1 }, 2]),
      '/api/loop/': (url) => Response.json({ count: 4, next: `${url.origin}/api/loop/?page=2`, results: [{ id: url.searchParams.get('page') ?? '1' }] }),
      '/api/gone/': () => new Response('<html>Gone</html>', { status: 410, headers: { 'content-type': 'text/html' } }),
      '/api/html404/': () => new Response('<html>\n<h1>Not Found</h1>\n</html>', { status: 404, headers: { 'content-type': 'text/html' } }),
    });
    try {
      expect(await failure(client.get('elsewhere/'))).toBe(`Pretalx redirected ${origin}/api/elsewhere/ to https://evil.example: refusing to follow it with the token.`);
      expect(await failure(client.get('moved/'))).toBe(`Pretalx redirected ${origin}/api/moved/ to ${origin}/api/new/: configure that URL as the event's Pretalx URL.`);
      expect(await failure(client.get('secret/'))).toBe(`Pretalx denied access (403) to URL ${origin}/api/secret/: the token lacks the permission for this event or endpoint.`);
      expect(await failure(client.list('missing/', { key: byId, pageSize: 50 }))).toBe(`Pretalx API request failed: 404 for URL ${origin}/api/missing/?page_size=50`);
      expect(await failure(client.list('bad/', { key: byId, pageSize: 50 }))).toBe(`Pretalx API request failed: 400 for URL ${origin}/api/bad/?page_size=50: {"page_size":["too big"]}`);
      expect(await failure(client.list('bad-html/', { key: byId, pageSize: 50 }))).toBe(`Pretalx API request failed: 400 for URL ${origin}/api/bad-html/?page_size=50`);
      expect(await failure(client.list('shape/', { key: byId, pageSize: 50 }))).toBe(`Pretalx sent an unexpected shape for URL ${origin}/api/shape/?page_size=50: expected a list or {count, next, results}.`);
      expect(await failure(client.list('scalar/', { key: byId, pageSize: 50 }))).toBe(`Pretalx sent a list item that is not an object for URL ${origin}/api/scalar/?page_size=50.`);
      expect(await failure(client.list('loop/', { key: byId, pageSize: 50 }))).toBe(`Pretalx's paging of loop/ loops back to ${origin}/api/loop/?page=2.`);
      // Another 4xx is an error; an HTML error page is judged by its status, not as a body that is not JSON.
      expect(await failure(client.get('gone/'))).toBe(`Pretalx API request failed: 410 for URL ${origin}/api/gone/`);
      expect(await failure(client.list('html404/', { key: byId, pageSize: 50 }))).toBe(`Pretalx API request failed: 404 for URL ${origin}/api/html404/?page_size=50`);
    } finally {
      server.stop(true);
    }
  });

  test('a bare array is the whole list, read once; so is a list whose count adds up, and one whose next is no link', async () => {
    const { server, client, hits } = routed({
      '/api/events/': () => Response.json([{ id: 1 }, { id: 2 }]),
      '/api/rooms/': () => Response.json({ count: 2, next: null, previous: null, results: [{ id: 1 }, { id: 2 }] }),
      // A next that is no link ends the paging; it is not followed as a relative URL.
      '/api/tracks/': () => Response.json({ count: 1, next: 42, previous: null, results: [{ id: 1 }] }),
    });
    try {
      expect((await client.list('events/', { key: byId, pageSize: 50 })).map((i) => i.id)).toEqual([1, 2]);
      expect((await client.list('rooms/', { key: byId, pageSize: 50 })).map((i) => i.id)).toEqual([1, 2]);
      expect((await client.list('tracks/', { key: byId, pageSize: 50 })).map((i) => i.id)).toEqual([1]);
      expect(hits).toEqual(['/api/events/?page_size=50', '/api/rooms/?page_size=50', '/api/tracks/?page_size=50']);
    } finally {
      server.stop(true);
    }
  });

  test('a list whose pages add up to less than its count is read once more; what the second pass sees is taken', async () => {
    let pass = 0;
    const { server, client, hits } = routed({
      '/api/talks/': (url) => {
        if (url.searchParams.get('page') === '2') return Response.json({ count: 3, next: null, results: [{ id: 3 }] });
        pass++;
        // The first pass misses item 2 (it moved between pages while we read); the second sees all three.
        return Response.json({ count: 3, next: `${url.origin}/api/talks/?page=2`, results: pass === 1 ? [{ id: 1 }] : [{ id: 1 }, { id: 2 }] });
      },
    });
    try {
      const items = await client.list('talks/', { key: byId, pageSize: 2 });
      expect(items.map((i) => i.id)).toEqual([1, 2, 3]);
      expect(hits.filter((h) => h.startsWith('/api/talks/'))).toHaveLength(4);
    } finally {
      server.stop(true);
    }
  });
});
