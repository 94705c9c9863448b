import { superuserFromOptions, type SuperuserInput } from '../auth/superuser.ts';
import { slugProblem, validatePassword } from '../auth/validation.ts';
import { CommandError } from '../common/errors.ts';
import type { Env } from '../common/io.ts';
import { organiserSlugTaken, type Db } from '../auth/users.ts';

export interface OrganiserInput {
  name: string;
  slug: string;
}

/** The variables `init --noinput` reads; each also has a CONFCTL_ spelling that wins. */
export const initVariables = {
  email: ['DJANGO_SUPERUSER_EMAIL', 'CONFCTL_SUPERUSER_EMAIL'],
  password: ['DJANGO_SUPERUSER_PASSWORD', 'CONFCTL_SUPERUSER_PASSWORD'],
  organiserName: ['PRETALX_INIT_ORGANISER_NAME', 'CONFCTL_INIT_ORGANISER_NAME'],
  organiserSlug: ['PRETALX_INIT_ORGANISER_SLUG', 'CONFCTL_INIT_ORGANISER_SLUG'],
} as const;

export async function organiserSlugCheck(db: Db, slug: string): Promise<string | null> {
  return slugProblem(slug) ?? ((await organiserSlugTaken(db, slug)) ? `The organiser slug "${slug}" is already taken.` : null);
}

/**
 * Everything `init --noinput` needs, from the environment, checked before anything is written:
 * every missing variable is named in one error (pretalx names only the first, checks the e-mail
 * twice and never the password).
 */
export async function initFromEnvironment(
  db: Db,
  env: Env,
): Promise<{ superuser: SuperuserInput; organiser: OrganiserInput; used: Record<keyof typeof initVariables, string> }> {
  const values = {} as Record<keyof typeof initVariables, string>;
  const used = {} as Record<keyof typeof initVariables, string>;
  const missing: string[] = [];
  for (const [key, [classic, ours]] of Object.entries(initVariables) as [keyof typeof initVariables, readonly [string, string]][]) {
    const value = env[ours]?.trim() ? env[ours] : env[classic];
    if (value === undefined || value.trim() === '') missing.push(classic);
    else {
      values[key] = value;
      used[key] = env[ours]?.trim() ? ours : classic;
    }
  }
  if (missing.length > 0) {
    const s = missing.length > 1 ? 's' : '';
    throw new CommandError(
      `You must provide the environment variable${s} ${missing.join(', ')} (or the CONFCTL_ equivalent${s}) ` +
        'if you run this command in non-interactive mode. See "confctl init --help".',
    );
  }
  const superuser = await superuserFromOptions(db, { email: values.email, name: undefined, password: values.password });
  const problems = validatePassword(values.password, { email: superuser.email });
  if (problems.length > 0) throw new CommandError(`${used.password}: ${problems.join(' ')}`);
  const organiser = { name: values.organiserName.trim(), slug: values.organiserSlug.trim() };
  const slugIssue = await organiserSlugCheck(db, organiser.slug);
  if (slugIssue !== null) throw new CommandError(`${used.organiserSlug}: ${slugIssue}`);
  return { superuser, organiser, used };
}
