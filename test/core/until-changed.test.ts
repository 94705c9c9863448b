import { expect, test } from 'bun:test';
import { UntilChanged } from '../../core/serve/until-changed.ts';

test('computed once per version however many ask; a failure is not kept; the oldest go beyond maxBytes; each key has its own version', async () => {
  let version = 1;
  let computed = 0;
  let other = 1;
  const cache = new UntilChanged<string>((key) => (key === 'other' ? other : version), { size: (v) => v.length, maxBytes: 10 });
  const compute = (value: string) => async () => {
    computed++;
    await Bun.sleep(1);
    return value;
  };
  expect(await Promise.all([cache.get('a', compute('aaaa')), cache.get('a', compute('other'))])).toEqual(['aaaa', 'aaaa']);
  expect(computed).toBe(1);
  version = 2;
  expect(await cache.get('a', compute('AAAA'))).toBe('AAAA');
  expect(computed).toBe(2);

  await expect(cache.get('b', async () => Promise.reject(new Error('no')))).rejects.toThrow('no');
  expect(await cache.get('b', compute('bbbb'))).toBe('bbbb'); // computed again, not the failure
  expect(await cache.get('c', compute('cccc'))).toBe('cccc'); // 12 bytes: 'a' is dropped
  computed = 0;
  await cache.get('b', compute('x'));
  await cache.get('c', compute('x'));
  expect(computed).toBe(0);
  expect(await cache.get('a', compute('new'))).toBe('new');
  expect(computed).toBe(1);

  // A key whose own version changes is computed again; the others are kept.
  computed = 0;
  expect(await cache.get('other', compute('o1'))).toBe('o1');
  other = 2;
  expect(await cache.get('other', compute('o2'))).toBe('o2');
  expect(await cache.get('a', compute('x'))).toBe('new');
  expect(computed).toBe(2);
});
