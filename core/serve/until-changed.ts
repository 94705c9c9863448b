interface Entry<T> {
  version: number;
  value: Promise<T>;
  bytes: number;
  /** The value once computed. */
  done?: { value: T };
  /** With `stale`: the value of the version before, served while this one is computed. */
  previous?: { value: T };
}

/**
 * Values computed from the database, each kept until its version changes: the caller says what a
 * key's version is (runserver: the change counter of the event a page belongs to). However many
 * requests ask while a value is computed, it is computed once; beyond `maxBytes` (as `size` counts
 * them) the oldest values are dropped.
 *
 * With `stale`, the request that finds a new version waits for it, and the requests that arrive
 * while it is computed get the value before: a rebuild after each write costs one request its
 * time, not every request that came meanwhile (bench/serve-writers). A request made after the
 * rebuild ends always gets the new value.
 */
export class UntilChanged<T> {
  readonly #entries = new Map<string, Entry<T>>();
  #bytes = 0;

  constructor(
    private readonly version: (key: string) => number,
    private readonly options: { size?: (value: T) => number; maxBytes?: number; stale?: boolean } = {},
  ) {}

  async get(key: string, compute: () => Promise<T>): Promise<T> {
    const version = this.version(key);
    const known = this.#entries.get(key);
    if (known && known.version === version) return known.done === undefined && known.previous ? known.previous.value : known.value;
    const previous = this.options.stale ? (known?.done ?? known?.previous) : undefined;
    this.#forget(key);
    const entry: Entry<T> = { version, value: compute(), bytes: 0, previous };
    this.#entries.set(key, entry);
    try {
      const value = await entry.value;
      entry.done = { value };
      entry.previous = undefined;
      if (this.#entries.get(key) === entry && this.options.size) {
        entry.bytes = this.options.size(value);
        this.#bytes += entry.bytes;
        while (this.#bytes > (this.options.maxBytes ?? Infinity) && this.#entries.size > 1) this.#forget(this.#entries.keys().next().value!);
      }
      return value;
    } catch (error) {
      if (this.#entries.get(key) === entry) this.#forget(key);
      throw error;
    }
  }

  #forget(key: string): void {
    this.#bytes -= this.#entries.get(key)?.bytes ?? 0;
    this.#entries.delete(key);
  }
}
