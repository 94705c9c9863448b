import { askSuperuser, createSuperuser } from '../core/auth/superuser.ts';
import { CommandError } from '../core/common/errors.ts';
import { initFromEnvironment, initVariables, organiserSlugCheck } from '../core/event/init.ts';
import { Prompter } from './_kit/prompt.ts';
import { countAdministrators, createOrganiser } from '../core/auth/users.ts';
import { inputArgs } from './_kit/args.ts';
import { defineConfctlCommand } from './_kit/command.ts';

const required = (answer: string) => (answer === '' ? 'This value is required, please enter some value to proceed.' : null);

export default defineConfctlCommand({
  meta: {
    name: 'init',
    description: 'Sets up a new instance: the first administrator, the first organiser and its team.',
  },
  args: { ...inputArgs },
  epilog: [
    'Everything is written in one transaction after the last question: Ctrl-C or an error saves nothing.',
    `With --noinput it reads ${Object.values(initVariables).map(([classic]) => classic).join(', ')}`,
    '(or CONFCTL_SUPERUSER_EMAIL, CONFCTL_SUPERUSER_PASSWORD, CONFCTL_INIT_ORGANISER_NAME, CONFCTL_INIT_ORGANISER_SLUG);',
    'unlike pretalx it names every missing variable at once, checks the password, validates the slug',
    'and refuses to run on an instance that already has an administrator.',
  ].join('\n'),
  async run(ctx) {
    const { io, style } = ctx;
    const db = await ctx.database();
    const admins = await countAdministrators(db);
    if (admins > 0) {
      throw new CommandError(
        `This instance is already initialised: it has ${admins} administrator(s). Add one with "confctl createsuperuser".`,
      );
    }
    const say = (line = '') => ctx.verbosity >= 1 && ctx.out(line);

    let answers: Awaited<ReturnType<typeof initFromEnvironment>>;
    if (ctx.interactive) {
      const prompter = new Prompter(io);
      say();
      say(style.SUCCESS('Welcome to confctl! This is the initialization command, please use it only once.'));
      say('You can abort this command at any time using C-c, and it will save no data.');
      say();
      say("Let's get you a user with the right to create new events and access every event on this confctl instance.");
      const superuser = await askSuperuser(db, io, prompter, {});
      say();
      say("Let's also create a first organiser: This will allow you to invite further people and create events.");
      say();
      const name = await prompter.askValid('Name (e.g. "The Conference Organiser"): ', required);
      const slug = await prompter.askValid('Slug (e.g. "conforg", used in urls): ', (a) => required(a) ?? organiserSlugCheck(db, a));
      answers = { superuser, organiser: { name, slug }, used: {} as never };
    } else {
      answers = await initFromEnvironment(db, io.env);
      say(`Email address: [used environment variable: ${answers.used.email}]`);
      say(`Password: [used environment variable: ${answers.used.password}]`);
      say(`Name (e.g. "The Conference Organiser"): [used environment variable: ${answers.used.organiserName}]`);
      say(`Slug (e.g. "conforg", used in urls): [used environment variable: ${answers.used.organiserSlug}]`);
    }

    const { organiser } = answers;
    const { teamId } = await db.transaction().execute(async (trx) => {
      const adminId = await createSuperuser(trx, answers.superuser);
      return createOrganiser(trx, { ...organiser, members: [adminId] });
    });
    say('Superuser created successfully.');
    say(`Organiser "${organiser.name}" (${organiser.slug}) created, with the team "Team ${organiser.name}" (#${teamId}).`);
    say();
    say(style.SUCCESS('Now that this is done, you can:'));
    say(` - Create your first event: confctl create_event --organiser ${organiser.slug} --slug SLUG --name NAME --date-from YYYY-MM-DD --date-to YYYY-MM-DD`);
    say(` - Or build a demo event to look at: confctl create_test_event`);
  },
});
