import { describe, expect, test } from 'bun:test';
import { checkPassword, isUsablePassword, makePassword, makeUnusablePassword, PBKDF2_ITERATIONS } from '../../core/auth/passwords.ts';

// Made by Django 3.2.25 (Debian python3-django, python3-argon2):
//   PBKDF2PasswordHasher().encode('correct horse battery staple', 'confctlsalt12345', 260000)
//   Argon2PasswordHasher().encode('correct horse battery staple', 'confctlsalt12345')
const raw = 'correct horse battery staple';
const djangoPbkdf2 = 'pbkdf2_sha256$260000$confctlsalt12345$zsqFRAhZ5Dy21LhLsbIfmR97LYd52QoqQ+jvUBUWsRY=';
const djangoArgon2 = 'argon2$argon2id$v=19$m=102400,t=2,p=8$Y29uZmN0bHNhbHQxMjM0NQ$xSW5p73rnSoCLxp31k7hCA';

describe('Django password hashes', () => {
  test('pbkdf2_sha256 made by Django verifies, and we encode it byte for byte', async () => {
    expect(await checkPassword(raw, djangoPbkdf2)).toBe(true);
    expect(await checkPassword('wrong', djangoPbkdf2)).toBe(false);
    expect(makePassword(raw, { salt: 'confctlsalt12345', iterations: 260000 })).toBe(djangoPbkdf2);
  });

  test('argon2id made by Django verifies', async () => {
    expect(await checkPassword(raw, djangoArgon2)).toBe(true);
    expect(await checkPassword('wrong', djangoArgon2)).toBe(false);
  });

  test('new passwords are pbkdf2_sha256 with a fresh 22-character salt', async () => {
    const encoded = makePassword('s3cret-pass');
    expect(encoded).toMatch(new RegExp(`^pbkdf2_sha256\\$${PBKDF2_ITERATIONS}\\$[a-zA-Z0-9]{22}\\$[A-Za-z0-9+/]{43}=$`));
    expect(makePassword('s3cret-pass')).not.toBe(encoded);
    expect(await checkPassword('s3cret-pass', encoded)).toBe(true);
  });

  test('unusable, empty, unknown and malformed hashes never verify', async () => {
    const unusable = makeUnusablePassword();
    expect(unusable).toMatch(/^![a-zA-Z0-9]{40}$/);
    expect(isUsablePassword(unusable)).toBe(false);
    for (const encoded of [unusable, '', null, 'md5$x$y', 'pbkdf2_sha256$abc$salt$hash', 'pbkdf2_sha256$1$salt', 'argon2$garbage']) {
      expect(await checkPassword('', encoded)).toBe(false);
      expect(await checkPassword(raw, encoded)).toBe(false);
    }
  });
});
