import { pbkdf2Sync, randomInt, timingSafeEqual } from 'node:crypto';
import { runtime } from '../../platform/index.ts';

/**
 * Passwords in Django's encoded formats, so users and fixtures move between confctl, Django and
 * pretalx. New passwords are hashed with pbkdf2_sha256: every Django and pretalx installation
 * verifies it without extra packages (argon2 needs argon2-cffi there), and at Django 6.0's
 * 1,200,000 iterations it costs ~130 ms here. argon2 and pbkdf2_sha1 hashes made elsewhere verify.
 */
export const PBKDF2_ITERATIONS = 1_200_000;
export const UNUSABLE_PASSWORD_PREFIX = '!';

const saltAlphabet = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';

/** Django's get_random_string: `length` characters of [a-zA-Z0-9] from a CSPRNG. */
export function randomString(length: number, alphabet = saltAlphabet): string {
  let out = '';
  for (let i = 0; i < length; i++) out += alphabet[randomInt(alphabet.length)];
  return out;
}

export function makePassword(raw: string, options: { salt?: string; iterations?: number } = {}): string {
  const iterations = options.iterations ?? PBKDF2_ITERATIONS;
  const salt = options.salt ?? randomString(22);
  if (salt.includes('$')) throw new Error('A salt must not contain "$".');
  const hash = pbkdf2Sync(raw, salt, iterations, 32, 'sha256').toString('base64');
  return `pbkdf2_sha256$${iterations}$${salt}$${hash}`;
}

/** Django's set_unusable_password(): no password verifies against it. */
export function makeUnusablePassword(): string {
  return UNUSABLE_PASSWORD_PREFIX + randomString(40);
}

export function isUsablePassword(encoded: string | null): boolean {
  return encoded !== null && encoded !== '' && !encoded.startsWith(UNUSABLE_PASSWORD_PREFIX);
}

function equal(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/** Whether `raw` matches `encoded` (Django's check_password); unknown or malformed formats never match. */
export async function checkPassword(raw: string, encoded: string | null): Promise<boolean> {
  if (!isUsablePassword(encoded)) return false;
  const [algorithm, ...rest] = encoded!.split('$');
  if (algorithm === 'pbkdf2_sha256' || algorithm === 'pbkdf2_sha1') {
    const [iterations, salt, hash] = rest;
    const n = Number(iterations);
    if (rest.length !== 3 || !Number.isSafeInteger(n) || n < 1 || n > 100_000_000 || !salt || !hash) return false;
    const digest = algorithm === 'pbkdf2_sha256' ? 'sha256' : 'sha1';
    const length = Buffer.from(hash, 'base64').length;
    if (length === 0) return false;
    return equal(pbkdf2Sync(raw, salt, n, length, digest).toString('base64'), hash);
  }
  if (algorithm === 'argon2') {
    // Django stores "argon2" followed by the PHC string argon2-cffi makes: argon2$argon2id$v=19$m=…
    return runtime().verifyPasswordHash(raw, `$${rest.join('$')}`);
  }
  return false;
}
