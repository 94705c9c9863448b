import { localeDirs } from '../core/i18n/catalogues.ts';
import { makeCatalogue, planMakeMessages, sourceCheckout, writeTemplate } from '../core/i18n/workflow.ts';
import { defineConfctlCommand } from './_kit/command.ts';

export default defineConfctlCommand({
  meta: {
    name: 'makemessages',
    description: "Brings the translation catalogues (.po) up to date with the interface's messages, or starts one for a new language.",
  },
  args: {
    locale: { type: 'string', alias: 'l', valueHint: 'LANG', description: 'The catalogue to make or update, as de or pt_BR; give it as often as needed.' },
    exclude: { type: 'string', alias: 'x', valueHint: 'LANG', description: 'A catalogue to leave alone; give it as often as needed.' },
    all: { type: 'boolean', alias: 'a', description: 'Every catalogue there is (in the binary: also each language it embeds).' },
    extension: { type: 'string', alias: 'e', valueHint: 'ts,html', description: 'File extensions to read in a source checkout (default ts); separate several with commas or give it again.' },
    obsolete: { type: 'boolean', default: true, negativeDescription: 'Drop the translations of messages no longer used, instead of keeping them as #~ entries.' },
    location: { type: 'boolean', default: true, negativeDescription: 'Do not write "#: file:line" references.' },
    wrap: { type: 'boolean', default: true, negativeDescription: 'Do not break long messages into several lines.' },
  },
  epilog: [
    'In a source checkout, the messages are the strings the sources mark with gettext, ngettext, pgettext and',
    "npgettext; the template is locale/confctl.pot and each language's catalogue locale/<lang>/LC_MESSAGES/confctl.po.",
    "In the compiled binary, the messages and translations are the binary's own, and the catalogue is written",
    'to the first i18n.locale_dirs folder (default <data dir>/locale): translate or correct it there, run',
    'compilemessages, and export_schedule_html and runserver use it before the embedded one.',
    'As with Django: translations are kept, a changed message gets the old translation marked fuzzy, a',
    'vanished one is kept as obsolete (#~). Unlike Django, gettext\'s own tools are not needed.',
  ].join('\n'),
  async run(ctx) {
    const extensions = [...(ctx.all('extension', 'e'))].flatMap((e) => e.split(','));
    const request = {
      locales: ctx.all('locale', 'l'),
      all: ctx.args.all === true,
      exclude: ctx.all('exclude', 'x'),
      extensions: extensions.length > 0 ? extensions : ['ts'],
      obsolete: ctx.args.obsolete !== false,
      location: ctx.args.location !== false,
      wrap: ctx.args.wrap !== false,
      now: ctx.clock.now(),
    };
    const plan = await planMakeMessages(request, sourceCheckout(ctx.io.cwd), localeDirs(ctx.settings));
    writeTemplate(plan, request);
    for (const locale of plan.locales) {
      if (ctx.verbosity >= 1) ctx.out(`processing locale ${locale}`);
      makeCatalogue(plan, locale, request);
    }
  },
});
