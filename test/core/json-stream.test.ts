import { describe, expect, test } from 'bun:test';
import { JsonArrayReader, JsonArraySplitter } from '../../core/data/json-stream.ts';

const split = (text: string, chunk = 3) => {
  const out: string[] = [];
  const s = new JsonArraySplitter();
  for (let i = 0; i < text.length; i += chunk) s.push(text.slice(i, i + chunk), (o) => out.push(o));
  s.end();
  return out;
};

describe('JsonArraySplitter', () => {
  test('splits objects whatever the chunk boundaries, with strings holding braces, quotes and escapes', () => {
    const objects = [{ a: '}{][", \\' }, { b: [1, { c: 'x\ny' }] }, { 'ü': '✓' }];
    const text = `\ufeff [ ${objects.map((o) => JSON.stringify(o)).join(' ,\n')} ] \n`;
    for (const chunk of [1, 2, 5, 1000]) expect(split(text, chunk).map((o) => JSON.parse(o))).toEqual(objects);
  });

  test('an empty array has no objects', () => {
    expect(split('[]')).toEqual([]);
    expect(split(' [ \n ] ')).toEqual([]);
  });

  const broken: [string, string][] = [
    ['{"a": 1}', 'a fixture must be a JSON array: expected "["'],
    ['[1, 2]', 'expected an object'],
    ['[{"a": 1} {"b": 2}]', 'expected "," or "]"'],
    ['[{"a": 1},]', 'expected an object'],
    ['[, {"a": 1}]', 'expected an object'],
    ['[{"a": 1}] x', 'unexpected text after the closing "]"'],
    ['[{"a": 1}', 'the JSON ends before the closing "]" (truncated file?)'],
    ['[{"a": "unterminated}]', 'the JSON ends before the closing "]" (truncated file?)'],
    ['', 'the JSON ends before the closing "]" (truncated file?)'],
  ];
  for (const [text, message] of broken) {
    test(`refuses ${JSON.stringify(text)}`, () => {
      expect(() => split(text)).toThrow(message);
    });
  }

  test('errors say where', () => {
    expect(() => split('[{"a": 1} x]')).toThrow('invalid JSON at character 11: expected "," or "]"');
  });
});

describe('JsonArrayReader', () => {
  const read = (text: string, chunk: number, slice: number) => {
    const out: object[] = [];
    const reader = new JsonArrayReader(slice);
    for (let i = 0; i < text.length; i += chunk) reader.push(text.slice(i, i + chunk), (o) => out.push(...o));
    reader.end((o) => out.push(...o));
    return { objects: out, exactMode: reader.exactMode };
  };
  // Values that make false cuts: `},{` inside strings, and nested objects in arrays ending an object.
  const objects = Array.from({ length: 40 }, (_, i) => ({
    model: 'x.y',
    pk: i,
    fields: i % 3 === 0 ? { s: '},{"model": "fake"},{', n: null } : i % 3 === 1 ? { list: [{ a: 1 }, { b: { c: [{}, {}] } }] } : { 'ü': '✓\\"}' },
  }));

  test('parses slices proven by JSON.parse, whatever the chunk and slice sizes and the layout', () => {
    const compact = `[${objects.map((o) => JSON.stringify(o)).join(',')}]`;
    const indented = `\ufeff[\n${objects.map((o) => JSON.stringify(o, null, 2)).join(',\n')}\n]\n`;
    for (const text of [compact, indented]) {
      for (const chunk of [1, 7, 64, 100_000]) {
        for (const slice of [1, 50, 300, 1 << 20]) expect(read(text, chunk, slice).objects).toEqual(objects);
      }
    }
  });

  test('ordinary fixtures never need the exact splitter', () => {
    const plain = `[${objects.slice(0, 1).concat(objects.filter((_, i) => i % 3 === 2)).map((o) => JSON.stringify(o)).join(',')}]`;
    expect(read(plain, 16, 64).exactMode).toBe(false);
    expect(read(' [ \n ] ', 2, 1)).toEqual({ objects: [], exactMode: false });
  });

  const broken = [
    '{"a": 1}',
    '[1, 2]',
    '[{"a": 1} {"b": 2}]',
    '[{"a": 1},]',
    '[, {"a": 1}]',
    '[{"a": 1}] x',
    '[{"a": 1}',
    '[{"a": "unterminated}]',
    '',
    '[{"a": 1},{"b": 2},{"c": 3} x]',
    '[{"a": 1},{"b": 2},{"c": 3},{"d": 4}, 5]',
    '[{"a": 1},{"b": 2},{"c": tru},{"d": 4}]',
  ];
  for (const text of broken) {
    test(`refuses ${JSON.stringify(text)} with the exact splitter's message`, () => {
      // What the splitter says, or what JSON.parse says of an object it framed.
      let expected = '';
      try {
        for (const o of split(text)) JSON.parse(o);
      } catch (error) {
        expected = error instanceof SyntaxError && error.message.startsWith('JSON Parse error') ? 'invalid JSON: JSON Parse error' : (error as Error).message;
      }
      expect(expected).not.toBe('');
      for (const slice of [1, 8, 1 << 20]) {
        for (const chunk of [1, 5, 1000]) expect(() => read(text, chunk, slice)).toThrow(expected);
      }
    });
  }
});
