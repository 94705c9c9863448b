/**
 * Values computed from the database, each kept until its version changes: the caller says what a
 * key's version is (runserver: the change counter of the event a page belongs to). However many
 * requests ask while a value is computed, it is computed once; beyond `maxBytes` (as `size` counts
 * them) the oldest values are dropped.
 */
export class UntilChanged<T> {
  readonly #entries = new Map<string, { version: number; value: Promise<T>; bytes: number }>();
  #bytes = 0;

  constructor(
    private readonly version: (key: string) => number,
    private readonly options: { size?: (value: T) => number; maxBytes?: number } = {},
  ) {}

  async get(key: string, compute: () => Promise<T>): Promise<T> {
    const version = this.version(key);
    const known = this.#entries.get(key);
    if (known && known.version === version) return known.value;
    this.#forget(key);
    const entry = { version, value: compute(), bytes: 0 };
    this.#entries.set(key, entry);
    try {
      const value = await entry.value;
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
