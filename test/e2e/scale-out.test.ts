import { describe, expect, test } from 'bun:test';
import { readFileSync } from 'node:fs';
import { installBinary, runBinary, startServer } from '../support/binary.ts';
import { fakePretalx, pyconfrDataset } from '../support/fake-pretalx.ts';
import { postgresServer } from '../support/postgres.ts';
import { tempDir } from '../support/tmp.ts';

/**
 * Issue 16's scale-out: two runserver processes of the compiled binary on one PostgreSQL database,
 * and a sync_pretalx from a third process renaming every talk while both serve. Each page asked for
 * after the sync's commit shows the new titles, on both servers; no request fails meanwhile.
 */
describe('two servers and a sync on one PostgreSQL database', () => {
  test('both serve the renamed talks right after the commit; no request fails', async () => {
    using dir = tempDir();
    using fake = fakePretalx(pyconfrDataset());
    const url = (await postgresServer()).createDatabase();
    const confctl = installBinary(dir.path);
    const env = { CONFCTL_DATABASE: url, CONFCTL_PRETALX_TOKEN: 'secret-token', CONFCTL_NOW: '2026-05-01T09:00:00Z' };
    dir.write({ 'confctl.toml': '[sync]\npace = 0\n\n[site]\nurl = "https://schedule.example.org"\n' });
    const run = async (...argv: string[]) => {
      const result = await runBinary(confctl, argv, dir.path, env);
      if (result.exitCode !== 0) throw new Error(`confctl ${argv.join(' ')}: ${result.stderr}`);
      return result;
    };
    await run('migrate', '-v', '0');
    await run('create_event', '--slug', 'conf', '--name', 'Conf', '--date-from', '2025-10-30', '--date-to', '2025-11-02', '--pretalx-url', fake.url, '--pretalx-event', 'pyconfr-2025', '--public', '-v', '0');
    await run('sync_pretalx', '--conference', 'conf', '-v', '0');
    const codes = fake.data.submissions.map((s) => String(s.code));

    const servers = await Promise.all([0, 1].map(() => startServer(confctl, ['runserver', '127.0.0.1:0'], dir.path, env)));
    try {
      // What the servers serve is what export_schedule_html writes from the same database.
      await run('export_schedule_html', 'conf', '--output-dir', 'out', '-v', '0');
      for (const file of ['schedule.json', 'schedule.xml', 'schedule/index.html', `talk/${codes[0]}/index.html`]) {
        for (const server of servers) {
          const response = await fetch(`${server.url}conf/${file}`);
          const served = Buffer.from(await response.arrayBuffer());
          expect({ file, same: served.equals(readFileSync(dir.join('out', 'conf', file))) }).toEqual({ file, same: true });
        }
      }

      const paths = ['conf/schedule.json', 'conf/schedule/', `conf/talk/${codes[1]}/`, 'api/events/conf/submissions/?page_size=100'];
      let load = true;
      const failures: string[] = [];
      let requests = 0;
      const hammer = async (base: string) => {
        while (load) {
          for (const path of paths) {
            const response = await fetch(`${base}${path}`).catch((error: Error) => error);
            requests++;
            if (response instanceof Error || response.status !== 200) failures.push(`${path}: ${response instanceof Error ? response.message : response.status}`);
            else await response.arrayBuffer();
          }
        }
      };
      const clients = servers.flatMap((s) => [hammer(s.url), hammer(s.url)]);
      for (const s of fake.data.submissions) s.title = `Renamed: ${s.title}`;
      const synced = await run('sync_pretalx', '--conference', 'conf', '-v', '0');
      // Right after the commit: every talk's new title, from both servers, in pages, feeds and the API.
      const after = await Promise.all(
        servers.map(async (server) => {
          const feed = await (await fetch(`${server.url}conf/schedule.json`)).text();
          const api = (await (await fetch(`${server.url}api/events/conf/submissions/?page_size=100`)).json()) as { results: { title: string }[] };
          const page = await (await fetch(`${server.url}conf/talk/${codes[1]}/`)).text();
          return { feed: (feed.match(/"title": ?"Renamed: /g) ?? []).length, api: api.results.filter((r) => r.title.startsWith('Renamed: ')).length, page: page.includes('Renamed: ') };
        }),
      );
      load = false;
      await Promise.all(clients);
      expect(synced.stderr).toBe('');
      expect(after).toEqual([0, 1].map(() => ({ feed: 93, api: 84, page: true })));
      expect(failures).toEqual([]);
      expect(requests).toBeGreaterThan(20);
      // Hidden by another process, then shown again: both servers follow at once.
      const pg = await postgresServer();
      const name = /^postgres:\/\/\/(\w+)\?/.exec(url)![1]!;
      const statuses = async () => Promise.all(servers.map(async (server) => (await fetch(`${server.url}conf/schedule/`)).status));
      pg.psql(name, "UPDATE event_event SET is_public = false WHERE slug = 'conf'");
      expect(await statuses()).toEqual([404, 404]);
      pg.psql(name, "UPDATE event_event SET is_public = true WHERE slug = 'conf'");
      expect(await statuses()).toEqual([200, 200]);
    } finally {
      for (const server of servers) server.child.kill('SIGTERM');
    }
    for (const server of servers) {
      expect(await server.child.exited).toBe(0);
      expect((await server.output()).stderr).toBe('SIGTERM: stopping after the requests in flight…\n');
    }
  }, 120_000);
});
