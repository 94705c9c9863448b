import { describe, expect, test } from 'bun:test';
import { checkPassword } from '../../core/auth/passwords.ts';
import { call } from '../support/cli.ts';
import { BACKENDS, newSite, type Site } from '../support/site.ts';

const env = {
  DJANGO_SUPERUSER_EMAIL: 'admin@example.org',
  DJANGO_SUPERUSER_PASSWORD: 'a-long-s3cret-phrase',
  PRETALX_INIT_ORGANISER_NAME: 'The Conference Organiser',
  PRETALX_INIT_ORGANISER_SLUG: 'conforg',
};
const counts = async (site: Site) =>
  (await site.query<{ users: number; organisers: number; teams: number; members: number }>(
    `SELECT (SELECT count(*) FROM person_user) AS users, (SELECT count(*) FROM event_organiser) AS organisers,
            (SELECT count(*) FROM event_team) AS teams, (SELECT count(*) FROM event_team_members) AS members`,
  ))[0];

for (const backend of BACKENDS) {
  describe(`init --noinput (${backend})`, () => {
    test('creates the administrator, the organiser and its team with pretalx rights', async () => {
      await using site = await newSite(backend);
      await site.migrated();
      const result = await site.call(['init', '--noinput'], { env });
      expect(result.stderr).toBe('');
      expect(result.exitCode).toBe(0);
      expect(result.stdout).toBe(
        [
          'Email address: [used environment variable: DJANGO_SUPERUSER_EMAIL]',
          'Password: [used environment variable: DJANGO_SUPERUSER_PASSWORD]',
          'Name (e.g. "The Conference Organiser"): [used environment variable: PRETALX_INIT_ORGANISER_NAME]',
          'Slug (e.g. "conforg", used in urls): [used environment variable: PRETALX_INIT_ORGANISER_SLUG]',
          'Superuser created successfully.',
          'Organiser "The Conference Organiser" (conforg) created, with the team "Team The Conference Organiser" (#1).',
          '',
          'Now that this is done, you can:',
          ' - Create your first event: confctl create_event --organiser conforg --slug SLUG --name NAME --date-from YYYY-MM-DD --date-to YYYY-MM-DD',
          ' - Or build a demo event to look at: confctl create_test_event',
          '',
        ].join('\n'),
      );
      const [admin] = await site.query<{ id: number; email: string; password: string; is_administrator: number }>('SELECT * FROM person_user');
      expect(admin!.is_administrator).toBe(1);
      expect(await checkPassword('a-long-s3cret-phrase', admin!.password)).toBe(true);
      expect(await site.query('SELECT name, slug FROM event_organiser')).toEqual([
        { name: '{"en":"The Conference Organiser"}', slug: 'conforg' },
      ]);
      expect(
        await site.query('SELECT name, can_create_events, can_change_teams, can_change_organiser_settings, can_change_event_settings, can_change_submissions, is_reviewer, all_events FROM event_team'),
      ).toEqual([
        {
          name: 'Team The Conference Organiser',
          can_create_events: 1,
          can_change_teams: 1,
          can_change_organiser_settings: 1,
          can_change_event_settings: 0,
          can_change_submissions: 0,
          is_reviewer: 0,
          all_events: 0,
        },
      ]);
      expect(await site.query('SELECT team_id, user_id FROM event_team_members')).toEqual([{ team_id: 1, user_id: admin!.id }]);
    });

    test('every missing variable is named in one error, and nothing is written', async () => {
      await using site = await newSite(backend);
      await site.migrated();
      const result = await site.call(['init', '--noinput'], { env: { DJANGO_SUPERUSER_EMAIL: 'a@example.org', PRETALX_INIT_ORGANISER_NAME: ' ' } });
      expect(result).toEqual({
        stdout: '',
        stderr:
          'CommandError: You must provide the environment variables DJANGO_SUPERUSER_PASSWORD, PRETALX_INIT_ORGANISER_NAME, PRETALX_INIT_ORGANISER_SLUG ' +
          '(or the CONFCTL_ equivalents) if you run this command in non-interactive mode. See "confctl init --help".\n',
        exitCode: 1,
      });
      expect(await counts(site)).toEqual({ users: 0, organisers: 0, teams: 0, members: 0 });
    });

    test('the CONFCTL_ spellings work and win', async () => {
      await using site = await newSite(backend);
      await site.migrated();
      const result = await site.call(['init', '--noinput', '-v', '0'], {
        env: { ...env, CONFCTL_INIT_ORGANISER_SLUG: 'ours', CONFCTL_SUPERUSER_EMAIL: 'ops@example.org' },
      });
      expect(result).toEqual({ stdout: '', stderr: '', exitCode: 0 });
      expect(await site.query('SELECT email FROM person_user')).toEqual([{ email: 'ops@example.org' }]);
      expect(await site.query('SELECT slug FROM event_organiser')).toEqual([{ slug: 'ours' }]);
    });

    test('a weak password, an invalid address or a bad slug is refused and nothing is written', async () => {
      await using site = await newSite(backend);
      await site.migrated();
      const cases: [Record<string, string>, string][] = [
        [{ DJANGO_SUPERUSER_PASSWORD: 'short' }, 'DJANGO_SUPERUSER_PASSWORD: This password is too short. It must contain at least 8 characters.'],
        [{ DJANGO_SUPERUSER_EMAIL: 'admin' }, 'Enter a valid email address.'],
        [{ PRETALX_INIT_ORGANISER_SLUG: 'bad slug!' }, 'PRETALX_INIT_ORGANISER_SLUG: The slug may only contain letters, numbers, dots and dashes, and must start and end with a letter or number.'],
      ];
      for (const [override, message] of cases) {
        expect(await site.call(['init', '--noinput'], { env: { ...env, ...override } })).toEqual({
          stdout: '',
          stderr: `CommandError: ${message}\n`,
          exitCode: 1,
        });
      }
      expect(await counts(site)).toEqual({ users: 0, organisers: 0, teams: 0, members: 0 });
    });

    test('a second init is refused', async () => {
      await using site = await newSite(backend);
      await site.migrated();
      await site.call(['init', '--noinput'], { env });
      expect(await site.call(['init', '--noinput'], { env: { ...env, PRETALX_INIT_ORGANISER_SLUG: 'other' } })).toEqual({
        stdout: '',
        stderr: 'CommandError: This instance is already initialised: it has 1 administrator(s). Add one with "confctl createsuperuser".\n',
        exitCode: 1,
      });
      expect(await counts(site)).toEqual({ users: 1, organisers: 1, teams: 1, members: 1 });
    });
  });

  describe(`init, interactive (${backend})`, () => {
    test('asks for the administrator, then the organiser; re-asks until the answers are valid', async () => {
      await using site = await newSite(backend);
      await site.migrated();
      const stdin = ['admin@example.org', 'Ada', 'a-long-s3cret-phrase', 'a-long-s3cret-phrase', '', 'Org', 'no way', 'org', ''].join('\n');
      const result = await site.call(['init'], { stdin, tty: { stdin: true } });
      expect(result.exitCode).toBe(0);
      expect(result.stderr).toBe(
        'Error: This value is required, please enter some value to proceed.\n' +
          'Error: The slug may only contain letters, numbers, dots and dashes, and must start and end with a letter or number.\n',
      );
      expect(result.stdout).toStartWith(
        '\nWelcome to confctl! This is the initialization command, please use it only once.\n' +
          'You can abort this command at any time using C-c, and it will save no data.\n\n' +
          "Let's get you a user with the right to create new events and access every event on this confctl instance.\n" +
          'Email address: Name: Password: Password (again): \n' +
          "Let's also create a first organiser: This will allow you to invite further people and create events.\n\n" +
          'Name (e.g. "The Conference Organiser"): Name (e.g. "The Conference Organiser"): ' +
          'Slug (e.g. "conforg", used in urls): Slug (e.g. "conforg", used in urls): ' +
          'Superuser created successfully.\n',
      );
      expect(await counts(site)).toEqual({ users: 1, organisers: 1, teams: 1, members: 1 });
    });

    test('cancelling at the last question writes nothing', async () => {
      await using site = await newSite(backend);
      await site.migrated();
      const stdin = ['admin@example.org', 'Ada', 'a-long-s3cret-phrase', 'a-long-s3cret-phrase', 'Org', ''].join('\n');
      const result = await site.call(['init'], { stdin, tty: { stdin: true } });
      expect(result.exitCode).toBe(1);
      expect(result.stderr).toBe('Operation cancelled.\n');
      expect(await counts(site)).toEqual({ users: 0, organisers: 0, teams: 0, members: 0 });
    });
  });
}
