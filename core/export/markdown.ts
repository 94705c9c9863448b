import { Marked } from 'marked';
import sanitizeHtml from 'sanitize-html';
import { escapeHtml, SafeHtml } from './html.ts';

/**
 * Markdown from speakers and organisers, rendered with marked and then sanitised with an allowlist
 * (sanitize-html): no raw HTML survives, no scripts, no event handlers, no style, and links only
 * to http(s) and mailto.
 */
const marked = new Marked({ gfm: true, breaks: false, async: false });
// Raw HTML in the source is shown as text, never passed through.
// Images become links with their alt text: an export must not load third-party images from untrusted text.
marked.use({
  renderer: {
    html: ({ text }) => escapeHtml(text),
    image: ({ href, text }) => `<a href="${escapeHtml(href)}">${escapeHtml(text || href)}</a>`,
  },
});

const options: sanitizeHtml.IOptions = {
  allowedTags: ['p', 'br', 'strong', 'em', 'del', 'code', 'pre', 'blockquote', 'ul', 'ol', 'li', 'a', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'hr', 'table', 'thead', 'tbody', 'tr', 'th', 'td'],
  allowedAttributes: { a: ['href', 'title', 'rel'], th: ['align'], td: ['align'] },
  allowedSchemes: ['http', 'https', 'mailto'],
  allowProtocolRelative: false,
  disallowedTagsMode: 'escape',
  transformTags: {
    a: sanitizeHtml.simpleTransform('a', { rel: 'noopener noreferrer nofollow' }),
    // The page has its own h1: headings in text start one level below it.
    h1: 'h2',
    h2: 'h3',
    h3: 'h4',
    h4: 'h5',
    h5: 'h6',
  },
};

/** Rendering and sanitising dominate a rebuild; a server rebuilding after a sync sees mostly the same texts. */
const rendered = new Map<string, SafeHtml>();
let renderedChars = 0;
const REMEMBERED_CHARS = 16_000_000;

export function markdown(text: string | null | undefined): SafeHtml {
  if (!text) return new SafeHtml('');
  let html = rendered.get(text);
  if (!html) {
    html = new SafeHtml(sanitizeHtml(marked.parse(text) as string, options).trim());
    if (renderedChars > REMEMBERED_CHARS) {
      rendered.clear();
      renderedChars = 0;
    }
    rendered.set(text, html);
    renderedChars += text.length + html.value.length;
  }
  return html;
}
