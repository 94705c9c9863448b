import { join } from 'node:path';
import { CommandError, errorMessage } from '../core/common/errors.ts';
import { localeDirs } from '../core/i18n/catalogues.ts';
import { catalogueFiles, compileCatalogue, embedCatalogues, sourceCheckout } from '../core/i18n/workflow.ts';
import { defineConfctlCommand } from './_kit/command.ts';

export default defineConfctlCommand({
  meta: {
    name: 'compilemessages',
    description: 'Checks the translation catalogues (.po) and compiles them (.mo) for export_schedule_html and runserver.',
  },
  args: {
    locale: { type: 'string', alias: 'l', valueHint: 'LANG', description: 'Only this catalogue, as de or pt_BR; give it as often as needed.' },
    exclude: { type: 'string', alias: 'x', valueHint: 'LANG', description: 'Not this catalogue; give it as often as needed.' },
    'use-fuzzy': { type: 'boolean', alias: 'f', description: 'Use the translations marked fuzzy too.' },
  },
  epilog: [
    'Compiles every <dir>/<lang>/LC_MESSAGES/*.po under the i18n.locale_dirs folders (default <data dir>/locale)',
    "and, in a source checkout, the repository's locale/ (whose catalogues it also embeds, core/i18n/embedded.ts).",
    'Each catalogue is checked first, as msgfmt --check-format would: its syntax and escapes, as many plural',
    'forms as its Plural-Forms says, and no placeholder a translation leaves out or invents. A bad catalogue is',
    'an error naming its file and line, and gets no .mo; the good ones are compiled. gettext is not needed.',
  ].join('\n'),
  async run(ctx) {
    const checkout = sourceCheckout(ctx.io.cwd);
    const dirs = [...(checkout ? [join(checkout, 'locale')] : []), ...localeDirs(ctx.settings)];
    const request = { locales: ctx.all('locale', 'l'), exclude: ctx.all('exclude', 'x'), fuzzy: ctx.args['use-fuzzy'] === true };
    const files = catalogueFiles(dirs, request);
    if (files.length === 0) {
      const which = request.locales.length > 0 ? `No catalogue of ${request.locales.join(', ')}` : 'No catalogues to compile';
      ctx.logger.warn(`${which} in ${dirs.join(', ')}: make one with makemessages --locale LANG.`);
    }
    const failed: string[] = [];
    for (const { folder, file } of files) {
      if (ctx.verbosity >= 1) ctx.out(`processing file ${file} in ${folder}`);
      try {
        compileCatalogue(folder, file, request.fuzzy);
      } catch (error) {
        if (!(error instanceof CommandError)) throw error;
        failed.push(errorMessage(error));
      }
    }
    if (checkout && failed.length === 0 && request.locales.length === 0 && request.exclude.length === 0) embedCatalogues(checkout);
    if (failed.length === 1) throw new CommandError(failed[0]!);
    if (failed.length > 1) {
      // Each broken catalogue named, as Django lists every msgfmt error: one round of fixes, not one per file.
      for (const message of failed) ctx.logger.error(message);
      throw new CommandError(`${failed.length} catalogues have errors (above) and were not compiled; the others were.`);
    }
  },
});
