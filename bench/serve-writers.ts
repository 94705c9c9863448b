/**
 * bench/serve-writers: runserver (the compiled binary) while other processes write, as on a server
 * where cron and operators work beside it. BigCon has 1,100 slots and 70 released versions (77,000
 * slot rows: every release mirrored keeps its own copy); DemoCon is small. Four writers loop meanwhile:
 * sync_pretalx on BigCon (each run renames every talk), loaddata of DemoCon's rooms, move_event of
 * DemoCon (back and forth), and runperiodic --force. wrk asks for one page at a time, first with no
 * writer, then with all four; goal (issue 13): p99 at most 100 ms for any page while writers run.
 * Run: npm run bench:serve-writers   (installs Debian's wrk when it is missing)
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ensureBinary, startServer } from '../test/support/binary.ts';
import { bigDataset, fakePretalx } from '../test/support/fake-pretalx.ts';
import { aptInstall, machine, mustRun, runWrk, writeSection } from './_lib.ts';

const SECONDS = 10;
const CONNECTIONS = 16;
const VERSIONS = 70;
aptInstall('wrk', 'wrk');
const confctl = ensureBinary();
using fake = fakePretalx(bigDataset(), { maxPageSize: 1000 });
const env = {
  CONFCTL_NOW: '2026-05-01T09:00:00Z',
  DJANGO_SUPERUSER_EMAIL: 'admin@example.org',
  DJANGO_SUPERUSER_PASSWORD: 'a-long-s3cret-phrase',
  PRETALX_INIT_ORGANISER_NAME: 'Org',
  PRETALX_INIT_ORGANISER_SLUG: 'org',
};

const dir = mkdtempSync(join(tmpdir(), 'confctl-bench-writers-'));
const must = mustRun(confctl, dir, env);
writeFileSync(join(dir, 'confctl.toml'), '[sync]\npace = 0\nguard_max_fraction = 1.0\n');
await must(['migrate', '-v', '0']);
await must(['init', '--noinput', '-v', '0']);
await must(['create_test_event', '--seed', '3', '-v', '0']);
await must(['create_event', '--slug', 'bigcon', '--name', 'BigCon', '--date-from', '2026-06-01', '--date-to', '2026-06-04', '--public', '--pretalx-url', fake.url, '--pretalx-event', 'bigcon', '-v', '0']);
// 70 releases, each moving one talk by half an hour: each becomes a local version with its own 1,100 slots.
const started = performance.now();
for (let n = 1; n <= VERSIONS; n++) {
  fake.data.schedule = { id: n, version: `v${n}`, published: new Date(Date.UTC(2026, 4, 1, 9) + n * 3600_000).toISOString() };
  const slot = fake.data.slots[n]!;
  for (const key of ['start', 'end'] as const) slot[key] = new Date(Date.parse(slot[key] as string) + 1800_000).toISOString();
  await must(['sync_pretalx', '--conference', 'bigcon', '-v', '0']);
}
const setup = (performance.now() - started) / 1000;
await must(['dumpdata', 'schedule.room', '-o', 'rooms.json']);
const server = await startServer(confctl, ['runserver', '127.0.0.1:0'], dir, env);

/** The four writers, each in a loop until stopped; counts the runs of each. */
function writers() {
  let running = true;
  const runs: Record<string, number> = { sync_pretalx: 0, loaddata: 0, move_event: 0, runperiodic: 0 };
  const loop = (name: string, argv: (i: number) => string[], before?: () => void) =>
    (async () => {
      for (let i = 0; running; i++) {
        before?.();
        await must(argv(i));
        runs[name]!++;
      }
    })();
  const loops = [
    loop('sync_pretalx', () => ['sync_pretalx', '--conference', 'bigcon', '-v', '0'], () => {
      for (const s of fake.data.submissions) s.title = (s.title as string).endsWith('!') ? (s.title as string).slice(0, -1) : `${s.title as string}!`;
    }),
    loop('loaddata', () => ['loaddata', 'rooms.json', '-v', '0']),
    loop('move_event', (i) => ['move_event', '--event', 'democon', '--date', i % 2 ? '2026-05-01' : '2026-05-08', '-v', '0']),
    loop('runperiodic', () => ['runperiodic', '--force', '-v', '0']),
  ];
  return {
    runs,
    stop: async () => {
      running = false;
      await Promise.all(loops);
    },
  };
}

const load = async (path: string) => {
  await (await fetch(server.url + path)).arrayBuffer(); // built once before measuring
  return runWrk(server.url + path, { seconds: SECONDS, connections: CONNECTIONS });
};

const paths = {
  'BigCon schedule `/bigcon/schedule/`': 'bigcon/schedule/',
  'BigCon talk page': `bigcon/talk/${fake.data.submissions[10]!.code as string}/`,
  'BigCon changelog': 'bigcon/schedule/changelog/',
  'DemoCon schedule `/democon/schedule/`': 'democon/schedule/',
};
const rows: string[] = [];
try {
  for (const [label, path] of Object.entries(paths)) {
    const quiet = await load(path);
    rows.push(`| ${label} | none | ${Math.round(quiet.rps)} | ${quiet.p50} | ${quiet.p99} | ${quiet.max} | ${quiet.errors} |`);
    const w = writers();
    const busy = await load(path);
    await w.stop();
    const counts = Object.entries(w.runs).map(([k, v]) => `${v} ${k}`).join(', ');
    rows.push(`| ${label} | ${counts} | ${Math.round(busy.rps)} | ${busy.p50} | ${busy.p99} | ${busy.max} | ${busy.errors} |`);
  }
} finally {
  server.child.kill('SIGTERM');
  await server.child.exited;
  rmSync(dir, { recursive: true, force: true });
}

const body = `
## runserver beside continuous writers (bench/serve-writers.ts)

\`npm run bench:serve-writers\` — the compiled binary's runserver serving BigCon (1,000 talks, 1,100 slots, ${VERSIONS}
released versions mirrored from a fake Pretalx: ${(VERSIONS * 1100).toLocaleString('en')} slot rows; set up in ${setup.toFixed(0)} s) and DemoCon
(create_test_event), loaded by \`wrk -t2 -c${CONNECTIONS} -d${SECONDS}s --latency\` (gzip accepted), one page at a time, first alone,
then while four writers loop: sync_pretalx on BigCon (renaming every talk each run), loaddata of DemoCon's rooms,
move_event of DemoCon and runperiodic --force (the runs each made are counted). Goal (issue 13): p99 ≤ 100 ms for any
page while writers run. Machine: ${machine()}; wrk, the server and the writers share its cores.

| page | writers meanwhile | requests/s | p50 | p99 | max | errors |
|---|---|---:|---:|---:|---:|---|
${rows.join('\n')}
`;
writeSection('serve-writers', body);
process.stdout.write(body);
