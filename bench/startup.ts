/**
 * bench/startup: start-up of the compiled binary against Django's django-admin (Debian python3-django).
 * Run: npm run bench:startup   (builds dist/confctl, installs python3-django with apt if missing)
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ensureBinary } from '../test/support/binary.ts';
import { aptInstall, machine, ms, time, writeSection } from './_lib.ts';

const confctl = ensureBinary();
aptInstall('django-admin', 'python3-django');
const django = (Bun.spawnSync(['/usr/bin/python3', '-c', 'import django; print(django.get_version())']).stdout.toString() || '?').trim();

const dir = mkdtempSync(join(tmpdir(), 'confctl-bench-'));
try {
  // A minimal Django project on SQLite, as an operator's would be.
  writeFileSync(
    join(dir, 'bench_settings.py'),
    [
      "SECRET_KEY = 'bench'",
      "INSTALLED_APPS = ['django.contrib.contenttypes', 'django.contrib.auth', 'django.contrib.sessions']",
      `DATABASES = {'default': {'ENGINE': 'django.db.backends.sqlite3', 'NAME': '${join(dir, 'django.sqlite3')}'}}`,
      'USE_TZ = True',
      '',
    ].join('\n'),
  );
  const env = { PATH: '/usr/bin:/bin', NO_COLOR: '1', HOME: dir };
  const djangoEnv = { ...env, PYTHONPATH: dir, DJANGO_SETTINGS_MODULE: 'bench_settings' };
  const run = (cmd: string[], e: Record<string, string>) => Bun.spawnSync(cmd, { cwd: dir, env: e, stdout: 'ignore' });
  run([confctl, 'migrate', '-v', '0'], env);
  run(['django-admin', 'migrate', '-v', '0'], djangoEnv);
  // The same sources under Deno (from npm), its compiled sources cached as an operator's would be after a first run.
  const deno = [join(import.meta.dir, '..', 'node_modules', '.bin', 'deno'), 'run', '-A', join(import.meta.dir, '..', 'cli.ts')];
  const denoEnv = { ...env, DENO_DIR: join(import.meta.dir, '..', 'node_modules', '.cache', 'deno'), DENO_NO_UPDATE_CHECK: '1' };
  run([...deno, '--help'], denoEnv);
  const denoVersion = (Bun.spawnSync([deno[0]!, '--version']).stdout.toString().split(' ')[1] ?? '?').trim();

  const rows = [
    ['`confctl --help`', time([confctl, '--help'], { cwd: dir, env })],
    ['`django-admin help`', time(['django-admin', 'help'], { cwd: dir, env: djangoEnv })],
    ['`confctl migrate` (nothing to apply)', time([confctl, 'migrate'], { cwd: dir, env })],
    ['`django-admin migrate` (nothing to apply)', time(['django-admin', 'migrate'], { cwd: dir, env: djangoEnv })],
    [`\`deno run -A cli.ts --help\` (Deno ${denoVersion})`, time([...deno, '--help'], { cwd: dir, env: denoEnv })],
    [`\`deno run -A cli.ts migrate\` (nothing to apply)`, time([...deno, 'migrate'], { cwd: dir, env: denoEnv })],
  ] as const;
  const ratio = (a: number, b: number) => `${(b / a).toFixed(0)}× faster`;
  const table = rows.map(([what, t]) => `| ${what} | ${ms(t.median)} | ${ms(t.min)} | ${ms(t.max)} |`).join('\n');
  const body = `
## Start-up (bench/startup.ts)

\`npm run bench:startup\` — compiled binary (\`--minify --bytecode\`) against Django ${django} from Debian's
python3-django with a minimal SQLite project; wall time of 30 runs after 3 warm-up runs.
Machine: ${machine()}.

| command | median | min | max |
|---|---:|---:|---:|
${table}

- \`--help\`: ${ratio(rows[0][1].median, rows[1][1].median)} than \`django-admin help\` (goal: ≤ 20 ms and ≤ 1/20 of Django's time).
- \`migrate\` with nothing to apply: ${ratio(rows[2][1].median, rows[3][1].median)} than Django's.
- Deno runs the sources, not a bundle: it reads and links every module \`--help\` imports (cached
  compiled, not type-checked), where the binary starts from bytecode. Figures, not goals.
`;
  writeSection('startup', body);
  process.stdout.write(body);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
