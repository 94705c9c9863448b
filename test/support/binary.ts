import { copyFileSync, existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

const root = join(import.meta.dir, '..', '..');
export const binaryPath = join(root, 'dist', 'confctl');

function newestSource(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) newest = Math.max(newest, newestSource(path));
    else if (entry.name.endsWith('.ts')) newest = Math.max(newest, statSync(path).mtimeMs);
  }
  return newest;
}

/** Builds dist/confctl with `npm run build`'s command when it is missing or older than the sources. */
export function ensureBinary(): string {
  const sources = Math.max(
    statSync(join(root, 'cli.ts')).mtimeMs,
    statSync(join(root, 'package.json')).mtimeMs,
    ...['commands', 'core', 'db', 'platform'].map((d) => newestSource(join(root, d))),
  );
  if (!existsSync(binaryPath) || statSync(binaryPath).mtimeMs < sources) {
    const build = Bun.spawnSync([process.execPath, 'run', 'build'], { cwd: root, stdout: 'pipe', stderr: 'pipe' });
    if (build.exitCode !== 0) throw new Error(`npm run build failed:\n${build.stderr.toString()}`);
  }
  return binaryPath;
}

/** Copies the binary alone into `dir`, as an operator would, and returns its path there. */
export function installBinary(dir: string): string {
  const target = join(dir, 'confctl');
  copyFileSync(ensureBinary(), target);
  return target;
}

export interface SpawnResult {
  stdout: string;
  stderr: string;
  exitCode: number;
}

/** Runs the binary from `cwd` with a minimal environment: no node_modules, no CONFCTL_* from outside. */
export function spawnBinary(binary: string, argv: string[], cwd: string, env: Record<string, string> = {}): SpawnResult {
  const result = Bun.spawnSync([binary, ...argv], {
    cwd,
    env: minimalEnv(cwd, env),
    stdout: 'pipe',
    stderr: 'pipe',
    stdin: 'ignore',
  });
  return { stdout: result.stdout.toString(), stderr: result.stderr.toString(), exitCode: result.exitCode ?? -1 };
}

export const minimalEnv = (cwd: string, env: Record<string, string>) => ({ PATH: '/usr/bin:/bin', NO_COLOR: '1', TZ: 'UTC', HOME: cwd, ...env });

/** spawnBinary without blocking this process (which may be serving a fake Pretalx to the child). */
export async function runBinary(binary: string, argv: string[], cwd: string, env: Record<string, string> = {}): Promise<SpawnResult> {
  const child = Bun.spawn([binary, ...argv], { cwd, env: minimalEnv(cwd, env), stdout: 'pipe', stderr: 'pipe', stdin: 'ignore' });
  const [stdout, stderr, exitCode] = await Promise.all([new Response(child.stdout).text(), new Response(child.stderr).text(), child.exited]);
  return { stdout, stderr, exitCode };
}

/** Starts `runserver`/`testserver` and waits for the line with its URL; the caller stops the child. */
export async function startServer(binary: string, argv: string[], cwd: string, env: Record<string, string> = {}): Promise<{ url: string; child: Bun.Subprocess<'ignore', 'pipe', 'pipe'>; output: () => Promise<{ stdout: string; stderr: string }> }> {
  const child = Bun.spawn([binary, ...argv], { cwd, env: minimalEnv(cwd, env), stdout: 'pipe', stderr: 'pipe', stdin: 'ignore' });
  const reader = child.stdout.getReader();
  let out = '';
  while (!out.includes('CONTROL-C')) {
    const { value, done } = await reader.read();
    if (done) throw new Error(`the server did not start:\n${out}${await new Response(child.stderr).text()}`);
    out += new TextDecoder().decode(value);
  }
  const url = /Starting (?:FastCGI )?server at (\S+)/.exec(out)![1]!;
  const stderr = new Response(child.stderr).text();
  const output = async () => {
    let rest = out;
    for (let chunk = await reader.read(); !chunk.done; chunk = await reader.read()) rest += new TextDecoder().decode(chunk.value);
    return { stdout: rest, stderr: await stderr };
  };
  return { url, child, output };
}
