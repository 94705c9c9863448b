import { describe, expect, test } from 'bun:test';
import { markdown } from '../../core/export/markdown.ts';

/**
 * What speakers write is shown as they wrote it: every element of the allowlist survives, headings
 * start below the page's h1, soft line breaks stay breaks in the text (no <br>), and links to http,
 * https and mailto keep their target with rel="noopener noreferrer nofollow". (The attacks are in
 * test/commands/export-hostile.test.ts.)
 */
describe('markdown', () => {
  test('every allowed element renders faithfully', () => {
    const source = [
      '# Title', '', '## Sub', '', '### Three', '', '#### Four', '', '##### Five', '', '###### Six', '',
      'A **bold**, *em*, ~~gone~~ and `code` line  ', 'with a hard break', 'and a soft one.', '',
      '> quoted', '', '- one', '- two', '', '1. first', '2. second', '', '```', 'block <b>', '```', '', '---', '',
      '| left | right |', '|:-----|------:|', '| a | b |', '',
      '[web](http://example.org) [secure](https://example.org "T") [mail](mailto:a@example.org)', '',
    ].join('\n');
    expect(markdown(source).value).toBe("<h2>Title</h2>\n<h3>Sub</h3>\n<h4>Three</h4>\n<h5>Four</h5>\n<h6>Five</h6>\n<h6>Six</h6>\n<p>A <strong>bold</strong>, <em>em</em>, <del>gone</del> and <code>code</code> line<br />with a hard break\nand a soft one.</p>\n<blockquote>\n<p>quoted</p>\n</blockquote>\n<ul>\n<li>one</li>\n<li>two</li>\n</ul>\n<ol>\n<li>first</li>\n<li>second</li>\n</ol>\n<pre><code>block &lt;b&gt;\n</code></pre>\n<hr />\n<table>\n<thead>\n<tr>\n<th align=\"left\">left</th>\n<th align=\"right\">right</th>\n</tr>\n</thead>\n<tbody><tr>\n<td align=\"left\">a</td>\n<td align=\"right\">b</td>\n</tr>\n</tbody></table>\n<p><a href=\"http://example.org\" rel=\"noopener noreferrer nofollow\">web</a> <a href=\"https://example.org\" title=\"T\" rel=\"noopener noreferrer nofollow\">secure</a> <a href=\"mailto:a@example.org\" rel=\"noopener noreferrer nofollow\">mail</a></p>");
  });

  test('nothing in, nothing out; the same text twice gives the same HTML', () => {
    expect(markdown('').value).toBe('');
    expect(markdown(null).value).toBe('');
    expect(markdown(undefined).value).toBe('');
    expect(markdown('*x*').value).toBe('<p><em>x</em></p>');
    expect(markdown('*x*').value).toBe('<p><em>x</em></p>');
  });
});
