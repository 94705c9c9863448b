import { describe, expect, test } from 'bun:test';
import { parseAddrport } from '../../core/serve/listen.ts';

describe('parseAddrport', () => {
  const valid: [string, string, number][] = [
    ['8000', '127.0.0.1', 8000],
    ['7000', '127.0.0.1', 7000],
    ['0', '127.0.0.1', 0],
    ['65535', '127.0.0.1', 65535],
    ['0.0.0.0:8000', '0.0.0.0', 8000],
    ['1.2.3.4:7000', '1.2.3.4', 7000],
    ['1.2.3.4', '1.2.3.4', 8000],
    ['0:8000', '0.0.0.0', 8000],
    ['localhost', 'localhost', 8000],
    ['localhost:8001', 'localhost', 8001],
    ['schedule.example.org:80', 'schedule.example.org', 80],
    ['[::1]:8000', '::1', 8000],
    ['[2001:0db8:1234:5678::9]:7000', '2001:0db8:1234:5678::9', 7000],
    ['[::1]', '::1', 8000],
  ];
  for (const [text, hostname, port] of valid) {
    test(`${text} listens on ${hostname} port ${port}`, () => {
      expect(parseAddrport(text)).toEqual({ hostname, port });
    });
  }

  const invalid = ['65536', '99999999', 'localhost:http', '1.2.3.256', '1.2.3.4:', ':8000', '::1', '::1:8000', '[]:8000', '[zz]:80', 'a b:80', '1.2.3:4', '', 'host:-1'];
  for (const text of invalid) {
    test(`"${text}" is refused with Django's line`, () => {
      expect(() => parseAddrport(text)).toThrow(`"${text}" is not a valid port number or address:port pair.`);
    });
  }
});
