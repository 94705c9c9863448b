import { compareSettings } from '../core/common/settings.ts';
import { defineConfctlCommand } from './_kit/command.ts';

export default defineConfctlCommand({
  meta: {
    name: 'diffsettings',
    description: 'Displays the settings in force that differ from the defaults, each followed by "###".',
  },
  args: {
    all: { type: 'boolean', description: 'Display all settings, regardless of their value.' },
    output: {
      type: 'enum',
      options: ['hash', 'unified'],
      default: 'hash',
      description: 'Output format: "hash" marks changed settings with ###, "unified" shows - default / + value.',
    },
  },
  epilog: [
    'Settings come from the built-in defaults, then the settings file, then CONFCTL_DATA_DIR, CONFCTL_DATABASE',
    'and --database. Secrets (API tokens) are always shown as "********".',
  ].join('\n'),
  run(ctx) {
    const { style } = ctx;
    for (const line of compareSettings(ctx.settings, ctx.io.cwd)) {
      if (ctx.args.output === 'unified') {
        if (line.changed) {
          ctx.out(style.ERROR(`- ${line.key} = ${line.defaultValue}`));
          ctx.out(style.SUCCESS(`+ ${line.key} = ${line.value}`));
        } else if (ctx.args.all) {
          ctx.out(`  ${line.key} = ${line.value}`);
        }
      } else if (line.changed) {
        ctx.out(`${line.key} = ${line.value}  ###`);
      } else if (ctx.args.all) {
        ctx.out(`${line.key} = ${line.value}`);
      }
    }
  },
});
