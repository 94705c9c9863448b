import { defineConfctlCommand } from './_kit/command.ts';
import { version } from './_kit/version.ts';

export default defineConfctlCommand({
  meta: { name: 'version', description: 'Prints the confctl version.' },
  args: {},
  run(ctx) {
    ctx.out(version);
  },
});
