import { afterAll, beforeAll, describe, expect, test } from 'bun:test';
import { copyFileSync, mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { version } from '../../package.json';
import { commit, compile, release, TARGETS } from '../../scripts/build.ts';
import { spawnBinary } from '../support/binary.ts';
import { tempDir, type TempDir } from '../support/tmp.ts';

/**
 * `npm run release`: five targets, each also archived, and SHA256SUMS. The linux-x64 release runs
 * from an empty folder; the linux-arm64 one under Debian's qemu-user with the arm64 C library, and
 * exports the same site as the x64 one. The Windows build is not run: Debian 12's wine (8.0) lacks
 * bcryptprimitives.dll, which Bun's Windows runtime imports ("Library bcryptprimitives.dll (which is
 * needed by confctl.exe) not found"), tried by hand.
 */
const env = { CONFCTL_NOW: '2026-05-01T09:00:00Z' };
const camp = join(import.meta.dir, '..', '..', '..', 'shared', 'data', 'schedules', 'c3voc-examples', 'frab-camp2019.json');

describe('the release', () => {
  let dir: TempDir;
  let files: string[];
  const out = () => dir.join('release');
  beforeAll(() => {
    dir = tempDir('confctl-release-');
    files = release(out());
  }, 300_000);
  afterAll(() => dir?.[Symbol.dispose]());

  const name = (target: string) => `confctl-${version}-${target}`;

  test('five binaries, each archived, and a SHA256SUMS that sha256sum -c accepts', () => {
    expect(files).toEqual(
      TARGETS.flatMap(([target]) => (target.startsWith('windows') ? [`${name(target)}.exe`, `${name(target)}.zip`] : [name(target), `${name(target)}.tar.xz`])).sort(),
    );
    const check = Bun.spawnSync(['sha256sum', '-c', 'SHA256SUMS'], { cwd: out(), stdout: 'pipe', stderr: 'pipe' });
    expect({ exitCode: check.exitCode, lines: check.stdout.toString().trim().split('\n') }).toEqual({ exitCode: 0, lines: files.map((f) => `${f}: OK`) });
  });

  test('each archive holds its binary as <release name>/confctl, executable', () => {
    const listing = Bun.spawnSync(['tar', '-tvJf', join(out(), `${name('linux-arm64')}.tar.xz`)]).stdout.toString().trim().split('\n');
    expect(listing).toHaveLength(2);
    expect(listing[1]).toMatch(new RegExp(`^-rwxr-xr-x 0/0 +\\d+ 1970-01-01 00:00 ${name('linux-arm64')}/confctl$`));
    const sha = (file: string) => Bun.spawnSync(['sha256sum', file]).stdout.toString().split(' ')[0];
    const inTar = Bun.spawnSync(['sh', '-c', `tar -xJOf '${join(out(), `${name('linux-arm64')}.tar.xz`)}' '${name('linux-arm64')}/confctl' | sha256sum`]).stdout.toString().split(' ')[0];
    expect(inTar).toBe(sha(join(out(), name('linux-arm64'))));
    const zip = Bun.spawnSync(['python3', '-c', 'import hashlib, sys, zipfile; z = zipfile.ZipFile(sys.argv[1]); i = z.infolist()[0]; print(len(z.infolist()), i.filename, oct(i.external_attr >> 16), i.date_time, hashlib.sha256(z.read(i)).hexdigest())', join(out(), `${name('windows-x64')}.zip`)]);
    expect(zip.stdout.toString()).toBe(`1 ${name('windows-x64')}/confctl.exe 0o755 (1980, 1, 1, 0, 0, 0) ${sha(join(out(), `${name('windows-x64')}.exe`))}\n`);
  }, 60_000);

  test('the linux-x64 release alone in an empty folder: its version, its build (target and commit), migrate', () => {
    using here = tempDir();
    const binary = join(here.path, 'confctl');
    copyFileSync(join(out(), name('linux-x64')), binary);
    expect(spawnBinary(binary, ['--version'], here.path)).toEqual({ stdout: `${version}\n`, stderr: '', exitCode: 0 });
    const verbose = spawnBinary(binary, ['version', '--verbose'], here.path);
    expect(verbose.stdout).toMatch(new RegExp(`^${version.replaceAll('.', '\\.')}\\nBuild:    linux-x64, commit ${commit()}\\nRuntime:  Bun \\d+\\.\\d+\\.\\d+\\nSQLite:   3\\.\\d+\\.\\d+\\n$`));
    expect(spawnBinary(binary, ['migrate', '-v', '0'], here.path).exitCode).toBe(0);
  });

  test('the linux-arm64 release under qemu-user: --version, migrate, and the same exported site as the x64 release', () => {
    const sites: Map<string, Buffer>[] = [];
    for (const [target, wrap] of [['linux-x64', []], ['linux-arm64', ['qemu-aarch64', '-L', '/usr/aarch64-linux-gnu']]] as const) {
      using here = tempDir();
      const binary = join(here.path, 'confctl');
      copyFileSync(join(out(), name(target)), binary);
      const run = (argv: string[]) => {
        const result = Bun.spawnSync([...wrap, binary, ...argv], { cwd: here.path, env: { PATH: '/usr/bin:/bin', HOME: here.path, TZ: 'UTC', NO_COLOR: '1', ...env }, stdout: 'pipe', stderr: 'pipe' });
        return { stdout: result.stdout.toString(), stderr: result.stderr.toString(), exitCode: result.exitCode };
      };
      expect(run(['--version'])).toEqual({ stdout: `${version}\n`, stderr: '', exitCode: 0 });
      expect(run(['version', '--verbose']).stdout).toContain(`Build:    ${target}, commit `);
      expect(run(['migrate', '-v', '0']).exitCode).toBe(0);
      expect(run(['create_event', '--slug', 'camp', '--name', 'Camp', '--date-from', '2019-08-21', '--date-to', '2019-08-25', '-v', '0']).exitCode).toBe(0);
      expect(run(['import_schedule', camp, '--event', 'camp', '-v', '0']).exitCode).toBe(0);
      expect(run(['export_schedule_html', 'camp', '--site-url', 'https://camp.example.org', '-v', '0'])).toEqual({ stdout: `${join(here.path, 'data', 'htmlexport', 'camp')}\n`, stderr: '', exitCode: 0 });
      const site = join(here.path, 'data', 'htmlexport', 'camp');
      sites.push(new Map(readdirSync(site, { recursive: true, encoding: 'utf8' }).sort().flatMap((f) => (f.includes('.') ? [[f, readFileSync(join(site, f))] as const] : []))));
    }
    const [x64, arm64] = sites as [Map<string, Buffer>, Map<string, Buffer>];
    expect([...arm64.keys()]).toEqual([...x64.keys()]);
    for (const [file, bytes] of x64) expect({ file, same: bytes.equals(arm64.get(file)!) }).toEqual({ file, same: true });
  }, 180_000);

  test('reproducible: building a target again gives the same bytes', () => {
    // The same name in another folder (a binary holds its own file name).
    const again = dir.join('again', name('linux-x64'));
    mkdirSync(dir.join('again'));
    compile('linux-x64', 'bun-linux-x64', again, commit());
    expect(readFileSync(again).equals(readFileSync(join(out(), name('linux-x64'))))).toBe(true);
  }, 120_000);
});
