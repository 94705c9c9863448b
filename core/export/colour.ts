/**
 * Colours people can read, whatever primary colour an organiser picks: text and links drawn in a
 * colour derived from it that meets WCAG 2.2 AA contrast (4.5:1) against every background it sits on,
 * in light and in dark mode. The primary itself stays for borders and outlines (decoration).
 */

/** The page backgrounds of the stylesheet (assets.ts), light and dark: `--bg` and `--card`. */
export const BACKGROUNDS = { light: ['#ffffff', '#f4f5f7'], dark: ['#121316', '#1d1f24'] } as const;
export const AA = 4.5;

type Rgb = readonly [number, number, number];

const parse = (hex: string): Rgb => [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16)) as unknown as Rgb;
const format = (rgb: Rgb) => `#${rgb.map((c) => Math.round(c).toString(16).padStart(2, '0')).join('')}`;

/** WCAG relative luminance of #rrggbb. */
export function luminance(hex: string): number {
  const [r, g, b] = parse(hex).map((c) => {
    const s = c / 255;
    return s <= 0.04045 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
  }) as unknown as Rgb;
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}

/** WCAG contrast ratio of two #rrggbb colours, 1 to 21. */
export function contrast(a: string, b: string): number {
  const [x, y] = [luminance(a), luminance(b)].sort((p, q) => q - p) as [number, number];
  return (x + 0.05) / (y + 0.05);
}

/**
 * The colour closest to `hex` (mixed toward black for light backgrounds, toward white for dark
 * ones) that reaches AA against every one of `backgrounds`. The hue is kept as far as it can be.
 */
export function readable(hex: string, backgrounds: readonly string[], toward: '#000000' | '#ffffff'): string {
  const from = parse(hex.toLowerCase());
  const to = parse(toward);
  for (let step = 0; step <= 100; step++) {
    const t = step / 100;
    const candidate = format(from.map((c, i) => c + (to[i]! - c) * t) as unknown as Rgb);
    if (backgrounds.every((bg) => contrast(candidate, bg) >= AA)) return candidate;
  }
  return toward;
}

/** `--link` for light and dark mode, from a primary colour. */
export function linkColours(primary: string): { light: string; dark: string } {
  return { light: readable(primary, BACKGROUNDS.light, '#000000'), dark: readable(primary, BACKGROUNDS.dark, '#ffffff') };
}
