import { expect, test } from 'bun:test';
import { runBinary, installBinary, startServer } from '../support/binary.ts';
import { call } from '../support/cli.ts';
import { initialisedDatabase, query } from '../support/db.ts';
import { bigDataset, fakePretalx } from '../support/fake-pretalx.ts';
import { tempDir } from '../support/tmp.ts';

/**
 * runserver keeps answering while other processes write: the database is in WAL mode with a busy
 * timeout, so readers never wait for sync_pretalx or runperiodic and writers wait for each other.
 */
const env = { CONFCTL_NOW: '2026-05-01T09:00:00Z', CONFCTL_PRETALX_TOKEN: 'secret-token' };

test('the server answers every request while sync_pretalx and runperiodic write', async () => {
  using fake = fakePretalx(bigDataset(), { maxPageSize: 1000 });
  using dir = tempDir();
  const path = await initialisedDatabase(dir.path);
  dir.write({ 'confctl.toml': '[sync]\npace = 0\n' });
  await call(['create_test_event', '--seed', '5', '-v', '0'], { cwd: dir.path, env });
  const made = await call(['create_event', '--slug', 'bigcon', '--name', 'BigCon', '--date-from', '2026-06-01', '--date-to', '2026-06-04', '--public', '--pretalx-url', fake.url, '--pretalx-event', 'bigcon', '--organiser', 'org', '-v', '0'], { cwd: dir.path, env });
  expect(made.stderr).toBe('');
  const confctl = installBinary(dir.path);
  const server = await startServer(confctl, ['runserver', '127.0.0.1:0'], dir.path, env);

  try {
    const statuses = new Map<string, number>();
    let writing = true;
    const paths = ['democon/schedule/', 'api/events/democon/submissions/', 'bigcon/schedule/', 'api/events/bigcon/submissions/?page_size=100', 'bigcon/schedule.json'];
    const load = Array.from({ length: 6 }, async (_, worker) => {
      for (let i = worker; writing; i++) {
        const response = await fetch(server.url + paths[i % paths.length], { headers: { accept: 'text/html' } });
        await response.arrayBuffer();
        const key = `${response.status} ${paths[i % paths.length]}`;
        statuses.set(key, (statuses.get(key) ?? 0) + 1);
      }
    });
    // Three rounds of writes (a sync renaming every talk, beside runperiodic): a sync alone is over
    // too soon for the readers to ask for each page several times while it writes.
    const titles = fake.data.submissions.map((submission) => submission.title as string);
    const writers = async () => {
      try {
        const results = [await runBinary(confctl, ['sync_pretalx', '--conference', 'bigcon'], dir.path, env)];
        for (const round of [1, 2, 3]) {
          fake.data.submissions.forEach((submission, i) => (submission.title = `${titles[i]} (renamed ${round})`));
          results.push(...(await Promise.all([runBinary(confctl, ['sync_pretalx', '--conference', 'bigcon'], dir.path, env), runBinary(confctl, ['runperiodic'], dir.path, env)])));
        }
        return results;
      } finally {
        writing = false;
      }
    };
    const [results] = await Promise.all([writers(), ...load]);
    for (const result of results) expect({ exitCode: result.exitCode, stderr: result.stderr }).toEqual({ exitCode: 0, stderr: '' });
    expect(results[0]!.stdout).toStartWith('Synced 20 rooms, 1200 speakers, 1000 talks, 1100 schedule slots\n');
    for (const sync of [results[1]!, results[3]!, results[5]!]) expect(sync.stdout).toContain('talks +0 ~1000 -0');
    // The server shows the final state at once.
    const feed = await (await fetch(`${server.url}bigcon/schedule.json`)).text();
    expect(feed.match(/"title": "Talk \d+ \(renamed 3\)"/g)?.length).toBe(1100);
    server.child.kill('SIGTERM');
    expect(await server.child.exited).toBe(0);
    const { stderr } = await server.output();

    expect(stderr).not.toContain('locked');
    expect(stderr).toBe('SIGTERM: stopping after the requests in flight…\n');
    // Every request succeeded, and each kind was asked several times.
    expect([...statuses.keys()].every((key) => key.startsWith('200 '))).toBe(true);
    expect(statuses.size).toBe(paths.length);
    expect(Math.min(...statuses.values())).toBeGreaterThan(2);
    expect(query(path, "SELECT count(*) AS n FROM submission_submission WHERE title LIKE '% (renamed 3)'")).toEqual([{ n: 1000 }]);
  } finally {
    server.child.kill('SIGKILL'); // a no-op when it has stopped
  }
}, 120_000);
