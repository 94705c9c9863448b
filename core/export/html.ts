/**
 * HTML built safely: every value interpolated into `html` is escaped unless it is already SafeHtml
 * (made by `html` itself, or by the Markdown renderer after sanitising).
 */
export class SafeHtml {
  constructor(readonly value: string) {}
  toString(): string {
    return this.value;
  }
}

export function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');
}

type Value = SafeHtml | string | number | null | undefined | false | readonly Value[];

function render(value: Value): string {
  if (value === null || value === undefined || value === false) return '';
  if (value instanceof SafeHtml) return value.value;
  if (Array.isArray(value)) return value.map(render).join('');
  return escapeHtml(String(value));
}

export function html(strings: TemplateStringsArray, ...values: Value[]): SafeHtml {
  let out = strings[0]!;
  for (let i = 0; i < values.length; i++) out += render(values[i]!) + strings[i + 1]!;
  return new SafeHtml(out);
}

/** A CSS colour as Pretalx writes them, #rgb or #rrggbb: the only text that may go into a style attribute. */
export function isColour(value: string): boolean {
  return /^#(?:[0-9a-fA-F]{3}){1,2}$/.test(value);
}

/**
 * A relative link that works from file:// and from any sub-path: `depth` folders up, then `path`.
 * A folder link names its index.html, because browsers show file:// folders as listings.
 */
export function relative(depth: number, path: string): string {
  const target = `${'../'.repeat(depth)}${path}`;
  return target === '' || target.endsWith('/') ? `${target}index.html` : target;
}
