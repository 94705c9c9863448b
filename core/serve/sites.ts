import { createHash } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import type { Db } from '../auth/users.ts';
import { loadExport } from '../export/data.ts';
import { lazySite, siteLanguages, unloadedVersions } from '../export/site.ts';
import type { Fragments } from '../export/pages.ts';
import { UntilChanged } from './until-changed.ts';

/** One page of an event's site, as the server asks for it. */
export interface PageRequest {
  eventId: number;
  slug: string;
  /** The organisers' site (with the WIP schedule) or the public one. */
  organiser: boolean;
  /** The event's change counter now: a site built at another stamp is built again. */
  stamp: number;
  /** The path below the event's folder, e.g. "schedule/index.html". */
  file: string;
}

export type PageResult =
  /** A page as it is sent: its bytes, their ETag, and gzipped (when worth it), all done by the renderer. */
  | { kind: 'file'; path: string; body: Uint8Array; etag: string; gzip: Uint8Array | null }
  /** Only `<file>/index.html` exists: the server redirects to `<file>/`. */
  | { kind: 'dir' }
  | { kind: 'missing' };

/** Builds event pages where they are asked for: on the server's thread, or in a Worker (render-worker.ts). */
export interface PageRenderer {
  page(request: PageRequest): Promise<PageResult>;
  close(): void;
}

type Encoded = { body: Uint8Array; etag: string; gzip: Uint8Array | null };

/** The strong ETag of an answer's bytes (the server's pages, API answers and assets alike). */
export const etagOf = (body: Uint8Array) => `"${createHash('sha1').update(body).digest('base64url')}"`;

/**
 * Answers of 1 KiB or less are sent as they are; larger ones gzipped when the client takes it. At
 * level 9, where Bun's and Deno's zlib write the same bytes (at 6 they differ), so an answer is the
 * same on the wire whichever runtime serves it (a 1 MB schedule.json: ~8 ms at 9, ~7–11 ms at 6).
 */
export const gzipped = (body: Uint8Array) => (body.byteLength > 1024 ? gzipSync(body, { level: 9 }) : null);

/** A page's bytes, ETag and gzip, where it is rendered. */
function encoded(text: string): Encoded {
  const body = new TextEncoder().encode(text);
  return { body, etag: etagOf(body), gzip: gzipped(body) };
}

/**
 * An event's site as the server keeps it: each file rendered when first asked for, then kept until
 * the event changes. After a sync, a request costs the read of the event and its own page, not the
 * whole site (bench/serve).
 */
class SiteFiles {
  private readonly rendered = new Map<string, Encoded>();
  /**
   * @param older The released versions whose pages (schedule/v/<folder>/) this site links to but
   *   was not loaded with: folder → version name. The builder loads such a version when asked.
   */
  constructor(
    private readonly files: Map<string, () => string>,
    readonly older: Map<string, string> = new Map(),
  ) {}

  get(path: string): Encoded | undefined {
    let found = this.rendered.get(path);
    const render = found === undefined ? this.files.get(path) : undefined;
    if (render) this.rendered.set(path, (found = encoded(render())));
    return found;
  }
}

/**
 * Reads events and renders their pages, keeping each event's site until its stamp changes. Sites
 * read the current (and WIP) version's slots only; an older version's pages come from a site read
 * with that version's slots too (a few of those are kept, as a crawler may ask for every one).
 */
export class SiteBuilder implements PageRenderer {
  private readonly stamps = new Map<number, number>();
  private readonly version = (key: string) => this.stamps.get(Number(key.split('|')[0])) ?? -1;
  private readonly sites = new UntilChanged<SiteFiles>(this.version);
  private readonly olderSites = new UntilChanged<SiteFiles>(this.version, { size: () => 1, maxBytes: 8 });

  constructor(
    private readonly db: Db,
    private readonly options: { siteUrl: string; version: string; localeDirs?: readonly string[]; warn?: (message: string) => void; fragments?: Fragments | undefined },
  ) {}

  async page(request: PageRequest): Promise<PageResult> {
    this.stamps.set(request.eventId, request.stamp);
    let files = await this.site(request);
    // An older version's pages: read with that version's slots (the site above has the current ones only).
    const older = /^(?:[^/]+\/)?schedule\/v\/([^/]+)(\/|$)/.exec(request.file)?.[1];
    if (older !== undefined && files.older.has(older)) files = await this.site(request, files.older.get(older));
    const page = files.get(request.file);
    if (page !== undefined) return { kind: 'file', path: request.file, ...page };
    return files.get(`${request.file}/index.html`) === undefined ? { kind: 'missing' } : { kind: 'dir' };
  }

  close(): void {}

  private site(request: PageRequest, version?: string): Promise<SiteFiles> {
    const key = `${request.eventId}|${request.slug}|${request.organiser ? 'organiser' : 'public'}`;
    // Read in one transaction, so that a sync committing halfway through is seen entirely or not at all.
    const build = async () => {
      const versions = version === undefined ? [] : [version];
      const data = await this.db.transaction().setAccessMode('read only').execute((trx) => loadExport(trx, request.slug, { includeWip: request.organiser, versions }));
      const languages = await siteLanguages(data.event, this.options.localeDirs ?? [], undefined, this.options.warn);
      return new SiteFiles(lazySite(data, { ...this.options, languages }), unloadedVersions(data));
    };
    return version === undefined ? this.sites.get(key, build) : this.olderSites.get(`${key}|${version}`, build);
  }
}
