/**
 * bench/export: `export_schedule_html --zip` of a 1,000-talk event in the compiled binary, against
 * `zip -qr` of the same exported tree (Debian's zip, installed with apt if missing). Goal: ≤ 2 s and
 * ≤ 3× zip alone. Run: npm run bench:export
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ensureBinary } from '../test/support/binary.ts';
import { aptInstall, machine, writeSection } from './_lib.ts';

const confctl = ensureBinary();
aptInstall('zip', 'zip');
const root = mkdtempSync(join(tmpdir(), 'confctl-bench-export-'));
const env = { PATH: '/usr/bin:/bin', NO_COLOR: '1', CONFCTL_NOW: '2026-05-01T09:00:00Z' };
const run = (argv: string[]) => {
  const result = Bun.spawnSync(argv, { cwd: root, env, stdout: 'pipe', stderr: 'pipe' });
  if (result.exitCode !== 0) throw new Error(`${argv.join(' ')}: ${result.stderr.toString()}`);
  return result.stdout.toString();
};

try {
  run([confctl, 'migrate', '-v', '0']);
  run([confctl, 'create_event', '--slug', 'bigcon', '--name', 'BigCon', '--date-from', '2026-06-01', '--date-to', '2026-06-04', '--timezone', 'Europe/Berlin', '--public', '-v', '0']);
  // 1,000 talks by 1,000 speakers in 10 rooms over 4 days (25 half-hour slots a room a day), released as v1.
  const sql = `
    INSERT INTO schedule_room (event_id, name, position) SELECT 1, json_object('en', 'Room ' || value), value FROM generate_series(1, 10);
    INSERT INTO submission_track (event_id, name, color) SELECT 1, json_object('en', 'Track ' || value), '#3366' || printf('%02d', value * 9) FROM generate_series(1, 5);
    INSERT INTO person_speakerprofile (event_id, name, code, biography, created, updated)
      SELECT 1, 'Speaker ' || value, printf('S%05d', value), 'A **biography** of speaker ' || value || ', who has given many talks.', '2026-01-01 00:00:00', '2026-01-01 00:00:00' FROM generate_series(1, 1000);
    INSERT INTO submission_submission (event_id, code, title, submission_type_id, track_id, state, abstract, description, content_locale, created, updated)
      SELECT 1, printf('T%05d', value), 'Talk number ' || value || ': about something worth hearing', 1, 1 + value % 5, 'confirmed',
             'What talk ' || value || ' is about, in *Markdown*.', 'A longer description of talk ' || value || '.\n\n- with a list\n- and [a link](https://example.org/' || value || ')', 'en', '2026-01-01 00:00:00', '2026-01-01 00:00:00'
      FROM generate_series(1, 1000);
    INSERT INTO submission_speakerrole (submission_id, speaker_id, position) SELECT value, value, 0 FROM generate_series(1, 1000);
    UPDATE schedule_schedule SET version = 'v1', published = '2026-05-01 09:00:00' WHERE id = 1;
    INSERT INTO schedule_talkslot (submission_id, room_id, schedule_id, is_visible, start, "end")
      SELECT value, 1 + (value - 1) % 10, 1, 1,
             datetime('2026-06-01 07:00:00', '+' || ((value - 1) / 250) || ' days', '+' || ((((value - 1) / 10) % 25) * 30) || ' minutes'),
             datetime('2026-06-01 07:30:00', '+' || ((value - 1) / 250) || ' days', '+' || ((((value - 1) / 10) % 25) * 30) || ' minutes')
      FROM generate_series(1, 1000);`;
  const db = join(root, 'data', 'db.sqlite3');
  const gen = Bun.spawnSync(['sqlite3', db], { stdin: new TextEncoder().encode(sql), stderr: 'pipe' });
  if (gen.exitCode !== 0) throw new Error(gen.stderr.toString());

  const median = (samples: number[]) => samples.sort((a, b) => a - b)[samples.length >> 1]!;
  const time = (argv: string[], cwd = root) => {
    const started = performance.now();
    const result = Bun.spawnSync(argv, { cwd, env, stdout: 'ignore', stderr: 'pipe' });
    if (result.exitCode !== 0) throw new Error(`${argv.join(' ')}: ${result.stderr.toString()}`);
    return (performance.now() - started) / 1000;
  };
  const exportZip = median([1, 2, 3, 4, 5].map(() => time([confctl, 'export_schedule_html', 'bigcon', '--zip'])));
  run([confctl, 'export_schedule_html', 'bigcon']);
  const htmlexport = join(root, 'data', 'htmlexport');
  const files = Number(run(['sh', '-c', `find ${htmlexport}/bigcon -type f | wc -l`]).trim());
  const zipOnly = median([1, 2, 3, 4, 5].map(() => {
    rmSync(join(root, 'plain.zip'), { force: true });
    return time(['zip', '-qr', join(root, 'plain.zip'), 'bigcon'], htmlexport);
  }));
  const body = `
## export_schedule_html (bench/export.ts)

\`npm run bench:export\` — a 1,000-talk event (1,000 speakers, 10 rooms, 4 days; ${files} files in the site) exported
with \`export_schedule_html bigcon --zip\` by the compiled binary, against \`zip -qr\` of the same exported tree
(Debian's zip). Median of five runs. Machine: ${machine()}.

| what | time |
|---|---:|
| confctl export_schedule_html --zip (read, render, zip, write) | ${exportZip.toFixed(2)} s |
| zip -qr of the exported tree alone | ${zipOnly.toFixed(2)} s |

- ${(exportZip / zipOnly).toFixed(1)}× zip alone (goal ≤ 3×); ${exportZip <= 2 ? 'within' : 'over'} the 2 s goal.
`;
  writeSection('export', body);
  process.stdout.write(body);
} finally {
  rmSync(root, { recursive: true, force: true });
}
