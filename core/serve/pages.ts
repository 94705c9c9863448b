import { html, type SafeHtml } from '../export/html.ts';
import type { Translator } from '../i18n/translator.ts';

/**
 * The server's own pages (the events index, the login form, "not found"): the same stylesheet,
 * header and footer as an event's site, with a way back to the index on every one of them; in the
 * language the browser prefers of those confctl has.
 */
export function instancePage(t: Translator, title: string, body: SafeHtml, options: { loggedIn: boolean }): string {
  return `<!DOCTYPE html>\n${html`<html lang="${t.language}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="color-scheme" content="light dark">
<title>${title}</title>
<link rel="stylesheet" href="/static/confctl.css">
<link rel="icon" href="/favicon.ico">
</head>
<body>
<a class="skip" href="#main">${t.gettext('Skip to content')}</a>
<header class="site"><a class="brand" href="/">${t.gettext('Events')}</a>
<nav aria-label="${t.gettext('Site')}"><a href="/">${t.gettext('All events')}</a>${options.loggedIn ? '' : html`<a href="/login">${t.gettext('Organiser login')}</a>`}</nav></header>
<main id="main">
${body}
</main>
<footer class="site">${t.gettext('Served by confctl')}</footer>
</body>
</html>`}\n`;
}

/** 16×16 favicon.ico (one 32-bit BMP image): a rounded square in the default primary colour. */
export function favicon(): Uint8Array {
  const size = 16;
  const pixels = size * size * 4;
  const mask = size * 4; // 1 bit a pixel, rows padded to 4 bytes
  const image = 40 + pixels + mask;
  const bytes = new Uint8Array(6 + 16 + image);
  const view = new DataView(bytes.buffer);
  view.setUint16(2, 1, true); // icon
  view.setUint16(4, 1, true); // one image
  bytes[6] = size;
  bytes[7] = size;
  view.setUint16(10, 1, true); // planes
  view.setUint16(12, 32, true); // bits per pixel
  view.setUint32(14, image, true);
  view.setUint32(18, 22, true); // offset of the image
  view.setUint32(22, 40, true); // BITMAPINFOHEADER
  view.setInt32(26, size, true);
  view.setInt32(30, size * 2, true); // colour and mask
  view.setUint16(34, 1, true);
  view.setUint16(36, 32, true);
  view.setUint32(42, pixels + mask, true);
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      const corner = Math.min(x, size - 1 - x) + Math.min(y, size - 1 - y) < 2;
      const at = 62 + (y * size + x) * 4;
      bytes.set(corner ? [0, 0, 0, 0] : [0x7c, 0xa5, 0x3a, 0xff], at); // BGRA of #3aa57c
    }
  }
  return bytes;
}
