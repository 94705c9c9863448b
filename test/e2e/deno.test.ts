import { afterAll, beforeAll, describe, expect, test } from 'bun:test';
import { appendFileSync, chmodSync, cpSync, mkdirSync, readFileSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { once } from 'node:events';
import { join } from 'node:path';
import { installBinary, minimalEnv, runBinary, spawnBinary, startServer, type SpawnResult } from '../support/binary.ts';
import { fakePretalx, pyconfrDataset } from '../support/fake-pretalx.ts';
import { freePort } from '../support/port.ts';
import { filesBelow, tempDir, type TempDir } from '../support/tmp.ts';

/**
 * The third tier: the same sources under Deno (`deno run -A cli.ts`, Deno from npm), as a process,
 * beside the Bun binary, on the demo path. Every command gives the same output and exit status and
 * writes the same files; a database written by one runtime is read alike by the other.
 */
const root = join(import.meta.dir, '..', '..');
const DENO = join(root, 'node_modules', '.bin', 'deno');
/** Deno keeps its compiled sources here between runs (a fresh cache costs a second or two once). */
const DENO_DIR = join(root, 'node_modules', '.cache', 'deno');
const env = {
  CONFCTL_NOW: '2026-05-01T09:00:00Z',
  CONFCTL_PRETALX_TOKEN: 'secret-token',
  DJANGO_SUPERUSER_EMAIL: 'admin@example.org',
  DJANGO_SUPERUSER_PASSWORD: 'correct-horse-9',
  PRETALX_INIT_ORGANISER_NAME: 'Org',
  PRETALX_INIT_ORGANISER_SLUG: 'org',
};
const ARGON2_USER = {
  email: 'argon2@example.org',
  password: 'correct horse battery staple',
  hash: 'argon2$argon2id$v=19$m=102400,t=2,p=8$Y29uZmN0bHNhbHQxMjM0NQ$xSW5p73rnSoCLxp31k7hCA',
};
const examples = join(root, '..', 'shared', 'data', 'schedules', 'c3voc-examples');

/** `deno run -A cli.ts` as a program of its own, so that the binary's helpers run it alike. */
function denoProgram(dir: string): string {
  const path = join(dir, 'confctl-deno');
  writeFileSync(path, `#!/bin/sh\nDENO_DIR='${DENO_DIR}' DENO_NO_UPDATE_CHECK=1 exec '${DENO}' run -A '${join(root, 'cli.ts')}' "$@"\n`);
  chmodSync(path, 0o755);
  return path;
}


describe('Deno runs the same sources as the Bun binary', () => {
  let dir: TempDir;
  let fake: ReturnType<typeof fakePretalx>;
  const runs = { bun: [] as [string, SpawnResult][], deno: [] as [string, SpawnResult][] };
  const moreRuns = { bun: [] as [string, SpawnResult][], deno: [] as [string, SpawnResult][] };
  let programs: { bun: string; deno: string };

  beforeAll(async () => {
    dir = tempDir('confctl-deno-');
    fake = fakePretalx(pyconfrDataset());
    programs = { bun: installBinary(dir.path), deno: denoProgram(dir.path) };
    // The administrator comes from one init (its code and salt are random), as a fixture for both.
    dir.write({ 'init/confctl.toml': '' });
    expect(spawnBinary(programs.bun, ['migrate', '-v', '0'], dir.join('init'), env).exitCode).toBe(0);
    expect(spawnBinary(programs.bun, ['init', '--noinput', '-v', '0'], dir.join('init'), env).exitCode).toBe(0);
    expect(spawnBinary(programs.bun, ['dumpdata', '-o', dir.join('base.json')], dir.join('init'), env).exitCode).toBe(0);
    // And one whose password Django hashed with argon2 (Django 3.2.25, python3-argon2), as a pretalx dump brings them.
    const base = JSON.parse(readFileSync(dir.join('base.json'), 'utf8')) as { model: string; pk: number; fields: Record<string, unknown> }[];
    const admin = base.find((o) => o.model === 'person.user')!;
    base.push({ ...admin, pk: admin.pk + 1, fields: { ...admin.fields, email: ARGON2_USER.email, code: 'ARGON2USERCODE00', password: ARGON2_USER.hash } });
    writeFileSync(dir.join('base.json'), JSON.stringify(base));
    const steps: string[][] = [
      ['migrate'],
      ['loaddata', dir.join('base.json')],
      ['create_test_event', '--seed', '3'],
      ['create_event', '--slug', 'camp', '--name', 'Camp', '--date-from', '2019-08-21', '--date-to', '2019-08-25'],
      ['import_schedule', join(examples, 'frab-camp2019.json'), '--event', 'camp'],
      ['create_event', '--slug', 'pycon', '--name', 'PyCon FR', '--date-from', '2025-10-30', '--date-to', '2025-11-02', '--pretalx-url', fake.url, '--pretalx-event', 'pyconfr-2025'],
      ['sync_pretalx', '--conference', 'pycon'],
      ['export_schedule_html', 'democon'],
      ['export_schedule_html', 'camp', '--zip'],
      ['dumpdata', '-o', 'all.json'],
      ['dumpdata', 'schedule', '--format', 'xml', '--indent', '2'],
      ['list_events'],
      ['shell', '-c', 'console.log((await db.selectFrom("submission_submission").select((eb) => eb.fn.countAll().as("n")).executeTakeFirst()).n)'],
      ['shell', '--override', '-c', 'console.log(await query("SELECT slug, date_from FROM event_event ORDER BY slug"))'],
      ['dbshell', '--builtin', '-c', 'SELECT slug FROM event_event ORDER BY slug'],
      ['dbshell', '-c', 'SELECT slug FROM event_event ORDER BY slug'],
      ['showmigrations'],
      ['check'],
      ['loaddata', 'missing.json'],
      ['import_schedule', join(examples, 'frab-camp2019.json'), '--event', 'nowhere'],
    ];
    // The rest of the registry, in a folder of its own per runtime (some of it empties the database).
    const more: string[][] = [
      ['migrate', '-v', '0'],
      ['loaddata', dir.join('base.json'), '-v', '0'],
      ['create_test_event', '--seed', '4', '-v', '0'],
      ['version'],
      ['diffsettings'],
      ['inspectdb'],
      ['sqlall', 'person', 'schedule'],
      ['sqlmigrate', '0004'],
      ['sqlmigrate', '0005', '--backwards'],
      ['sql', 'submission'],
      ['sqlflush'],
      ['sqlsequencereset', 'person'],
      ['sqlindexes', 'schedule'],
      ['sqlclear', 'common'],
      ['sqlreset', 'common'],
      ['sqlcustom', 'person'],
      ['createcachetable'],
      ['clearsessions'],
      ['runperiodic', '-v', '2', '--no-pretalx-information'],
      ['move_event', '--event', 'democon', '--date', '2026-06-01'],
      ['regenerate_css'],
      ['rebuild'],
      ['makemigrations', '--dry-run', 'nothing_new'],
      ['createsuperuser', '--noinput', '--email', 'second@example.org'],
      ['changepassword', 'second@example.org'],
      ['dumpdata', 'event.event', 'schedule.talkslot', '--indent', '2'],
      ['reset', 'schedule', '--noinput'],
      ['flush', '--noinput'],
      ['syncdb', '--noinput'],
      ['init', '--noinput'],
      ['list_events', '--json'],
      ['runserver', 'nosuch.invalid:8200', '--noreload'],
      ['runserver', '192.0.2.1:8200', '--noreload'],
      ['no_such_command'],
    ];
    for (const runtime of ['bun', 'deno'] as const) {
      const cwd = dir.join(`${runtime}-more`);
      dir.write({ [`${runtime}-more/confctl.toml`]: '' });
      for (const step of more) {
        const result = await runBinary(programs[runtime], step, cwd, env);
        const same = (text: string) => text.replaceAll(cwd, '<dir>');
        moreRuns[runtime].push([step.join(' '), { ...result, stdout: same(result.stdout), stderr: same(result.stderr) }]);
      }
    }
    for (const runtime of ['bun', 'deno'] as const) {
      const cwd = dir.join(runtime);
      dir.write({ [`${runtime}/confctl.toml`]: '[site]\nurl = "https://schedule.example.org"\n[sync]\npace = 0\nbackoff = 1\nretries = 2\n' });
      for (const step of steps) {
        const result = await runBinary(programs[runtime], step, cwd, env);
        // Each runtime works in its own folder: paths are named alike.
        const same = (text: string) => text.replaceAll(cwd, '<dir>');
        runs[runtime].push([step.join(' '), { ...result, stdout: same(result.stdout), stderr: same(result.stderr) }]);
      }
    }
  }, 240_000);
  afterAll(() => {
    fake?.[Symbol.dispose]();
    dir?.[Symbol.dispose]();
  });

  test('every command of the demo path: the same stdout, stderr and exit status', () => {
    const bun = runs.bun.map(([step, r]) => ({ step, ...r }));
    expect(bun.find((r) => r.step === 'sync_pretalx --conference pycon')!.stdout).toStartWith('Synced 13 rooms');
    expect(bun.at(-1)).toEqual({ step: expect.any(String), stdout: '', stderr: 'CommandError: Could not find event with slug "nowhere".\n', exitCode: 1 });
    expect(runs.deno.map(([step, r]) => ({ step, ...r }))).toEqual(bun);
  });

  test('every other command of the registry: the same stdout, stderr and exit status', () => {
    const bun = moreRuns.bun.map(([step, r]) => ({ step, ...r }));
    expect(bun.filter((r) => r.exitCode !== 0).map((r) => r.step)).toEqual(['makemigrations --dry-run nothing_new', 'changepassword second@example.org', 'runserver nosuch.invalid:8200 --noreload', 'runserver 192.0.2.1:8200 --noreload', 'no_such_command']);
    expect(moreRuns.deno.map(([step, r]) => ({ step, ...r }))).toEqual(bun);
  });

  test('on a terminal (a pty from script(1)): the prompts of changepassword and createsuperuser, and the interactive shell, alike', () => {
    const terminal = (runtime: 'bun' | 'deno', command: string, input: string) => {
      const cwd = dir.join(`${runtime}-more`);
      const result = Bun.spawnSync(['script', '-qec', `${programs[runtime]} ${command}`, '/dev/null'], {
        cwd,
        stdin: new TextEncoder().encode(input),
        env: { PATH: '/usr/bin:/bin', HOME: cwd, TZ: 'UTC', NO_COLOR: '1', ...env },
        stdout: 'pipe',
        stderr: 'pipe',
      });
      return { exitCode: result.exitCode, output: result.stdout.toString().replaceAll(cwd, '<dir>') };
    };
    const sessions = [
      ['changepassword admin@example.org', 'pw-abcdef-123\npw-abcdef-123\n'],
      ['createsuperuser', 'third@example.org\nThird Admin\npw-abcdef-123\npw-abcdef-123\n'],
      ['shell --override', 'console.log(6 * 7)\n'],
    ] as const;
    const bun = sessions.map(([command, input]) => ({ command, ...terminal('bun', command, input) }));
    expect(bun.map((s) => s.output.split('\r\n').filter(Boolean).at(-1))).toEqual(["Password changed successfully for user 'admin@example.org'", 'Superuser created successfully.', '>>> ']);
    expect(sessions.map(([command, input]) => ({ command, ...terminal('deno', command, input) }))).toEqual(bun);
  }, 60_000);

  test('the same files: the dump, the exported site and its feeds, and the zip, byte for byte', () => {
    expect(readFileSync(dir.join('deno', 'all.json')).equals(readFileSync(dir.join('bun', 'all.json')))).toBe(true);
    const [a, b] = [filesBelow(dir.join('bun', 'data', 'htmlexport', 'democon')), filesBelow(dir.join('deno', 'data', 'htmlexport', 'democon'))];
    expect([...b.keys()]).toEqual([...a.keys()]);
    for (const [name, bytes] of a) expect({ name, same: bytes.equals(b.get(name)!) }).toEqual({ name, same: true });
    const zips = ['bun', 'deno'].map((r) => readFileSync(dir.join(r, 'data', 'htmlexport', 'camp.zip')));
    const entries = Bun.spawnSync(['python3', '-c', 'import sys, zipfile; print(len(zipfile.ZipFile(sys.argv[1]).infolist()))', dir.join('bun', 'data', 'htmlexport', 'camp.zip')]);
    expect(Number(entries.stdout.toString())).toBeGreaterThan(100);
    expect(zips[1]!.equals(zips[0]!)).toBe(true);
  });

  test("a database written by one runtime reads the same in the other", async () => {
    for (const [writer, reader] of [['bun', 'deno'], ['deno', 'bun']] as const) {
      const dumped = await runBinary(programs[reader], ['dumpdata'], dir.join(writer), env);
      expect(dumped.exitCode).toBe(0);
      expect(dumped.stdout).toBe(readFileSync(dir.join(writer, 'all.json'), 'utf8'));
    }
  });

  test('runserver: the same pages, feeds, API answers and login page', async () => {
    const paths = ['/', '/democon/', '/democon/schedule/', '/democon/schedule.json', '/democon/schedule.xml', '/democon/schedule.ics', '/camp/schedule/', '/api/', '/api/events/', '/api/events/democon/submissions/', '/api/events/pycon/rooms/', '/login', '/nowhere/'];
    const answers: Record<string, unknown[]> = {};
    for (const runtime of ['bun', 'deno'] as const) {
      // --noreload: the binary never reloads; from source the reloader has a test of its own (below).
      const server = await startServer(programs[runtime], ['runserver', '127.0.0.1:0', '--noreload'], dir.join(runtime), env);
      try {
        answers[runtime] = [];
        for (const path of paths) {
          const response = await fetch(`${server.url}${path.slice(1)}`, { headers: { accept: 'text/html' } });
          const raw = await response.text();
          // Answers that name the server's address (another port each) are compared without it; their ETags differ by it.
          const body = raw.replaceAll(server.url, 'http://server/');
          const etag = raw === body ? response.headers.get('etag') : 'names the address';
          answers[runtime]!.push({ path, status: response.status, type: response.headers.get('content-type'), etag, body: body.slice(0, 2000), length: body.length });
        }
        // As a browser gets them: gzipped, the same bytes on the wire.
        for (const path of ['/democon/schedule.json', '/camp/schedule/']) {
          const response = await fetch(`${server.url}${path.slice(1)}`, { headers: { 'accept-encoding': 'gzip' }, decompress: false } as RequestInit);
          const gzip = new Uint8Array(await response.arrayBuffer());
          answers[runtime]!.push({ path: `${path} (gzip)`, encoding: response.headers.get('content-encoding'), etag: response.headers.get('etag'), sha1: new Bun.CryptoHasher('sha1').update(gzip).digest('hex') });
        }
        const big = await fetch(`${server.url}login`, { method: 'POST', body: 'x'.repeat(100 * 1024), headers: { 'content-type': 'application/x-www-form-urlencoded' } });
        answers[runtime]!.push({ path: 'POST /login (100 KiB)', status: big.status });
        const logins: [string, string][] = [
          [env.DJANGO_SUPERUSER_EMAIL, 'wrong-password'],
          [env.DJANGO_SUPERUSER_EMAIL, env.DJANGO_SUPERUSER_PASSWORD],
          [ARGON2_USER.email, 'wrong-password'],
          [ARGON2_USER.email, ARGON2_USER.password],
        ];
        for (const [email, password] of logins) {
          const login = await fetch(`${server.url}login`, {
            method: 'POST',
            redirect: 'manual',
            body: new URLSearchParams({ email, password }).toString(),
            headers: { 'content-type': 'application/x-www-form-urlencoded', origin: server.url.replace(/\/$/, '') },
          });
          answers[runtime]!.push({ path: `POST /login (${email}, ${password === 'wrong-password' ? 'wrong' : 'right'} password)`, status: login.status, location: login.headers.get('location') });
        }
      } finally {
        server.child.kill('SIGTERM');
        expect(await server.child.exited).toBe(0);
      }
      // What the server said: the same lines (its address aside), no warning of the runtime's.
      const said = await server.output();
      answers[runtime]!.push({ stdout: said.stdout.replaceAll(server.url, 'http://server/'), stderr: said.stderr });
    }
    expect((answers.bun![2] as { status: number }).status).toBe(200);
    const login = (who: string) => {
      const { status, location } = answers.bun!.find((a) => (a as { path?: string }).path === `POST /login (${who})`) as { status: number; location: string | null };
      return { status, location };
    };
    expect(login(`${ARGON2_USER.email}, right password`)).toEqual(login(`${env.DJANGO_SUPERUSER_EMAIL}, right password`));
    expect(login(`${ARGON2_USER.email}, wrong password`)).toEqual(login(`${env.DJANGO_SUPERUSER_EMAIL}, wrong password`));
    expect(login(`${ARGON2_USER.email}, right password`).status).toBe(303);
    expect(answers.deno).toEqual(answers.bun!);
  }, 60_000);

  test('Ctrl-C during a long loaddata: rolled back with the cancel line, or (once saved) the finishing line; never written in silence', async () => {
    // 120,000 objects: Deno loads them in about two seconds, the last part of it without a turn of the
    // event loop, where a Ctrl-C used to arrive only after the commit (exit 0, all written, nothing said).
    const work = dir.join('ctrlc');
    dir.write({ 'ctrlc/confctl.toml': '' });
    const bun = (...argv: string[]) => expect(spawnBinary(programs.bun, argv, work, env).exitCode).toBe(0);
    bun('migrate', '-v', '0', '--database', 'base.sqlite3');
    bun('migrate', '-v', '0', '--database', 'source.sqlite3');
    bun('create_event', '--slug', 'big', '--name', 'Big', '--date-from', '2026-03-10', '--date-to', '2026-03-12', '-v', '0', '--database', 'source.sqlite3');
    const rows = `WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 60000)`;
    const sql = `${rows} INSERT INTO person_speakerprofile (event_id, name, code, has_arrived, created, updated) SELECT 1, 'Speaker ' || i, 'S' || i, 0, '2026-04-01 10:00:00', '2026-04-01 10:00:00' FROM n;
      ${rows} INSERT INTO submission_submission (event_id, code, title, submission_type_id, state, content_locale, is_featured, do_not_record, created, updated) SELECT 1, 'T' || i, 'Talk ' || i, 1, 'confirmed', 'en', 0, 0, '2026-03-01 12:00:00', '2026-03-01 12:00:00' FROM n;`;
    expect(Bun.spawnSync(['sqlite3', join(work, 'source.sqlite3')], { stdin: new TextEncoder().encode(sql) }).exitCode).toBe(0);
    bun('dumpdata', '-e', 'person.User', '-o', 'big.json', '--database', 'source.sqlite3');
    const load = async (delay: number | null) => {
      const copy = `run-${delay}.sqlite3`;
      writeFileSync(join(work, copy), readFileSync(join(work, 'base.sqlite3')));
      const started = performance.now();
      // stdout goes to a file, which holds what the process wrote the moment it wrote it (a pipe's reader may lag behind).
      const out = join(work, `run-${delay}.out`);
      const child = Bun.spawn([programs.deno, 'loaddata', 'big.json', '--database', copy], { cwd: work, env: minimalEnv(work, env), stdout: Bun.file(out), stderr: 'pipe', stdin: 'ignore' });
      let sent = false;
      let signalled = 0;
      if (delay !== null) {
        await Bun.sleep(delay);
        // Only a signal that reached the process before it said it was done counts (after that,
        // it is on its way out: on a busy machine the fraction of a run shifts).
        if (child.exitCode === null && statSync(out).size === 0) {
          child.kill('SIGINT');
          // The end of the millisecond the signal was sent in (Date.now() counts whole ones).
          signalled = Date.now() + 1;
          sent = true;
        }
      }
      const [stderr, exitCode] = await Promise.all([new Response(child.stderr).text(), child.exited]);
      const stdout = readFileSync(out, 'utf8');
      // The process may have said it was done between the look at its output and the signal (a busy
      // machine can hold this test back there): a signal it got after saying so does not count. The
      // file's time is never later than the write (the kernel's clock for it lags), so a write before
      // the signal is always recognised.
      if (sent && stdout !== '' && statSync(out).mtimeMs <= signalled) sent = false;
      const count = Bun.spawnSync(['sqlite3', join(work, copy), 'SELECT count(*) FROM submission_submission']).stdout.toString().trim();
      return { sent, exitCode, stdout, stderr, rows: Number(count), ms: performance.now() - started };
    };
    const whole = await load(null);
    expect({ exitCode: whole.exitCode, stdout: whole.stdout, rows: whole.rows }).toEqual({ exitCode: 0, stdout: 'Installed 120004 object(s) from 1 fixture(s)\n', rows: 60000 });
    const cancelled = { exitCode: 1, stdout: '', stderr: 'Operation cancelled: the changes were rolled back, nothing was written.\n', rows: 0 };
    const finished = { exitCode: 0, stdout: whole.stdout, stderr: '\nInterrupted after the changes were saved: finishing.\n', rows: 60000 };
    let answered = 0;
    for (const fraction of [0.5, 0.8, 0.85, 0.9, 0.93, 0.96]) {
      const run = await load(Math.round(whole.ms * fraction));
      if (!run.sent) continue;
      answered++;
      const outcome = { exitCode: run.exitCode, stdout: run.stdout, stderr: run.stderr, rows: run.rows };
      expect({ fraction, outcome }).toEqual({ fraction, outcome: run.exitCode === 0 ? finished : cancelled });
    }
    expect(answered).toBeGreaterThan(1);
  }, 90_000);

  test('runserver from source restarts when a source file changes, and SIGTERM or a failed start ends it', async () => {
    // A checkout of its own, so that the test may change a source file.
    const checkout = dir.join('checkout');
    mkdirSync(checkout);
    for (const entry of ['cli.ts', 'package.json', 'deno.json', 'commands', 'core', 'db', 'platform']) cpSync(join(root, entry), join(checkout, entry), { recursive: true });
    symlinkSync(join(root, 'node_modules'), join(checkout, 'node_modules'));
    const deno = join(checkout, 'confctl-deno');
    writeFileSync(deno, `#!/bin/sh\nDENO_DIR='${DENO_DIR}' DENO_NO_UPDATE_CHECK=1 exec '${DENO}' run -A '${join(checkout, 'cli.ts')}' "$@"\n`);
    chmodSync(deno, 0o755);
    const port = await freePort();
    const child = Bun.spawn([deno, 'runserver', `127.0.0.1:${port}`], { cwd: dir.join('deno'), env: minimalEnv(dir.join('deno'), env), stdout: 'pipe', stderr: 'pipe', stdin: 'ignore' });
    const said = { stdout: '', stderr: '' };
    const drained = Promise.all(
      (['stdout', 'stderr'] as const).map(async (name) => {
        for await (const chunk of child[name]) said[name] += new TextDecoder().decode(chunk);
      }),
    );
    const until = async (what: () => boolean) => {
      for (let i = 0; i < 200 && !what(); i++) await Bun.sleep(50);
      expect(what()).toBe(true);
    };
    const starts = () => said.stdout.match(/Starting server at/g)?.length ?? 0;
    try {
      await until(() => starts() === 1);
      expect((await fetch(`http://127.0.0.1:${port}/democon/`)).status).toBe(200);
      appendFileSync(join(checkout, 'core', 'serve', 'api.ts'), '\n// changed by the test\n');
      // The server goes and comes back on the same port.
      await until(() => starts() === 2);
      expect((await fetch(`http://127.0.0.1:${port}/democon/`)).status).toBe(200);
      // Code that does not start is waited out, as Django's reloader does: fixed, the server is back.
      const pages = join(checkout, 'core', 'serve', 'pages.ts');
      const good = readFileSync(pages, 'utf8');
      writeFileSync(pages, `${good}\nexport const broken = ;\n`);
      await until(() => said.stderr.includes('waiting for a change to start it again'));
      writeFileSync(pages, good);
      await until(() => starts() === 3);
      expect((await fetch(`http://127.0.0.1:${port}/democon/`)).status).toBe(200);
      child.kill('SIGTERM');
      expect(await child.exited).toBe(0);
      await drained;
      // The child's own line about the broken code is the runtime's (Deno: "TypeError: SyntaxError: Expression expected …").
      const lines = said.stderr.split('\n').map((line) => (/SyntaxError/.test(line) ? '<the syntax error>' : line));
      expect(lines).toEqual([
        'Watching for file changes with fs.watch',
        'core/serve/api.ts changed, reloading.',
        'SIGTERM: stopping after the requests in flight…',
        'Watching for file changes with fs.watch',
        'core/serve/pages.ts changed, reloading.',
        'SIGTERM: stopping after the requests in flight…',
        '<the syntax error>',
        'The server stopped (exit status 1): waiting for a change to start it again.',
        'core/serve/pages.ts changed, reloading.',
        'Watching for file changes with fs.watch',
        'SIGTERM: stopping after the requests in flight…',
        '',
      ]);
    } finally {
      child.kill('SIGKILL');
    }
    // A start that fails ends the reloader with the server's status, instead of waiting for a change.
    const taken = createServer().listen(port, '127.0.0.1');
    await once(taken, 'listening');
    try {
      const failed = await runBinary(deno, ['runserver', `127.0.0.1:${port}`], dir.join('deno'), env);
      expect(failed).toEqual({ stdout: '', stderr: 'Watching for file changes with fs.watch\nError: That port is already in use.\n', exitCode: 1 });
    } finally {
      taken.close();
    }
  }, 60_000);

  test('testserver: the same fixture served alike from a temporary database', async () => {
    const answers: Record<string, unknown[]> = {};
    for (const runtime of ['bun', 'deno'] as const) {
      const server = await startServer(programs[runtime], ['testserver', dir.join('bun', 'all.json'), '--addrport', '127.0.0.1:0'], dir.join(runtime), env);
      try {
        answers[runtime] = [];
        for (const path of ['/', '/democon/schedule/', '/api/events/']) {
          const response = await fetch(`${server.url}${path.slice(1)}`, { headers: { accept: 'text/html' } });
          answers[runtime]!.push({ path, status: response.status, body: (await response.text()).replaceAll(server.url, 'http://server/') });
        }
      } finally {
        server.child.kill('SIGTERM');
        expect(await server.child.exited).toBe(0);
      }
    }
    expect((answers.bun![1] as { status: number }).status).toBe(200);
    expect(answers.deno).toEqual(answers.bun!);
  }, 60_000);
});
