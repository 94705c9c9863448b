/**
 * Builds confctl with Bun.
 *
 *   bun scripts/build.ts             dist/confctl, for this machine (npm run build)
 *   bun scripts/build.ts --release   dist/release/: confctl-<version>-<target> for five targets, each
 *                                    also as .tar.xz (.zip for Windows), and SHA256SUMS (npm run release)
 *
 * Every binary carries its target and the git commit it was built from (`confctl version --verbose`).
 * Builds are reproducible: the same commit gives the same files (archives have fixed dates, owners
 * and order; xz runs single-threaded).
 */
import { chmodSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { arch, platform } from 'node:os';
import { basename, join } from 'node:path';
import pkg from '../package.json' with { type: 'json' };
import { sourceCommit } from '../commands/_kit/build-lines.ts';

const root = join(import.meta.dir, '..');
const ENTRIES = ['./cli.ts', './core/serve/render-worker.ts'];

/** The release targets: our name, Bun's. */
export const TARGETS = [
  ['linux-x64', 'bun-linux-x64'],
  ['linux-arm64', 'bun-linux-arm64'],
  ['linux-x64-musl', 'bun-linux-x64-musl'],
  ['darwin-arm64', 'bun-darwin-arm64'],
  ['windows-x64', 'bun-windows-x64'],
] as const;

function run(argv: string[], env: Record<string, string> = {}): string {
  const result = Bun.spawnSync(argv, { cwd: root, env: { ...process.env, ...env }, stdout: 'pipe', stderr: 'pipe' });
  if (result.exitCode !== 0) throw new Error(`${argv.join(' ')} failed:\n${result.stderr.toString()}`);
  return result.stdout.toString();
}

/** The commit being built, "-dirty" when the work tree has changes; "unknown" outside git. */
export function commit(): string {
  return sourceCommit() ?? 'unknown';
}

/** Compiles into a folder of its own (Bun writes the chunks' source maps beside the binary) and keeps the binary alone. */
export function compile(target: string, bunTarget: string | null, outfile: string, build: string): void {
  rmSync(outfile, { force: true });
  const work = `${outfile}.build`;
  rmSync(work, { recursive: true, force: true });
  mkdirSync(work, { recursive: true });
  const built = join(work, basename(outfile));
  run(
    [
      process.execPath,
      'build',
      '--compile',
      ...(bunTarget ? [`--target=${bunTarget}`] : []),
      '--splitting',
      '--minify',
      '--bytecode',
      '--format=esm',
      // Source maps inside the binary: --traceback names the sources' files and lines.
      '--sourcemap',
      '--no-compile-autoload-dotenv',
      '--no-compile-autoload-bunfig',
      // The build's identity, inlined: `confctl version --verbose` names it.
      '--env=CONFCTL_BUILD_*',
      // Only Deno's platform module uses hash-wasm (argon2; Bun has its own): the binary does not carry it.
      '--external=hash-wasm',
      ...ENTRIES,
      '--outfile',
      built,
    ],
    { CONFCTL_BUILD_TARGET: target, CONFCTL_BUILD_COMMIT: build },
  );
  renameSync(built, outfile);
  rmSync(work, { recursive: true, force: true });
}

const hostTarget = () => `${platform()}-${arch()}`;

function sha256(path: string): string {
  return createHash('sha256').update(readFileSync(path)).digest('hex');
}

/** A .tar.xz of `file` as `<folder>/<name>`: sorted, dated 1970, owned by root, xz single-threaded. */
function tarXz(dir: string, folder: string, archive: string): void {
  run(['sh', '-c', `tar --sort=name --mtime=@0 --owner=0 --group=0 --numeric-owner --format=gnu -C '${dir}' -cf - '${folder}' | xz -1 -T1 -c > '${archive}'`]);
}

/** A .zip of a folder with fixed dates (Python's zipfile: zlib, as fast as it gets, and deterministic). */
function zip(dir: string, folder: string, archive: string): void {
  const script = `
import os, sys, zipfile
base, folder, out = sys.argv[1:4]
with zipfile.ZipFile(out, 'w', compression=zipfile.ZIP_DEFLATED, compresslevel=6) as z:
    for path, dirs, files in sorted(os.walk(os.path.join(base, folder))):
        dirs.sort()
        for name in sorted(files):
            full = os.path.join(path, name)
            info = zipfile.ZipInfo(os.path.relpath(full, base), date_time=(1980, 1, 1, 0, 0, 0))
            info.external_attr = 0o755 << 16
            info.compress_type = zipfile.ZIP_DEFLATED
            with open(full, 'rb') as f:
                z.writestr(info, f.read(), compresslevel=6)`;
  run(['python3', '-c', script, dir, folder, archive]);
}

export function release(out = join(root, 'dist', 'release')): string[] {
  rmSync(out, { recursive: true, force: true });
  mkdirSync(out, { recursive: true });
  const build = commit();
  const staging = join(out, '.staging');
  for (const [target, bunTarget] of TARGETS) {
    const exe = target.startsWith('windows') ? '.exe' : '';
    const name = `confctl-${pkg.version}-${target}`;
    compile(target, bunTarget, join(out, `${name}${exe}`), build);
    // The archive holds a folder of the release's name with the program called confctl in it.
    mkdirSync(join(staging, name), { recursive: true });
    writeFileSync(join(staging, name, `confctl${exe}`), readFileSync(join(out, `${name}${exe}`)));
    chmodSync(join(staging, name, `confctl${exe}`), 0o755);
    if (exe) zip(staging, name, join(out, `${name}.zip`));
    else tarXz(staging, name, join(out, `${name}.tar.xz`));
  }
  rmSync(staging, { recursive: true, force: true });
  const files = readdirSync(out).filter((f) => statSync(join(out, f)).isFile()).sort();
  writeFileSync(join(out, 'SHA256SUMS'), files.map((f) => `${sha256(join(out, f))}  ${f}\n`).join(''));
  return files;
}

if (import.meta.main) {
  if (process.argv.includes('--release')) {
    const files = release();
    process.stdout.write(`${files.map((f) => `dist/release/${f}`).join('\n')}\ndist/release/SHA256SUMS\n`);
  } else {
    rmSync(join(root, 'dist', 'confctl'), { force: true });
    mkdirSync(join(root, 'dist'), { recursive: true });
    compile(hostTarget(), null, join(root, 'dist', 'confctl'), commit());
  }
}
