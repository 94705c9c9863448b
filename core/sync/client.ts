import { ofetch, type FetchResponse } from 'ofetch';
import { CommandError } from '../common/errors.ts';

/**
 * A JSON.parse reviver that drops NUL characters from every string: a mirror keeps no NUL (a feed
 * could not carry it either), and PostgreSQL's text cannot hold one, where it failed the whole sync.
 * The same on both databases.
 */
export const withoutNul = (_key: string, value: unknown): unknown => (typeof value === 'string' && value.includes('\0') ? value.replaceAll('\0', '') : value);

/**
 * The HTTP side of a sync: JSON GETs against one Pretalx instance, paced, bounded in concurrency,
 * retried on network errors, 5xx and 429 (honouring Retry-After) with exponential backoff and
 * jitter, each with a timeout. The token is sent only to the configured origin: a `next` link or
 * redirect elsewhere is an error. Every failure is one CommandError line naming the URL.
 */
export interface ClientOptions {
  baseUrl: string;
  token?: string | undefined;
  /** Requests per second; 0 = unlimited. */
  pace: number;
  concurrency: number;
  /** Seconds per request. */
  timeout: number;
  /** Retries of a request answered with 5xx or 429. */
  retries: number;
  /** Retries when Pretalx does not answer at all (refused, unknown host, timeout), for the client as a whole; default `retries`. */
  connectRetries?: number;
  /** Milliseconds before the first retry (doubles each time, with jitter). */
  backoff?: number;
  /** Seconds for the whole sync, counted from the client's creation: once spent, every request fails with one line (sync.budget). */
  budget?: number;
  /** Each retry, announced (`Pretalx did not answer …; retrying in 2 s (attempt 2 of 3)`). */
  onRetry?: (message: string) => void;
  sleep?: (ms: number) => Promise<void>;
  /** The jitter's source, a number in [0, 1): the wait is the backoff times 0.5 + jitter (Math.random). */
  random?: () => number;
  /** For tests and the progress display. */
  onRequest?: (url: string) => void;
}

/** Per request: a version header other than the client's (null: none), and a signal that abandons it. */
export interface RequestOptions {
  version?: string | null;
  signal?: AbortSignal;
}

export interface JsonResponse {
  status: number;
  url: string;
  body: unknown;
}

export class PretalxClient {
  readonly origin: string;
  readonly apiBase: string;
  private version: string | null = null;
  private active = 0;
  private readonly waiting: (() => void)[] = [];
  private nextSlot = 0;
  /** Consecutive requests that got no answer at all; any answer resets it. */
  private connectFailures = 0;
  /** Set once the host is given up on: every request still waiting fails with it. */
  private unreachable: CommandError | null = null;
  /** Aborts when sync.budget is spent. */
  private readonly budget: AbortSignal | undefined;
  readonly stats = { requests: 0, retries: 0 };

  constructor(private readonly options: ClientOptions) {
    this.budget = options.budget === undefined ? undefined : AbortSignal.timeout(options.budget * 1000);
    const base = new URL(options.baseUrl);
    this.origin = base.origin;
    this.apiBase = `${base.origin}${base.pathname.replace(/\/+$/, '').replace(/\/api$/, '')}/api/`;
  }

  /** The `Pretalx-Version` header to send (v2, or v1 after a server refused v2); null sends none. */
  setVersion(version: string | null): void {
    this.version = version;
  }

  /**
   * Waits for a free connection and, with a pace, for the next free moment. A moment is taken only
   * by a request about to leave: one abandoned while it waits gives its place to the next.
   */
  private async slot(signal: AbortSignal | undefined): Promise<() => void> {
    if (this.active >= this.options.concurrency) await new Promise<void>((resolve) => this.waiting.push(resolve));
    this.active++;
    const release = () => {
      this.active--;
      this.waiting.shift()?.();
    };
    for (;;) {
      if (signal?.aborted) {
        release();
        signal.throwIfAborted();
      }
      // Given up on the host while this one waited: it fails now, not after its turn.
      if (this.unreachable) {
        release();
        throw this.unreachable;
      }
      if (this.options.pace <= 0) break;
      const now = Date.now();
      if (now >= this.nextSlot) {
        this.nextSlot = now + 1000 / this.options.pace;
        break;
      }
      await (this.options.sleep ?? sleep)(this.nextSlot - now);
    }
    return release;
  }

  /**
   * GET a URL (absolute, or relative to the API root) as JSON; 404 and 400 are returned, not thrown.
   * An aborted signal rejects it before it is sent (also after waiting for a slot) or while in flight.
   */
  async get(pathOrUrl: string, query: Record<string, string | number> = {}, options: RequestOptions = {}): Promise<JsonResponse> {
    const signal = options.signal && this.budget ? AbortSignal.any([options.signal, this.budget]) : (options.signal ?? this.budget);
    if (this.budget?.aborted) throw budgetSpent(this.options.budget!);
    signal?.throwIfAborted();
    const url = new URL(pathOrUrl, this.apiBase);
    for (const [k, v] of Object.entries(query)) url.searchParams.set(k, String(v));
    if (url.origin !== this.origin) {
      throw new CommandError(`Pretalx sent a link to ${url.origin}, not ${this.origin}: refusing to follow it (the token is only for ${this.origin}).`);
    }
    const headers: Record<string, string> = { Accept: 'application/json' };
    if (this.options.token) headers.Authorization = `Token ${this.options.token}`;
    const version = options.version === undefined ? this.version : options.version;
    if (version) headers['Pretalx-Version'] = version;
    let answered = 0; // retries after an answer (5xx, 429)
    for (let attempt = 0; ; attempt++) {
      // slot() fails once the budget is spent (the signal includes it) or the host is given up.
      const release = await this.slot(signal).catch((error: unknown) => {
        throw this.budget?.aborted ? budgetSpent(this.options.budget!) : error;
      });
      let response: FetchResponse<string> | undefined;
      let failure: unknown;
      // One deadline for the whole answer, headers and body: a server that trickles a byte at a time
      // is cut off like one that never answers (ofetch's own timeout stops at the headers).
      const deadline = AbortSignal.timeout(this.options.timeout * 1000);
      try {
        this.stats.requests++;
        this.options.onRequest?.(url.href);
        response = await ofetch.raw(url.href, {
          headers,
          retry: 0,
          redirect: 'manual',
          ignoreResponseError: true,
          responseType: 'text',
          signal: signal ? AbortSignal.any([signal, deadline]) : deadline,
        });
      } catch (error) {
        failure = error; // the deadline's is a TimeoutError (isTimeout); a spent budget or an abort is thrown below
      } finally {
        release();
      }
      if (this.budget?.aborted) throw budgetSpent(this.options.budget!);
      signal?.throwIfAborted();
      const backoff = (n: number) => Math.min((this.options.backoff ?? 1000) * 2 ** n * (0.5 + (this.options.random ?? Math.random)()), 60_000);
      if (failure !== undefined) {
        // No answer at all. Counted for the whole client, not per request: when the host is down,
        // the requests in flight together give up after `connectRetries`, not each after its own.
        const reason = failureReason(failure);
        const failures = ++this.connectFailures;
        const retries = this.options.connectRetries ?? this.options.retries;
        if (this.unreachable) throw this.unreachable;
        if (failures > retries) {
          const attempts = failures === 1 ? '1 attempt' : `${failures} attempts`;
          const raise = isTimeout(failure) ? 'or raise sync.timeout' : 'or raise sync.connect_retries';
          this.unreachable = new CommandError(`Pretalx at ${this.origin} did not answer (${reason}) after ${attempts}; check the event's Pretalx URL and this server's network, ${raise}.`);
          throw this.unreachable;
        }
        this.stats.retries++;
        const wait = backoff(failures - 1);
        this.options.onRetry?.(`Pretalx did not answer ${url.href} (${reason}); retrying in ${seconds(wait)} (attempt ${failures + 1} of ${retries + 1})`);
        await (this.options.sleep ?? sleep)(wait);
        continue;
      }
      this.connectFailures = 0;
      if ((response!.status >= 500 || response!.status === 429) && answered < this.options.retries) {
        answered++;
        this.stats.retries++;
        const after = response!.status === 429 ? retryAfter(response!.headers.get('retry-after'), Date.now()) : undefined;
        const wait = Math.min(after ?? backoff(attempt), 60_000);
        this.options.onRetry?.(`Pretalx answered ${response!.status} for ${url.href}; retrying in ${seconds(wait)} (attempt ${answered + 1} of ${this.options.retries + 1})`);
        await (this.options.sleep ?? sleep)(wait);
        continue;
      }
      try {
        return this.interpret(response!, url.href);
      } catch (error) {
        // A body cut short or a maintenance page instead of JSON passes, as a 503 does: retried.
        if (!(error instanceof NotJson) || answered >= this.options.retries) throw error;
        answered++;
        this.stats.retries++;
        const wait = backoff(attempt);
        this.options.onRetry?.(`Pretalx sent something that is not JSON for ${url.href}; retrying in ${seconds(wait)} (attempt ${answered + 1} of ${this.options.retries + 1})`);
        await (this.options.sleep ?? sleep)(wait);
      }
    }
  }

  private interpret(response: FetchResponse<string>, url: string): JsonResponse {
    const status = response.status;
    if (status >= 300 && status < 400) {
      const location = response.headers.get('location') ?? '';
      const target = new URL(location, url);
      if (target.origin !== this.origin) throw new CommandError(`Pretalx redirected ${url} to ${target.origin}: refusing to follow it with the token.`);
      throw new CommandError(`Pretalx redirected ${url} to ${target.href}: configure that URL as the event's Pretalx URL.`);
    }
    if (status === 401) {
      throw new CommandError(
        this.options.token
          ? `Pretalx refused the token (401) for URL ${url}: check CONFCTL_PRETALX_TOKEN or [pretalx.tokens].`
          : `Pretalx wants a token (401) for URL ${url}, and none is configured for ${this.origin}: set CONFCTL_PRETALX_TOKEN, or add it under [pretalx.tokens] in the settings file.`,
      );
    }
    if (status === 403) throw new CommandError(`Pretalx denied access (403) to URL ${url}: the token lacks the permission for this event or endpoint.`);
    if (status >= 500 || status === 429) throw new CommandError(`Pretalx API request failed: ${status} for URL ${url} (after ${this.options.retries} retries)`);
    const text = response._data ?? '';
    let body: unknown = null;
    if (text.trim() !== '') {
      try {
        body = JSON.parse(text, withoutNul);
      } catch {
        if (status < 400) throw new NotJson(`Pretalx sent something that is not JSON for URL ${url} (${excerpt(text)}).`);
      }
    }
    if (status >= 400 && status !== 400 && status !== 404) throw new CommandError(`Pretalx API request failed: ${status} for URL ${url}`);
    return { status, url, body };
  }

  /**
   * Every item of a list endpoint: follows `next` links only (never builds page URLs), accepts a
   * bare array as the whole list, asks for `pageSize` without relying on it, removes items repeated
   * across pages, stops a paging loop, and re-reads the list once if the count does not add up.
   */
  async list(
    path: string,
    options: { key: (item: Record<string, unknown>) => string; pageSize: number; query?: Record<string, string | number> } & RequestOptions,
  ): Promise<Record<string, unknown>[]> {
    const { key, pageSize, query, ...request } = options;
    for (let pass = 0; ; pass++) {
      const seenUrls = new Set<string>();
      const items = new Map<string, Record<string, unknown>>();
      let declared: number | null = null;
      let response = await this.get(path, { ...query, page_size: pageSize }, request);
      for (;;) {
        if (response.status === 404) throw new CommandError(`Pretalx API request failed: 404 for URL ${response.url}`);
        if (response.status === 400) throw new CommandError(`Pretalx API request failed: 400 for URL ${response.url}${response.body === null ? '' : `: ${JSON.stringify(response.body).slice(0, 120)}`}`);
        const body = response.body;
        const page = Array.isArray(body) ? body : isObject(body) && Array.isArray(body.results) ? body.results : null;
        if (page === null) throw new CommandError(`Pretalx sent an unexpected shape for URL ${response.url}: expected a list or {count, next, results}.`);
        for (const item of page) {
          if (!isObject(item)) throw new CommandError(`Pretalx sent a list item that is not an object for URL ${response.url}.`);
          items.set(key(item), item);
        }
        seenUrls.add(response.url);
        const next = isObject(body) && typeof body.next === 'string' ? body.next : null;
        if (isObject(body) && typeof body.count === 'number') declared = body.count;
        if (!next) break;
        if (seenUrls.has(new URL(next, response.url).href)) throw new CommandError(`Pretalx's paging of ${path} loops back to ${next}.`);
        response = await this.get(next, {}, request);
      }
      if (declared === null || declared === items.size || pass > 0) return [...items.values()];
    }
  }
}

export function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function budgetSpent(seconds: number): CommandError {
  return new CommandError(`The sync took longer than sync.budget (${seconds} s) and was given up; nothing was written.`);
}

/** A 2xx/3xx answer whose body is not JSON (a truncated answer, a maintenance page): worth a retry. */
class NotJson extends CommandError {}

/** The start of an unexpected body, on one line: "<html> <head> <title>Maintenance…". */
function excerpt(text: string): string {
  const line = text.trim().replace(/\s+/g, ' ');
  return line.length > 60 ? `${line.slice(0, 60)}…` : line;
}

/** The operator's part of a fetch failure: "ECONNREFUSED: Unable to connect…", never the runtime's advice. */
function failureReason(failure: unknown): string {
  if (isTimeout(failure)) return 'no answer within the timeout, sync.timeout';
  const error = failure instanceof Error && failure.cause instanceof Error ? failure.cause : failure;
  const message = error instanceof Error ? error.message : String(error);
  // The runtime's advice ("Is the computer able to access the url?", "pass verbose: true") is not the operator's.
  return message
    .split('\n')[0]!
    .replace(/\s*For more information, pass `?verbose: true`? in the second argument to fetch\(\)\.?/, '')
    .replace(/\s*Is the computer able to access the url\?/, '')
    .replace(/\.$/, '')
    .trim();
}

function isTimeout(failure: unknown): boolean {
  const error = failure instanceof Error && failure.cause instanceof Error ? failure.cause : failure;
  return error instanceof Error && (error.name === 'TimeoutError' || /timed? ?out/i.test(error.message));
}

/** "2 s", "0.5 s": a wait as people read it. */
const seconds = (ms: number) => `${Math.round(ms / 100) / 10} s`;

/**
 * Milliseconds a Retry-After header asks for: delay-seconds or an HTTP date (RFC 9110 §10.2.3);
 * undefined when it is missing or unreadable, so that the caller backs off instead of not waiting.
 */
export function retryAfter(header: string | null, now: number): number | undefined {
  if (header === null) return undefined;
  const value = header.trim();
  if (/^\d+$/.test(value)) return Number(value) * 1000;
  const date = /[a-z]/i.test(value) ? Date.parse(value) : NaN;
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
