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

describe('what a hash must be to verify', () => {
  // PBKDF2SHA1PasswordHasher().encode('correct horse battery staple', 'confctlsalt12345', 260000), Django 3.2.25
  const djangoSha1 = 'pbkdf2_sha1$260000$confctlsalt12345$pGA8oU7zs4b7Y7IpSdZw+4/Zzbg=';

  test('pbkdf2_sha1 made by Django verifies with SHA-1, not SHA-256', async () => {
    expect(await checkPassword(raw, djangoSha1)).toBe(true);
    expect(await checkPassword('wrong', djangoSha1)).toBe(false);
    expect(await checkPassword(raw, djangoSha1.replace('pbkdf2_sha1', 'pbkdf2_sha256'))).toBe(false);
  });

  test('one iteration is enough to be well-formed; a correct hash with anything extra or missing is refused', async () => {
    const one = makePassword(raw, { salt: 'abc', iterations: 1 });
    expect(await checkPassword(raw, one)).toBe(true);
    const [, , salt, hash] = one.split('$');
    for (const encoded of [
      `${one}$extra`, // a fifth field
      `pbkdf2_sha256$0$${salt}$${hash}`, // no iterations
      `pbkdf2_sha256$1.5$${salt}$${hash}`,
      `pbkdf2_sha256$100000001$${salt}$${hash}`, // more than anyone would use: refused before any work
      `pbkdf2_sha256$1$$${makePassword(raw, { salt: '', iterations: 1 }).split('$')[3]}`, // no salt (Django refuses it too)
      `pbkdf2_sha256$1$${salt}$`, // no hash
      `pbkdf2_sha256$1$${salt}$=`, // a hash of no bytes
      `md5$${djangoArgon2.split('$').slice(1).join('$')}`, // an argon2 PHC string under another algorithm's name
    ]) {
      expect({ encoded, ok: await checkPassword(raw, encoded) }).toEqual({ encoded, ok: false });
    }
  });

  test('a salt with "$" would break the format: refused', () => {
    expect(() => makePassword(raw, { salt: 'a$b' })).toThrow('A salt must not contain "$".');
  });
});
