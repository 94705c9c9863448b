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
import { ensureBinary, runBinary, startServer } from '../test/support/binary.ts';
import { bigDataset, fakePretalx } from '../test/support/fake-pretalx.ts';
import { aptInstall, machine, writeSection } from './_lib.ts';

const SECONDS = 10;
const CONNECTIONS = 32;
/** One sync a second: far more often than any cron, each one changing every talk. */
const SYNC_EVERY = 1000;
aptInstall('wrk', 'wrk');
const confctl = ensureBinary();
using fake = fakePretalx(bigDataset(), { maxPageSize: 1000 });
const env = { CONFCTL_NOW: '2026-05-01T09:00:00Z' };

const dir = mkdtempSync(join(tmpdir(), 'confctl-bench-serve-'));
const must = async (argv: string[]) => {
  const result = await runBinary(confctl, argv, dir, env);
  if (result.exitCode !== 0) throw new Error(`confctl ${argv.join(' ')}: ${result.stderr}`);
  return result;
};
writeFileSync(join(dir, 'confctl.toml'), '[sync]\npace = 0\n');
await must(['migrate', '-v', '0']);
await must(['create_event', '--slug', 'bigcon', '--name', 'BigCon', '--date-from', '2026-06-01', '--date-to', '2026-06-04', '--public', '--pretalx-url', fake.url, '--pretalx-event', 'bigcon', '-v', '0']);
await must(['sync_pretalx', '--conference', 'bigcon', '-v', '0']);
const server = await startServer(confctl, ['runserver', '127.0.0.1:0'], dir, env);

interface Result {
  rps: number;
  p50: string;
  p99: string;
  errors: string;
  syncs: number;
}

/** Runs wrk for SECONDS against one path; with `sync`, sync_pretalx runs back to back meanwhile. */
async function load(path: string, sync: boolean): Promise<Result> {
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
  const wrk = Bun.spawn(['wrk', '-t2', `-c${CONNECTIONS}`, `-d${SECONDS}s`, '--latency', '-H', 'Accept-Encoding: gzip', '-H', 'Accept: text/html', server.url + path], { stdout: 'pipe', stderr: 'pipe' });
  const [out, , code] = await Promise.all([new Response(wrk.stdout).text(), new Response(wrk.stderr).text(), wrk.exited]);
  running = false;
  await writer;
  if (code !== 0) throw new Error(`wrk failed:\n${out}`);
  const latency = (p: string) => new RegExp(`^\\s+${p}%\\s+(\\S+)`, 'm').exec(out)?.[1] ?? '?';
  const non2xx = /Non-2xx or 3xx responses: (\d+)/.exec(out)?.[1];
  const socket = /Socket errors: (.*)/.exec(out)?.[1];
  return {
    rps: Number(/Requests\/sec:\s+([\d.]+)/.exec(out)![1]),
    p50: latency('50'),
    p99: latency('99'),
    errors: [non2xx ? `${non2xx} non-2xx` : '', socket ?? ''].filter(Boolean).join('; ') || 'none',
    syncs,
  };
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
