/** Django's default validators, in its words: what createsuperuser, changepassword and init check. */
export const MIN_PASSWORD_LENGTH = 8;

// The most common passwords (a short excerpt of the list Django ships, which is larger).
const common = new Set(
  `123456 password 12345678 qwerty 123456789 12345 1234 111111 1234567 dragon 123123 baseball abc123 football
monkey letmein 696969 shadow master 666666 qwertyuiop 123321 mustang 1234567890 michael 654321 superman
1qaz2wsx 7777777 121212 000000 qazwsx 123qwe killer trustno1 jordan jennifer zxcvbnm asdfgh hunter buster
soccer harley batman andrew tigger sunshine iloveyou 2000 charlie robert thomas hockey ranger daniel starwars
klaster 112233 george computer michelle jessica pepper 1111 zxcvbn 555555 11111111 131313 freedom 777777 pass
maggie 159753 aaaaaa ginger princess joshua cheese amanda summer love ashley nicole chelsea biteme matthew
access yankees 987654321 dallas austin thunder taylor matrix admin welcome passw0rd password1 password123
changeme secret letmein1 administrator conference pretalx confctl django`.split(/\s+/),
);

export function validatePassword(password: string, user: { email?: string; name?: string } = {}): string[] {
  const problems: string[] = [];
  const lower = password.toLowerCase();
  for (const [attribute, label] of [
    [user.email?.split('@')[0], 'email address'],
    [user.name, 'name'],
  ] as const) {
    const value = attribute?.toLowerCase().trim();
    if (value && value.length >= 3 && (lower.includes(value) || (lower.length >= 3 && value.includes(lower)))) {
      problems.push(`The password is too similar to the ${label}.`);
    }
  }
  if (password.length < MIN_PASSWORD_LENGTH) {
    problems.push(`This password is too short. It must contain at least ${MIN_PASSWORD_LENGTH} characters.`);
  }
  if (common.has(lower)) problems.push('This password is too common.');
  if (/^\d+$/.test(password)) problems.push('This password is entirely numeric.');
  return problems;
}

const emailPattern = /^[^@\s"<>()[\],;:]+@[^@\s"<>()[\],;:]+\.[^@\s"<>()[\],;:.]{2,}$/;

/** pretalx stores e-mail addresses lower-cased; surrounding blanks are dropped. */
export function normalizeEmail(email: string): string {
  return email.trim().toLowerCase();
}

export function emailProblem(email: string): string | null {
  if (email === '') return 'This field cannot be blank.';
  if (email.length > 254 || !emailPattern.test(email)) return 'Enter a valid email address.';
  return null;
}

/** pretalx's organiser and event slug pattern. */
export const SLUG_PATTERN = /^[a-zA-Z0-9]([a-zA-Z0-9.-]*[a-zA-Z0-9])?$/;

export function slugProblem(slug: string, maxLength = 50): string | null {
  if (slug === '') return 'This field cannot be blank.';
  if (slug.length > maxLength) return `The slug may have at most ${maxLength} characters.`;
  if (!SLUG_PATTERN.test(slug)) {
    return 'The slug may only contain letters, numbers, dots and dashes, and must start and end with a letter or number.';
  }
  return null;
}
