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
import { ensureBinary, runBinary } from '../test/support/binary.ts';
import { bigDataset, fakePretalx } from '../test/support/fake-pretalx.ts';
import { machine, writeSection } from './_lib.ts';

const LATENCY = 40;
const confctl = ensureBinary();

using fake = fakePretalx(bigDataset(), { latency: LATENCY, maxPageSize: 1000 });
/** Spawned asynchronously (runBinary): this process also serves the fake Pretalx. */
const run = async (dir: string, argv: string[]) => {
  const started = performance.now();
  const { stdout, stderr, exitCode } = await runBinary(confctl, argv, dir, { CONFCTL_NOW: '2026-05-01T09:00:00Z' });
  const seconds = (performance.now() - started) / 1000;
  if (exitCode !== 0) throw new Error(`confctl ${argv.join(' ')}: ${stderr}`);
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
/** The same requests from a bare Bun process that parses and writes nothing (bench/sync-floor.ts); median of three. */
const floor = await (async () => {
  const runs: { seconds: number; requests: number }[] = [];
  for (let i = 0; i < 3; i++) {
    const before = fake.requests.length;
    const started = performance.now();
    const result = await runBinary(process.execPath, [join(import.meta.dir, 'sync-floor.ts'), `${fake.url}/api/`, 'bigcon', '1000', '4'], tmpdir());
    if (result.exitCode !== 0) throw new Error(`bench/sync-floor.ts: ${result.stderr}`);
    runs.push({ seconds: (performance.now() - started) / 1000, requests: fake.requests.length - before });
  }
  return runs.sort((a, b) => a.seconds - b.seconds)[1]!;
})();
const floorBound = (floor.requests * LATENCY) / 1000 / 4;
const naive = await measure('[sync]\npace = 0\nconcurrency = 1\npage_size = 50\n', 1);
const body = `
## sync_pretalx (bench/sync.ts)

\`npm run bench:sync\` — the compiled binary against a fake Pretalx on 127.0.0.1 answering each request after
${LATENCY} ms, holding 1,000 talks, 1,200 speakers and 1,100 slots (100 talks twice), 20 rooms. Pace lifted.
Machine: ${machine()}.

| run | requests | time | lower bound (requests × ${LATENCY} ms ÷ concurrency) | ratio |
|---|---:|---:|---:|---:|
| concurrency 4, page size 1000 | ${fast.requests} | ${fast.first.toFixed(2)} s | ${fast.bound.toFixed(2)} s | ${(fast.first / fast.bound).toFixed(2)}× |
| floor: the same requests from a bare Bun process, nothing parsed or written (bench/sync-floor.ts) | ${floor.requests} | ${floor.seconds.toFixed(2)} s | ${floorBound.toFixed(2)} s | ${(floor.seconds / floorBound).toFixed(2)}× |
| django-program's way: concurrency 1, page size 50 | ${naive.requests} | ${naive.first.toFixed(2)} s | ${naive.bound.toFixed(2)} s | ${(naive.first / naive.bound).toFixed(2)}× |
| second sync, unchanged data (concurrency 4) | ${fast.requests} | ${fast.again.toFixed(2)} s | | |

- Rows changed by the unchanged re-sync: ${fast.rewritten} (goal 0). Goal for the first row: ≤ 1.3× its lower bound.
- The lower bound counts requests, not rounds: 12 requests 4 at a time are 3 rounds of ${LATENCY} ms, the whole bound, so
  anything else (starting a process, reading the answers, the write transaction) is above it; the floor row shows how much
  of that a process that does nothing with the answers already pays.
`;
writeSection('sync', body);
process.stdout.write(body);
