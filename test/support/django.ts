import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { APP_LABELS, MODELS, modelFields, type FieldDef } from '../../core/data/models.ts';
import { openDatabase } from '../../db/connection.ts';

/** Debian's python3-django, run with Debian's python (pyenv's python3 may come first on PATH). */
export const PYTHON = '/usr/bin/python3';

export function djangoAvailable(): boolean {
  return existsSync(PYTHON) && Bun.spawnSync([PYTHON, '-c', 'import django']).exitCode === 0;
}

export function requireDjango(): void {
  if (!djangoAvailable()) {
    throw new Error("Debian's python3-django is needed for this test: apt-get install python3-django (.ci/run installs it).");
  }
}

const djangoField = (f: FieldDef): string => {
  const nullable = f.nullable ? 'null=True, ' : '';
  if (f.references) {
    const [app, name] = f.references.label.split('.');
    return `models.ForeignKey('${app}.${name}', on_delete=models.DO_NOTHING, db_column='${f.column}', ${nullable}related_name='+', db_constraint=False)`;
  }
  switch (f.kind) {
    case 'bool':
      return 'models.BooleanField(default=False)';
    case 'int':
      return `models.IntegerField(${nullable})`;
    case 'datetime':
      return `models.DateTimeField(${nullable})`;
    case 'date':
      return `models.DateField(${nullable})`;
    case 'json':
      return `models.JSONField(${nullable})`;
    case 'decimal':
      return `models.DecimalField(max_digits=10, decimal_places=${f.places ?? 2}, ${nullable})`;
    default:
      return `models.TextField(${nullable})`;
  }
};

/**
 * Writes `confctl_peer/` into `dir`: Django settings reading the database path from CONFCTL_PEER_DB,
 * and one app per confctl app label whose unmanaged models use confctl's tables, so that Django's
 * dumpdata and loaddata work on a confctl database.
 */
export async function writeDjangoProject(dir: string): Promise<void> {
  const scratch = join(dir, 'introspect.sqlite3');
  const { call } = await import('./cli.ts');
  const migrated = await call(['migrate', '-v', '0', '--database', scratch], { cwd: dir });
  if (migrated.exitCode !== 0) throw new Error(migrated.stderr);
  const db = openDatabase(scratch, { busyTimeout: 1000 });
  try {
    mkdirSync(join(dir, 'confctl_peer'), { recursive: true });
    writeFileSync(join(dir, 'confctl_peer', '__init__.py'), '');
    writeFileSync(
      join(dir, 'confctl_peer', 'settings.py'),
      [
        'import os',
        "SECRET_KEY = 'confctl-peer'",
        `INSTALLED_APPS = [${APP_LABELS.map((a) => `'${a}'`).join(', ')}]`,
        'from urllib.parse import parse_qsl, unquote, urlsplit',
        "_db = os.environ['CONFCTL_PEER_DB']",
        "if _db.startswith('postgres'):",
        '    _url = urlsplit(_db)',
        '    _query = dict(parse_qsl(_url.query))',
        "    DATABASES = {'default': {'ENGINE': 'django.db.backends.postgresql', 'NAME': unquote(_url.path.lstrip('/')), 'HOST': _query.get('host', _url.hostname or ''), 'PORT': _query.get('port', _url.port or ''), 'USER': _query.get('user', unquote(_url.username or '')), 'PASSWORD': unquote(_url.password or '')}}",
        'else:',
        "    DATABASES = {'default': {'ENGINE': 'django.db.backends.sqlite3', 'NAME': _db}}",
        'USE_TZ = True',
        "TIME_ZONE = 'UTC'",
        "DEFAULT_AUTO_FIELD = 'django.db.models.AutoField'",
        '',
      ].join('\n'),
    );
    for (const app of APP_LABELS) {
      mkdirSync(join(dir, app), { recursive: true });
      writeFileSync(join(dir, app, '__init__.py'), '');
      const lines = ['from django.db import models', ''];
      for (const model of MODELS.filter((m) => m.label.startsWith(`${app}.`))) {
        lines.push(`class ${model.label.split('.')[1]}(models.Model):`);
        lines.push(
          model.pk === 'id'
            ? '    id = models.AutoField(primary_key=True)'
            : `    ${model.pk} = models.CharField(primary_key=True, max_length=255)`,
        );
        for (const f of modelFields(db, model)) lines.push(`    ${f.name} = ${djangoField(f)}`);
        for (const m of model.m2m) {
          const [targetApp, targetName] = m.model.split('.');
          lines.push(`    ${m.field} = models.ManyToManyField('${targetApp}.${targetName}', db_table='${m.table}', related_name='+')`);
        }
        lines.push('    class Meta:', '        managed = False', `        db_table = '${model.table}'`, '');
      }
      writeFileSync(join(dir, app, 'models.py'), lines.join('\n'));
    }
  } finally {
    await db.destroy();
  }
}

/** Runs `python3 -m django <argv>` on the project in `dir` against the database at `database` (an SQLite path, or a postgres:// URL: Debian's python3-psycopg2). */
export function django(dir: string, database: string, argv: string[]) {
  const result = Bun.spawnSync([PYTHON, '-m', 'django', ...argv], {
    cwd: dir,
    env: { PATH: '/usr/bin:/bin', PYTHONPATH: dir, DJANGO_SETTINGS_MODULE: 'confctl_peer.settings', CONFCTL_PEER_DB: database, TZ: 'UTC' },
    stdout: 'pipe',
    stderr: 'pipe',
  });
  return { stdout: result.stdout.toString(), stderr: result.stderr.toString(), exitCode: result.exitCode ?? -1 };
}
