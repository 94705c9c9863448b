import { inspect } from 'node:util';
import { sql } from 'kysely';
import { CommandError } from '../core/common/errors.ts';
import { findEvent } from '../core/event/move.ts';
import { Evaluator } from '../core/database/shell.ts';
import { queries, type SqlValue } from '../db/connection.ts';
import { defineConfctlCommand } from './_kit/command.ts';

/** "Name: message" of anything thrown, also of errors made inside the shell's own realm (not instanceof Error here). */
function describeError(error: unknown): string {
  if (typeof error === 'object' && error !== null && 'message' in error) {
    const name = 'name' in error ? String(error.name) : 'Error';
    return `${name}: ${String(error.message).split('\n')[0]}`;
  }
  return `Error: ${String(error)}`;
}

export default defineConfctlCommand({
  meta: { name: 'shell', description: 'Runs JavaScript with the database (and an event) loaded: interactively, or one piece of code with -c.' },
  args: {
    event: { type: 'string', valueHint: 'SLUG', description: 'Load this event as `event` (any case).' },
    event__slug: { type: 'string', valueHint: 'SLUG', description: "pretalx's shell_scoped spelling of --event." },
    override: { type: 'boolean', description: 'Work across all events (pretalx: disables scoping).' },
    'unsafe-disable-scopes': { type: 'boolean', description: 'Same as --override (pretalx 2025.2 spelling).' },
    command: { type: 'string', alias: 'c', valueHint: 'CODE', description: 'Run this code, print its value, and exit.' },
    plain: { type: 'boolean', description: "Django's choice of the plain Python shell: confctl has one shell, so it changes nothing." },
  },
  epilog: [
    'Loaded: db (kysely), sql (kysely tag), query(text, ...params) → rows (? placeholders on SQLite and on',
    'PostgreSQL alike), event (with --event), now(),',
    'print(...). Top-level await works: `await query("SELECT slug FROM event_event")`. Writes are not',
    'wrapped in a transaction, as in Django\'s shell. Without a terminal and without -c, stdin is the code.',
  ].join('\n'),
  async run(ctx) {
    const { io, args } = ctx;
    const slug = args.event ?? args.event__slug;
    const everything = args.override === true || args['unsafe-disable-scopes'] === true;
    if (slug !== undefined && everything) throw new CommandError('Use either --event or --override, not both.');
    if (slug === undefined && !everything) {
      throw new CommandError('Call this command with --event SLUG, or work across all events with --override.');
    }
    const db = await ctx.database();
    const event = slug === undefined ? undefined : await findEvent(db, slug);
    const show = (value: unknown) => (typeof value === 'string' ? value : inspect(value, { colors: ctx.style.enabled, depth: 4 }));
    const print = (...values: unknown[]) => ctx.out(values.map(show).join(' '));
    const evaluator = new Evaluator({
      db,
      sql,
      event,
      now: () => ctx.clock.now(),
      // ? placeholders on both databases (PostgreSQL's $1 works there too), as Django's cursor takes %s on every backend.
      query: (text: string, ...params: SqlValue[]) => queries(db).all(text, ...params),
      print,
      console: { log: print, info: print, error: (...v: unknown[]) => io.stderr.write(`${v.map(show).join(' ')}\n`) },
    });
    const evaluate = async (code: string) => {
      const value = await evaluator.run(code);
      if (value !== undefined) print(value);
    };

    const code = args.command ?? (io.stdin.isTTY ? undefined : await io.stdin.readAll());
    if (code !== undefined) {
      try {
        await evaluate(code);
      } catch (error) {
        throw new CommandError(`The code failed: ${describeError(error)}`, { cause: error });
      }
      return;
    }
    ctx.out(`confctl shell: db, sql, query(), now(), print()${event ? ` and event (${event.slug})` : ''} are loaded. Ctrl-D leaves.`);
    for (;;) {
      io.stdout.write('>>> ');
      const line = await io.stdin.readLine();
      if (line === null || line.trim() === '.exit') break;
      if (line.trim() === '') continue;
      try {
        await evaluate(line);
      } catch (error) {
        io.stderr.write(`${describeError(error)}\n`);
      }
    }
    ctx.out();
  },
});
