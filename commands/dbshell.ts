import { CommandError } from '../core/common/errors.ts';
import { runAttached, runCaptured, which } from '../core/common/programs.ts';
import { isDatabaseUrl, parsePostgresUrl } from '../core/common/database-url.ts';
import { psqlCommand, runDotCommand, runStatement, splitStatements, type ShellOutput } from '../core/database/dbshell.ts';
import { defineConfctlCommand } from './_kit/command.ts';

export default defineConfctlCommand({
  meta: { name: 'dbshell', description: 'Runs the sqlite3 client on the database (psql on PostgreSQL), or a built-in SQL prompt where sqlite3 is not installed.' },
  args: {
    command: { type: 'string', alias: 'c', valueHint: 'SQL', description: 'Run this SQL and exit.' },
    builtin: { type: 'boolean', description: "Use confctl's built-in prompt even if sqlite3 is installed." },
  },
  variadic: true,
  epilog: [
    'Arguments after -- go to sqlite3 (e.g. confctl dbshell -- -header -column). Air-gapped servers often',
    'lack sqlite3: then the built-in prompt runs statements and knows .tables, .schema and .quit.',
    'On PostgreSQL it runs psql, the connection in PG* variables (the password in PGPASSWORD, never on',
    'the command line); arguments after -- go to psql.',
  ].join('\n'),
  async run(ctx) {
    const { io } = ctx;
    const db = await ctx.existingDatabase();
    if (db === null) throw new CommandError(`The database ${ctx.settings.databaseLabel} does not exist.`);
    if (isDatabaseUrl(ctx.settings.databasePath)) {
      const psql = which('psql', io.env.PATH ?? '');
      if (psql === null) throw new CommandError('psql is not installed (Debian: apt-get install postgresql-client); the built-in prompt is for SQLite files.');
      const args = [...ctx.args._, ...(ctx.args.command === undefined ? [] : ['-c', ctx.args.command])];
      const { argv, env } = psqlCommand(psql, parsePostgresUrl(ctx.settings.databasePath, io.env), args, io.env);
      if (io.stdin.isTTY && ctx.args.command === undefined) {
        const code = await runAttached(argv, env).exited;
        if (code !== 0) throw new CommandError(`psql exited with status ${code}.`, { exitCode: code });
        return;
      }
      const child = runCaptured(argv, ctx.args.command === undefined ? await io.stdin.readAll() : undefined, env);
      io.stdout.write(child.stdout);
      if (child.exitCode !== 0) throw new CommandError(child.stderr.trim().split('\n')[0] || `psql exited with status ${child.exitCode}.`);
      io.stderr.write(child.stderr);
      return;
    }
    const sqlite3 = ctx.args.builtin ? null : which('sqlite3', io.env.PATH ?? '');
    const path = ctx.settings.databasePath;

    if (sqlite3) {
      if (io.stdin.isTTY && ctx.args.command === undefined) {
        const code = await runAttached([sqlite3, path, ...ctx.args._]).exited;
        if (code !== 0) throw new CommandError(`sqlite3 exited with status ${code}.`, { exitCode: code });
        return;
      }
      const input = ctx.args.command === undefined ? await io.stdin.readAll() : undefined;
      const argv = [sqlite3, ...ctx.args._, path, ...(ctx.args.command === undefined ? [] : [ctx.args.command])];
      const child = runCaptured(argv, input);
      io.stdout.write(child.stdout);
      const errors = child.stderr;
      if (child.exitCode !== 0) throw new CommandError(errors.trim().split('\n')[0] || `sqlite3 exited with status ${child.exitCode}.`);
      io.stderr.write(errors);
      return;
    }

    let failed = false;
    const output: ShellOutput = { out: (text) => io.stdout.write(text), error: (text) => io.stderr.write(`${text}\n`) };
    const execute = (sql: string) => {
      const { statements, rest } = splitStatements(sql.trimEnd().endsWith(';') ? sql : `${sql};`);
      for (const statement of [...statements, ...(rest.trim() ? [rest] : [])]) failed = !runStatement(db, statement, output) || failed;
    };
    if (ctx.args.command !== undefined) {
      execute(ctx.args.command);
      if (failed) throw new CommandError('The SQL failed.');
      return;
    }
    if (!io.stdin.isTTY) ctx.logger.debug('Reading SQL from standard input.');
    else if (ctx.verbosity >= 1) ctx.out(`confctl's built-in SQL prompt${which('sqlite3', io.env.PATH ?? '') ? '' : ' (sqlite3 is not installed)'} on ${path}. ".help" for help.`);
    let pending = '';
    for (;;) {
      if (io.stdin.isTTY) io.stdout.write(pending ? '   ...> ' : 'sqlite> ');
      const line = await io.stdin.readLine();
      if (line === null) break;
      if (pending === '' && line.trim().startsWith('.')) {
        if (!runDotCommand(db, line, output)) break;
        continue;
      }
      const { statements, rest } = splitStatements(`${pending}${line}\n`);
      for (const statement of statements) failed = !runStatement(db, statement, output) || failed;
      pending = rest.trim() ? rest : '';
    }
    if (pending.trim()) failed = !runStatement(db, pending, output) || failed;
    if (failed && !io.stdin.isTTY) throw new CommandError('Some SQL statements failed.');
  },
});
