/**
 * bench/serve: runserver (the compiled binary) under load from wrk, a second process on loopback.
 * The event is BigCon (1,000 talks, 1,100 slots, 1,200 speakers, mirrored from a fake Pretalx); the
 * schedule page and the API's submissions list, each without and then with sync_pretalx rewriting
 * every talk title once a second meanwhile (each sync changes the data, so each one also costs the
 * server a rebuild of the event's pages). wrk asks for gzip, as browsers do.
 * The same on PostgreSQL, with one and with two server processes sharing the database.
 * Run: npm run bench:serve   (installs Debian's wrk when it is missing)
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ensureBinary, startServer } from '../test/support/binary.ts';
import { bigDataset, fakePretalx } from '../test/support/fake-pretalx.ts';
import { postgresServer, stopPostgresServer } from '../test/support/postgres.ts';
import { aptInstall, machine, mustRun, runWrk, writeSection, type WrkResult } from './_lib.ts';

const SECONDS = 10;
const CONNECTIONS = 32;
/** One sync a second: far more often than any cron, each one changing every talk. */
const SYNC_EVERY = 1000;
aptInstall('wrk', 'wrk');
const confctl = ensureBinary();
using fake = fakePretalx(bigDataset(), { maxPageSize: 1000 });
const env = { CONFCTL_NOW: '2026-05-01T09:00:00Z' };
/**
 * Where the data lives and how many servers answer: the embedded SQLite file, and PostgreSQL (a private
 * cluster of Debian's server, as the tests start it) with one and with two server processes, each
 * taking half of wrk's connections (several servers behind a load balancer, issue 16).
 */
const setups: { label: string; postgres: boolean; servers: number }[] = [
  { label: 'SQLite', postgres: false, servers: 1 },
  { label: 'PostgreSQL', postgres: true, servers: 1 },
  { label: 'PostgreSQL, two servers', postgres: true, servers: 2 },
];
const paths = { 'schedule page `/bigcon/schedule/`': 'bigcon/schedule/', 'API `/api/events/bigcon/submissions/`': 'api/events/bigcon/submissions/' };
const rows: string[] = [];
let serverVersion = '';
try {
  for (const setup of setups) {
    fake.data = bigDataset();
    const dir = mkdtempSync(join(tmpdir(), 'confctl-bench-serve-'));
    const database: Record<string, string> = setup.postgres ? { CONFCTL_DATABASE: (await postgresServer()).createDatabase('confctl_bench') } : {};
    if (setup.postgres) serverVersion = (await postgresServer()).psql('postgres', 'SHOW server_version').trim();
    const must = mustRun(confctl, dir, { ...env, ...database });
    writeFileSync(join(dir, 'confctl.toml'), '[sync]\npace = 0\n');
    await must(['migrate', '-v', '0']);
    await must(['create_event', '--slug', 'bigcon', '--name', 'BigCon', '--date-from', '2026-06-01', '--date-to', '2026-06-04', '--public', '--pretalx-url', fake.url, '--pretalx-event', 'bigcon', '-v', '0']);
    await must(['sync_pretalx', '--conference', 'bigcon', '-v', '0']);
    const servers = await Promise.all(Array.from({ length: setup.servers }, () => startServer(confctl, ['runserver', '127.0.0.1:0'], dir, { ...env, ...database })));

    /** Runs wrk for SECONDS against one path on every server at once; with `sync`, sync_pretalx runs back to back meanwhile. */
    const load = async (path: string, sync: boolean): Promise<WrkResult & { syncs: number }> => {
      for (const server of servers) await (await fetch(server.url + path)).arrayBuffer(); // built once before measuring
      let running = true;
      let syncs = 0;
      const writer = (async () => {
        while (sync && running) {
          for (const s of fake.data.submissions) s.title = (s.title as string).endsWith('!') ? (s.title as string).slice(0, -1) : `${s.title as string}!`;
          const started = performance.now();
          await must(['sync_pretalx', '--conference', 'bigcon', '-v', '0']);
          syncs++;
          await Bun.sleep(Math.max(0, SYNC_EVERY - (performance.now() - started)));
        }
      })();
      try {
        const each = await Promise.all(servers.map((server) => runWrk(server.url + path, { seconds: SECONDS, connections: CONNECTIONS / servers.length })));
        const slowest = (key: 'p50' | 'p99' | 'max') => each.map((r) => r[key]).sort((a, b) => milliseconds(b) - milliseconds(a))[0]!;
        const errors = each.map((r) => r.errors).filter((e) => e !== 'none');
        return { rps: each.reduce((sum, r) => sum + r.rps, 0), p50: slowest('p50'), p99: slowest('p99'), max: slowest('max'), errors: errors.join('; ') || 'none', syncs };
      } finally {
        running = false;
        await writer;
      }
    };

    try {
      for (const [label, path] of Object.entries(paths)) {
        for (const sync of [false, true]) {
          const r = await load(path, sync);
          rows.push(`| ${setup.label} | ${label} | ${sync ? `yes (${r.syncs} syncs)` : 'no'} | ${Math.round(r.rps)} | ${r.p50} | ${r.p99} | ${r.errors} |`);
        }
      }
    } finally {
      for (const server of servers) {
        server.child.kill('SIGTERM');
        await server.child.exited;
      }
      rmSync(dir, { recursive: true, force: true });
    }
  }
} finally {
  stopPostgresServer();
}

/** wrk's latencies ("447.00us", "1.71ms", "1.02s") in milliseconds, to pick the slowest server's. */
function milliseconds(text: string): number {
  const [, value = 'NaN', unit = 'ms'] = /^([\d.]+)(us|ms|s|m)$/.exec(text) ?? [];
  return Number(value) * ({ us: 0.001, ms: 1, s: 1000, m: 60_000 } as Record<string, number>)[unit]!;
}

const body = `
## runserver (bench/serve.ts)

\`npm run bench:serve\` — the compiled binary's runserver on 127.0.0.1 serving BigCon (1,000 talks, 1,100 slots,
1,200 speakers), loaded by \`wrk -t2 -c${CONNECTIONS} -d${SECONDS}s --latency\` (gzip accepted) from a second process on the
same machine; "with sync" starts sync_pretalx once a second meanwhile, each run renaming all 1,000 talks (so each
also invalidates the event's cached pages: the next request for a page reads the event again and renders that page
alone, while the requests arriving meanwhile wait). On PostgreSQL (${serverVersion}, Debian's, a private cluster on a
Unix socket) each page and API answer first reads the event stamps, so that a commit by any process shows at once;
with two servers each takes half the connections (their requests per second added, the slower one's latencies
shown). Machine: ${machine()}; wrk, the servers, PostgreSQL and the syncs share its cores.

| database | route | concurrent sync | requests/s | p50 | p99 | errors |
|---|---|---|---:|---:|---:|---|
${rows.join('\n')}
`;
writeSection('serve', body);
process.stdout.write(body);
