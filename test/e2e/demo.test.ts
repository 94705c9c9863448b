import { expect, test } from 'bun:test';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { PYTHON } from '../support/django.ts';

const root = join(import.meta.dir, '..', '..');

test("the README's main job (npm run demo) builds the binary and exports the demo site and zip", () => {
  const result = Bun.spawnSync(['sh', 'scripts/demo.sh'], { cwd: root, env: { ...process.env, CONFCTL_NOW: '2026-05-01T09:00:00Z' }, stdout: 'pipe', stderr: 'pipe' });
  const out = result.stdout.toString();
  expect({ exitCode: result.exitCode, stderr: result.stderr.toString() }).toEqual({ exitCode: 0, stderr: '' });
  expect(out).toContain('Applying 0001_initial... OK');
  expect(out).toContain('Built data for stage "schedule".');
  const site = join(root, 'demo', 'htmlexport', 'democon');
  expect(out).toContain(`The demo site:  ${site}/index.html\n`);
  expect(out).toContain(`The same, zipped: ${site}.zip\n`);
  expect(existsSync(join(site, 'index.html'))).toBe(true);
  // The compiled binary's zip (jszip around Bun's DEFLATE) passes Python's CRC check of every entry.
  const check = Bun.spawnSync([PYTHON, '-m', 'zipfile', '-t', `${site}.zip`]);
  expect({ out: check.stdout.toString(), exitCode: check.exitCode }).toEqual({ out: 'Done testing\n', exitCode: 0 });
}, 120_000);
