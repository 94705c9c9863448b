import { join, resolve } from 'node:path';
import { CommandError, errorMessage } from '../core/common/errors.ts';
import { parseSiteUrl, siteUrlIsDefault } from '../core/common/settings.ts';
import { loadExport } from '../core/export/data.ts';
import { buildSite, siteLanguages } from '../core/export/site.ts';
import { localeDirs } from '../core/i18n/catalogues.ts';
import { languageCode } from '../core/i18n/locales.ts';
import { writeSiteFolder, writeSiteZip } from '../core/export/write.ts';
import { siteFragments } from '../core/apps/site.ts';
import { appsOf } from './_kit/app-list.ts';
import { defineConfctlCommand } from './_kit/command.ts';
import { thisProcess } from './_kit/owner.ts';
import { version } from './_kit/version.ts';

export default defineConfctlCommand({
  meta: {
    name: 'export_schedule_html',
    description: "Exports an event's schedule as a static site with its feeds (schedule.json, .xml, .ics).",
  },
  args: {
    event: { type: 'positional', required: true, valueHint: 'event', description: 'The event slug (any case).' },
    zip: { type: 'boolean', description: 'Write <slug>.zip (every entry under <slug>/) instead of a folder.' },
    'output-dir': { type: 'string', valueHint: 'DIR', description: 'Where to write. Default: the filesystem.htmlexport setting, else <data dir>/htmlexport.' },
    locale: { type: 'string', valueHint: 'LANG', description: "Only this language (a code such as de or pt-br), at the site's root. Default: every language of the event." },
    'site-url': { type: 'string', valueHint: 'URL', description: 'The public URL the site will be served from (feed URLs, calendar UIDs). Default: the site.url setting.' },
  },
  epilog: [
    'Prints the path of the result. The site is built in a hidden folder beside the target and swapped in',
    'only when complete, in one step (rename-exchange on Linux and macOS), so the path is never missing, a',
    'failure never leaves half an export nor replaces a good one, and what a killed run left behind is',
    'removed by the next one. A failure is an error (exit 1), never a log line with exit 0. Unlike pretalx',
    'the slug is not doubled in the paths, and the same database always gives the same bytes (fixed zip',
    'timestamps, sorted entries). Links are relative: the site works from file:// and from any sub-path.',
    'Feed URLs and calendar UIDs use --site-url, else the site.url setting; with neither, they point at',
    'http://localhost:8000 and a warning says so.',
  ].join('\n'),
  async run(ctx) {
    const given = ctx.args['site-url'];
    const siteUrl = given === undefined ? ctx.settings.values['site.url'] : parseSiteUrl(given, '--site-url');
    // The installed apps' page fragments (their header, footer and CSS) go on every page.
    const apps = await appsOf(ctx);
    const db = await ctx.database({ readonly: true });
    const data = await loadExport(db, ctx.args.event);
    const language = ctx.args.locale === undefined ? undefined : languageCode(ctx.args.locale, '--locale');
    if (given === undefined && siteUrlIsDefault(ctx.settings)) {
      ctx.logger.warn(`No site URL is set: the feeds and calendar UIDs point at ${siteUrl}. Set [site] url in the settings file, or pass --site-url.`);
    }
    const root = ctx.args['output-dir']
      ? resolve(ctx.io.cwd, ctx.args['output-dir'])
      : ctx.settings.values['filesystem.htmlexport'] || join(ctx.settings.dataDir, 'htmlexport');
    ctx.logger.debug(`Exporting ${data.event.slug}: ${data.talks.length} talks, ${data.versions.length} released version${data.versions.length === 1 ? '' : 's'}`);
    let target: string;
    try {
      const languages = await siteLanguages(data.event, localeDirs(ctx.settings), language, (message) => ctx.logger.warn(message));
      const files = buildSite(data, { siteUrl, version, languages, fragments: siteFragments(apps) });
      if (ctx.args.zip) {
        target = join(root, `${data.event.slug}.zip`);
        await writeSiteZip(files, target, data.event.slug, thisProcess);
      } else {
        target = join(root, data.event.slug);
        const how = await writeSiteFolder(files, target, thisProcess);
        ctx.logger.debug(
          how === 'new'
            ? 'Moved the new site into place'
            : how === 'exchange'
              ? 'Swapped the new site in with one rename-exchange: the path was never missing'
              : 'Swapped the new site in with two renames (no rename-exchange here)',
        );
      }
      ctx.logger.debug(`Exported ${files.size} files`);
    } catch (error) {
      if (error instanceof CommandError) throw error;
      throw new CommandError(`Export failed: ${errorMessage(error)}`, { cause: error });
    }
    ctx.out(target);
  },
});
