/**
 * bench/serve: runserver (the compiled binary) under load from wrk, a second process on loopback.
 * The event is BigCon (1,000 talks, 1,100 slots, 1,200 speakers, mirrored from a fake Pretalx); the
 * schedule page and the API's submissions list, each without and then with sync_pretalx rewriting
 * every talk title once a second meanwhile (each sync changes the data, so each one also costs the
 * server a rebuild of the event's pages). wrk asks for gzip, as browsers do.
 * Run: npm run bench:serve   (installs Debian's wrk when it is missing)
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ensureBinary, startServer } from '../test/support/binary.ts';
import { bigDataset, fakePretalx } from '../test/support/fake-pretalx.ts';
import { aptInstall, machine, mustRun, runWrk, writeSection, type WrkResult } from './_lib.ts';

const SECONDS = 10;
const CONNECTIONS = 32;
/** One sync a second: far more often than any cron, each one changing every talk. */
const SYNC_EVERY = 1000;
aptInstall('wrk', 'wrk');
const confctl = ensureBinary();
using fake = fakePretalx(bigDataset(), { maxPageSize: 1000 });
const env = { CONFCTL_NOW: '2026-05-01T09:00:00Z' };

const dir = mkdtempSync(join(tmpdir(), 'confctl-bench-serve-'));
const must = mustRun(confctl, dir, env);
writeFileSync(join(dir, 'confctl.toml'), '[sync]\npace = 0\n');
await must(['migrate', '-v', '0']);
await must(['create_event', '--slug', 'bigcon', '--name', 'BigCon', '--date-from', '2026-06-01', '--date-to', '2026-06-04', '--public', '--pretalx-url', fake.url, '--pretalx-event', 'bigcon', '-v', '0']);
await must(['sync_pretalx', '--conference', 'bigcon', '-v', '0']);
const server = await startServer(confctl, ['runserver', '127.0.0.1:0'], dir, env);

/** Runs wrk for SECONDS against one path; with `sync`, sync_pretalx runs back to back meanwhile. */
async function load(path: string, sync: boolean): Promise<WrkResult & { syncs: number }> {
  await (await fetch(server.url + path)).arrayBuffer(); // built once before measuring
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
    return { ...(await runWrk(server.url + path, { seconds: SECONDS, connections: CONNECTIONS })), syncs };
  } finally {
    running = false;
    await writer;
  }
}

const paths = { 'schedule page `/bigcon/schedule/`': 'bigcon/schedule/', 'API `/api/events/bigcon/submissions/`': 'api/events/bigcon/submissions/' };
const rows: string[] = [];
try {
  for (const [label, path] of Object.entries(paths)) {
    for (const sync of [false, true]) {
      const r = await load(path, sync);
      rows.push(`| ${label} | ${sync ? `yes (${r.syncs} syncs)` : 'no'} | ${Math.round(r.rps)} | ${r.p50} | ${r.p99} | ${r.errors} |`);
    }
  }
} finally {
  server.child.kill('SIGTERM');
  await server.child.exited;
  rmSync(dir, { recursive: true, force: true });
}

const body = `
## runserver (bench/serve.ts)

\`npm run bench:serve\` — the compiled binary's runserver on 127.0.0.1 serving BigCon (1,000 talks, 1,100 slots,
1,200 speakers), loaded by \`wrk -t2 -c${CONNECTIONS} -d${SECONDS}s --latency\` (gzip accepted) from a second process on the
same machine; "with sync" starts sync_pretalx once a second meanwhile, each run renaming all 1,000 talks (so each
also invalidates the event's cached pages: the next request for a page reads the event again and renders that page
alone, while the requests arriving meanwhile wait). Machine: ${machine()}; wrk, the server and the syncs share its cores.

| route | concurrent sync | requests/s | p50 | p99 | errors |
|---|---|---:|---:|---:|---|
${rows.join('\n')}
`;
writeSection('serve', body);
process.stdout.write(body);
