/**
 * bench/test_event: `create_test_event --stage schedule` in the compiled binary, on a fresh
 * migrated and initialised database each run. Goal: ≤ 0.5 s.
 * Run: npm run bench:test_event
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ensureBinary } from '../test/support/binary.ts';
import { machine, ms, writeSection } from './_lib.ts';

const confctl = ensureBinary();
const env = {
  PATH: '/usr/bin:/bin',
  NO_COLOR: '1',
  DJANGO_SUPERUSER_EMAIL: 'admin@example.org',
  DJANGO_SUPERUSER_PASSWORD: 'a-long-s3cret-phrase',
  PRETALX_INIT_ORGANISER_NAME: 'Org',
  PRETALX_INIT_ORGANISER_SLUG: 'org',
  CONFCTL_NOW: '2026-05-01T09:00:00Z',
};
const run = (cwd: string, argv: string[]) => {
  const result = Bun.spawnSync([confctl, ...argv], { cwd, env, stdout: 'ignore', stderr: 'pipe' });
  if (result.exitCode !== 0) throw new Error(`confctl ${argv.join(' ')}: ${result.stderr.toString()}`);
};

const runs = 15;
const samples: number[] = [];
for (let i = 0; i < runs + 2; i++) {
  const dir = mkdtempSync(join(tmpdir(), 'confctl-bench-'));
  try {
    run(dir, ['migrate', '-v', '0']);
    run(dir, ['init', '--noinput', '-v', '0']);
    const started = performance.now();
    run(dir, ['create_test_event', '--stage', 'schedule', '--seed', String(i), '-v', '0']);
    if (i >= 2) samples.push(performance.now() - started);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
samples.sort((a, b) => a - b);
const median = samples[samples.length >> 1]!;
const body = `
## create_test_event (bench/test_event.ts)

\`npm run bench:test_event\` — \`confctl create_test_event --stage schedule\` in the compiled binary on a fresh
migrated and initialised SQLite database (${runs} runs, 2 warm-up; a different seed each run).
Machine: ${machine()}.

| median | min | max | goal |
|---:|---:|---:|---:|
| ${ms(median)} | ${ms(samples[0]!)} | ${ms(samples.at(-1)!)} | ≤ 500 ms |
`;
writeSection('test_event', body);
process.stdout.write(body);
