/**
 * What a schedule feed said of an object beyond the model confctl keeps (identifiers such as guid,
 * id, slug and url; links, attachments, logo, subtitle, a room's stream id, and any field the format
 * adds later), stored with the object and written back by the feeds unchanged, so that a mirror of a
 * feed keeps every identity and every field its consumers key on.
 */
export interface Upstream {
  /** The source's values of the fields confctl does not model (or could not model: a null language), as they came. */
  fields: Record<string, unknown>;
  /** The source object's keys in their order, so that a feed writes no field the source lacked; null when unknown. */
  keys: string[] | null;
  /** For an event: the date of the day the source filed it under (a feed's days may overlap, or disagree with its own bounds). */
  day?: string;
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * The upstream part of a JSON object from a feed: every field but the modelled ones, and a modelled
 * one whose value the model cannot hold (`null` or a number where text is modelled, say), so that it
 * comes back out as it came. `modelled` says which fields the model holds, and which values of them.
 */
export function upstreamOf(source: Record<string, unknown>, modelled: Readonly<Record<string, (value: unknown) => boolean>>): Upstream {
  const fields = Object.fromEntries(Object.entries(source).filter(([key, value]) => !Object.hasOwn(modelled, key) || !modelled[key]!(value)));
  return { fields, keys: Object.keys(source) };
}

/** Kinds of modelled values, for upstreamOf. */
export const text = (v: unknown) => typeof v === 'string';
export const bool = (v: unknown) => typeof v === 'boolean';
export const list = (v: unknown) => Array.isArray(v);
export const any = () => true;

/** An Upstream read back from its JSON column; null for none (or for a value that is not one). */
export function parseUpstream(text: string | null): Upstream | null {
  if (text === null) return null;
  const value: unknown = JSON.parse(text);
  if (!isRecord(value) || !isRecord(value.fields)) return null;
  const keys = Array.isArray(value.keys) && value.keys.every((k) => typeof k === 'string') ? (value.keys as string[]) : null;
  return { fields: value.fields, keys, ...(typeof value.day === 'string' && /^\d{4}-\d\d-\d\d$/.test(value.day) ? { day: value.day } : {}) };
}

/**
 * The object a feed writes: what confctl built, with the source's own values in place of its own,
 * and the source's keys in the source's order (nothing the source lacked); without a source order,
 * the built keys and then the source's others. `ours` names fields whose built value wins (it may be
 * the source's own, when still true). Built from entries, so a key such as `__proto__` is a field like any other.
 */
export function withUpstream(built: Record<string, unknown>, upstream: Upstream | null, ours: readonly string[] = []): Record<string, unknown> {
  if (upstream === null) return built;
  const value = (key: string) => (Object.hasOwn(upstream.fields, key) && !ours.includes(key) ? upstream.fields[key] : built[key]);
  const keys = upstream.keys ?? [...new Set([...Object.keys(built), ...Object.keys(upstream.fields)])];
  return Object.fromEntries(keys.filter((key) => Object.hasOwn(upstream.fields, key) || Object.hasOwn(built, key)).map((key) => [key, value(key)]));
}

/** A source field of an upstream object, if it has it. */
export function upstreamField(upstream: Upstream | null, key: string): { value: unknown } | null {
  return upstream !== null && Object.hasOwn(upstream.fields, key) ? { value: upstream.fields[key] } : null;
}
