import { CommandError } from '../core/common/errors.ts';
import { complete, completionLines } from '../core/completion/engine.ts';
import { SCRIPTS, SHELLS, splitLine, type Shell } from '../core/completion/scripts.ts';
import { defineConfctlCommand } from './_kit/command.ts';
import { completer } from './_kit/completion.ts';
import { appsOf } from './_kit/app-list.ts';

const isShell = (name: string | undefined): name is Shell => (SHELLS as readonly string[]).includes(name ?? '');

export default defineConfctlCommand({
  meta: { name: 'completion', description: 'Prints the shell completion script for bash, zsh, fish or PowerShell.' },
  args: {
    shell: { type: 'positional', required: false, valueHint: SHELLS.join('|'), description: 'The shell to complete in.' },
    complete: { type: 'string', valueHint: 'SHELL', description: 'Used by the scripts: print the candidates for the words after -- (bash and powershell: the line up to the cursor).' },
  },
  variadic: true,
  epilog: [
    'Completes command names and aliases, each command’s options and their fixed values (-v, --stage, --format),',
    'event slugs from the configured database (--event, --conference, export_schedule_html EVENT), app labels and',
    'app.Model names for dumpdata, fixture names for loaddata, migration names for sqlmigrate, language codes for',
    'makemessages, and file names where a file is expected. Django’s bash completion ran the program through a',
    'variable; these scripts pass what was typed as plain arguments, so nothing typed is ever run by the shell.',
    '',
    'Load it:',
    '  bash        eval "$(confctl completion bash)"                 in ~/.bashrc',
    '  zsh         source <(confctl completion zsh)                   in ~/.zshrc, after compinit',
    '  fish        confctl completion fish > ~/.config/fish/completions/confctl.fish',
    '  powershell  confctl completion powershell | Out-String | Invoke-Expression   in $PROFILE',
  ].join('\n'),
  async run(ctx) {
    const asked = ctx.args.complete;
    if (asked !== undefined) {
      if (!isShell(asked)) throw new CommandError(`--complete: unknown shell "${asked}" (${SHELLS.join(', ')}).`);
      // bash and PowerShell pass the line up to the cursor: its words, less the program's name.
      const words = asked === 'bash' || asked === 'powershell' ? splitLine(ctx.args._.join(' ')).slice(1) : ctx.args._;
      // The installed apps' commands too; an app that does not load completes nothing of its own.
      const apps = await appsOf(ctx).catch(() => []);
      const result = await complete(words, completer(ctx, apps));
      ctx.io.stdout.write(`${completionLines(result, asked, words.at(-1) ?? '').join('\n')}\n`);
      return;
    }
    const shell = ctx.args._[0];
    if (!isShell(shell)) throw new CommandError(shell === undefined ? `Name the shell: confctl completion ${SHELLS.join('|')}.` : `Unknown shell "${shell}": confctl completes in ${SHELLS.join(', ')}.`);
    if (ctx.args._.length > 1) throw new CommandError('Name one shell.');
    ctx.io.stdout.write(SCRIPTS[shell]);
  },
});
