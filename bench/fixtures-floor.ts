/**
 * The floor under loaddata, for bench/fixtures: the least a Bun process can do to put a confctl
 * dump into SQLite. It parses the whole file with one JSON.parse (no streaming, so no flat memory),
 * checks nothing, converts only booleans and UTC datetimes, skips many-to-many lists, and inserts with prepared 32-row
 * statements (bun:sqlite caches them) in one transaction into the same schema, indexes and all,
 * foreign keys off, and without the event-stamp triggers (confctl's loaddata lifts them too, then
 * puts them back and counts a change per event; the floor does not).
 * Run by bench/fixtures.ts: bun bench/fixtures-floor.ts DUMP.json DATABASE
 */
import { Database } from 'bun:sqlite';

const [dumpPath, databasePath] = process.argv.slice(2);
if (!dumpPath || !databasePath) throw new Error('usage: bun bench/fixtures-floor.ts DUMP.json DATABASE');

type FixtureObject = { model: string; pk: number; fields: Record<string, unknown> };
const objects = JSON.parse(await Bun.file(dumpPath).text()) as FixtureObject[];
const db = new Database(databasePath);
db.exec('PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; PRAGMA foreign_keys = OFF');
const tables: Record<string, string> = { 'person.speakerprofile': 'person_speakerprofile', 'submission.submission': 'submission_submission' };
const value = (v: unknown) => (v === true ? 1 : v === false ? 0 : typeof v === 'string' && /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/.test(v) ? `${v.slice(0, 10)} ${v.slice(11, 19)}` : (v as string | number | null));
const ROWS = 32;

db.exec('BEGIN IMMEDIATE');
for (const { name } of db.query("SELECT name FROM sqlite_schema WHERE type = 'trigger' AND name LIKE 'confctl_stamp_%'").all() as { name: string }[]) db.exec(`DROP TRIGGER "${name}"`);
for (let start = 0; start < objects.length; ) {
  const first = objects[start]!;
  let end = start;
  while (end < objects.length && end - start < ROWS && objects[end]!.model === first.model) end++;
  // Many-to-many lists (empty in this data) are left out.
  const names = Object.keys(first.fields).filter((n) => !Array.isArray(first.fields[n]));
  const columns = ['id', ...names.map((n) => (n === 'event' || n === 'user' || n === 'submission_type' || n === 'track' ? `${n}_id` : n))];
  const row = `(${columns.map(() => '?').join(', ')})`;
  const statement = db.query(`INSERT INTO "${tables[first.model]}" (${columns.map((c) => `"${c}"`).join(', ')}) VALUES ${Array(end - start).fill(row).join(', ')}`);
  const values: unknown[] = [];
  for (let i = start; i < end; i++) values.push(objects[i]!.pk, ...names.map((n) => value(objects[i]!.fields[n])));
  statement.run(values as never);
  start = end;
}
db.exec('COMMIT');
db.close();
