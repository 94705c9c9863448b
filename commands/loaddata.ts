import { join } from 'node:path';
import { CommandError, errorMessage } from '../core/common/errors.ts';
import { parseFormat, type Format } from '../core/data/dump.ts';
import { readFixtureFile } from '../core/data/files.ts';
import { findFixtures, loadInTransaction, ObjectError } from '../core/data/load.ts';
import { resolveLabels } from '../core/data/models.ts';
import type { InputStream } from '../core/common/io.ts';
import { defineConfctlCommand } from './_kit/command.ts';

async function* stdinChunks(stdin: InputStream): AsyncGenerator<string> {
  for (let line = await stdin.readLine(); line !== null; line = await stdin.readLine()) yield `${line}\n`;
}

export default defineConfctlCommand({
  meta: { name: 'loaddata', description: 'Installs the named fixtures in the database, all in one transaction.' },
  args: {
    fixture: { type: 'positional', required: false, valueHint: 'fixture', description: 'Fixture labels: a name, a file name or a path; - reads stdin (with --format).' },
    format: { type: 'string', valueHint: 'json|jsonl', description: 'Format of the fixtures (required for stdin).' },
    exclude: { type: 'string', alias: 'e', valueHint: 'app_or_model', description: 'Skip an app or app.Model; may be repeated.' },
    ignorenonexistent: { type: 'boolean', alias: 'i', description: 'Ignore fields and models that do not exist in the database.' },
  },
  variadic: true,
  epilog: [
    'Fixtures are looked for in the fixtures.dirs folders, in <data dir>/fixtures and in the working folder,',
    'with or without their extension, compressed as .gz, .zip (the first file), .bz2 or .xz. Everything loads',
    'in ONE transaction and foreign keys are checked at the end, so fixtures may refer to each other; any',
    'error rolls everything back and names the fixture and the object. Fixtures are parsed as a stream.',
  ].join('\n'),
  async run(ctx) {
    const labels = ctx.args._;
    if (labels.length === 0) {
      throw new CommandError('No database fixture specified. Please provide the path of at least one fixture in the command line.');
    }
    const format = ctx.args.format === undefined ? undefined : parseFormat(ctx.args.format);
    const excludeLabels = ctx.all('exclude', 'e');
    const excludes = excludeLabels.length > 0 ? resolveLabels(excludeLabels) : [];
    const dirs = [...ctx.settings.values['fixtures.dirs'], join(ctx.settings.dataDir, 'fixtures')];
    const fixtures = labels.map((label) => {
      if (label !== '-') return findFixtures(label, dirs, ctx.io.cwd);
      if (format === undefined) throw new CommandError('--format must be specified when reading from stdin.');
      return [{ path: '-', name: 'stdin', format, compression: null }];
    });
    const db = await ctx.database();
    const maxBytes = ctx.settings.values['fixtures.max_size'];

    const counts = await loadInTransaction(db, async (_trx, makeLoader) => {
      const loader = makeLoader({ ignoreNonexistent: ctx.args.ignorenonexistent === true, excludes });
      for (const fixture of fixtures.flat()) {
        const before = loader.counts.found;
        if (ctx.verbosity >= 2) ctx.out(`Installing ${fixture.format} fixture '${fixture.name}' from ${fixture.path === '-' ? 'stdin' : `'${fixture.path}'`}.`);
        try {
          const chunks = fixture.path === '-' ? stdinChunks(ctx.io.stdin) : readFixtureFile(fixture.path, maxBytes, ctx.settings.values['fixtures.max_ratio']);
          await loader.loadStream(fixture.format as Format, chunks);
        } catch (error) {
          throw new CommandError(`Problem installing fixture '${fixture.path}': ${errorMessage(error)}`, { cause: error });
        }
        if (loader.counts.found === before) ctx.logger.warn(`No fixture data found for '${fixture.name}'. (File format may be invalid.)`);
      }
      try {
        await loader.checkForeignKeys();
      } catch (error) {
        if (error instanceof ObjectError) throw new CommandError(`Problem installing fixtures: ${error.message}`);
        throw error;
      }
      return loader.counts;
    });
    if (ctx.verbosity >= 1) {
      const n = fixtures.flat().length;
      const of = counts.loaded < counts.found ? ` (of ${counts.found})` : '';
      ctx.out(`Installed ${counts.loaded} object(s)${of} from ${n} fixture(s)`);
    }
  },
});
