import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runBinary } from '../test/support/binary.ts';

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

/** One process's wall time and peak memory (max RSS). */
export interface Measured {
  seconds: number;
  mb: number;
}

/** Runs a command once, measured; fails loudly on a non-zero exit. */
export function measureProcess(cmd: string[], options: { cwd: string; env: Record<string, string> }): Measured {
  const started = performance.now();
  const result = Bun.spawnSync(cmd, { cwd: options.cwd, env: options.env, stdout: 'ignore', stderr: 'pipe' });
  const seconds = (performance.now() - started) / 1000;
  if (result.exitCode !== 0) throw new Error(`${cmd.join(' ')} failed: ${result.stderr.toString()}`);
  return { seconds, mb: (result.resourceUsage?.maxRSS ?? 0) / 1024 / 1024 };
}

/** The median of three runs (this 2-core machine is noisy; the first run after writing data pays a cold start). */
export function median3(run: () => Measured): Measured {
  const runs = [run(), run(), run()].sort((a, b) => a.seconds - b.seconds);
  return runs[1]!;
}

/** Installs a Debian package if its command is missing, or its check fails (the bench machines run as root). */
export function aptInstall(command: string | (() => boolean), pkg: string): void {
  if (typeof command === 'string' ? Bun.which(command) : command()) return;
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

export interface WrkResult {
  rps: number;
  p50: string;
  p99: string;
  max: string;
  errors: string;
}

/** wrk against one URL (gzip accepted, as browsers ask), its latency distribution read from its report. */
export async function runWrk(url: string, options: { seconds: number; connections: number }): Promise<WrkResult> {
  const wrk = Bun.spawn(['wrk', '-t2', `-c${options.connections}`, `-d${options.seconds}s`, '--latency', '-H', 'Accept-Encoding: gzip', '-H', 'Accept: text/html', url], { stdout: 'pipe', stderr: 'pipe' });
  const [out, , code] = await Promise.all([new Response(wrk.stdout).text(), new Response(wrk.stderr).text(), wrk.exited]);
  if (code !== 0) throw new Error(`wrk failed:\n${out}`);
  const latency = (p: string) => new RegExp(`^\\s+${p}%\\s+(\\S+)`, 'm').exec(out)?.[1] ?? '?';
  const non2xx = /Non-2xx or 3xx responses: (\d+)/.exec(out)?.[1];
  const socket = /Socket errors: (.*)/.exec(out)?.[1];
  return {
    rps: Number(/Requests\/sec:\s+([\d.]+)/.exec(out)![1]),
    p50: latency('50'),
    p99: latency('99'),
    max: /Latency\s+\S+\s+\S+\s+(\S+)/.exec(out)?.[1] ?? '?',
    errors: [non2xx ? `${non2xx} non-2xx` : '', socket ?? ''].filter(Boolean).join('; ') || 'none',
  };
}

/** A way to run the binary in `dir` that throws with its stderr when it fails. */
export function mustRun(binary: string, dir: string, env: Record<string, string>) {
  return async (argv: string[]) => {
    const result = await runBinary(binary, argv, dir, env);
    if (result.exitCode !== 0) throw new Error(`confctl ${argv.join(' ')}: ${result.stderr}`);
    return result;
  };
}
