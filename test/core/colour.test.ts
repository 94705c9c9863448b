import { describe, expect, test } from 'bun:test';
import { STYLESHEET } from '../../core/export/assets.ts';
import { AA, BACKGROUNDS, contrast, linkColours, readable } from '../../core/export/colour.ts';

describe('colours people can read', () => {
  test('WCAG contrast ratios', () => {
    expect(contrast('#ffffff', '#000000')).toBeCloseTo(21, 5);
    expect(contrast('#777777', '#ffffff')).toBeCloseTo(4.48, 2);
    expect(contrast('#3aa57c', '#ffffff')).toBeLessThan(AA); // the old default link colour
  });

  test('the link colour of any primary colour reaches AA on every background, light and dark', () => {
    let seed = 7;
    const random = () => ((seed = (seed * 16807) % 2147483647) / 2147483647);
    const hex = () => `#${Math.floor(random() * 0xffffff).toString(16).padStart(6, '0')}`;
    const colours = ['#eaedae', '#ffffff', '#000000', '#ffff00', '#3aa57c', '#777777', '#0000ff', '#ff0000', '#121316', '#f4f5f7', ...Array.from({ length: 500 }, hex)];
    for (const colour of colours) {
      const { light, dark } = linkColours(colour);
      for (const bg of BACKGROUNDS.light) expect({ colour, light, bg, ok: contrast(light, bg) >= AA }).toEqual({ colour, light, bg, ok: true });
      for (const bg of BACKGROUNDS.dark) expect({ colour, dark, bg, ok: contrast(dark, bg) >= AA }).toEqual({ colour, dark, bg, ok: true });
    }
  });

  test('a readable colour is kept; an unreadable one changes only as much as needed', () => {
    expect(readable('#1a4d8f', BACKGROUNDS.light, '#000000')).toBe('#1a4d8f');
    const olive = readable('#eaedae', BACKGROUNDS.light, '#000000');
    expect(contrast(olive, '#f4f5f7')).toBeGreaterThanOrEqual(AA);
    expect(contrast(olive, '#f4f5f7')).toBeLessThan(AA + 0.3);
  });

  test("the backgrounds checked are the stylesheet's own", () => {
    const value = (block: string, name: string) => new RegExp(`--${name}:(#[0-9a-f]+)`).exec(block)![1]!.replace(/^#(.)(.)(.)$/, '#$1$1$2$2$3$3');
    const [light, dark] = STYLESHEET.split('@media (prefers-color-scheme:dark)') as [string, string];
    expect([value(light, 'bg'), value(light, 'card')]).toEqual([...BACKGROUNDS.light]);
    expect([value(dark, 'bg'), value(dark, 'card')]).toEqual([...BACKGROUNDS.dark]);
  });
});
