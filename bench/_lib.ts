import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export const root = join(import.meta.dir, '..');

export interface Timing {
  median: number;
  min: number;
  max: number;
  runs: number;
}

/** Runs a command `runs` times after `warmup` runs; wall time in milliseconds. Fails loudly on a non-zero exit. */
export function time(cmd: string[], options: { cwd: string; env?: Record<string, string>; runs?: number; warmup?: number }): Timing {
  const runs = options.runs ?? 30;
  const samples: number[] = [];
  for (let i = 0; i < (options.warmup ?? 3) + runs; i++) {
    const started = performance.now();
    const result = Bun.spawnSync(cmd, { cwd: options.cwd, env: options.env, stdout: 'ignore', stderr: 'pipe' });
    const elapsed = performance.now() - started;
    if (result.exitCode !== 0) throw new Error(`${cmd.join(' ')} failed: ${result.stderr.toString()}`);
    if (i >= (options.warmup ?? 3)) samples.push(elapsed);
  }
  samples.sort((a, b) => a - b);
  const mid = samples.length >> 1;
  const median = samples.length % 2 ? samples[mid]! : (samples[mid - 1]! + samples[mid]!) / 2;
  return { median, min: samples[0]!, max: samples.at(-1)!, runs };
}

export const ms = (t: number) => `${t.toFixed(1)} ms`;

/** Installs Debian packages if their command is missing (the bench machines run as root). */
export function aptInstall(command: string, pkg: string): void {
  if (Bun.which(command)) return;
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  for (const args of [['apt-get', 'update', '-qq'], ['apt-get', 'install', '-y', '-qq', '--no-install-recommends', pkg]]) {
    const result = Bun.spawnSync(args, { env, stdout: 'inherit', stderr: 'inherit' });
    if (result.exitCode !== 0) throw new Error(`${args.join(' ')} failed`);
  }
}

/** Replaces the section between `<!-- bench:NAME -->` markers in docs/benchmarks.md (adds it if absent). */
export function writeSection(name: string, body: string): void {
  const path = join(root, 'docs', 'benchmarks.md');
  const start = `<!-- bench:${name} -->`;
  const end = `<!-- /bench:${name} -->`;
  let doc = existsSync(path) ? readFileSync(path, 'utf8') : '# Benchmarks\n\nEvery figure here is written by a script in bench/; the command that reproduces it is given with it.\n';
  const section = `${start}\n${body.trim()}\n${end}`;
  doc = doc.includes(start) ? doc.replace(new RegExp(`${start}[\\s\\S]*?${end}`), section) : `${doc.trimEnd()}\n\n${section}\n`;
  writeFileSync(path, doc);
}

export function machine(): string {
  const cpus = navigator.hardwareConcurrency;
  const model = readFileSync('/proc/cpuinfo', 'utf8').match(/model name\s*:\s*(.*)/)?.[1] ?? 'unknown CPU';
  return `${cpus} cores (${model}), Bun ${Bun.version}, ${new Date().toISOString().slice(0, 10)}`;
}
