import { describe, expect, test } from 'bun:test';
import { call } from '../support/cli.ts';
import { BACKENDS, newSite, type Site } from '../support/site.ts';

const env = { CONFCTL_NOW: '2026-05-01T09:00:00Z' };
const count = async (site: Site, sql: string) => (await site.query<{ n: number }>(sql))[0]!.n;

for (const backend of BACKENDS) {
  describe(`create_test_event (${backend})`, () => {
    test('stage schedule: 36 confirmed talks and workshops in 3 days × 3 blocks, released as v1.0', async () => {
      await using site = await newSite(backend);
      await site.initialised();
      const result = await site.call(['create_test_event', '--seed', '7'], { env });
      expect(result).toEqual({
        stdout: 'Built data for stage "cfp".\nBuilt data for stage "review".\nBuilt data for stage "schedule".\n',
        stderr: '',
        exitCode: 0,
      });
      expect(await site.query('SELECT slug, name, date_from, date_to, timezone, is_public FROM event_event')).toEqual([
        { slug: 'democon', name: '{"en":"DemoCon"}', date_from: '2026-04-30', date_to: '2026-05-02', timezone: 'Europe/Berlin', is_public: 1 },
      ]);
      expect(await site.query("SELECT state, count(*) AS n FROM submission_submission GROUP BY state ORDER BY state")).toMatchObject([
        { state: 'confirmed', n: 36 },
        { state: 'rejected' },
      ]);
      const confirmed = await site.query<{ type: string; n: number }>("SELECT t.name AS type, count(*) AS n FROM submission_submission s JOIN submission_submissiontype t ON t.id = s.submission_type_id WHERE s.state = 'confirmed' GROUP BY t.name ORDER BY t.name",
      );
      expect(confirmed).toEqual([{ type: '{"en":"Talk"}', n: 27 }, { type: '{"en":"Workshop"}', n: 9 }]);
      expect(await site.query('SELECT version, published FROM schedule_schedule ORDER BY id')).toEqual([
        { version: 'v1.0', published: '2026-05-01 09:00:00' },
        { version: null, published: null },
      ]);
      expect(await site.query('SELECT s.version, count(*) AS n FROM schedule_talkslot t JOIN schedule_schedule s ON s.id = t.schedule_id GROUP BY s.id ORDER BY s.id')).toEqual([
        { version: 'v1.0', n: 36 },
        { version: null, n: 36 },
      ]);
      // Blocks at 09:00, 11:30 and 14:00 Berlin time (UTC+2 in May): three talks beside one workshop.
      const starts = await site.query<{ start: string; n: number }>("SELECT t.start, count(*) AS n FROM schedule_talkslot t JOIN schedule_schedule s ON s.id = t.schedule_id WHERE s.version = 'v1.0' GROUP BY t.start ORDER BY t.start LIMIT 4",
      );
      expect(starts).toEqual([
        { start: '2026-04-30 07:00:00', n: 2 },
        { start: '2026-04-30 07:30:00', n: 1 },
        { start: '2026-04-30 08:00:00', n: 1 },
        { start: '2026-04-30 09:30:00', n: 2 },
      ]);
      expect(await count(site, 'SELECT count(DISTINCT room_id) AS n FROM schedule_talkslot')).toBe(2);
      expect(await count(site, "SELECT count(*) AS n FROM schedule_talkslot t JOIN submission_submission s ON s.id = t.submission_id WHERE s.state != 'confirmed'")).toBe(0);
    });

    test('the organiser team holds every administrator; the reviewers are in the reviewer team', async () => {
      await using site = await newSite(backend);
      await site.initialised();
      await site.call(['createsuperuser', '--noinput', '--email', 'second@example.org', '-v', '0']);
      await site.call(['create_test_event', '--stage', 'review', '--seed', '3', '-v', '0'], { env });
      const members = await site.query<{ team: string; n: number; reviewer: number }>("SELECT t.name AS team, t.is_reviewer AS reviewer, count(m.id) AS n FROM event_team t JOIN event_organiser o ON o.id = t.organiser_id LEFT JOIN event_team_members m ON m.team_id = t.id WHERE o.slug = 'democonorg' GROUP BY t.id ORDER BY t.id");
      expect(members).toEqual([
        { team: 'Team DemoCon Org', reviewer: 0, n: 2 },
        { team: 'DemoCon Reviewers', reviewer: 1, n: 3 },
      ]);
      const reviewers = await site.query<{ n: number }>("SELECT count(DISTINCT r.user_id) AS n FROM submission_review r WHERE r.user_id IN (SELECT m.user_id FROM event_team_members m JOIN event_team t ON t.id = m.team_id WHERE t.is_reviewer)");
      expect(reviewers).toEqual([{ n: 3 }]);
      expect(await count(site, 'SELECT count(*) AS n FROM submission_review')).toBeGreaterThan(100);
      expect(await count(site, 'SELECT count(*) AS n FROM schedule_talkslot')).toBe(0);
    });

    test('stage cfp: only submitted proposals, and the open CfP closes in the future', async () => {
      await using site = await newSite(backend);
      await site.initialised();
      const result = await site.call(['create_test_event', '--stage', 'cfp', '--seed', '1'], { env });
      expect(result.stdout).toBe('Built data for stage "cfp".\n');
      const submissions = await count(site, 'SELECT count(*) AS n FROM submission_submission');
      expect(submissions).toBeGreaterThanOrEqual(53);
      expect(submissions).toBeLessThanOrEqual(85);
      expect(await count(site, "SELECT count(*) AS n FROM submission_submission WHERE state != 'submitted'")).toBe(0);
      const speakers = await count(site, 'SELECT count(*) AS n FROM person_speakerprofile');
      expect(speakers).toBeGreaterThanOrEqual(Math.ceil(submissions / 1.8));
      expect(speakers).toBeLessThanOrEqual(Math.floor(submissions / 1.1));
      expect(await count(site, 'SELECT count(*) AS n FROM submission_review')).toBe(0);
      const [cfp] = await site.query<{ headline: string; deadline: string }>('SELECT headline, deadline FROM submission_cfp');
      expect(cfp!.headline).toBe('{"en":"DemoCon submissions are open!"}');
      expect(cfp!.deadline > '2026-05-01 09:00:00').toBe(true);
      expect(await site.query('SELECT date_from FROM event_event')).toEqual([{ date_from: '2026-06-05' }]);
      // Every submission was made before the deadline and the clock, by someone with a biography.
      expect(await count(site, "SELECT count(*) AS n FROM submission_submission WHERE created > '2026-05-01 09:00:00'")).toBe(0);
      expect(await count(site, "SELECT count(*) AS n FROM person_speakerprofile WHERE biography IS NULL OR biography = ''")).toBe(0);
    });

    test('stage over is in the past', async () => {
      await using site = await newSite(backend);
      await site.initialised();
      await site.call(['create_test_event', '--stage', 'over', '--seed', '1', '-v', '0'], { env });
      expect(await site.query('SELECT date_from, date_to FROM event_event')).toEqual([{ date_from: '2026-04-21', date_to: '2026-04-23' }]);
    });

    test('the same seed and clock give the same database; another seed does not', async () => {
      await using a = await newSite(backend);
      await using b = await newSite(backend);
      await using c = await newSite(backend);
      for (const site of [a, b, c]) {
        await site.initialised();
        // The administrators' password hashes have random salts: give all three the same one.
        await site.run("UPDATE person_user SET password = 'pbkdf2_sha256$1$x$y', code = 'ADMINCODE0000000'");
      }
      await a.call(['create_test_event', '--seed', '42', '-v', '0'], { env });
      await b.call(['create_test_event', '--seed', '42', '-v', '0'], { env });
      await c.call(['create_test_event', '--seed', '43', '-v', '0'], { env });
      const dumpA = await a.dump();
      expect(dumpA.length).toBeGreaterThan(50_000);
      expect(await b.dump()).toBe(dumpA);
      expect(await c.dump()).not.toBe(dumpA);
    });

    test('a second demo event of the same seed gets users of its own (their codes collided: found by the operator helper)', async () => {
      await using site = await newSite(backend);
      await site.initialised();
      expect((await site.call(['create_test_event', '--seed', '3', '-v', '0'], { env })).exitCode).toBe(0);
      expect(await site.call(['create_test_event', '--seed', '3', '--slug', 'other', '--stage', 'review', '-v', '0'], { env })).toEqual({ stdout: '', stderr: '', exitCode: 0 });
      const [counted] = await site.query<{ users: number; codes: number }>('SELECT count(*) AS users, count(DISTINCT code) AS codes FROM person_user');
      expect(counted!.codes).toBe(counted!.users);
      expect((await site.query<{ slug: string }>('SELECT slug FROM event_event ORDER BY slug')).map((r) => r.slug)).toEqual(['democon', 'other']);
    });

    test('refuses without an administrator, with an unknown stage, a bad seed or a taken slug, writing nothing', async () => {
      await using site = await newSite(backend);
      await site.migrated();
      expect(await site.call(['create_test_event'], { env })).toEqual({
        stdout: '',
        stderr: 'CommandError: Please run the "init" command to create an administrator user.\n',
        exitCode: 1,
      });
      await site.initialised();
      expect(await site.call(['create_test_event', '--stage', 'done'], { env })).toEqual({
        stdout: '',
        stderr: 'CommandError: Unknown stage "done". Valid stages: cfp, review, schedule, over.\n',
        exitCode: 1,
      });
      expect((await site.call(['create_test_event', '--seed', 'abc'], { env })).stderr).toBe(
        'CommandError: --seed must be a whole number, not "abc".\n',
      );
      expect(await count(site, 'SELECT count(*) AS n FROM event_event')).toBe(0);
      await site.call(['create_test_event', '--stage', 'cfp', '-v', '0'], { env });
      const before = await site.dump();
      expect(await site.call(['create-test-event', '--slug', 'DEMOCON'], { env })).toEqual({
        stdout: '',
        stderr: 'CommandError: An event with the slug "DEMOCON" already exists. Choose another --slug.\n',
        exitCode: 1,
      });
      expect(await site.dump()).toBe(before);
    });

    test('verbosity 2 tells the seed, so a random run can be repeated', async () => {
      await using site = await newSite(backend);
      await site.initialised();
      const result = await site.call(['create_test_event', '--stage', 'cfp', '-v', '2', '--no-pretalx-information'], { env });
      expect(result.stderr).toMatch(/^Seed: \d+ \(pass --seed \d+ to build the same event again\)\n$/);
    });
  });
}
