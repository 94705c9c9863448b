import { afterAll, beforeAll, describe, expect, test } from 'bun:test';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { SCRIPTS, splitLine } from '../../core/completion/scripts.ts';
import { installBinary } from '../support/binary.ts';
import { call } from '../support/cli.ts';
import { initialisedDatabase } from '../support/db.ts';
import { tempDir, type TempDir } from '../support/tmp.ts';

/** completion: the scripts, the candidates, and TAB pressed in Debian's bash, zsh and fish. */

const env = { CONFCTL_NOW: '2026-05-01T09:00:00Z' };

describe('the candidates', () => {
  let dir: TempDir;
  beforeAll(async () => {
    dir = tempDir('confctl-completion-');
    await initialisedDatabase(dir.path);
    await call(['create_test_event', '--seed', '1', '-v', '0'], { cwd: dir.path, env });
    await call(['create_test_event', '--seed', '1', '--slug', 'devconf', '-v', '0'], { cwd: dir.path, env });
    mkdirSync(dir.join('data', 'fixtures'), { recursive: true });
    for (const file of ['initial_data.json', 'speakers.xml.gz', 'notes.txt']) writeFileSync(dir.join('data', 'fixtures', file), '');
  });
  afterAll(() => dir?.[Symbol.dispose]());

  /** What zsh and fish get for these words (the last is the one being typed). */
  const candidates = async (...words: string[]) => {
    const result = await call(['completion', '--complete', 'zsh', '--', ...words], { cwd: dir.path, env });
    expect([result.exitCode, result.stderr]).toEqual([0, '']);
    return result.stdout;
  };

  test('command names and aliases, with their descriptions; help completes command names', async () => {
    expect(await candidates('dum')).toBe("words\ndumpdata\tWrites the database's contents as a Django fixture (all models, or the app labels and app.Model names given).\n");
    expect(await candidates('even')).toStartWith('words\nevents\t');
    expect((await candidates('run')).split('\n').map((l) => l.split('\t')[0])).toEqual(['words', 'runperiodic', 'runserver', 'runfcgi', '']);
    expect(await candidates('help', 'startp')).toBe('words\nstartproject\tSets up an instance folder ready to deploy: settings, data and static folders, systemd units and nginx sites.\n');
    expect(await candidates('--v')).toBe("words\n--version\tShow confctl's version.\n");
    expect(await candidates('nosuchcommand', '')).toBe('words\n');
  });

  test("a command's options (its own and the base ones, --no- forms for flags on by default) and their values", async () => {
    const options = (await candidates('runserver', '--')).split('\n').map((l) => l.split('\t')[0]);
    expect(options).toEqual(['words', '--help', '--noreload', '--insecure-serve-static', '--adminmedia', '--verbosity', '--settings', '--database', '--pythonpath', '--skip-apps', '--traceback', '--no-color', '--force-color', '--no-pretalx-information', '']);
    expect(await candidates('create_test_event', '--stage', '')).toBe('words\ncfp\nreview\nschedule\nover\n');
    expect(await candidates('create_test_event', '--stage=re')).toBe('words\n--stage=review\n');
    expect(await candidates('dumpdata', '-v', '')).toBe('words\n0\n1\n2\n3\n');
    expect(await candidates('dumpdata', '--format', 'j')).toBe('words\njson\njsonl\n');
    expect(await candidates('runserver', '--settings', '')).toBe('files\n');
    expect(await candidates('startproject', 'x', '')).toBe('dirs\n');
    // After -- only arguments: an option's name is a value there.
    expect(await candidates('dumpdata', '--', '--f')).toBe('words\n');
  });

  test('live values: event slugs from the database, app labels and models, fixtures, languages, migrations', async () => {
    expect(await candidates('export_schedule_html', '')).toBe('words\ndemocon\tDemoCon\ndevconf\tDemoCon\n');
    expect(await candidates('export_schedule_html', 'dev')).toBe('words\ndevconf\tDemoCon\n');
    expect(await candidates('move_event', '--event', 'd')).toBe('words\ndemocon\tDemoCon\ndevconf\tDemoCon\n');
    expect(await candidates('sync_pretalx', '--conference=demo')).toBe('words\n--conference=democon\tDemoCon\n');
    expect(await candidates('export_schedule_html', 'democon', '--locale', 'p')).toBe('words\npl\npt_BR\n');
    expect(await candidates('dumpdata', 'event.')).toBe('words\nevent.Organiser\tevent_organiser\nevent.Event\tevent_event\nevent.Team\tevent_team\n');
    expect(await candidates('loaddata', '')).toBe('files\ninitial_data\tfixture\nspeakers\tfixture\n');
    expect(await candidates('sqlmigrate', '0001')).toBe('words\n0001_initial\n');
    expect(await candidates('makemessages', '-l', 'j')).toBe('words\nja\n');
    expect(await candidates('runfcgi', 'host=127.0.0.1', 'p')).toBe('words\nprotocol=\nport=\npidfile=\n');
    expect(await candidates('test', 'test_p')).toBe("words\ntest_passwords\tPassword hashes: a new one verifies, a wrong password does not, Django's pbkdf2 and argon2 hashes verify.\n");
  });

  test('without a database there are no slugs, and none is created', async () => {
    using empty = tempDir();
    const result = await call(['completion', '--complete', 'zsh', '--', 'export_schedule_html', ''], { cwd: empty.path });
    expect(result).toEqual({ stdout: 'words\n', stderr: '', exitCode: 0 });
    expect(existsSync(empty.join('data'))).toBe(false);
  });

  test('bash passes the line: its words split as the shell does, and values cut after the last = or :', async () => {
    expect(splitLine(`confctl loaddata 'my fix"ture' "a \\"b\\"" c\\ d `)).toEqual(['confctl', 'loaddata', 'my fix"ture', 'a "b"', 'c d', '']);
    expect(splitLine(`confctl dumpdata "unclosed wo`)).toEqual(['confctl', 'dumpdata', 'unclosed wo']);
    const bash = async (line: string) => (await call(['completion', '--complete', 'bash', '--', line], { cwd: dir.path, env })).stdout;
    expect(await bash('confctl create_test_event --stage=sc')).toBe('words\nschedule\n');
    expect(await bash('confctl create_test_event --stage sc')).toBe('words\nschedule\n');
    expect(await bash('confctl dum')).toBe('words\ndumpdata\n');
    expect(await bash('confctl export_schedule_html ')).toBe('words\ndemocon\ndevconf\n');
  });

  test('the scripts: stable (pinned here), and a shell that is not one is one line', async () => {
    using empty = tempDir();
    for (const shell of ['bash', 'zsh', 'fish', 'powershell'] as const) {
      const result = await call(['completion', shell], { cwd: empty.path });
      expect(result).toEqual({ stdout: SCRIPTS[shell], stderr: '', exitCode: 0 });
      expect(result.stdout).toMatchSnapshot(shell);
    }
    expect(await call(['completion', 'tcsh'], { cwd: empty.path })).toEqual({ stdout: '', stderr: 'CommandError: Unknown shell "tcsh": confctl completes in bash, zsh, fish, powershell.\n', exitCode: 1 });
    expect(await call(['completion'], { cwd: empty.path })).toEqual({ stdout: '', stderr: 'CommandError: Name the shell: confctl completion bash|zsh|fish|powershell.\n', exitCode: 1 });
    expect(existsSync(empty.join('data'))).toBe(false);
  });
});

/**
 * TAB pressed in a real shell on a terminal (util-linux's `script` gives it one), the compiled binary
 * on the PATH as confctl, the script loaded as its comment says. After a completion, Ctrl-A and
 * `echo @""@ ` turn the completed line into output.
 */
describe('TAB in Debian’s bash, zsh and fish', () => {
  let dir: TempDir;
  beforeAll(async () => {
    for (const shell of ['/usr/bin/bash', '/usr/bin/zsh', '/usr/bin/fish', '/usr/bin/script']) if (!existsSync(shell)) throw new Error(`${shell} is needed (.ci/run installs zsh and fish).`);
    dir = tempDir('confctl-tab-');
    installBinary(dir.path);
    await initialisedDatabase(dir.path);
    await call(['create_test_event', '--seed', '1', '-v', '0'], { cwd: dir.path, env });
  }, 120_000);
  afterAll(() => dir?.[Symbol.dispose]());

  /** Runs a shell on a terminal; `type` sends keys and waits until the output matches. */
  async function shell(command: string) {
    const child = Bun.spawn(['script', '-q', '-c', command, '/dev/null'], {
      cwd: dir.path,
      env: { PATH: `${dir.path}:/usr/bin:/bin`, HOME: dir.path, TERM: 'dumb', NO_COLOR: '1', ...env },
      stdin: 'pipe',
      stdout: 'pipe',
      stderr: 'pipe',
    });
    let output = '';
    const decoder = new TextDecoder();
    void (async () => {
      for await (const chunk of child.stdout) output += decoder.decode(chunk);
    })();
    return {
      async type(keys: string, until: RegExp, timeout = 15_000) {
        const from = output.length;
        child.stdin.write(keys);
        child.stdin.flush();
        for (const start = Date.now(); !until.test(output.slice(from)); await Bun.sleep(50)) {
          if (Date.now() - start > timeout) throw new Error(`no ${until} after ${JSON.stringify(keys)}; the terminal showed:\n${output.slice(from)}`);
        }
        return output.slice(from);
      },
      async close() {
        child.stdin.write('exit\n');
        child.stdin.end();
        await child.exited;
      },
    };
  }
  const echoed = /@@ ([^\r\n]*)\r?\n/;
  const completed = async (term: Awaited<ReturnType<typeof shell>>, keys: string) => {
    await term.type(keys, /\S/);
    await Bun.sleep(700); // the completion runs the binary
    return echoed.exec(await term.type('\x01echo @""@ \n', echoed))![1]!.trim();
  };

  test('bash: command names, slugs from the database, --stage values; a typed $(…) is never run', async () => {
    const bash = await shell('bash --norc --noprofile -i');
    try {
      await bash.type('eval "$(confctl completion bash)"; echo lo""aded\n', /loaded/);
      expect(await completed(bash, 'confctl dum\t')).toBe('confctl dumpdata');
      expect(await completed(bash, 'confctl export_schedule_html \t')).toBe('confctl export_schedule_html democon');
      expect(await completed(bash, 'confctl create_test_event --stage=sc\t')).toBe('confctl create_test_event --stage=schedule');
      const listed = await bash.type('confctl create_test_event --stage \t\t', /cfp\s+over\s+review\s+schedule/);
      expect(listed).toMatch(/cfp\s+over\s+review\s+schedule/);
      await bash.type('\x15echo cl""eared\n', /cleared/);
      await bash.type(`confctl export_schedule_html $(touch ${dir.join('ran')}) \`touch ${dir.join('ran2')}\` \t\t`, /\S/);
      await Bun.sleep(1000);
      await bash.type('\x15echo cl""eared\n', /cleared/);
      expect([existsSync(dir.join('ran')), existsSync(dir.join('ran2'))]).toEqual([false, false]);
    } finally {
      await bash.close();
    }
  }, 60_000);

  test('zsh: the same, with the script sourced after compinit', async () => {
    const zsh = await shell('zsh -f -i');
    try {
      await zsh.type('autoload -Uz compinit && compinit -u && source <(confctl completion zsh) && echo lo""aded\n', /loaded/);
      expect(await completed(zsh, 'confctl dum\t')).toBe('confctl dumpdata');
      expect(await completed(zsh, 'confctl export_schedule_html \t')).toBe('confctl export_schedule_html democon');
      const listed = await zsh.type('confctl create_test_event --stage \t', /cfp\s+over\s+review\s+schedule/);
      expect(listed).toMatch(/cfp\s+over\s+review\s+schedule/);
      await zsh.type('\x15echo cl""eared\n', /cleared/);
      await zsh.type(`confctl export_schedule_html $(touch ${dir.join('zran')}) \t`, /\S/);
      await Bun.sleep(1000);
      await zsh.type('\x15echo cl""eared\n', /cleared/);
      expect(existsSync(dir.join('zran'))).toBe(false);
    } finally {
      await zsh.close();
    }
  }, 60_000);

  test('fish: the script saved as its completions file', async () => {
    mkdirSync(join(dir.path, '.config', 'fish', 'completions'), { recursive: true });
    const script = await call(['completion', 'fish'], { cwd: dir.path });
    writeFileSync(join(dir.path, '.config', 'fish', 'completions', 'confctl.fish'), script.stdout);
    const fish = await shell('fish -i');
    try {
      await fish.type('echo lo""aded\n', /loaded/);
      expect(await completed(fish, 'confctl dum\t')).toBe('confctl dumpdata');
      expect(await completed(fish, 'confctl export_schedule_html \t')).toBe('confctl export_schedule_html democon');
      expect(await completed(fish, 'confctl create_test_event --stage r\t')).toBe('confctl create_test_event --stage review');
    } finally {
      await fish.close();
    }
  }, 60_000);
});
