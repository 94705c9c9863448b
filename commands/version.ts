import { defineConfctlCommand } from './_command.ts';
import { version } from './_version.ts';

export default defineConfctlCommand({
  meta: { name: 'version', description: 'Prints the confctl version.' },
  args: {},
  run(ctx) {
    ctx.out(version);
  },
});
