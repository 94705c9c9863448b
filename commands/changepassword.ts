import { makePassword } from '../core/auth/passwords.ts';
import { validatePassword } from '../core/auth/validation.ts';
import { CommandError } from '../core/common/errors.ts';
import { Prompter } from './_kit/prompt.ts';
import { findUserByEmail, setPassword } from '../core/auth/users.ts';
import { defineConfctlCommand } from './_kit/command.ts';

const MAX_TRIES = 3;

export default defineConfctlCommand({
  meta: { name: 'changepassword', description: "Changes a user's password." },
  args: {
    email: { type: 'positional', required: true, valueHint: 'EMAIL', description: 'The login e-mail address of the user.' },
  },
  epilog: 'The password is asked twice, without echo on a terminal; piped input is read line by line.',
  async run(ctx) {
    const { io } = ctx;
    const db = await ctx.database();
    const user = await findUserByEmail(db, ctx.args.email);
    if (!user) throw new CommandError(`user '${ctx.args.email}' does not exist`);
    const prompter = new Prompter(io);
    ctx.out(`Changing password for user '${user.email}'`);
    for (let attempt = 1; attempt <= MAX_TRIES; attempt++) {
      const password = await prompter.secret('Password: ');
      const again = await prompter.secret('Password (again): ');
      const problems =
        password !== again ? ['Passwords do not match. Please try again.'] : validatePassword(password, user);
      if (problems.length === 0) {
        await db.transaction().execute((trx) => setPassword(trx, user.id, makePassword(password)));
        ctx.out(`Password changed successfully for user '${user.email}'`);
        return;
      }
      io.stderr.write(`${problems.join('\n')}\n`);
    }
    throw new CommandError(`Aborting password change for user '${user.email}' after ${MAX_TRIES} attempts`);
  },
});
