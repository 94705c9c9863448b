import { randomInt } from 'node:crypto';
import { CommandError } from '../core/common/errors.ts';
import { checkLocale } from '../core/event/events.ts';
import { buildTestEvent, parseStage, STAGES } from '../core/event/test-event.ts';
import { defineConfctlCommand } from './_kit/command.ts';

export default defineConfctlCommand({
  meta: {
    name: 'create_test_event',
    description: 'Creates a realistic demo event with speakers, reviews and a released schedule.',
  },
  args: {
    stage: {
      type: 'string',
      default: 'schedule',
      valueHint: STAGES.join('|'),
      description: 'How far the event has got: cfp (submissions), review (+ reviews and decisions), schedule (+ released v1.0), over (all, in the past).',
    },
    slug: { type: 'string', default: 'democon', valueHint: 'SLUG', description: 'The event slug; the organiser gets <slug>org.' },
    seed: { type: 'string', valueHint: 'N', description: 'Random seed: the same seed and the same CONFCTL_NOW give the same data.' },
    locale: { type: 'string', valueHint: 'LANG', description: 'The event language, as create_event\'s (default en); the texts stay English.' },
    locales: { type: 'string', valueHint: 'LANG,LANG', description: 'All the event\'s languages, as create_event\'s (its pages then come in each, with a language switch).' },
  },
  epilog: [
    'Needs an administrator (run "confctl init" first); all administrators join the organiser team.',
    'Unlike pretalx: --seed makes the whole event reproducible (pretalx seeds only Faker), the stage is',
    'checked, the reviewers are members of their team, an open CfP has a deadline in the future, and a',
    'missing administrator or a taken slug is an error (exit 1). Everything is one transaction.',
  ].join('\n'),
  async run(ctx) {
    const stage = parseStage(ctx.args.stage);
    const seedText = ctx.args.seed;
    if (seedText !== undefined && !/^-?\d{1,15}$/.test(seedText)) {
      throw new CommandError(`--seed must be a whole number, not "${seedText}".`);
    }
    const locale = ctx.args.locale === undefined ? undefined : checkLocale(ctx.args.locale);
    const others = ctx.args.locales?.split(',').map((l) => l.trim()).filter((l) => l !== '').map(checkLocale);
    const locales = others === undefined ? undefined : [...new Set([locale ?? 'en', ...others])];
    const seed = seedText === undefined ? randomInt(2 ** 31) : Number(seedText);
    ctx.logger.debug(`Seed: ${seed} (pass --seed ${seed} to build the same event again)`);
    const db = await ctx.database();
    await db.transaction().execute((trx) =>
      buildTestEvent(trx, { slug: ctx.args.slug, stage, seed, ...(locale ? { locale } : {}), ...(locales ? { locales } : {}) }, ctx.clock, (built) => {
        if (ctx.verbosity >= 1) ctx.out(ctx.style.SUCCESS(`Built data for stage "${built}".`));
      }),
    );
  },
});
