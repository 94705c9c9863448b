import { describe, expect, test } from 'bun:test';
import { html, relative, SafeHtml } from '../../core/export/html.ts';

describe('html', () => {
  test('absent values render as nothing, zero as 0; text is escaped, SafeHtml and lists are not escaped again', () => {
    const flag = false as boolean;
    expect(html`[${null}|${undefined}|${flag && 'x'}|${0}]`.value).toBe('[|||0]');
    expect(html`<p title="${'"><script>'}">${"Tom & 'Jerry'"}</p>`.value).toBe('<p title="&quot;&gt;&lt;script&gt;">Tom &amp; &#39;Jerry&#39;</p>');
    expect(html`${[html`<b>${'<i>'}</b>`, new SafeHtml('<br>'), 'a<b', null, [1, 2]]}`.value).toBe('<b>&lt;i&gt;</b><br>a&lt;b12');
  });
});

describe('relative', () => {
  test('links climb `depth` folders, and folder links name their index.html (file:// shows folders as listings)', () => {
    expect(relative(0, '')).toBe('index.html');
    expect(relative(2, '')).toBe('../../index.html');
    expect(relative(1, 'talk/')).toBe('../talk/index.html');
    expect(relative(0, 'schedule.json')).toBe('schedule.json');
    expect(relative(3, 'static/confctl.css')).toBe('../../../static/confctl.css');
  });
});
