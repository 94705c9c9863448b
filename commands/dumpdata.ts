import { resolve } from 'node:path';
import { CommandError, errorMessage } from '../core/common/errors.ts';
import { countObjects, parseFormat, serialize } from '../core/data/dump.ts';
import { batched, writeDumpFile } from '../core/data/files.ts';
import { resolveLabels } from '../core/data/models.ts';
import { defineConfctlCommand } from './_kit/command.ts';

export default defineConfctlCommand({
  meta: {
    name: 'dumpdata',
    description: "Writes the database's contents as a Django fixture (all models, or the app labels and app.Model names given).",
  },
  args: {
    app_label: { type: 'positional', required: false, valueHint: 'app_label[.ModelName]', description: 'Only these apps or models (several may be given).' },
    format: { type: 'string', default: 'json', valueHint: 'json|jsonl|xml', description: 'Serialization format.' },
    indent: { type: 'string', valueHint: 'N', description: 'Indent JSON and XML output by N spaces.' },
    exclude: { type: 'string', alias: 'e', valueHint: 'app_or_model', description: 'Leave out an app or app.Model; may be repeated.' },
    output: { type: 'string', alias: 'o', valueHint: 'FILE', description: 'Write to FILE (compressed when it ends in .gz, .bz2, .xz or .zip) instead of stdout.' },
    pks: { type: 'string', valueHint: '1,2,3', description: 'Only the objects with these primary keys (one model only).' },
    'natural-foreign': { type: 'boolean', description: 'Foreign keys to users, organisers and events as natural keys (e-mail, slug).' },
    'natural-primary': { type: 'boolean', description: 'Users, organisers and events without their pk: their natural key names them (loaddata updates the row with that key, or adds one).' },
    all: { type: 'boolean', alias: 'a', description: "Accepted for Django's sake: every row is always dumped." },
  },
  variadic: true,
  epilog: [
    'Models come in dependency order and rows in primary-key order, so the same data gives the same dump;',
    'rows are written as they are read, so memory does not grow with the database. The history tables',
    '(confctl_migration*) and the cache are not dumped. An --output file appears only once it is complete.',
    'Without --indent, JSON is written compactly (Django adds a space after "," and ":"): the same fixture,',
    'which Django and confctl both load, made twice as fast.',
  ].join('\n'),
  async run(ctx) {
    const { args } = ctx;
    const format = parseFormat(args.format);
    const indent = args.indent === undefined ? undefined : Number(args.indent);
    if (indent !== undefined && (!Number.isInteger(indent) || indent < 0 || indent > 16)) {
      throw new CommandError(`--indent must be a whole number from 0 to 16, not "${args.indent}".`);
    }
    const models = resolveLabels(args._, ctx.all('exclude', 'e'));
    const pks = args.pks === undefined ? undefined : args.pks.split(',').map((pk) => pk.trim()).filter(Boolean);
    if (pks !== undefined && models.length !== 1) throw new CommandError('You can only use --pks option with one model');
    const db = await ctx.database({ readonly: true });

    const output = args.output;
    const progress = output !== undefined && ctx.io.stderr.isTTY && ctx.verbosity >= 1;
    const total = progress ? await countObjects(db, models) : 0;
    let done = 0;
    const onObject = progress
      ? () => {
          if (++done % 1000 === 0 || done === total) ctx.io.stderr.write(`\r[${String(done).padStart(String(total).length)}/${total}] objects`);
        }
      : undefined;
    const chunks = serialize(db, { models, format, indent, pks, naturalForeign: args['natural-foreign'] === true, naturalPrimary: args['natural-primary'] === true, onObject });
    try {
      if (output === undefined) for await (const chunk of batched(chunks)) ctx.io.stdout.write(chunk);
      else await writeDumpFile(resolve(ctx.io.cwd, output), chunks);
    } catch (error) {
      if (error instanceof CommandError) throw error;
      throw new CommandError(`Unable to serialize database: ${errorMessage(error)}`, { cause: error });
    } finally {
      if (progress && done > 0) ctx.io.stderr.write('\n');
    }
  },
});
