// core/selftest/ — `confctl test`: the installed binary checks itself on the machine it runs on (an
// air-gapped server cannot run `bun test`), on a throw-away database and a temporary folder, never the
// configured ones. Each test is one thing an operator relies on, done as the commands do it.
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Kysely } from 'kysely';
import sax from 'sax';
import { checkPassword, makePassword } from '../auth/passwords.ts';
import { createSuperuser } from '../auth/superuser.ts';
import type { Clock } from '../common/clock.ts';
import type { Env } from '../common/io.ts';
import type { Settings } from '../common/settings.ts';
import { serialize } from '../data/dump.ts';
import { dataTables, emptyTables } from '../data/flush.ts';
import { loadInTransaction } from '../data/load.ts';
import { MODELS } from '../data/models.ts';
import { createEvent } from '../event/events.ts';
import { buildTestEvent } from '../event/test-event.ts';
import { loadExport } from '../export/data.ts';
import { buildSite } from '../export/site.ts';
import { writeSiteFolder, type Owner } from '../export/write.ts';
import { listen } from '../serve/listen.ts';
import { syncEvent } from '../sync/sync.ts';
import type { Database } from '../../db/schema.ts';
import { migrationStatus, planMigrations, runStep } from '../../db/migrator.ts';
import { appMigrationStatus, applyAppMigration } from '../apps/migrations.ts';
import type { LoadedApp } from '../apps/loader.ts';
import { appDatabase } from '../apps/statement.ts';

export interface SelfTestContext {
  /** The throw-away database. */
  db: Kysely<Database>;
  /** A temporary folder, removed afterwards. */
  folder: string;
  settings: Settings;
  env: Env;
  clock: Clock;
  version: string;
  owner: Owner;
  /** What tests leave for the tests after them (the served address). */
  shared: Map<string, unknown>;
  /** The installed apps: test_migrate applies their migrations too. */
  apps?: readonly LoadedApp[];
}

/** A check that did not hold: the test FAILs (anything else thrown is an ERROR, as in Django). */
export class Failure extends Error {}

function check(condition: boolean, message: string): asserts condition {
  if (!condition) throw new Failure(message);
}

function same<T>(actual: T, expected: T, what: string): void {
  const a = JSON.stringify(actual);
  const e = JSON.stringify(expected);
  check(a === e, `${what}: expected ${e.length > 200 ? `${e.slice(0, 200)}…` : e}, got ${a.length > 200 ? `${a.slice(0, 200)}…` : a}`);
}

export interface SelfTest {
  name: string;
  /** Where it comes from, as Django's runner names a test's module: confctl.selftest, or <app>.tests. */
  module?: string;
  /** The tests that must have run before this one (run first when it is asked for alone). */
  needs: readonly string[];
  /** The docstring Django's runner prints at -v 2. */
  doc: string;
  run(t: SelfTestContext): Promise<void>;
}

const ADMIN = { email: 'selftest@example.org', password: 'a self-test password' };
const SLUG = 'selftest';
/** Made by Django 3.2 (as test/core/passwords.test.ts says): a hash from a Django instance must verify. */
const DJANGO_HASHES = [
  'pbkdf2_sha256$260000$confctlsalt12345$zsqFRAhZ5Dy21LhLsbIfmR97LYd52QoqQ+jvUBUWsRY=',
  'argon2$argon2id$v=19$m=102400,t=2,p=8$Y29uZmN0bHNhbHQxMjM0NQ$xSW5p73rnSoCLxp31k7hCA',
];

async function programme(db: Kysely<Database>, slug: string): Promise<string[]> {
  const rows = await db
    .selectFrom('schedule_talkslot as t')
    .innerJoin('schedule_schedule as v', 'v.id', 't.schedule_id')
    .innerJoin('event_event as e', 'e.id', 'v.event_id')
    .innerJoin('submission_submission as s', 's.id', 't.submission_id')
    .select(['s.code', 's.title', 't.start', 't.end'])
    .where('e.slug', '=', slug)
    .where('v.version', '=', 'v1.0')
    .orderBy('t.start')
    .orderBy('s.code')
    .execute();
  return rows.map((r) => `${r.code} ${r.start} ${r.end} ${r.title}`);
}

/** The frab XML's events: their guids, read with a real XML parser (strict: any syntax error throws). */
function xmlGuids(text: string): string[] {
  const parser = sax.parser(true);
  const guids: string[] = [];
  let root = '';
  parser.onopentag = (tag) => {
    if (!root) root = tag.name;
    if (tag.name === 'event') guids.push(String(tag.attributes.guid ?? ''));
  };
  parser.onerror = (error) => {
    throw new Failure(`schedule.xml is not well-formed: ${error.message.split('\n')[0]}`);
  };
  parser.write(text).close();
  check(root === 'schedule', `schedule.xml's root is <${root}>, not <schedule>`);
  return guids;
}

/** The iCalendar feed's events: UIDs; lines unfolded, each line a property (no stray line breaks). */
function icsUids(text: string): string[] {
  check(text.startsWith('BEGIN:VCALENDAR\r\n') && text.endsWith('END:VCALENDAR\r\n'), 'schedule.ics is not one VCALENDAR with CRLF line ends');
  const lines = text.replace(/\r\n[ \t]/g, '').split('\r\n').slice(0, -1);
  for (const line of lines) check(/^[A-Z-]+[;:]/.test(line), `schedule.ics has a line that is no property: ${JSON.stringify(line.slice(0, 60))}`);
  check(lines.filter((l) => l === 'BEGIN:VEVENT').length === lines.filter((l) => l === 'END:VEVENT').length, 'schedule.ics has unbalanced VEVENTs');
  return lines.filter((l) => l.startsWith('UID:')).map((l) => l.slice(4));
}

export const SELF_TESTS: readonly SelfTest[] = [
  {
    name: 'test_migrate',
    needs: [],
    doc: 'The embedded migrations apply to an empty database (the installed apps\' after them), and none is left to apply.',
    async run({ db, apps = [], clock }) {
      for (const step of planMigrations(await migrationStatus(db))) await runStep(db, step);
      const left = (await migrationStatus(db)).filter((m) => !m.applied).map((m) => m.name);
      same(left, [], 'unapplied migrations');
      for (const { app, migration } of await appMigrationStatus(db, apps)) await applyAppMigration(db, app, migration, clock.now());
    },
  },
  {
    name: 'test_create_test_event',
    needs: ['test_migrate'],
    doc: 'create_test_event builds a scheduled event: rooms, speakers, talks and a released schedule.',
    async run({ db, clock }) {
      await createSuperuser(db, { email: ADMIN.email, name: 'Self-test', password: ADMIN.password });
      await buildTestEvent(db, { slug: SLUG, stage: 'schedule', seed: 1 }, clock, () => {});
      const slots = await programme(db, SLUG);
      check(slots.length > 0, 'the test event has no scheduled talks');
    },
  },
  {
    name: 'test_export',
    needs: ['test_create_test_event'],
    doc: 'export_schedule_html writes the site; its JSON, frab XML and iCalendar feeds parse and agree.',
    async run({ db, folder, version, owner, shared }) {
      const data = await loadExport(db, SLUG);
      const target = join(folder, 'htmlexport', SLUG);
      mkdirSync(join(folder, 'htmlexport'), { recursive: true });
      await writeSiteFolder(buildSite(data, { siteUrl: 'https://selftest.example.org', version }), target, owner);
      const read = (name: string) => readFileSync(join(target, name), 'utf8');
      check(read('index.html').startsWith('<!DOCTYPE html>'), 'index.html is not an HTML page');
      const json = JSON.parse(read('schedule.json')) as { schedule: { conference: { acronym: string; days: { rooms: Record<string, { guid: string }[]> }[] } } };
      same(json.schedule.conference.acronym, SLUG, 'schedule.json acronym');
      const jsonGuids = json.schedule.conference.days.flatMap((d) => Object.values(d.rooms).flatMap((talks) => talks.map((t) => t.guid))).sort();
      const talks = await programme(db, SLUG);
      same(jsonGuids.length, talks.length, 'talks in schedule.json');
      check(jsonGuids.every((g) => /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/.test(g)), 'schedule.json has an event without a UUID guid');
      same(xmlGuids(read('schedule.xml')).sort(), jsonGuids, 'guids in schedule.xml');
      const uids = icsUids(read('schedule.ics'));
      same(new Set(uids).size, talks.length, 'distinct UIDs in schedule.ics');
      shared.set('schedule.json', json);
    },
  },
  {
    name: 'test_dumpdata_loaddata',
    needs: ['test_create_test_event'],
    doc: 'dumpdata, then flush and loaddata of that fixture, gives back the same data, object for object.',
    async run({ db }) {
      const dump = async () => {
        let text = '';
        for await (const chunk of serialize(db, { models: MODELS, format: 'json' })) text += chunk;
        return text;
      };
      const before = await dump();
      check(before.length > 1000, 'dumpdata wrote almost nothing');
      await loadInTransaction(db, async (trx, makeLoader) => {
        await emptyTables(trx, await dataTables(trx));
        const loader = makeLoader({ ignoreNonexistent: false, excludes: [] });
        await loader.loadStream('json', (async function* () {
          yield before;
        })());
        await loader.checkForeignKeys();
      });
      const after = await dump();
      check(after === before, `the loaded data differs from the dump (${before.length} bytes before, ${after.length} after)`);
    },
  },
  {
    name: 'test_passwords',
    needs: [],
    doc: "Password hashes: a new one verifies, a wrong password does not, Django's pbkdf2 and argon2 hashes verify.",
    async run() {
      const mine = makePassword(ADMIN.password);
      check(await checkPassword(ADMIN.password, mine), 'a new pbkdf2_sha256 hash does not verify');
      check(!(await checkPassword('not it', mine)), 'a wrong password verifies');
      for (const hash of DJANGO_HASHES) {
        check(await checkPassword('correct horse battery staple', hash), `Django's ${hash.split('$')[0]} hash does not verify`);
        check(!(await checkPassword('wrong', hash)), `a wrong password verifies against Django's ${hash.split('$')[0]} hash`);
      }
    },
  },
  {
    name: 'test_serve',
    needs: ['test_create_test_event'],
    doc: 'runserver on 127.0.0.1 answers the event list, the schedule, its feeds, the API and the login page.',
    async run({ db, clock, version, shared }) {
      const errors: string[] = [];
      const { server, url } = listen('127.0.0.1', 0, { db, siteUrl: 'https://selftest.example.org', version, clock, localeDirs: [] }, (message) => errors.push(message));
      shared.set('server', server);
      shared.set('url', url);
      for (const [path, type] of [
        ['', 'text/html; charset=utf-8'],
        [`${SLUG}/`, 'text/html; charset=utf-8'],
        [`${SLUG}/schedule/`, 'text/html; charset=utf-8'],
        [`${SLUG}/schedule.json`, 'application/json'],
        [`${SLUG}/schedule.xml`, 'application/xml; charset=utf-8'],
        [`${SLUG}/schedule.ics`, 'text/calendar; charset=utf-8'],
        ['api/events/', 'application/json'],
        [`api/events/${SLUG}/submissions/`, 'application/json'],
        ['login', 'text/html; charset=utf-8'],
      ] as const) {
        const response = await fetch(`${url}${path}`);
        await response.arrayBuffer();
        same([response.status, response.headers.get('content-type')], [200, type], `GET /${path}`);
      }
      const missing = await fetch(`${url}no-such-event/`);
      same(missing.status, 404, 'GET /no-such-event/');
      same(errors, [], 'errors logged while serving');
    },
  },
  {
    name: 'test_sync',
    needs: ['test_serve'],
    doc: "sync_pretalx mirrors the event from a Pretalx API (runserver's own) into a second event, talk for talk.",
    async run({ db, settings, clock, shared }) {
      const url = shared.get('url') as string;
      await createEvent(db, { slug: 'selftest-mirror', name: 'Mirror', dateFrom: '2026-01-01', dateTo: '2026-01-01', timezone: 'UTC', locale: 'en', isPublic: false, pretalxUrl: url, pretalxEvent: SLUG }, null, clock);
      // No pause between requests, and no token: the operator's is for their Pretalx, not for this server.
      const quick = { ...settings, values: { ...settings.values, 'sync.pace': 0 } } as Settings;
      const result = await syncEvent(db, { slug: 'selftest-mirror', steps: { rooms: true, speakers: true, talks: true, schedule: true }, allowLargeScheduleDrop: false, dryRun: false }, { settings: quick, env: {}, clock });
      check(result.counts.talks > 0, 'the sync mirrored no talks');
      same(await programme(db, 'selftest-mirror'), await programme(db, SLUG), 'the mirrored programme');
    },
  },
];

/** An app's tests as self-tests: run after test_migrate (which applies the app's migrations), on the same database. */
export function appSelfTests(apps: readonly LoadedApp[]): SelfTest[] {
  return apps.flatMap((app) =>
    (app.definition.tests ?? []).map((test) => ({
      name: test.name,
      module: `${app.label}.tests`,
      needs: ['test_migrate'],
      doc: test.doc ?? `A test of the app ${app.label}.`,
      async run({ db, clock }: SelfTestContext) {
        // Each app test in a transaction rolled back after it, as Django's TestCase: tests do not see each other's rows.
        const rollback = new Error('rollback');
        try {
          await db.transaction().execute(async (trx) => {
            await test.run({ ...appDatabase(trx), now: () => clock.now(), check: (condition, message) => check(Boolean(condition), message) });
            throw rollback;
          });
        } catch (error) {
          if (error !== rollback) throw error;
        }
      },
    })),
  );
}

/**
 * The tests a list of labels asks for, in order: none, everything (confctl's, then the apps'); the
 * app label confctl, confctl's; an app's label, its tests; a test's name (test_export,
 * confctl.test_export, hello.test_greets), that test.
 */
export function selectTests(labels: readonly string[], apps: readonly LoadedApp[] = []): { tests: SelfTest[]; unknown: string[] } {
  const everything = [...SELF_TESTS, ...appSelfTests(apps)];
  if (labels.length === 0) return { tests: everything, unknown: [] };
  const unknown: string[] = [];
  const chosen = new Set<SelfTest>();
  const moduleOf = (t: SelfTest) => (t.module ?? 'confctl.selftest').split('.')[0]!;
  for (const label of labels) {
    const [app, name] = label.includes('.') ? [label.slice(0, label.indexOf('.')), label.slice(label.lastIndexOf('.') + 1)] : [null, label];
    const found = everything.filter((t) => (app === null ? moduleOf(t) === label || t.name === label : moduleOf(t) === app && t.name === name));
    if (found.length === 0) unknown.push(label);
    found.forEach((t) => chosen.add(t));
  }
  return { tests: everything.filter((t) => chosen.has(t)), unknown };
}
