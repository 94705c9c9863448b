import { runtime } from '../platform/index.ts';
import { defineConfctlCommand } from './_kit/command.ts';
import { buildLines } from './_kit/build-lines.ts';
import { version } from './_kit/version.ts';

export default defineConfctlCommand({
  meta: { name: 'version', description: 'Prints the confctl version; --verbose also the build (target, commit), the runtime and SQLite.' },
  args: {
    verbose: { type: 'boolean', description: 'Also print the build, the runtime and SQLite versions, as a bug report needs them.' },
  },
  run(ctx) {
    ctx.out(version);
    if (!ctx.args.verbose) return;
    for (const [label, value] of buildLines(runtime(), runtime().sqliteVersion())) ctx.out(`${`${label}:`.padEnd(9)} ${value}`);
  },
});
