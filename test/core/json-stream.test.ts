import { describe, expect, test } from 'bun:test';
import { JsonArraySplitter } from '../../core/fixtures/json-stream.ts';

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
