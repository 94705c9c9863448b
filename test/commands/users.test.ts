import { describe, expect, test } from 'bun:test';
import { checkPassword } from '../../core/auth/passwords.ts';
import { BACKENDS, newSite, type Site } from '../support/site.ts';

interface UserRow {
  email: string;
  name: string;
  password: string;
  is_staff: number;
  is_administrator: number;
  is_superuser: number;
  email_verification_state: string;
  code: string;
}
const users = (site: Site) => site.query<UserRow>('SELECT * FROM person_user ORDER BY id');
const interactive = { stdin: true } as const;

for (const backend of BACKENDS) {
  describe(`createsuperuser --noinput (${backend})`, () => {
    test('creates an administrator with the password from DJANGO_SUPERUSER_PASSWORD', async () => {
      await using site = await newSite(backend);
      await site.migrated();
      const result = await site.call(['createsuperuser', '--noinput', '--email', 'Admin@Example.org', '--name', 'Ada Admin'], {
        env: { DJANGO_SUPERUSER_PASSWORD: 'a-long-s3cret-phrase' },
      });
      expect(result).toEqual({ stdout: 'Superuser created successfully.\n', stderr: '', exitCode: 0 });
      const [user] = (await users(site));
      expect(user).toMatchObject({
        email: 'admin@example.org',
        name: 'Ada Admin',
        is_staff: 1,
        is_administrator: 1,
        is_superuser: 0,
        email_verification_state: 'verified',
      });
      expect(user!.code).toMatch(/^[A-Z3789]{16}$/);
      expect(user!.password).toStartWith('pbkdf2_sha256$1200000$');
      expect(await checkPassword('a-long-s3cret-phrase', user!.password)).toBe(true);
    });

    test('--username is the same as --email; DJANGO_SUPERUSER_EMAIL works too', async () => {
      await using site = await newSite(backend);
      await site.migrated();
      expect((await site.call(['createsuperuser', '--noinput', '--username', 'a@example.org'])).exitCode).toBe(0);
      expect((await site.call(['createsuperuser', '--no-input'], { env: { DJANGO_SUPERUSER_EMAIL: 'b@example.org' } })).exitCode).toBe(0);
      expect((await users(site)).map((u) => u.email)).toEqual(['a@example.org', 'b@example.org']);
    });

    test('without a password the account gets an unusable one, and the command says so', async () => {
      await using site = await newSite(backend);
      await site.migrated();
      const result = await site.call(['createsuperuser', '--noinput', '--email', 'a@example.org']);
      expect(result).toEqual({
        stdout: 'Superuser created successfully.\n',
        stderr: 'Warning: a@example.org has an unusable password: set one with "confctl changepassword a@example.org".\n',
        exitCode: 0,
      });
      expect((await users(site))[0]!.password).toMatch(/^!/);
    });

    test('a missing, invalid or taken e-mail address is one CommandError line and writes nothing', async () => {
      await using site = await newSite(backend);
      await site.migrated();
      expect(await site.call(['createsuperuser', '--noinput'])).toEqual({
        stdout: '',
        stderr: 'CommandError: You must use --email with --noinput.\n',
        exitCode: 1,
      });
      expect((await site.call(['createsuperuser', '--noinput', '--email', 'not-an-address'])).stderr).toBe(
        'CommandError: Enter a valid email address.\n',
      );
      expect((await users(site))).toEqual([]);
      await site.call(['createsuperuser', '--noinput', '--email', 'a@example.org']);
      expect(await site.call(['createsuperuser', '--noinput', '--email', 'A@EXAMPLE.ORG'])).toEqual({
        stdout: '',
        stderr: 'CommandError: Error: That email address is already taken.\n',
        exitCode: 1,
      });
      expect((await users(site))).toHaveLength(1);
    });

    test('without a terminal and without --noinput it says why it cannot ask', async () => {
      await using site = await newSite(backend);
      await site.migrated();
      expect(await site.call(['createsuperuser'], { stdin: 'a@example.org\n' })).toEqual({
        stdout: '',
        stderr:
          'CommandError: Not running in a terminal, so there is nobody to ask: use --noinput --email EMAIL (password from DJANGO_SUPERUSER_PASSWORD).\n',
        exitCode: 1,
      });
      // With --email it simply proceeds, as in a script.
      expect((await site.call(['createsuperuser', '--email', 'a@example.org'])).exitCode).toBe(0);
    });

    test('verbosity 0 prints nothing', async () => {
      await using site = await newSite(backend);
      await site.migrated();
      const result = await site.call(['createsuperuser', '--noinput', '--email', 'a@example.org', '-v', '0'], {
        env: { DJANGO_SUPERUSER_PASSWORD: 'a-long-s3cret-phrase' },
      });
      expect(result).toEqual({ stdout: '', stderr: '', exitCode: 0 });
    });
  });

  describe(`createsuperuser, interactive (${backend})`, () => {
    test('asks, re-asks on invalid input, and never echoes the password', async () => {
      await using site = await newSite(backend);
      await site.migrated();
      await site.call(['createsuperuser', '--noinput', '--email', 'taken@example.org']);
      const stdin = [
        'nope', // invalid address
        'taken@example.org', // taken
        'new@example.org',
        '', // blank name
        'Grace',
        'first-password', 'second-password', // mismatch
        '', '', // blank
        '1234', '1234', // too short, numeric
        'n', // do not bypass
        'correct horse battery', 'correct horse battery',
        '',
      ].join('\n');
      const result = await site.call(['createsuperuser'], { stdin, tty: interactive });
      expect(result.exitCode).toBe(0);
      expect(result.stdout).toBe(
        'Email address: '.repeat(3) +
          'Name: '.repeat(2) +
          'Password: Password (again): '.repeat(3) +
          'Bypass password validation and create user anyway? [y/N]: ' +
          'Password: Password (again): ' +
          'Superuser created successfully.\n',
      );
      expect(result.stderr).toBe(
        [
          'Error: Enter a valid email address.',
          'Error: That email address is already taken.',
          'Error: This field cannot be blank.',
          "Error: Your passwords didn't match.",
          "Error: Blank passwords aren't allowed.",
          'This password is too short. It must contain at least 8 characters.',
          'This password is too common.',
          'This password is entirely numeric.',
          '',
        ].join('\n'),
      );
      expect(result.stdout + result.stderr).not.toContain('correct horse');
      const user = (await users(site)).find((u) => u.email === 'new@example.org')!;
      expect(user.name).toBe('Grace');
      expect(await checkPassword('correct horse battery', user.password)).toBe(true);
    });

    test('a weak password may be kept by answering y', async () => {
      await using site = await newSite(backend);
      await site.migrated();
      const stdin = ['a@example.org', 'A', 'password', 'password', 'y', ''].join('\n');
      const result = await site.call(['createsuperuser'], { stdin, tty: interactive });
      expect(result.stderr).toBe('This password is too common.\n');
      expect(result.exitCode).toBe(0);
      expect(await checkPassword('password', (await users(site))[0]!.password)).toBe(true);
    });

    test('end of input (Ctrl-D) cancels and writes nothing', async () => {
      await using site = await newSite(backend);
      await site.migrated();
      const result = await site.call(['createsuperuser'], { stdin: 'a@example.org\nAda\n', tty: interactive });
      expect(result).toEqual({ stdout: 'Email address: Name: Password: ', stderr: 'Operation cancelled.\n', exitCode: 1 });
      expect((await users(site))).toEqual([]);
    });
  });

  describe(`changepassword (${backend})`, () => {
    test('sets a new password after asking twice', async () => {
      await using site = await newSite(backend);
      await site.migrated();
      await site.call(['createsuperuser', '--noinput', '--email', 'a@example.org']);
      const result = await site.call(['changepassword', 'A@example.org'], {
        stdin: 'another-good-one\nanother-good-one\n',
      });
      expect(result).toEqual({
        stdout: "Changing password for user 'a@example.org'\nPassword: Password (again): Password changed successfully for user 'a@example.org'\n",
        stderr: '',
        exitCode: 0,
      });
      expect(await checkPassword('another-good-one', (await users(site))[0]!.password)).toBe(true);
    });

    test('gives up after three bad attempts and keeps the old password', async () => {
      await using site = await newSite(backend);
      await site.migrated();
      await site.call(['createsuperuser', '--noinput', '--email', 'a@example.org'], { env: { DJANGO_SUPERUSER_PASSWORD: 'the-original-one' } });
      const result = await site.call(['changepassword', 'a@example.org'], {
        stdin: 'one-password\nanother-one\nshort\nshort\n12345678901\n12345678901\n',
      });
      expect(result.exitCode).toBe(1);
      expect(result.stderr).toBe(
        [
          'Passwords do not match. Please try again.',
          'This password is too short. It must contain at least 8 characters.',
          'This password is entirely numeric.',
          "CommandError: Aborting password change for user 'a@example.org' after 3 attempts",
          '',
        ].join('\n'),
      );
      expect(await checkPassword('the-original-one', (await users(site))[0]!.password)).toBe(true);
    });

    test('an unknown user is an error', async () => {
      await using site = await newSite(backend);
      await site.migrated();
      expect(await site.call(['changepassword', 'ghost@example.org'])).toEqual({
        stdout: '',
        stderr: "CommandError: user 'ghost@example.org' does not exist\n",
        exitCode: 1,
      });
    });
  });
}
