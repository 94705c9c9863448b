import { describe, expect, test } from 'bun:test';
import { installBinary, spawnBinary } from '../support/binary.ts';
import { tempDir } from '../support/tmp.ts';

/**
 * Decompression bombs: 48 MiB of blanks around one object, compressed a thousand times or more, in
 * each format loaddata reads (the zip written by Python as zip64). The binary refuses them at the
 * expansion limit, and with the limit lifted reads them through, in bounded memory either way.
 */
const BLANKS = 48 * 1024 * 1024;
const OBJECT = '{"model":"event.organiser","pk":1,"fields":{"name":{"en":"Bomb"},"slug":"bomb"}}';
const MEMORY = 150 * 1024 * 1024;

function make(dir: string, file: string): void {
  const path = `${dir}/${file}`;
  if (file.endsWith('.zip')) {
    const script = `
import zipfile, sys
with zipfile.ZipFile(sys.argv[1], 'w', compression=zipfile.ZIP_DEFLATED) as z:
    with z.open('bomb.json', 'w', force_zip64=True) as f:
        f.write(b'[')
        for i in range(${BLANKS / (1024 * 1024)}): f.write(b' ' * 1048576)
        f.write(sys.argv[2].encode() + b']')`;
    expect(Bun.spawnSync(['/usr/bin/python3', '-c', script, path, OBJECT]).exitCode).toBe(0);
    return;
  }
  const program = { gz: 'gzip -1', bz2: 'bzip2 -1', xz: 'xz -0' }[file.split('.').pop()!]!;
  const shell = `{ printf '['; head -c ${BLANKS} /dev/zero | tr '\\0' ' '; printf '%s]' '${OBJECT}'; } | ${program} > '${path}'`;
  expect(Bun.spawnSync(['sh', '-c', shell]).exitCode).toBe(0);
}

describe('decompression bombs', () => {
  test('gz, bz2, xz and zip64: refused at fixtures.max_ratio, read through in bounded memory when it is lifted', () => {
    using dir = tempDir();
    const confctl = installBinary(dir.path);
    expect(spawnBinary(confctl, ['migrate', '-v', '0'], dir.path).exitCode).toBe(0);
    // GNU time measures the command alone (this process's rusage would count every child it ever had).
    const run = (argv: string[]) => {
      const result = Bun.spawnSync(['/usr/bin/time', '-f', '%M', confctl, ...argv], { cwd: dir.path, env: { PATH: '/usr/bin:/bin', NO_COLOR: '1', TZ: 'UTC', HOME: dir.path } });
      const lines = result.stderr.toString().split('\n').filter((l) => !l.startsWith('Command exited with non-zero status'));
      const kilobytes = Number(lines.at(-2));
      return { stdout: result.stdout.toString(), stderr: lines.slice(0, -2).map((l) => `${l}\n`).join(''), exitCode: result.exitCode, memory: kilobytes * 1024 };
    };
    for (const file of ['bomb.json.gz', 'bomb.json.bz2', 'bomb.json.xz', 'bomb.json.zip']) {
      make(dir.path, file);
      const refused = run(['loaddata', file]);
      expect({ file, ...refused, memory: refused.memory < MEMORY }).toEqual({
        file,
        stdout: '',
        stderr: `CommandError: Problem installing fixture '${dir.join(file)}': it expands more than 100 times when decompressed (the fixtures.max_ratio setting): refused as a decompression bomb\n`,
        exitCode: 1,
        memory: true,
      });
      dir.write({ 'confctl.toml': '[fixtures]\nmax_ratio = 1000000\n' });
      const loaded = run(['loaddata', file]);
      expect({ file, ...loaded, memory: loaded.memory < MEMORY }).toEqual({ file, stdout: 'Installed 1 object(s) from 1 fixture(s)\n', stderr: '', exitCode: 0, memory: true });
      dir.write({ 'confctl.toml': '' });
    }
  }, 120_000);
});

describe('bzip2 and xz are other programs', () => {
  test('where they are not on PATH, loaddata and dumpdata say which Debian package to install, in one line, and write nothing', async () => {
    using dir = tempDir();
    const binary = installBinary(dir.path);
    expect(spawnBinary(binary, ['migrate', '-v', '0'], dir.path).exitCode).toBe(0);
    dir.write({ 'org.json': `[${OBJECT}]` });
    for (const [file, program] of [['org.json.bz2', 'bzip2'], ['org.json.xz', 'xz']] as const) {
      expect(Bun.spawnSync(['sh', '-c', `${program} -c org.json > ${file}`], { cwd: dir.path }).exitCode).toBe(0);
      const pkg = program === 'bzip2' ? 'bzip2' : 'xz-utils';
      const ext = file.split('.').pop();
      const line = `CommandError: .${ext} files need the "${program}" program (Debian package ${pkg}), which is not on PATH.\n`;
      expect(spawnBinary(binary, ['loaddata', file], dir.path, { PATH: '/nonexistent' })).toEqual({ stdout: '', stderr: `CommandError: Problem installing fixture '${dir.join(file)}': ${line.slice('CommandError: '.length)}`, exitCode: 1 });
      expect(spawnBinary(binary, ['dumpdata', '-o', `out.json.${ext}`], dir.path, { PATH: '/nonexistent' })).toEqual({ stdout: '', stderr: line, exitCode: 1 });
    }
    expect(Bun.spawnSync(['ls'], { cwd: dir.path }).stdout.toString().split('\n').filter((f) => f.startsWith('out'))).toEqual([]);
  });
});
