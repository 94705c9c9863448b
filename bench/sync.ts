/**
 * bench/sync: sync_pretalx in the compiled binary against a fake Pretalx on 127.0.0.1 that answers
 * every request after 40 ms and holds 1,000 talks, 1,200 speakers and 1,100 slots (100 talks twice).
 * Three runs: the full sync with the pace lifted (concurrency and page size from the settings), the
 * same done django-program's way (concurrency 1, page size 50), and a second, unchanged sync.
 * Goal: ≤ 1.3× the lower bound (requests × latency ÷ concurrency); the re-sync writes nothing.
 * Run: npm run bench:sync
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ensureBinary } from '../test/support/binary.ts';
import { fakePretalx, type Dataset, type Item } from '../test/support/fake-pretalx.ts';
import { machine, writeSection } from './_lib.ts';

const LATENCY = 40;
const confctl = ensureBinary();

function dataset(): Dataset {
  const rooms: Item[] = Array.from({ length: 20 }, (_, i) => ({ id: i + 1, name: { en: `Room ${i + 1}` }, description: {}, uuid: null, guid: null, capacity: 100, position: i }));
  const speakers: Item[] = Array.from({ length: 1200 }, (_, i) => ({ code: `SP${String(i).padStart(4, '0')}`, name: `Speaker ${i}`, biography: `Speaker ${i} talks about things.`, submissions: [], avatar_url: null, answers: [] }));
  const submissions: Item[] = Array.from({ length: 1000 }, (_, i) => ({
    code: `TK${String(i).padStart(4, '0')}`, title: `Talk ${i}`, speakers: [`SP${String(i).padStart(4, '0')}`, ...(i < 200 ? [`SP${String(1000 + i).padStart(4, '0')}`] : [])],
    submission_type: 1 + (i % 2), track: 1 + (i % 5), tags: [], state: 'confirmed', abstract: `About talk ${i}.`, description: `More about talk ${i}.`, duration: 30,
    slot_count: i < 100 ? 2 : 1, content_locale: 'en', do_not_record: false, image: null, resources: [], slots: [], answers: [],
  }));
  const slots: Item[] = [];
  let id = 1;
  submissions.forEach((s, i) => {
    for (let n = 0; n < (s.slot_count as number); n++) {
      const minutes = ((i + n * 500) % 40) * 30;
      const day = Math.floor(((i + n * 500) % 800) / 40) % 4;
      const start = new Date(Date.UTC(2026, 5, 1 + day, 7, 0) + minutes * 60000);
      slots.push({ id: id++, room: 1 + (i % 20), start: start.toISOString(), end: new Date(start.getTime() + 30 * 60000).toISOString(), submission: s.code, schedule: 1, description: {}, duration: 30 });
    }
  });
  return {
    event: { name: { en: 'BigCon' }, slug: 'bigcon', date_from: '2026-06-01', date_to: '2026-06-04', timezone: 'UTC', locale: 'en', locales: ['en'] },
    rooms,
    tracks: Array.from({ length: 5 }, (_, i) => ({ id: i + 1, name: { en: `Track ${i + 1}` }, color: '#336699', position: i })),
    types: [{ id: 1, name: { en: 'Talk' }, default_duration: 30 }, { id: 2, name: { en: 'Workshop' }, default_duration: 90 }],
    tags: [],
    speakers,
    submissions,
    slots,
    schedule: { id: 1, version: 'v1', published: '2026-05-01T09:00:00Z' },
  };
}

using fake = fakePretalx(dataset(), { latency: LATENCY, maxPageSize: 1000 });
/** Spawned asynchronously: this process also serves the fake Pretalx. */
const run = async (dir: string, argv: string[]) => {
  const started = performance.now();
  const child = Bun.spawn([confctl, ...argv], { cwd: dir, env: { PATH: '/usr/bin:/bin', NO_COLOR: '1', CONFCTL_NOW: '2026-05-01T09:00:00Z' }, stdout: 'pipe', stderr: 'pipe' });
  const [stdout, stderr, code] = await Promise.all([new Response(child.stdout).text(), new Response(child.stderr).text(), child.exited]);
  const seconds = (performance.now() - started) / 1000;
  if (code !== 0) throw new Error(`confctl ${argv.join(' ')}: ${stderr}`);
  return { seconds, stdout };
};
const prepare = async (settings: string) => {
  const dir = mkdtempSync(join(tmpdir(), 'confctl-bench-sync-'));
  writeFileSync(join(dir, 'confctl.toml'), settings);
  await run(dir, ['migrate', '-v', '0']);
  await run(dir, ['create_event', '--slug', 'bigcon', '--name', 'BigCon', '--date-from', '2026-06-01', '--date-to', '2026-06-04', '--pretalx-url', fake.url, '--pretalx-event', 'bigcon', '-v', '0']);
  return dir;
};
const measure = async (settings: string, concurrency: number) => {
  const dir = await prepare(settings);
  try {
    const before = fake.requests.length;
    const first = await run(dir, ['sync_pretalx', '--conference', 'bigcon', '--json']);
    const requests = fake.requests.length - before;
    const again = await run(dir, ['sync_pretalx', '--conference', 'bigcon', '--json']);
    const changes = JSON.parse(again.stdout).changes as Record<string, { created: number; updated: number; removed: number }>;
    const rewritten = Object.values(changes).reduce((n, c) => n + c.created + c.updated + c.removed, 0);
    return { first: first.seconds, again: again.seconds, requests, bound: (requests * LATENCY) / 1000 / concurrency, rewritten };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
};

const fast = await measure('[sync]\npace = 0\nconcurrency = 4\npage_size = 1000\n', 4);
const naive = await measure('[sync]\npace = 0\nconcurrency = 1\npage_size = 50\n', 1);
const body = `
## sync_pretalx (bench/sync.ts)

\`npm run bench:sync\` — the compiled binary against a fake Pretalx on 127.0.0.1 answering each request after
${LATENCY} ms, holding 1,000 talks, 1,200 speakers and 1,100 slots (100 talks twice), 20 rooms. Pace lifted.
Machine: ${machine()}.

| run | requests | time | lower bound (requests × ${LATENCY} ms ÷ concurrency) | ratio |
|---|---:|---:|---:|---:|
| concurrency 4, page size 1000 | ${fast.requests} | ${fast.first.toFixed(2)} s | ${fast.bound.toFixed(2)} s | ${(fast.first / fast.bound).toFixed(2)}× |
| django-program's way: concurrency 1, page size 50 | ${naive.requests} | ${naive.first.toFixed(2)} s | ${naive.bound.toFixed(2)} s | ${(naive.first / naive.bound).toFixed(2)}× |
| second sync, unchanged data (concurrency 4) | ${fast.requests} | ${fast.again.toFixed(2)} s | | |

- Rows changed by the unchanged re-sync: ${fast.rewritten} (goal 0). Goal for the first row: ≤ 1.3× its lower bound.
- The lower bound ignores that each list's pages follow one another and that the API root is read first.
`;
writeSection('sync', body);
process.stdout.write(body);
