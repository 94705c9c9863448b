import { API_DTS, API_VERSION } from './api.ts';

/** The files `confctl startapp NAME` writes: the app's definition, one command, the API's types, a README. */
export function appSkeleton(label: string): Map<string, string> {
  const command = `${label}_hello`;
  return new Map([
    [
      'index.ts',
      `// The app ${label} for confctl. confctl imports this file when the settings list the app:
//
//   [apps]
//   installed = ["./${label}"]      # relative to the settings file
//
// confctl.d.ts beside it is the plugin API (version ${API_VERSION}); README.md says what an app may do.
import type { App } from './confctl.d.ts';
import { hello } from './hello.ts';

const app: App = {
  apiVersion: ${API_VERSION},
  label: '${label}',
  description: 'What ${label} adds to confctl.',
  commands: { ${command}: hello },
};

export default app;
`,
    ],
    [
      'hello.ts',
      `import type { Command } from './confctl.d.ts';

/** \`confctl ${command} [--name NAME]\`: an example command; it reads the database. */
export const hello: Command = {
  description: 'Says hello, with the number of events in the database.',
  args: {
    name: { type: 'string', description: 'Whom to greet.', default: 'world', valueHint: 'NAME' },
  },
  async run(ctx) {
    if (String(ctx.args.name).trim() === '') ctx.fail('--name must not be empty.');
    const [row] = await ctx.query('SELECT count(*) AS n FROM event_event');
    ctx.out(\`Hello, \${ctx.args.name}! This instance has \${Number(row?.n ?? 0)} event(s).\`);
  },
};
`,
    ],
    ['confctl.d.ts', API_DTS],
    [
      'README.md',
      `# ${label}

An app for confctl: a folder of TypeScript that confctl loads at run time (the compiled binary too),
as Django loads the apps of INSTALLED_APPS.

## Install it

In the settings file (confctl.toml):

    [apps]
    installed = ["./${label}"]

An entry is a folder relative to the settings file, or a name alone, looked for in the \`[apps] path\`
folders and in \`--pythonpath DIR\`. Then \`confctl help\` lists the app's commands under [${label}]:

    confctl ${command} --name you

\`--skip-apps\` runs confctl without any app (when one is broken).

## What an app may be

\`index.ts\` exports the app by default, typed against \`confctl.d.ts\` (plugin API version ${API_VERSION}:
confctl refuses an app written for another version). It may import its own files (relative paths) and
Node's modules (\`node:fs\`…); there is no node_modules on a server: no npm packages.

- \`commands\`: each gets confctl's base options (--settings, --database, -v, --traceback…) and a Context:
  its arguments, \`out\`, \`logger\`, \`query\`/\`execute\` on the configured database (SQLite or
  PostgreSQL, \`?\` for each parameter), \`settings\`, \`now()\` and \`fail(message)\` for a clean error.
`,
    ],
  ]);
}
