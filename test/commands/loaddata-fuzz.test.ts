import { describe, expect, test } from 'bun:test';
import { writeFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import JSZip from 'jszip';
import { BACKENDS, newSite } from '../support/site.ts';

/**
 * A fuzzer over loaddata with a fixed seed: a valid fixture is broken in a few hundred ways (bytes
 * flipped, cut or inserted; values of the wrong kind, impossible dates, huge numbers, unknown fields,
 * dangling references, duplicate objects) and written as JSON, JSONL or XML, plain or compressed.
 * Whatever happens, loaddata either stores exactly what the fixture says and says how many objects,
 * or stores nothing and says why in one line; it never exits 0 having stored something else.
 */
type Obj = { model: string; pk?: unknown; fields: Record<string, unknown> };

const stamp = '2026-05-01T09:00:00Z';
const seed = (): Obj[] => [
  { model: 'event.event', pk: 1, fields: { name: { en: 'Fuzz' }, slug: 'fuzz', date_from: '2026-03-10', date_to: '2026-03-12', created: stamp, updated: stamp, is_public: true, timezone: 'Europe/Berlin' } },
  { model: 'schedule.room', pk: 1, fields: { event: 1, name: { en: 'Hall A' }, capacity: 300, position: 1 } },
  { model: 'schedule.room', pk: 2, fields: { event: 1, name: { en: 'Hall B', de: 'Saal B' }, capacity: null, position: 2 } },
  { model: 'submission.track', pk: 1, fields: { event: 1, name: { en: 'Science' }, color: '#aa0000', position: 0 } },
];

/** mulberry32: the same cases on every run. */
function prng(seedValue: number) {
  let a = seedValue;
  const next = () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return { next, int: (n: number) => Math.floor(next() * n), pick: <T,>(items: readonly T[]) => items[Math.floor(next() * items.length)]! };
}

const VALUES: unknown[] = [null, true, false, 0, -1, 1.5, 2 ** 53 + 2, '', 'x', '2026-02-30', '2026-04-30T25:00Z', '2026-04-30T07:99:00Z', '9999-12-31T23:59:59Z', {}, [], { en: 'y' }, 'ü'.repeat(300), '<b>&amp;</b>', '\u0000'];
const FIELDS = ['name', 'slug', 'date_from', 'date_to', 'created', 'is_public', 'timezone', 'event', 'capacity', 'position', 'color', 'unknown_field'];

/** One broken fixture: the objects it now holds (null when the text is no longer meant to parse), and its bytes. */
function makeCase(random: ReturnType<typeof prng>): { objects: Obj[] | null; format: 'json' | 'jsonl' | 'xml'; text: string; kind: string } {
  const objects = seed();
  const format = random.pick(['json', 'json', 'jsonl', 'xml'] as const);
  const kind = random.pick(['value', 'value', 'field', 'drop-field', 'pk', 'model', 'duplicate', 'dangling', 'raw-cut', 'raw-flip', 'raw-insert', 'none'] as const);
  const target = random.pick(objects);
  switch (kind) {
    case 'value':
      target.fields[random.pick(FIELDS)] = random.pick(VALUES);
      break;
    case 'field':
      target.fields[`x${random.int(5)}`] = 1;
      break;
    case 'drop-field':
      delete target.fields[random.pick(Object.keys(target.fields))];
      break;
    case 'pk':
      target.pk = random.pick([null, 'one', -5, 1.5, 0, 2 ** 40, undefined]);
      break;
    case 'model':
      target.model = random.pick(['event.Event', 'EVENT.EVENT', 'event', 'schedule.rooms', '', 'person.user']);
      break;
    case 'duplicate':
      objects.push(structuredClone(target));
      break;
    case 'dangling':
      (objects[1]!.fields as Record<string, unknown>).event = random.pick([2, 99, -1]);
      break;
  }
  let text = serialise(objects, format);
  let parsed: Obj[] | null = objects;
  if (kind.startsWith('raw')) {
    const at = random.int(text.length);
    if (kind === 'raw-cut') text = text.slice(0, at);
    else if (kind === 'raw-flip') text = text.slice(0, at) + String.fromCharCode(text.charCodeAt(at) ^ (1 << random.int(7))) + text.slice(at + 1);
    else text = text.slice(0, at) + random.pick(['{', '}', '[', ']', '"', ',', ':', '0', 'e', '\\', '\u0000', '<', '>']) + text.slice(at);
    // What the bytes now say, read by the strictest parser at hand; XML is judged by its outcome only.
    parsed = format === 'xml' ? null : reparse(text, format);
  }
  return { objects: parsed, format, text, kind };
}

function reparse(text: string, format: 'json' | 'jsonl'): Obj[] | null {
  try {
    const value = format === 'json' ? JSON.parse(text) : text.split('\n').filter((l) => l.trim() !== '').map((l) => JSON.parse(l));
    return Array.isArray(value) ? (value as Obj[]) : null;
  } catch {
    return null;
  }
}

function serialise(objects: Obj[], format: 'json' | 'jsonl' | 'xml'): string {
  if (format === 'json') return JSON.stringify(objects);
  if (format === 'jsonl') return objects.map((o) => JSON.stringify(o)).join('\n') + '\n';
  const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
  const value = (name: string, v: unknown) => {
    if (v === null) return `<field name="${name}"><None></None></field>`;
    if (name === 'event') return `<field name="${name}" rel="ManyToOneRel" to="event.event">${esc(String(v))}</field>`;
    if (typeof v === 'boolean') return `<field name="${name}" type="BooleanField">${v ? 'True' : 'False'}</field>`;
    if (typeof v === 'object') return `<field name="${name}" type="JSONField">${esc(JSON.stringify(v))}</field>`;
    return `<field name="${name}">${esc(String(v))}</field>`;
  };
  return `<?xml version="1.0" encoding="utf-8"?>\n<django-objects version="1.0">${objects
    .map((o) => `<object model="${esc(String(o.model))}"${o.pk === undefined ? '' : ` pk="${esc(String(o.pk))}"`}>${Object.entries(o.fields).map(([k, v]) => value(k, v)).join('')}</object>`)
    .join('')}</django-objects>`;
}

async function compress(text: string, how: string): Promise<Buffer> {
  if (how === 'gz') return gzipSync(Buffer.from(text));
  if (how === 'zip') {
    const zip = new JSZip();
    zip.file('fixture', text);
    return Buffer.from(await zip.generateAsync({ type: 'uint8array', compression: 'DEFLATE' }));
  }
  if (how === 'bz2' || how === 'xz') return Buffer.from(Bun.spawnSync([how === 'bz2' ? 'bzip2' : 'xz', '-c'], { stdin: Buffer.from(text) }).stdout);
  return Buffer.from(text);
}

for (const backend of BACKENDS) describe(`loaddata under fuzzing (seed 15, 300 cases) (${backend})`, () => {
  test('each broken fixture is stored exactly as it says, or not at all with one line', async () => {
    await using site = await newSite(backend);
    await site.migrated();
    const empty = await site.dump();
    const random = prng(15);
    const outcomes = { loaded: 0, refused: 0 };
    let written = false;
    for (let i = 0; i < 300; i++) {
      // A case that loaded leaves its rows: the next starts from an empty database again.
      if (written) await site.reset();
      written = false;
      const { objects, format, text, kind } = makeCase(random);
      const compression = random.pick(['', '', '', 'gz', 'zip', i % 10 === 0 ? 'bz2' : 'gz', i % 10 === 5 ? 'xz' : '']);
      const file = `case${i}.${format}${compression ? `.${compression}` : ''}`;
      writeFileSync(site.join(file), await compress(text, compression));
      const result = await site.call(['loaddata', file]);
      const context = { i, kind, format, compression, text: text.slice(0, 300) };
      if (result.exitCode !== 0) {
        outcomes.refused++;
        expect({ ...context, exitCode: result.exitCode, oneLine: /^CommandError: [^\n]+\n$/.test(result.stderr), stdout: result.stdout }).toEqual({ ...context, exitCode: 1, oneLine: true, stdout: '' });
        // Nothing was written: the next case starts from the same empty database.
        expect({ ...context, unchanged: (await site.dump()) === empty }).toEqual({ ...context, unchanged: true });
        continue;
      }
      outcomes.loaded++;
      written = true;
      // Loaded: exactly the objects the fixture holds, each field as it says.
      expect({ ...context, parses: format === 'xml' || objects !== null }).toEqual({ ...context, parses: true });
      if (objects === null) continue;
      expect({ ...context, stdout: result.stdout }).toEqual({ ...context, stdout: `Installed ${objects.length} object(s) from 1 fixture(s)\n` });
      const tables: Record<string, string> = { 'event.event': 'event_event', 'schedule.room': 'schedule_room', 'submission.track': 'submission_track' };
      for (const [model, table] of Object.entries(tables)) {
        // Objects with the same pk are one row (the last wins, as in Django); one without a pk is a new row.
        const mine = objects.filter((o) => o.model.toLowerCase() === model);
        const rows = new Set(mine.map((o, i) => (o.pk === null || o.pk === undefined ? `new${i}` : String(Number(o.pk))))).size;
        expect({ ...context, table, rows: (await site.query<{ n: number }>(`SELECT count(*) AS n FROM ${table}`))[0]!.n }).toEqual({ ...context, table, rows });
      }
      for (const o of objects) {
        if (o.pk === null || o.pk === undefined) continue;
        if (objects.some((other) => other !== o && other.model.toLowerCase() === o.model.toLowerCase() && Number(other.pk) === Number(o.pk) && objects.indexOf(other) > objects.indexOf(o))) continue;
        const table = tables[o.model.toLowerCase()]!;
        const [row] = await site.query<Record<string, unknown>>(`SELECT * FROM ${table} WHERE id = ?`, Number(o.pk));
        expect({ ...context, pk: o.pk, stored: row !== undefined }).toEqual({ ...context, pk: o.pk, stored: true });
        for (const [name, value] of Object.entries(o.fields)) {
          const column = name === 'event' ? 'event_id' : name;
          const stored = row![column];
          const expected =
            typeof value === 'boolean' ? (value ? 1 : 0)
            : value !== null && typeof value === 'object' ? JSON.stringify(value)
            : (name === 'created' || name === 'updated') && typeof value === 'string' ? value.replace('T', ' ').replace(/Z$/, '')
            : ['slug', 'timezone', 'color'].includes(name) && typeof value === 'number' ? String(value)
            : value;
          // name is a JSON field: whatever JSON value the fixture gives is stored as its JSON text.
          const same =
            name === 'name' && value !== null ? JSON.stringify(JSON.parse(String(stored))) === JSON.stringify(typeof value === 'string' && value.startsWith('{') ? JSON.parse(value) : value)
            : value !== null && typeof value === 'object' ? JSON.stringify(JSON.parse(String(stored))) === expected
            : stored === expected;
          expect({ ...context, pk: o.pk, name, value, stored, same }).toEqual({ ...context, pk: o.pk, name, value, stored, same: true });
        }
      }
    }
    // Both outcomes happen often: the fuzzer reaches the loader, not only the parser.
    expect(outcomes.loaded).toBeGreaterThan(40);
    expect(outcomes.refused).toBeGreaterThan(100);
  }, 180_000);
});
