import { askSuperuser, createSuperuser, superuserFromOptions } from '../core/auth/superuser.ts';
import { CommandError } from '../core/common/errors.ts';
import { Prompter } from './_kit/prompt.ts';
import { inputArgs } from './_kit/args.ts';
import { defineConfctlCommand } from './_kit/command.ts';

export default defineConfctlCommand({
  meta: {
    name: 'createsuperuser',
    description: 'Creates an administrator: a user who can create events and access every event.',
  },
  args: {
    email: {
      type: 'string',
      alias: ['username'],
      valueHint: 'EMAIL',
      description: 'The login e-mail address (--username is accepted as Django spells it).',
    },
    name: { type: 'string', valueHint: 'NAME', description: 'The name shown to other users.' },
    ...inputArgs,
  },
  epilog: [
    'With --noinput, --email (or DJANGO_SUPERUSER_EMAIL) is required; the password comes from',
    'DJANGO_SUPERUSER_PASSWORD, or the account gets an unusable password (as Django does) and the',
    'command says so. New passwords are stored as pbkdf2_sha256, which Django and pretalx verify.',
  ].join('\n'),
  async run(ctx) {
    const { io } = ctx;
    const explicit = ctx.args.noinput === true || ctx.args.input === false;
    const email = ctx.args.email ?? io.env.DJANGO_SUPERUSER_EMAIL;
    if (!ctx.interactive && !explicit && email === undefined) {
      throw new CommandError(
        'Not running in a terminal, so there is nobody to ask: use --noinput --email EMAIL (password from DJANGO_SUPERUSER_PASSWORD).',
      );
    }
    const db = await ctx.database();
    const input = ctx.interactive
      ? await askSuperuser(db, io, new Prompter(io), { email: ctx.args.email, name: ctx.args.name })
      : await superuserFromOptions(db, {
          email,
          name: ctx.args.name ?? io.env.DJANGO_SUPERUSER_NAME,
          password: io.env.DJANGO_SUPERUSER_PASSWORD || undefined,
        });
    await db.transaction().execute((trx) => createSuperuser(trx, input));
    if (input.password === null) {
      ctx.logger.warn(`${input.email} has an unusable password: set one with "confctl changepassword ${input.email}".`);
    }
    if (ctx.verbosity >= 1) ctx.out('Superuser created successfully.');
  },
});
